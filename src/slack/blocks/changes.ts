// The words of a change before it is applied: its preview, a refusal, a cancellation and the stale
// answer. The outcome and the channel notification are in appliedChange.ts.
import type { ParticipantGroup } from '../../prolific/types';
import type { KnownBlock } from '@slack/types';
import { type ConfirmResult, needsTypedName, operationDetails, type PlanSummary, type RefusalReason } from '../../services/changes';
import type { Operation, OperationKind } from '../../store/types';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, link, mentionUser, plural, slackDate, truncate } from '../mrkdwn';
import { actions, button, context, fields, type SlackMessage, section, } from './message';
import { exportChoiceBlocks } from './uploadQuestions';
import { renderStudyWarnings, studyName, studyState, submissionLines } from './studies';
import { recreateBlocks, restoreButton, snapshotGoneText, undoBlocks, undoQuestion, } from './undo';

const VERB: Record<OperationKind, string> = {
  replace: 'Replace all members of',
  add: 'Add members to',
  remove: 'Remove members from',
  rename: 'Rename',
  undo: 'Undo a change to',
  delete: 'Delete',
  // Messages have their own renderers (groupMessages.ts); this is for a generic line only.
  message: 'Message the members of',
  recreate: 'Recreate',
};

/** Sample ids as code, then how many more there are. */
export function idList(ids: string[], total: number): string {
  if (!ids.length) return '–';
  const shown = ids.map((id) => code(id)).join(', ');
  return total > ids.length ? `${shown} …and ${formatCount(total - ids.length)} more` : shown;
}

/** Member counts before and after, with what was added and removed. */
export function countChange(before: number, after: number, added: number, removed: number): string {
  return `${formatCount(before)} → ${formatCount(after)} (+${formatCount(added)} / −${formatCount(removed)})`;
}

function expiryNote(op: Operation): string {
  return `Nothing has been written yet. This preview expires ${slackDate(op.expiresAt, '{time}', `at ${op.expiresAt.toISOString().slice(11, 16)} UTC`)}.`;
}

/** The message the ids came from: `, in a message by @author` with Slack's link to it. */
function messageOrigin(message: { authorId: string; permalink: string | null }): string {
  return `, in ${link(message.permalink, 'a message')}${message.authorId ? ` by ${mentionUser(message.authorId)}` : ''}`;
}

function sourceBlocks(op: Operation): KnownBlock[] {
  const source = operationDetails(op).source;
  if (!source) return [];
  const lines = [
    source.group
      ? `*Source:* group ${bold(source.group.name)} (${plural(source.group.count, 'member')}, ${code(source.group.id)}), read again when you confirm`
      : `*Source:* ${escapeMrkdwn(source.label)}${source.message ? messageOrigin(source.message) : ''}`,
  ];
  if (source.submissions) lines.push(...submissionLines(source.submissions));
  if (source.note) lines.push(`:information_source: ${escapeMrkdwn(source.note)}`);
  if (source.duplicateCount) lines.push(`${plural(source.duplicateCount, 'duplicate id')} dropped.`);
  if (source.invalidCount) {
    const rows = source.invalid
      .slice(0, 10)
      .map((r) => `• ${r.line ? `line ${r.line}: ` : ''}${code(r.value)}`)
      .join('\n');
    const more = source.invalidCount - Math.min(10, source.invalid.length);
    lines.push(`:warning: ${plural(source.invalidCount, 'invalid id')} skipped (an id is 24 characters, 0–9 and a–f):\n${rows}${more > 0 ? `\n…and ${formatCount(more)} more` : ''}`);
  }
  return [section(lines.join('\n')), ...(op.kind === 'replace' || op.kind === 'add' || op.kind === 'remove' ? exportChoiceBlocks(source, op.groupId, op.kind) : [])];
}

/** "28 of the 40 current members will be removed, 188 added, 12 stay." */
export function replaceSentence(s: PlanSummary): string {
  const removed = s.currentTotal === 0 ? 'The group has no members now' : `${formatCount(s.toRemove)} of the ${plural(s.currentTotal, 'current member')} will be removed`;
  return `${removed}, ${formatCount(s.toAdd)} added, ${formatCount(s.unchanged)} ${s.unchanged === 1 ? 'stays' : 'stay'}.`;
}

