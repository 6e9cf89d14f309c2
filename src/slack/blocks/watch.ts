import type { KnownBlock } from '@slack/types';
import type { HomeView } from '@slack/types';
import type { WatchedChange } from '../../services/groupWatcher';
import type { WatchedGroupSummary } from '../../services/watchList';
import type { HomeWorkspaceFacts } from '../../services/workspaces';
import type { AuditEntry } from '../../store/types';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, plural, slackDate } from '../mrkdwn';
import { describeAuditEntry } from './history';
import { actions, button, context, divider, header, section, type ThreadedNotice } from './message';
import { homeWorkspaceBlocks } from './workspaces';

function ids(list: string[], total: number): string {
  const shown = list.map((id) => code(id)).join(', ');
  return total > list.length ? `${shown} …and ${formatCount(total - list.length)} more` : shown;
}

/**
 * One notification per group per polling round, whatever made the changes: a short top-level post
 * (what changed, the counts, the likely cause, Show group) and, with `showIds` (NOTIFY_SHOW_IDS=true),
 * samples of the ids that joined and left in a reply in its thread. Posted for a whole channel, so
 * participant ids appear only then, and never on the top line.
 */
export function renderWatchNotification(change: WatchedChange, { showIds }: { showIds: boolean }): ThreadedNotice {
  const lines: string[] = [];
  const samples: string[] = [];
  if (change.deleted) {
    lines.push(`:wastebasket: ${bold(change.name)} was deleted (it had ${plural(change.previousCount, 'member')}).`);
  } else {
    if (change.renamedFrom !== null) {
      // A rename alone still says how many members the group has.
      const count = change.added || change.removed ? '' : ` It has ${plural(change.count, 'member')}.`;
      lines.push(`:pencil2: ${bold(change.renamedFrom)} was renamed to ${bold(change.name)}.${count}`);
    }
    if (change.added || change.removed) {
      lines.push(`:busts_in_silhouette: ${bold(change.name)}: +${formatCount(change.added)} / −${formatCount(change.removed)} · now ${plural(change.count, 'member')} (was ${formatCount(change.previousCount)}).`);
      if (showIds && change.sampleAdded.length) samples.push(`*Joined:* ${ids(change.sampleAdded, change.added)}`);
      if (showIds && change.sampleRemoved.length) samples.push(`*Left:* ${ids(change.sampleRemoved, change.removed)}`);
    }
  }
  return {
    top: {
      text: change.deleted
        ? `${escapeMrkdwn(change.name)} was deleted`
        : change.renamedFrom !== null && !change.added && !change.removed
          ? `${escapeMrkdwn(change.renamedFrom)} was renamed to ${escapeMrkdwn(change.name)}`
          : `${escapeMrkdwn(change.name)} changed: +${formatCount(change.added)} / −${formatCount(change.removed)}`,
      blocks: [
        section(lines.join('\n')),
        context(`${change.likelyCause ? `Cause: ${escapeMrkdwn(change.likelyCause)}. ` : 'Changed outside this app. '}Group ${code(change.groupId)}`),
        ...(change.deleted ? [] : [actions('watch_actions', [button('Show group', ACTIONS.showGroup, change.groupId)])]),
      ],
    },
    threadReply: samples.length
      ? { text: `Who joined and left ${escapeMrkdwn(change.name)}`, blocks: [section(samples.join('\n')), context(`Group ${code(change.groupId)} · \`/pgroup show ${change.groupId}\``)] }
      : null,
  };
}

export const HOME_GROUPS_PER_PAGE = 20;
const HOME_AUDIT_ENTRIES = 10;

/**
 * The App Home tab: watched groups with counts and last change, the latest changes, and shortcuts.
 * `workspaces`: given when the app serves several; the tab then says which one the person works in
 * from here, with buttons to choose, and offers the upload and rename forms only once there is one.
 */
export function renderHome(watched: WatchedGroupSummary[], audit: AuditEntry[], page: number, workspaces: HomeWorkspaceFacts | null = null): HomeView {
  const byGroup = new Map<string, WatchedGroupSummary & { channels: string[] }>();
  for (const w of watched) {
    const seen = byGroup.get(w.subscription.groupId);
    if (seen) seen.channels.push(w.subscription.channelId);
    else byGroup.set(w.subscription.groupId, { ...w, channels: [w.subscription.channelId] });
  }
  const groups = [...byGroup.values()].sort((a, b) => (a.state?.name || a.subscription.groupName).localeCompare(b.state?.name || b.subscription.groupName));
  const pages = Math.max(1, Math.ceil(groups.length / HOME_GROUPS_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const blocks: KnownBlock[] = [header('Prolific participant groups')];
  if (workspaces && workspaces.served.length > 1) blocks.push(...homeWorkspaceBlocks(workspaces));
  // The forms need a workspace: without one, the question above comes first.
  if (!workspaces || workspaces.current) {
    blocks.push(
      actions('home_shortcuts', [button('Upload a CSV', ACTIONS.openUpload, undefined, { style: 'primary' }), button('Rename a group', ACTIONS.openRename)]),
    );
  }
  blocks.push(
    divider(),
    section(`*Watched groups* (${formatCount(groups.length)})`),
  );
  if (!groups.length) {
    blocks.push(context('No channel watches a group yet. In a channel, type `/pgroup watch &lt;group&gt;` to hear about every change to it.'));
  }
  for (const g of groups.slice(current * HOME_GROUPS_PER_PAGE, (current + 1) * HOME_GROUPS_PER_PAGE)) {
    const s = g.state;
    const name = s?.name || g.subscription.groupName;
    // Before the watcher's first look at the group there is no count to show: only that no change was seen.
    const count = s ? ` · ${s.isDeleted ? 'deleted' : plural(s.participantCount, 'member')}` : '';
    const last = s?.lastChangeAt ? `last change ${slackDate(s.lastChangeAt, '{date_short_pretty} {time}')}: ${escapeMrkdwn(s.lastChangeSummary ?? '')}` : 'no change seen yet';
    blocks.push(section(`${bold(name)}${count}\n${last} · in ${g.channels.slice(0, 5).map((c) => `<#${c}>`).join(' ')}`, button('Show', ACTIONS.showGroup, g.subscription.groupId)));
  }
  if (pages > 1) {
    const nav = [];
    if (current > 0) nav.push(button('‹ Previous', `${ACTIONS.homePage}:prev`, String(current - 1)));
    if (current < pages - 1) nav.push(button('Next ›', `${ACTIONS.homePage}:next`, String(current + 1)));
    blocks.push(context(`Page ${current + 1} of ${pages}`), actions('home_nav', nav));
  }
  blocks.push(divider(), section('*Latest changes*'));
  // Changes across the team's groups: each names its group, in a section of its own (no entry can crowd out the rest).
  if (!audit.length) blocks.push(context('No changes have been made through this app yet.'));
  for (const e of audit.slice(0, HOME_AUDIT_ENTRIES)) blocks.push(section(`${bold(e.afterName || e.groupName)} ${code(e.groupId)}\n${describeAuditEntry(e)}`));
  return { type: 'home', blocks };
}
