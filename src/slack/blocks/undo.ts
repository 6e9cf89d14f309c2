// The words of taking a change back: Undo (revert that one change), Restore to before a change,
// Recreate a deleted group, and what is said when there is nothing to take back.
import type { KnownBlock } from '@slack/types';
import type { ChangeFact, GroupDeletion, LaterChanges } from '../../services/changes';
import { operationDetails } from '../../services/changes';
import type { Operation } from '../../store/types';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, mentionUser, plural, slackDate } from '../mrkdwn';
import { actions, button, type SlackMessage, section } from './message';

const ACTION_NOUN: Record<string, string> = {
  create: 'creation',
  rename: 'rename',
  add: 'add',
  remove: 'removal',
  replace: 'replace',
  undo: 'undo',
  delete: 'deletion',
  recreate: 'recreation',
};

function when(at: string): string {
  return slackDate(new Date(at), '{date_short_pretty} {time}');
}

function moved(added: number, removed: number): string {
  return `+${formatCount(added)} / −${formatCount(removed)}`;
}

/** "@Alice’s add (pilot.csv) of 3 Dec 14:02: +4 / −0", one applied change in a line (without what it did: `counts` false). */
export function changeLine(fact: ChangeFact, counts = true): string {
  const source = fact.sourceLabel ? ` (${escapeMrkdwn(fact.sourceLabel)})` : '';
  const what = [fact.added || fact.removed ? moved(fact.added, fact.removed) : '', fact.renamedTo ? `renamed to ${bold(fact.renamedTo)}` : ''].filter(Boolean).join(', ');
  return `${mentionUser(fact.userId)}’s ${ACTION_NOUN[fact.action] ?? escapeMrkdwn(fact.action)}${source} of ${when(fact.at)}${counts && what ? `: ${what}` : ''}`;
}

/** The later changes as bullet lines, with those not made through the app last. */
function laterLines(later: LaterChanges): string[] {
  const lines = later.app.map((fact) => `• ${changeLine(fact)}`);
  if (later.more) lines.push(`• …and ${plural(later.more, 'more change')} through this app`);
  if (later.outside && (later.outside.added || later.outside.removed)) {
    lines.push(`• not through this app (feeder studies, Prolific’s site): ${moved(later.outside.added, later.outside.removed)}`);
  }
  return lines;
}

function laterCount(later: LaterChanges): number {
  return later.app.length + later.more + (later.outside && (later.outside.added || later.outside.removed) ? 1 : 0);
}

/** The headline of an undo preview. */
export function undoQuestion(op: Operation): string {
  const d = operationDetails(op);
  if (d.undoMode === 'restore') return `*Restore* ${bold(op.groupName)} *to before this change?*`;
  if (d.undoMode === 'revert') return `*Undo this change to* ${bold(op.groupName)}?`;
  return `*Undo the last change to* ${bold(op.groupName)}?`;
}

/** What an undo preview takes back and what happens to the changes made since. */
export function undoBlocks(op: Operation): KnownBlock[] {
  const d = operationDetails(op);
  if (!d.undoing) return [];
  const s = d.summary;
  const later = d.laterChanges ?? { app: [], more: 0, outside: null };
  const count = laterCount(later);
  const blocks: KnownBlock[] = [];
  if (d.undoMode === 'revert') {
    // What this undo writes, removals first: "−4 / +0" takes back an add of 4.
    const effect = [s ? `−${formatCount(s.toRemove)} / +${formatCount(s.toAdd)}` : '', d.restoreName && op.newName ? `name back to ${bold(op.newName)}` : ''].filter(Boolean).join(', ');
    blocks.push(section(`:leftwards_arrow_with_hook: Reverts ${changeLine(d.undoing, false)}: ${effect}.`));
    if (count) blocks.push(section(`*${plural(count, 'later change')} to this group ${count === 1 ? 'is' : 'are'} kept:*\n${laterLines(later).join('\n')}`));
  } else {
    blocks.push(section(`Goes back to the group as it was before ${changeLine(d.undoing, false)}.`));
    if (count) blocks.push(section(`:rotating_light: *This also undoes ${plural(count, 'later change')}:*\n${laterLines(later).join('\n')}`));
  }
  return blocks;
}