/** The confirm button says what it writes. */
function confirmButtonText(op: Operation, s: PlanSummary | null): string {
  switch (op.kind) {
    case 'replace':
      return `Replace with ${plural(s?.newTotal ?? 0, 'id')}`;
    case 'add':
      return `Add ${plural(s?.toAdd ?? 0, 'member')}`;
    case 'remove':
      return `Remove ${plural(s?.toRemove ?? 0, 'member')}`;
    case 'rename':
      return 'Rename';
    case 'undo':
      return operationDetails(op).undoMode === 'revert' ? 'Undo this change' : 'Restore';
    case 'delete':
      return 'Delete group';
    case 'message':
      return 'Send';
    case 'recreate':
      return `Recreate with ${plural(s?.newTotal ?? 0, 'member')}`;
  }
}

function hasEffect(op: Operation, s: PlanSummary | null): boolean {
  if (op.kind === 'rename' || op.kind === 'delete' || op.kind === 'recreate') return true;
  const d = operationDetails(op);
  if (op.kind === 'undo' && d.restoreName && op.newName !== op.baselineName) return true;
  return Boolean(s && (s.toAdd > 0 || s.toRemove > 0));
}

/** Why a change the user might expect to be applied at once is shown as a preview. */
export interface PreviewNote {
  /** The group was found from part of its name: what the user typed for it. */
  typedGroup?: string;
  /** A rename: the other groups that already have the new name. */
  nameTakenBy?: Pick<ParticipantGroup, 'id' | 'name' | 'participant_count'>[];
}

