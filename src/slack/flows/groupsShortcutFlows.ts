import { FORM_STATUS } from '../blocks/formWords';
import type { WebClient } from '@slack/web-api';
import type { RequestActor } from '../../services/actor';
import { groupNameProblemText } from '../blocks/groupNames';
import { renderCreateGroupModal, renderGroupsModal } from '../blocks/groupsShortcut';
import { recentGroups } from '../../services/recentGroups';
import { describeFailure } from '../blocks/failures';
import { renderUploadStatusModal } from '../blocks/modals';
import { changeRefusalText } from '../blocks/permissions';
import type { Reply } from '../replies';
import type { BotContext } from './botContext';
import { createGroup } from './groupFlows';

async function groupsModal(ctx: BotContext, userId: string, selectedId: string | null) {
  const groups = await ctx.groups.list();
  const recent = await recentGroups(ctx.store, userId, groups).catch((err) => {
    // The history is a convenience here: without it the modal still finds every group.
    ctx.logger.warn('reading the recent groups failed:', err instanceof Error ? err.message : err);
    return [];
  });
  return renderGroupsModal(groups, recent, groups.find((g) => g.id === selectedId) ?? null);
}

/** "Participant groups" from the shortcuts menu: a light view at once, then the groups. */
export async function openGroupsShortcut(ctx: BotContext, client: WebClient, triggerId: string, userId: string): Promise<void> {
  const opened = await client.views.open({ trigger_id: triggerId, view: renderUploadStatusModal(FORM_STATUS.loadingGroups) });
  const viewId = opened.view?.id ?? '';
  try {
    await client.views.update({ view_id: viewId, view: await groupsModal(ctx, userId, null) });
  } catch (err) {
    await client.views.update({ view_id: viewId, view: renderUploadStatusModal(describeFailure(err), ':x:') }).catch(() => undefined);
    throw err;
  }
}

/** A group chosen in the modal (the search or a recent one): the modal shows it with its buttons. */
export async function selectInGroupsModal(ctx: BotContext, client: WebClient, viewId: string, userId: string, groupId: string): Promise<void> {
  await client.views.update({ view_id: viewId, view: await groupsModal(ctx, userId, groupId) });
}

export async function pushCreateGroup(client: WebClient, triggerId: string): Promise<void> {
  await client.views.push({ trigger_id: triggerId, view: renderCreateGroupModal() });
}

/** The create form's checks before the ack: the name, and whether the person may change groups. */
export function checkCreateSubmission(actor: RequestActor, name: string): { errors: Record<string, string> } | { name: string } {
  const refusal = actor.permissions.change;
  if (refusal) return { errors: { name: changeRefusalText(refusal, actor.permissions.helpers, true) } };
  const problem = groupNameProblemText(name);
  if (problem) return { errors: { name: problem } };
  return { name: name.trim() };
}

export async function applyCreateSubmission(ctx: BotContext, reply: Reply, actor: RequestActor, name: string, description: string | null): Promise<void> {
  await createGroup(ctx, reply, actor, name, description);
}
