import { type FailedChange, readFailure } from '../../../src/services/changes';
import { failureSummary, renderFailed, writeReportLines } from '../../../src/slack/blocks/failedChange';
import type { Operation } from '../../../src/store/types';
import { buttonsOf, expectSafeSurface, textsOf } from './expectSafeSurface';
import { HOSTILE, hexId } from './renderInputs';

function operation(fields: Partial<Operation> = {}): Operation {
  const at = new Date('2026-12-01T10:00:00Z');
  return {
    id: 'op-1',
    kind: 'add',
    status: 'failed',
    groupId: 'g-1',
    groupName: 'Main <panel>',
    slackUserId: 'U_ALICE',
    slackTeamId: 'T_HOME',
    channelId: null,
    participantIds: [],
    baselineIds: [],
    baselineName: 'Main <panel>',
    newName: null,
    snapshotId: null,
    details: {},
    message: null,
    result: null,
    error: null,
    createdAt: at,
    updatedAt: at,
    expiresAt: at,
    ...fields,
  };
}

function failure(fields: Partial<FailedChange>): FailedChange {
  return {
    operation: operation(),
    cause: { kind: 'prolific', said: 'Service unavailable' },
    outcomeUnknown: false,
    written: { kind: 'nothing' },
    current: { name: 'Main <panel>', count: 1200, matchesTarget: false },
    ...fields,
  };
}

/** The words of the rendered failure, once it has passed the Block Kit and mrkdwn safety checks. */
function text(f: FailedChange): string {
  const message = renderFailed(f);
  expectSafeSurface(message);
  return textsOf(message).join('\n');
}