/** The preview of a pending operation: what will change, and the buttons to do it or not. */
export function renderPreview(op: Operation, note: PreviewNote = {}): SlackMessage {
  const d = operationDetails(op);
  const s = d.summary;
  const name = bold(op.groupName);
  const other = d.source?.group ?? null;
  const title =
    other?.mode === 'keep'
      ? `*Keep only the members of* ${name} *who are also in* ${bold(other.name)}?`
      : other
        ? `*${VERB[op.kind]}* ${name} *from the group* ${bold(other.name)}?`
        : op.kind === 'undo'
          ? undoQuestion(op)
          : `*${VERB[op.kind]}* ${name}?`;
  const blocks: KnownBlock[] = [section(title)];
  if (note.typedGroup !== undefined) {
    blocks.push(context(`You typed ${code(note.typedGroup)}, which matched ${name}: check it is the group you meant.`));
  }
  if (note.nameTakenBy?.length) {
    const others = note.nameTakenBy.slice(0, 5).map((g) => `${bold(g.name)} ${code(`…${g.id.slice(-6)}`)} (${plural(g.participant_count, 'member')})`);
    blocks.push(section(`:warning: Another group already has this name: ${others.join(', ')}. Two groups with one name are easy to mix up in studies and commands.`));
  }
  // The studies a change may affect come first, above the counts.
  blocks.push(...renderStudyWarnings(d.studies, op.kind === 'delete' ? 'delete' : 'membership', s));
  if (op.kind === 'undo') blocks.push(...undoBlocks(op));
  if (op.kind === 'recreate') blocks.push(...recreateBlocks(op));

  if (op.kind === 'replace' && s) {
    blocks.push(
      section(
        `:rotating_light: *${replaceSentence(s)}* The group will have exactly the ${plural(s.newTotal, 'id')} ${other ? `of ${bold(other.name)}` : 'from your list'}.`,
      ),
    );
  }
  if (op.kind === 'delete') {
    blocks.push(
      section(
        `:rotating_light: *The group and its ${plural(s?.currentTotal ?? 0, 'member')} will be deleted.* Studies that use it will lose it. The app keeps its name, description and members for a while: *Recreate* can then make a new group from them, with a new id.`,
      ),
    );
  }
  if (op.kind === 'rename' || (op.kind === 'undo' && d.restoreName && op.newName)) {
    blocks.push(section(`Name: ${bold(op.baselineName)} → ${bold(op.newName ?? op.baselineName)}`));
  }
  if ((op.kind === 'undo' || op.kind === 'recreate') && d.forgottenInSnapshot) {
    blocks.push(
      section(
        `:information_source: ${plural(d.forgottenInSnapshot, 'participant')} in this snapshot asked to be forgotten and ${d.forgottenInSnapshot === 1 ? 'was' : 'were'} taken out of it: this cannot bring ${d.forgottenInSnapshot === 1 ? 'them' : 'them'} back.`,
      ),
    );
  }
  if (s && op.kind !== 'delete' && op.kind !== 'recreate') {
    blocks.push(
      fields([
        ['Members now', formatCount(s.currentTotal)],
        ['Members after', formatCount(s.newTotal)],
        ['To add', formatCount(s.toAdd)],
        ['To remove', formatCount(s.toRemove)],
        ['Unchanged', formatCount(s.unchanged)],
        ...(op.kind === 'add' && s.alreadyPresent ? ([['Already members', formatCount(s.alreadyPresent)]] as [string, string][]) : []),
        ...(op.kind === 'remove' && s.notPresent ? ([['Not members', formatCount(s.notPresent)]] as [string, string][]) : []),
        ...(other ? ([[`Members of ${truncate(other.name, 60)}`, formatCount(other.count)]] as [string, string][]) : []),
      ]),
    );
    const samples = [];
    if (s.toAdd) samples.push(`*Will be added:* ${idList(s.sampleAdd, s.toAdd)}`);
    if (s.toRemove) samples.push(`*Will be removed:* ${idList(s.sampleRemove, s.toRemove)}`);
    if (samples.length) blocks.push(section(samples.join('\n')));
  }
  blocks.push(...sourceBlocks(op));

  const effect = hasEffect(op, s);
  const destructive = op.kind === 'replace' || op.kind === 'remove' || op.kind === 'delete' || (op.kind === 'undo' && (s?.toRemove ?? 0) > 0);
  if (effect && needsTypedName(op)) {
    // Like deleting a repository on GitHub: the name is typed in a form the button opens.
    blocks.push(context(`${expiryNote(op)} To delete it, you will type the group’s name.`));
    blocks.push(
      actions('operation', [
        button('Delete group…', ACTIONS.confirmTypedName, op.id, { style: 'danger' }),
        button('Cancel', ACTIONS.cancelOperation, op.id),
      ]),
    );
  } else if (effect) {
    blocks.push(context(expiryNote(op)));
    blocks.push(
      actions('operation', [
        button(confirmButtonText(op, s), ACTIONS.confirmOperation, op.id, {
          style: destructive ? 'danger' : 'primary',
          ...(destructive
            ? {
                confirm: {
                  title: op.kind === 'delete' ? 'Delete this group?' : 'Change the group now?',
                  text:
                    op.kind === 'delete'
                      ? `${escapeMrkdwn(op.groupName)} will be deleted from Prolific.`
                      : `${formatCount(s?.toRemove ?? 0)} participants will be removed from ${escapeMrkdwn(op.groupName)} and ${formatCount(s?.toAdd ?? 0)} added. You can undo it afterwards.`,
                  confirm: confirmButtonText(op, s),
                },
              }
            : {}),
        }),
        ...restoreButton(op),
        button('Cancel', ACTIONS.cancelOperation, op.id),
      ]),
    );
  } else {
    blocks.push(section(':information_source: Nothing would change: the group already matches. Nothing was written.'));
    blocks.push(actions('operation', [button('Dismiss', ACTIONS.cancelOperation, op.id)]));
  }
  return { text: `${VERB[op.kind]} ${escapeMrkdwn(op.groupName)}? Review the preview before confirming.`, blocks };
}

const REFUSALS: Record<RefusalReason, string> = {
  missing: 'This preview no longer exists; nothing was written. Start again with `/pgroup upload` or the command you used.',
  expired: 'This preview has expired and nothing was written. Start again to see a fresh preview.',
  not_requester: 'Only the person who asked for this change (or an admin of the app, ADMIN_USER_IDS) can confirm or cancel it. Nothing was written.',
  already_applied: 'This change has already been applied. Nothing was written again.',
  in_progress: 'This change is being applied right now. You will see the outcome here in a moment.',
  cancelled: 'This preview was cancelled or replaced; nothing was written.',
  not_allowed: 'You may not change participant groups. Nothing was written.',
  snapshot_gone: snapshotGoneText(null),
  not_undoable: 'This change cannot be undone from Slack. Nothing was written.',
  forgotten: 'This change removed a participant who asked to be forgotten. The app no longer has their id, so it cannot bring them back. Nothing was written.',
  nothing_to_revert: 'Nothing of this change is left to undo: the participants it added have left the group, the ones it removed are back, and its name was changed since. Nothing was written.',
  already_recreated: 'This deleted group has been recreated already. Nothing was written.',
  group_busy: 'Another change to this group is still being written, so nothing was written. Your preview still stands: confirm it again in a minute.',
  name_not_typed: 'Deleting a group that has members or that a live study uses takes its name, typed in the form that the preview’s Delete group button opens. Nothing was written.',
  outside_workspace: 'This group was not found in this workspace, so this app does not change it. Nothing was written.',
};

