import { FORM_TITLES } from '../blocks/formWords';
import type { WebClient } from '@slack/web-api';
import type { RequestActor } from '../../services/actor';
import { type ModalContext, modalContextFits, renderUploadModal } from '../blocks/modals';
import { changeRefusalText } from '../blocks/permissions';
import { renderNothingToAddModal, renderShortcutRefusalModal, renderTooManyIdsModal } from '../blocks/shortcuts';
import { readShortcutMessage, type ShortcutMessagePayload } from '../shortcutMessage';
import type { BotContext } from './botContext';
import { openGroupModal } from './modalFlows';

// Room kept in private_metadata for Slack's link to the message, fetched once the form is open.
const PERMALINK_ALLOWANCE = `https://${'w'.repeat(40)}.slack.com/archives/C0123456789/p1234567890123456?thread_ts=1234567890.123456`;

/**
 * "Add to a participant group…" on a message: the message's first CSV, TSV or TXT file, else the ids
 * in its text, become the source of the upload form, where the person picks the group and the mode.
 * The usual preview and confirmation follow; nothing is written before them.
 */
export async function openMessageShortcut(ctx: BotContext, client: WebClient, actor: RequestActor, triggerId: string, payload: ShortcutMessagePayload): Promise<void> {
  const refusal = actor.permissions.change;
  if (refusal) {
    await client.views.open({ trigger_id: triggerId, view: renderShortcutRefusalModal(changeRefusalText(refusal, actor.permissions.helpers, true)) });
    return;
  }
  const read = readShortcutMessage(payload);
  if (read.kind === 'nothing') {
    await client.views.open({ trigger_id: triggerId, view: renderNothingToAddModal(read) });
    return;
  }
  const modal: ModalContext = { channelId: payload.channelId, groupId: null, currentName: null, message: read.source };
  if (!modalContextFits({ ...modal, message: { ...read.source, permalink: PERMALINK_ALLOWANCE } })) {
    await client.views.open({ trigger_id: triggerId, view: renderTooManyIdsModal(read.source.text?.ids.length ?? 0) });
    return;
  }
  let permalink: string | null = null;
  await openGroupModal(
    client,
    triggerId,
    FORM_TITLES.fromMessage,
    (groups) => renderUploadModal(groups, null, { ...modal, message: { ...read.source, permalink } }),
    async () => {
      const [groups, link] = await Promise.all([
        ctx.groups.list(),
        // Without the link the form still works; the source then names the message without it.
        client.chat.getPermalink({ channel: payload.channelId, message_ts: read.source.ts }).then(
          (answer) => answer.permalink ?? null,
          () => null,
        ),
      ]);
      permalink = link;
      return { groups, selected: null };
    },
  );
}
