import { FORM_TITLES, renderLoadingModal } from '../blocks/formWords';
import { FORM_ENDINGS } from '../blocks/formWords';
import type { WebClient } from '@slack/web-api';
import type { ParticipantGroup } from '../../prolific/types';
import type { Actor, RequestActor } from '../../services/actor';
import type { MessageStudy, SendResult } from '../../services/groupMessages';
import { renderMessageCancelled, renderMessageModal, renderMessagePreview, renderSendRefused, renderSendResult } from '../blocks/groupMessages';
import { notice } from '../blocks/message';
import type { Reply } from '../replies';
import type { BotContext } from './botContext';
import { refuseMessage } from './refuseChange';


/**
 * Opens the message form for a group. The trigger id is used at once (it expires within 3
 * seconds); the group is read, through the served groups, while the form shows "Loading".
 */
export async function openMessageForm(ctx: BotContext, client: WebClient, reply: Reply, actor: RequestActor, triggerId: string, group: ParticipantGroup | string, channelId: string | null): Promise<void> {
  if (await refuseMessage(actor, reply)) return;
  const opened = await client.views.open({ trigger_id: triggerId, view: renderLoadingModal(FORM_TITLES.message, 'group') });
  const read = typeof group === 'string' ? await ctx.groups.get(group) : group;
  await client.views.update({ view_id: opened.view?.id ?? '', view: renderMessageModal(read, { channelId, groupId: read.id, currentName: read.name }) });
}

/** After the ack: the study (when chosen) is looked up in the workspace, and the preview is posted to the person who asked. */
export async function previewMessage(ctx: BotContext, reply: Reply, actor: Actor, input: { groupId: string; body: string; studyId: string | null; channelId: string | null }): Promise<void> {
  let study: MessageStudy | null = null;
  if (input.studyId) {
    const found = await ctx.studyDirectory.resolve(input.studyId);
    if (found.kind !== 'found') {
      await reply(notice(FORM_ENDINGS.messageStudyGone, ':mag:'));
      return;
    }
    study = { id: found.item.id, name: found.item.name };
  }
  const preview = await ctx.messages.preview({ groupId: input.groupId, body: input.body, study, actor, channelId: input.channelId });
  await reply(renderMessagePreview(preview));
}

/** Tells the sender how the send ended, and the channels when a message was, or may have been, sent. */
export async function reportSendResult(ctx: BotContext, reply: Reply, result: SendResult): Promise<void> {
  if (result.kind === 'refused') {
    // A new message, so it never hides the outcome another click is about to show.
    await reply(renderSendRefused(result.reason));
    return;
  }
  await reply(renderSendResult(result), { replaceOriginal: true });
  if ((result.kind === 'sent' && !result.unrecorded) || result.kind === 'may_have_been_sent') await ctx.announcer.deliverChange(result.operation.id);
}

/** The preview's danger button: sends once, and only for someone who may message participants. */
export async function sendMessage(ctx: BotContext, reply: Reply, actor: RequestActor, operationId: string): Promise<void> {
  if (await refuseMessage(actor, reply)) return;
  await reportSendResult(ctx, reply, await ctx.messages.send(operationId, actor));
}

export async function cancelMessage(ctx: BotContext, reply: Reply, actor: Actor, operationId: string): Promise<void> {
  const result = await ctx.messages.cancel(operationId, actor);
  if (result.ok) await reply(renderMessageCancelled(result.operation), { replaceOriginal: true });
  else await reply(renderSendRefused(result.reason));
}
