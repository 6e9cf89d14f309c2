// The words for a failed change: why it failed, what was and was not written, and the group now.
// The service reports these as facts (services/changes/types.ts); this is the one place they become sentences.
import type { ChunkReport, FailedChange, FailureCause, MembershipDivergence, WriteReport } from '../../services/changes';
import { ACTIONS } from '../interactionIds';
import { bold, escapeMrkdwn, formatCount, plural } from '../mrkdwn';
import { idList } from './changes';
import { actions, button, type SlackMessage, section } from './message';

function verb(mode: ChunkReport['mode']): string {
  return mode === 'add' ? 'added' : 'removed';
}

function total(c: ChunkReport): number {
  return c.applied + c.refused + c.notSent;
}

/** Why it failed, in one line: what Prolific said, or what stopped the app. Also the history's line for the failure. */
export function failureSummary(failure: Pick<FailedChange, 'cause' | 'written'>): string {
  const { cause, written } = failure;
  switch (cause.kind) {
    case 'prolific': {
      const said = cause.said ?? 'Prolific refused part of the change.';
      if (written.kind !== 'chunks') return said;
      const c = written.chunks;
      return `${said} ${formatCount(c.applied)} of ${formatCount(total(c))} ids were ${verb(c.mode)} before it stopped.`;
    }
    case 'stopped':
      return cause.mayHaveWritten ? 'The app stopped before it could confirm the change with Prolific.' : 'The app stopped before it wrote the change to Prolific.';
    case 'app':
      return 'Something went wrong before the change could be written.';
    case 'unknown':
      return cause.text ?? '';
  }
}

/** Whether the summary quotes Prolific (and so follows "Prolific said:"). */
function fromProlific(cause: FailureCause): boolean {
  return cause.kind === 'prolific';
}

/** What the failed write left in Prolific: what was written, then what was not. */
export function writeReportLines(written: WriteReport): [string, string] {
  switch (written.kind) {
    case 'nothing':
      return ['Nothing was written.', 'The requested change is not in the group.'];
    case 'unconfirmed':
      return ['Prolific did not confirm the write. The group was read again and does not show the requested change.', 'The requested change is not in the group.'];
    case 'chunks':
      return [`${formatCount(written.chunks.applied)} of ${formatCount(total(written.chunks))} participant ids were ${verb(written.chunks.mode)}.`, chunkRemainder(written.chunks)];
    case 'diverged':
      return [
        'Prolific did not confirm the write, and the group, read again, is neither as it was nor as you asked: it changed meanwhile, so the change was not sent again.',
        divergenceLine(written.divergence),
      ];
    case 'unknown':
      return ['What was written was not recorded in detail: check the group before trying again.', ''];
  }
}

function divergenceLine(d: MembershipDivergence): string {
  const extra = d.extra ? `, ${formatCount(d.extra)} of them not in your change` : '';
  const missing = d.missing ? `${d.extra ? ',' : ''} and lacks ${plural(d.missing, 'id')} your change asked for` : '';
  return `It now has ${plural(d.count, 'member')}${extra}${missing}. Preview again to see the change against the group as it is now.`;
}

/** A few of the ids in which the group differs from the change, for the person who asked. */
function divergenceSamples(d: MembershipDivergence): string {
  return [d.extra ? `*Not in your change:* ${idList(d.sampleExtra, d.extra)}` : '', d.missing ? `*Missing from the group:* ${idList(d.sampleMissing, d.missing)}` : ''].filter(Boolean).join('\n');
}

/** The ids after the last confirmed chunk: refused (and whether the group shows them anyway), and not sent. */
function chunkRemainder(c: ChunkReport): string {
  const v = verb(c.mode);
  const check =
    c.landedAnyway === null
      ? '; the group could not be read again to check them'
      : c.landedAnyway === 0
        ? `, and the group, read again, shows none of them ${v}`
        : `, yet the group, read again, shows ${formatCount(c.landedAnyway)} of them ${v}`;
  const parts = c.refused ? [`Prolific refused the next ${formatCount(c.refused)}${check}.`] : [];
  if (c.notSent) parts.push(`The last ${formatCount(c.notSent)} were not sent.`);
  return parts.join(' ');
}

/** Replaces the preview when the write failed: exactly what happened, the group as it is now, and a way to try again. */
export function renderFailed(failure: FailedChange): SlackMessage {
  const op = failure.operation;
  const current = failure.current;
  const summary = failureSummary(failure);
  const lines = [
    `:x: *${failure.outcomeUnknown ? 'The outcome is unknown' : 'The change failed'}* for ${bold(op.groupName)}.`,
    summary ? `${fromProlific(failure.cause) ? 'Prolific said: ' : ''}${escapeMrkdwn(summary)}` : '',
    ...writeReportLines(failure.written).map(escapeMrkdwn),
  ].filter(Boolean);
  const now = current
    ? `The group was read again: ${bold(current.name)} has ${plural(current.count, 'member')} right now.`
    : 'The group could not be read again: check it with `/pgroup show` before trying again.';
  return {
    text: `The change to ${escapeMrkdwn(op.groupName)} failed`,
    blocks: [
      section(lines.join('\n')),
      ...(failure.written.kind === 'diverged' && divergenceSamples(failure.written.divergence) ? [section(divergenceSamples(failure.written.divergence))] : []),
      section(now),
      ...(failure.unrecorded
        ? [section(":warning: The app's database did not answer, so this is not recorded yet. *Preview again* works once it is, within about 15 minutes.")]
        : []),
      actions('failure', [
        button('Preview again', ACTIONS.retryOperation, op.id, { style: 'primary' }),
        button('Show group', ACTIONS.showGroup, op.groupId),
      ]),
    ],
  };
}