/** The undo preview's second action: going back to before the change, whole, in its own preview. */
export function restoreButton(op: Operation) {
  const d = operationDetails(op);
  return d.undoMode === 'revert' && d.undoOf && op.snapshotId ? [button('Restore to before this change…', ACTIONS.restoreOperation, d.undoOf)] : [];
}

/** What an applied undo did, after "you" or a mention. */
export function undoSentence(op: Operation, name: string): string {
  const d = operationDetails(op);
  if (d.undoMode === 'revert' && d.undoing) return `undid ${changeLine(d.undoing, false)} on ${bold(name)}`;
  if (d.undoMode === 'restore' && d.undoing) return `restored ${bold(name)} to before ${changeLine(d.undoing, false)}`;
  return `undid the last change to ${bold(name)}`;
}

/** An Undo clicked on a change that was taken back already. */
export function renderAlreadyReverted(by: ChangeFact): SlackMessage {
  const text = `This change was already undone by ${mentionUser(by.userId)} ${when(by.at)}. Nothing was written.`;
  return { text: `This change was already undone by <@${by.userId}>. Nothing was written.`, blocks: [section(`:information_source: ${text}`)] };
}

/** A message about a group the app deleted: by whom and when, and Recreate (or what it was recreated as). */
export function renderGroupDeleted(deletion: GroupDeletion): SlackMessage {
  const who = `${mentionUser(deletion.userId)} ${slackDate(deletion.at, '{date_short_pretty} {time}')}`;
  const lines = [`:wastebasket: ${bold(deletion.groupName)} ${code(deletion.groupId)} was deleted by ${who}${deletion.memberCount ? ` (it had ${plural(deletion.memberCount, 'member')})` : ''}. Nothing was written.`];
  const buttons = [];
  if (deletion.recreatedAs) {
    lines.push(`It was recreated as ${code(deletion.recreatedAs.groupId)} by ${mentionUser(deletion.recreatedAs.userId)} ${slackDate(deletion.recreatedAs.at, '{date_short_pretty} {time}')}.`);
    buttons.push(button('Show the new group', ACTIONS.showGroup, deletion.recreatedAs.groupId));
  } else if (deletion.operationId) {
    lines.push('*Recreate* previews a new group with the same name, description and members (it gets a new id).');
    buttons.push(button('Recreate…', ACTIONS.recreateGroup, deletion.operationId, { style: 'primary' }));
  }
  lines.push(`Its history: \`/pgroup history ${deletion.groupId}\``);
  return {
    text: `${escapeMrkdwn(deletion.groupName)} was deleted by <@${deletion.userId}>. Nothing was written.`,
    blocks: [section(lines.join('\n')), ...(buttons.length ? [actions('deleted_group', buttons)] : [])],
  };
}

/** The recreate preview's warning: a new id, which studies must be pointed at. */
export function recreateBlocks(op: Operation): KnownBlock[] {
  const d = operationDetails(op);
  return [
    section(
      `:information_source: *This makes a new group with a new id.* ${bold(op.groupName)} ${code(op.groupId)} was deleted; Prolific never gives an id back, so studies that used the old group must be pointed at the new one.`,
    ),
    section(`Name: ${bold(op.newName ?? op.groupName)}\nDescription: ${d.description ? escapeMrkdwn(d.description) : '–'}`),
  ];
}

/** The Recreate button on a delete's outcome and notification. */
export function recreateButton(deleteOperationId: string) {
  return button('Recreate…', ACTIONS.recreateGroup, deleteOperationId);
}

/** A snapshot that was pruned: how long snapshots are kept, and what still works. */
export function snapshotGoneText(retentionDays: number | null): string {
  const kept = retentionDays ? `The app keeps a group’s snapshot for ${plural(retentionDays, 'day')}, and this one is gone` : 'Its snapshot is gone';
  return `${kept}, so the group cannot be restored or recreated as it was. Undo, which takes back just this change, still works from the change’s message. Nothing was written.`;
}

