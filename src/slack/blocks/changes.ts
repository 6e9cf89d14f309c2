// The words of a change: its preview, outcome, stale answer, refusal and channel notification. One
// message family read together, so one file a little past the usual size on purpose.
import type { ParticipantGroup } from '../../prolific/types';
import type { KnownBlock } from '@slack/types';
import { type AppliedChange, type ConfirmResult, needsTypedName, operationDetails, type PlanSummary, type RefusalReason } from '../../services/changes';
import { touchesMembers } from '../../services/changes/operationDetails';
import type { Operation, OperationKind } from '../../store/types';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, link, mentionUser, plural, slackDate, truncate } from '../mrkdwn';
import { actions, button, context, fields, type SlackMessage, section, type ThreadedNotice } from './message';
import { exportChoiceBlocks } from './uploadQuestions';
import { renderStudyWarnings, studyName, studyState, submissionLines } from './studies';
import { recreateBlocks, recreateButton, restoreButton, snapshotGoneText, undoBlocks, undoQuestion, undoSentence } from './undo';

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

function countChange(before: number, after: number, added: number, removed: number): string {
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

function appliedSentence(change: AppliedChange): string {
  const op = change.operation;
  const name = bold(change.afterName);
  switch (op.kind) {
    case 'rename':
      return `renamed ${bold(change.beforeName)} to ${name}`;
    case 'delete':
      return `deleted ${bold(change.beforeName)} (${plural(change.beforeCount, 'member')})`;
    case 'replace':
      return `replaced the members of ${name}`;
    case 'add':
      return `added ${plural(change.added, 'participant')} to ${name}`;
    case 'remove':
      return operationDetails(op).source?.forgotten
        ? `removed a participant who asked to be forgotten from ${name}`
        : `removed ${plural(change.removed, 'participant')} from ${name}`;
    case 'undo':
      return undoSentence(op, change.afterName);
    case 'recreate':
      return `recreated ${name} as a new group ${code(change.groupId)} with ${plural(change.afterCount, 'member')}`;
    case 'message':
      return `messaged the members of ${name}`;
  }
}

/** A change of the name alone: a rename, or an undo that put a name back and no members. */
function nameOnly(change: AppliedChange): boolean {
  const op = change.operation;
  return op.kind === 'rename' || (op.kind === 'undo' && !touchesMembers(op));
}

/** `showIds`: the sample ids of what was added and removed (a channel notification shows counts only unless NOTIFY_SHOW_IDS is on). */
function changeFields(change: AppliedChange, showIds = true): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const pairs: [string, string][] = [];
  if (change.beforeName !== change.afterName) pairs.push(['Name', `${escapeMrkdwn(change.beforeName)} → ${escapeMrkdwn(change.afterName)}`]);
  // A rename (or an undo of one) leaves the members as they were: no "12 → 12 (+0 / −0)".
  const membersMoved = change.added > 0 || change.removed > 0 || change.beforeCount !== change.afterCount;
  if (change.operation.kind !== 'delete' && change.operation.kind !== 'recreate' && (membersMoved || !nameOnly(change))) {
    pairs.push(['Members', countChange(change.beforeCount, change.afterCount, change.added, change.removed)]);
  }
  if (pairs.length) blocks.push(fields(pairs));
  const samples = [];
  // A forgotten participant's removal carries no sample: nobody is named.
  if (showIds && change.added && change.sampleAdded.length) samples.push(`*Added:* ${idList(change.sampleAdded, change.added)}`);
  if (showIds && change.removed && change.sampleRemoved.length && change.operation.kind !== 'delete') samples.push(`*Removed:* ${idList(change.sampleRemoved, change.removed)}`);
  if (samples.length) blocks.push(section(samples.join('\n')));
  if (change.countMismatch) {
    blocks.push(
      section(
        `:warning: Prolific now reports ${plural(change.countMismatch.actual, 'member')}, not the ${formatCount(change.countMismatch.expected)} expected. Someone or a feeder study may have changed the group at the same time; check it with \`/pgroup show\`.`,
      ),
    );
  }
  const dropped = change.dropped ?? [];
  if (dropped.length) {
    blocks.push(
      section(
        `:warning: *${plural(dropped.length, 'participant')} joined the group while this change was being written and ${dropped.length === 1 ? 'is' : 'are'} no longer in it${showIds ? `:* ${idList(dropped.slice(0, 5), dropped.length)}` : '*'}. The change replaced the whole membership, and ${dropped.length === 1 ? 'this id was' : 'these ids were'} not in it. *Add them back* previews adding exactly ${dropped.length === 1 ? 'it' : 'them'}.`,
      ),
    );
  }
  return blocks;
}

/** The button that previews adding back the ids an overwrite dropped, when there are any. */
function addBackButton(change: AppliedChange) {
  return change.dropped?.length && !change.unrecorded ? [button('Add them back', ACTIONS.addBackDropped, change.operation.id, { style: 'primary' })] : [];
}