/** Who may act on a preview: the person who asked for it, and the admins of the app. */
export interface PreviewOwners {
  requesterId: string;
  admins: string[];
}

/** Only the requester (or an admin) may act on a preview: they are named, as mentions. */
function notRequester(owners: PreviewOwners): string {
  const admins = owners.admins.filter((id) => id !== owners.requesterId).map(mentionUser);
  const orAdmins = admins.length ? `, or ${admins.length === 1 ? 'the admin' : 'an admin'} of this app (${admins.join(', ')}),` : '';
  return `Only ${mentionUser(owners.requesterId)}, who asked for this change${orAdmins} can confirm or cancel it. Nothing was written.`;
}

/**
 * `retentionDays`: SNAPSHOT_RETENTION_DAYS, which a refusal for a pruned snapshot names; `owners`:
 * who may act on the preview, named in a not_requester refusal.
 */
export function renderRefused(reason: RefusalReason, retentionDays: number | null = null, owners?: PreviewOwners): SlackMessage {
  const text = reason === 'snapshot_gone' ? snapshotGoneText(retentionDays) : reason === 'not_requester' && owners ? notRequester(owners) : REFUSALS[reason];
  return { text, blocks: [section(`:no_entry: ${text}`)] };
}

export function renderCancelled(op: Operation): SlackMessage {
  return {
    text: 'Cancelled',
    blocks: [section(`:heavy_multiplication_x: Cancelled: ${VERB[op.kind].toLowerCase()} ${bold(op.groupName)}. Nothing was written.`)],
  };
}

export function renderStale(result: Extract<ConfirmResult, { kind: 'stale' }>): SlackMessage {
  const { drift } = result;
  const fresh = renderPreview(result.fresh);
  if (drift.newStudies?.length || drift.studyCheckFailed) {
    const started = (drift.newStudies ?? []).map((study) => `${studyName(study)} (${studyState(study)})`);
    const why = started.length
      ? `*${started.length === 1 ? 'A live study' : `${started.length} live studies`} started using this group since your preview:* ${started.join(', ')}.`
      : '*The studies that use this group could not be checked again* (Prolific did not answer).';
    return {
      text: 'The studies that use the group changed since your preview; nothing was written. Here is a fresh preview.',
      blocks: [section(`:arrows_counterclockwise: ${why} Nothing was written. Here is a fresh preview:`), ...fresh.blocks],
    };
  }
  if (drift.sourceGroup && !drift.added && !drift.removed && !drift.renamedTo) {
    const { name, before, after } = drift.sourceGroup;
    return {
      text: 'The other group changed since your preview; nothing was written. Here is a fresh preview.',
      blocks: [
        section(
          `:arrows_counterclockwise: *The group the ids come from, ${bold(name)}, changed since your preview* (${formatCount(before)} → ${plural(after, 'member')}). Nothing was written. Here is a fresh preview with its members as they are now:`,
        ),
        ...fresh.blocks,
      ],
    };
  }
  const what = [
    drift.added ? `${plural(drift.added, 'participant')} joined` : '',
    drift.removed ? `${plural(drift.removed, 'participant')} left` : '',
    drift.renamedTo ? `it was renamed to ${bold(drift.renamedTo)}` : '',
    drift.sourceGroup ? `and ${bold(drift.sourceGroup.name)}, the group the ids come from, went from ${formatCount(drift.sourceGroup.before)} to ${plural(drift.sourceGroup.after, 'member')}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (result.refusedAgain) {
    return {
      text: 'The group changed since your preview; nothing was written.',
      blocks: [
        section(`:arrows_counterclockwise: *The group changed since your preview* (${what || 'its members changed'}), perhaps through a feeder study or a colleague. Nothing was written.`),
        section(REFUSALS[result.refusedAgain]),
      ],
    };
  }
  return {
    text: 'The group changed since your preview; nothing was written. Here is a fresh preview.',
    blocks: [
      section(`:arrows_counterclockwise: *The group changed since your preview* (${what || 'its members changed'}), perhaps through a feeder study or a colleague. Nothing was written. Here is a fresh preview:`),
      ...fresh.blocks,
    ],
  };
}
