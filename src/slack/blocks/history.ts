import type { KnownBlock } from '@slack/types';
import type { ParticipantGroup } from '../../prolific/types';
import type { GroupMessage } from '../../services/groupMessages';
import type { GroupDeletion } from '../../services/changes';
import type { HistoryEntry, NotificationFact } from '../../services/groups';
import type { AuditEntry } from '../../store/types';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, mentionUser, slackDate } from '../mrkdwn';
import { describeMessage } from './groupMessages';
import { actions, button, context, type SlackMessage, section } from './message';

export const HISTORY_PAGE_SIZE = 10;

const OUTCOME_EMOJI: Record<string, string> = {
  applied: ':white_check_mark:',
  failed: ':x:',
  partial: ':warning:',
  unknown: ':grey_question:',
  refused: ':no_entry:',
};

export function describeAuditEntry(e: AuditEntry & { message?: GroupMessage }): string {
  if (e.action === 'export') {
    // Who was sent the member ids, and how many: the trail of personal data leaving the app.
    return `:outbox_tray: *export* by ${mentionUser(e.slackUserId)} ${slackDate(e.at, '{date_short_pretty} {time}')} · ${formatCount(e.afterCount ?? 0)} ids, as a file in their direct messages`;
  }
  const counts =
    e.beforeCount !== null && e.afterCount !== null
      ? ` · ${formatCount(e.beforeCount)} → ${formatCount(e.afterCount)} (+${formatCount(e.added)} / −${formatCount(e.removed)})`
      : '';
  const renamed = e.beforeName && e.afterName && e.beforeName !== e.afterName ? ` · ${escapeMrkdwn(e.beforeName)} → ${escapeMrkdwn(e.afterName)}` : '';
  const when = slackDate(e.at, '{date_short_pretty} {time}');
  const error = e.error ? `\n      ${escapeMrkdwn(e.error)}` : '';
  const message = e.message ? describeMessage(e.message) : '';
  const forgotten = e.subjectHash ? ` · a participant who asked to be forgotten (hash ${code(e.subjectHash.slice(0, 12))}; the id is not kept)` : '';
  // A workflow step acts for the person the workflow names (a claim of its builder): never said as if they did it themselves.
  const who = e.workflowRun ? `via Workflow Builder, on behalf of ${mentionUser(e.slackUserId)}` : `by ${mentionUser(e.slackUserId)}`;
  const run = e.workflowRun ? ` · run ${code(e.workflowRun)}` : '';
  return `${OUTCOME_EMOJI[e.outcome] ?? ''} *${escapeMrkdwn(e.action)}* ${who} ${when}${renamed}${counts}${message}${forgotten}${run}${e.outcome !== 'applied' ? ` · ${e.outcome}` : ''}${error}`;
}

/**
 * A notification of the change that was not delivered, in a line: one that may have been posted
 * (Slack failed after it may have posted it, or the app stopped while posting it) is not posted
 * again, so the history says so.
 */
export function describeNotification(n: NotificationFact): string | null {
  const channel = /^[CGD][A-Z0-9_]+$/.test(n.channelId) ? `<#${n.channelId}>` : code(n.channelId);
  const why = n.error ? code(n.error) : null;
  switch (n.status) {
    case 'delivered':
      return null;
    case 'unknown':
      return n.error === 'stopped_while_posting'
        ? `:grey_question: The notification to ${channel} may not have been delivered: the app stopped while posting it. It was not posted again.`
        : `:grey_question: The notification to ${channel} may not have been delivered: Slack answered with an error${why ? ` (${why})` : ''} after it may have posted it. It was not posted again.`;
    case 'failed':
      return `:warning: The notification to ${channel} could not be posted${why ? `: Slack said ${why}` : ''}.`;
    default:
      return `:hourglass_flowing_sand: The notification to ${channel} has not been posted yet.`;
  }
}

/**
 * `entries` holds one more than a page when there is a next page. `deletion`: the group was deleted
 * through the app, and this is its history from the app's records (the deletion is the newest entry).
 */
export function renderHistory(
  group: Pick<ParticipantGroup, 'id' | 'name'>,
  entries: (AuditEntry & Partial<Pick<HistoryEntry, 'notifications' | 'message'>>)[],
  page: number,
  deletion: GroupDeletion | null = null,
  /** Named when the app serves several workspaces. */
  workspaceTitle: string | null = null,
): SlackMessage {
  const shown = entries.slice(0, HISTORY_PAGE_SIZE);
  const blocks: KnownBlock[] = [section(`*History of* ${bold(group.name)} ${code(group.id)}${workspaceTitle ? ` in the Prolific workspace ${bold(workspaceTitle)}` : ''}, newest first`)];
  if (deletion) {
    const recreated = deletion.recreatedAs ? ` It was recreated as ${code(deletion.recreatedAs.groupId)}.` : '';
    blocks.push(
      section(
        `:wastebasket: This group was deleted by ${mentionUser(deletion.userId)} ${slackDate(deletion.at, '{date_short_pretty} {time}')}; this is the app’s record of it.${recreated}`,
        ...(deletion.operationId && !deletion.recreatedAs ? [button('Recreate…', ACTIONS.recreateGroup, deletion.operationId)] : []),
      ),
    );
  }
  if (!shown.length) {
    blocks.push(section(page === 0 ? 'No changes have been made through this app yet.' : 'No older changes.'));
  } else {
    // One section per entry: a long entry is cut within its own section and cannot hide the others.
    for (const entry of shown) {
      const notes = (entry.notifications ?? []).flatMap((n) => describeNotification(n) ?? []);
      blocks.push(section([describeAuditEntry(entry), ...notes.map((note) => `      ${note}`)].join('\n')));
    }
  }
  const nav = [];
  if (page > 0) nav.push(button('‹ Newer', `${ACTIONS.historyPage}:newer`, JSON.stringify({ groupId: group.id, page: page - 1 })));
  if (entries.length > HISTORY_PAGE_SIZE) nav.push(button('Older ›', `${ACTIONS.historyPage}:older`, JSON.stringify({ groupId: group.id, page: page + 1 })));
  if (nav.length) blocks.push(context(`Page ${page + 1}`), actions('history_nav', nav));
  return { text: `History of ${escapeMrkdwn(group.name)}`, blocks };
}