/** Replaces the preview once the change is applied. */
export function renderApplied(change: AppliedChange): SlackMessage {
  // An unrecorded change cannot be undone until it is recorded.
  const kind = change.operation.kind;
  const undoable = kind !== 'delete' && kind !== 'recreate' && !change.unrecorded;
  const after = kind === 'delete' && !change.unrecorded ? [actions('outcome', [recreateButton(change.operation.id)])] : kind === 'recreate' ? [actions('outcome', [button('Show group', ACTIONS.showGroup, change.groupId)])] : [];
  return {
    text: `Done: ${change.operation.kind} ${escapeMrkdwn(change.afterName)}`,
    blocks: [
      section(`:white_check_mark: Done: you ${appliedSentence(change)}.`),
      ...changeFields(change),
      ...(change.unrecorded
        ? [section(":warning: Prolific made the change, but the app's database did not answer, so it is not recorded yet. Undo, the history and the channel notification follow once it is; there is nothing to do again.")]
        : []),
      ...(change.recovered
        ? [context('This confirmation was cut short (the app restarted or its database was unavailable). The group was read again and shows the change, so it is now recorded.')]
        : []),
      ...(undoable ? [actions('outcome', [...addBackButton(change), button('Undo', ACTIONS.undoOperation, change.operation.id), button('Show group', ACTIONS.showGroup, change.groupId)])] : after),
    ],
  };
}

/** An applied change's facts as its notification shows them: the source's label and the Workflow Builder run. */
export interface NotifiedDetails {
  source?: string | null;
  workflow?: { executionId: string } | null;
  /** NOTIFY_SHOW_IDS: the thread reply shows sample participant ids (everyone in the channel sees them). */
  showIds?: boolean;
}

/** The counts of the top line: before → after (+added / −removed), where the members moved. */
function topLineCounts(change: AppliedChange): string {
  const kind = change.operation.kind;
  if (kind === 'delete' || kind === 'recreate') return '';
  const membersMoved = change.added > 0 || change.removed > 0 || change.beforeCount !== change.afterCount;
  if (!membersMoved && nameOnly(change)) return '';
  return ` · ${countChange(change.beforeCount, change.afterCount, change.added, change.removed)}`;
}

/** The studies that used the group when the change was previewed, in a line. */
function studiesLine(op: Operation): string | null {
  const studies = operationDetails(op).studies?.studies ?? [];
  if (!studies.length) return null;
  const shown = studies.slice(0, 5).map((study) => `${studyName(study)} (${studyState(study)})`);
  const more = studies.length > shown.length ? `, and ${formatCount(studies.length - shown.length)} more` : '';
  return `*Studies that used this group when the change was previewed:* ${shown.join(', ')}${more}`;
}

/**
 * The channel notification of an applied change, as a busy channel reads it: a short top-level post
 * (who did what, the counts, and the buttons) and its details in a reply in the post's thread (the
 * names and counts, sample ids with NOTIFY_SHOW_IDS, warnings, the source, the studies, the group's
 * id and the Workflow Builder run). Everyone in the channel reads both, so sample ids appear only with
 * `showIds`, and only in the reply.
 */
export function renderChangeNotification(change: AppliedChange, { source = null, workflow = null, showIds = false }: NotifiedDetails = {}): ThreadedNotice {
  const op = change.operation;
  const buttons =
    op.kind === 'delete'
      ? [recreateButton(op.id)]
      : op.kind === 'recreate'
        ? [button('Show group', ACTIONS.showGroup, change.groupId)]
        : [...addBackButton(change), button('Show group', ACTIONS.showGroup, change.groupId), button('Undo', ACTIONS.undoOperation, op.id)];
  const sentence = appliedSentence(change);
  const warned = (change.dropped?.length ?? 0) > 0 || change.countMismatch !== null;
  // A workflow step acts for someone the workflow names: said as such, never as if they did it themselves.
  const line = workflow
    ? `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)} via Workflow Builder, on behalf of ${mentionUser(change.actor.userId)}${topLineCounts(change)}.`
    : `${mentionUser(change.actor.userId)} ${sentence}${topLineCounts(change)}.`;
  const top: SlackMessage = {
    text: line,
    blocks: [
      section(`${workflow ? ':gear:' : ':busts_in_silhouette:'} ${line}${warned ? ' :warning: Read the thread.' : ''}`),
      ...(buttons.length ? [actions('notification', buttons)] : []),
    ],
  };
  const studies = studiesLine(op);
  const lines = [
    ...(source ? [`*Source:* ${escapeMrkdwn(source)}`] : []),
    ...(workflow ? [`*Made by* a Workflow Builder step, on behalf of ${mentionUser(change.actor.userId)} (the workflow names this person; Slack does not check it) · run ${code(workflow.executionId)}`] : []),
    ...(studies ? [studies] : []),
  ];
  const reply: SlackMessage = {
    text: `Details of the change to participant group ${escapeMrkdwn(change.afterName)}`,
    blocks: [
      ...changeFields(change, showIds),
      ...(lines.length ? [section(lines.join('\n'))] : []),
      ...(change.recovered ? [context('This change was recorded after a restart: the group was read again and shows it.')] : []),
      context(`Group ${code(change.groupId)} · \`/pgroup show ${change.groupId}\` · \`/pgroup history ${change.groupId}\``),
    ],
  };
  return { top, threadReply: reply };
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
