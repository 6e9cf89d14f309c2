// The words of an applied change: the outcome that replaces its preview, and its channel
// notification (a short top-level post and its details in a reply in the post's thread).
import type { KnownBlock } from '@slack/types';
import { type AppliedChange, operationDetails } from '../../services/changes';
import { touchesMembers } from '../../services/changes/operationDetails';
import type { Operation } from '../../store/types';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, mentionUser, plural } from '../mrkdwn';
import { countChange, idList } from './changes';
import { actions, button, context, fields, type SlackMessage, section, type ThreadedNotice } from './message';
import { studyName, studyState } from './studies';
import { recreateButton, undoSentence } from './undo';

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

/** Whether the members moved: ids added or removed, or a count that changed. */
function membersMoved(change: AppliedChange): boolean {
  return change.added > 0 || change.removed > 0 || change.beforeCount !== change.afterCount;
}

/** `showIds`: the sample ids of what was added and removed (a channel notification shows counts only unless NOTIFY_SHOW_IDS is on). */
function changeFields(change: AppliedChange, showIds = true): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const pairs: [string, string][] = [];
  if (change.beforeName !== change.afterName) pairs.push(['Name', `${escapeMrkdwn(change.beforeName)} → ${escapeMrkdwn(change.afterName)}`]);
  // A rename (or an undo of one) leaves the members as they were: no "12 → 12 (+0 / −0)".
  if (change.operation.kind !== 'delete' && change.operation.kind !== 'recreate' && (membersMoved(change) || !nameOnly(change))) {
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
  if (!membersMoved(change) && nameOnly(change)) return '';
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