describe('the words for a failed change', () => {
  it('a chunked add: what Prolific said, applied, refused, checked, not sent, and the group now', () => {
    const f = failure({ written: { kind: 'chunks', chunks: { mode: 'add', applied: 1000, refused: 100, landedAnyway: 0, notSent: 1500 } } });
    const message = renderFailed(f);
    const first = (message.blocks[0] as { text: { text: string } }).text.text;
    expect(first.split('\n')).toEqual([
      ':x: *The change failed* for *Main &lt;panel&gt;*.',
      'Prolific said: Service unavailable 1,000 of 2,600 ids were added before it stopped.',
      '1,000 of 2,600 participant ids were added.',
      'Prolific refused the next 100, and the group, read again, shows none of them added. The last 1,500 were not sent.',
    ]);
    expect(text(f)).toContain('The group was read again: *Main &lt;panel&gt;* has 1,200 members right now.');
    expect(message.text).toBe('The change to Main &lt;panel&gt; failed');
  });

  it('a chunked remove: refused ids the re-read shows removed anyway, or could not check', () => {
    expect(writeReportLines({ kind: 'chunks', chunks: { mode: 'remove', applied: 100, refused: 100, landedAnyway: 40, notSent: 0 } })).toEqual([
      '100 of 200 participant ids were removed.',
      'Prolific refused the next 100, yet the group, read again, shows 40 of them removed.',
    ]);
    expect(writeReportLines({ kind: 'chunks', chunks: { mode: 'add', applied: 0, refused: 100, landedAnyway: null, notSent: 0 } })[1]).toBe(
      'Prolific refused the next 100; the group could not be read again to check them.',
    );
  });

  it('a chunk failing without a word from Prolific still names Prolific', () => {
    const f = failure({ cause: { kind: 'prolific', said: null }, written: { kind: 'chunks', chunks: { mode: 'add', applied: 5, refused: 5, landedAnyway: 0, notSent: 0 } } });
    expect(failureSummary(f)).toBe('Prolific refused part of the change. 5 of 10 ids were added before it stopped.');
  });

  it('an unconfirmed write has an unknown outcome', () => {
    const t = text(failure({ outcomeUnknown: true, written: { kind: 'unconfirmed' } }));
    expect(t).toContain('*The outcome is unknown*');
    expect(t).toContain('Prolific did not confirm the write. The group was read again and does not show the requested change.');
    expect(t).toContain('The requested change is not in the group.');
  });

  it('an overwrite after which the group moved: not sent again, what the group holds, and a few of the ids', () => {
    const divergence = { count: 1_204, extra: 7, sampleExtra: [hexId(1), hexId(2)], missing: 1, sampleMissing: [hexId(3)] };
    const f = failure({ outcomeUnknown: true, written: { kind: 'diverged', divergence } });
    const t = text(f);
    expect(t).toContain('*The outcome is unknown*');
    expect(t).toContain('Prolific did not confirm the write, and the group, read again, is neither as it was nor as you asked: it changed meanwhile, so the change was not sent again.');
    expect(t).toContain('It now has 1,204 members, 7 of them not in your change, and lacks 1 id your change asked for. Preview again to see the change against the group as it is now.');
    expect(t).toContain(`*Not in your change:* \`${hexId(1)}\`, \`${hexId(2)}\` …and 5 more\n*Missing from the group:* \`${hexId(3)}\``);
    expect(writeReportLines({ kind: 'diverged', divergence: { ...divergence, missing: 0, sampleMissing: [] } })[1]).toBe(
      'It now has 1,204 members, 7 of them not in your change. Preview again to see the change against the group as it is now.',
    );
    expect(writeReportLines({ kind: 'diverged', divergence: { ...divergence, extra: 0, sampleExtra: [] } })[1]).toBe(
      'It now has 1,204 members and lacks 1 id your change asked for. Preview again to see the change against the group as it is now.',
    );
    // Recorded and read back as the same facts.
    expect(readFailure(operation({ result: { snapshotId: null, outcomeUnknown: true, cause: f.cause, written: f.written, current: f.current } })).written).toEqual(f.written);
  });

  it("the app's own failures are not put in Prolific's mouth", () => {
    for (const [cause, said] of [
      [{ kind: 'app' }, 'Something went wrong before the change could be written.'],
      [{ kind: 'stopped', mayHaveWritten: false }, 'The app stopped before it wrote the change to Prolific.'],
      [{ kind: 'stopped', mayHaveWritten: true }, 'The app stopped before it could confirm the change with Prolific.'],
    ] as const) {
      const t = text(failure({ cause }));
      expect(t).toContain(said);
      expect(t).not.toContain('Prolific said');
      expect(t).toContain('Nothing was written.');
    }
  });

  it('an unreadable group and an unrecorded failure say what to do', () => {
    const t = text(failure({ current: null, unrecorded: true }));
    expect(t).toContain('The group could not be read again: check it with `/pgroup show` before trying again.');
    expect(t).toContain('not recorded yet');
    expect(buttonsOf(renderFailed(failure({}))).map((b) => [b.actionId, b.value, b.style])).toEqual([
      ['op_retry', 'op-1', 'primary'],
      ['group_show', 'g-1', undefined],
    ]);
  });

  it("escapes the group's name and Prolific's words", () => {
    const t = text(failure({ operation: operation({ groupName: HOSTILE }), cause: { kind: 'prolific', said: HOSTILE }, current: { name: HOSTILE, count: 1, matchesTarget: null } }));
    expect(t).not.toContain('<!channel>');
    expect(t).toContain('Prolific said: &lt;!channel&gt; R&amp;D');
  });

  it('a failure recorded in words by an older release still renders, with its words and unknown detail', () => {
    const old = operation({
      error: 'Prolific refused it <badly>',
      result: { snapshotId: null, written: '3 of 9 participant ids were added.', notWritten: 'The last 6 were not sent.', outcomeUnknown: false, current: { name: 'Main <panel>', count: 3, matchesTarget: false } },
    });
    const read = readFailure(old);
    expect(read).toMatchObject({ cause: { kind: 'unknown', text: 'Prolific refused it <badly>' }, written: { kind: 'unknown' }, current: { count: 3 } });
    const t = text(read);
    expect(t).toContain('Prolific refused it &lt;badly&gt;');
    expect(t).toContain('What was written was not recorded in detail: check the group before trying again.');
    expect(t).toContain('has 3 members right now');
  });
});
