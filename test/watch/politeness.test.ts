// The watcher is polite to Prolific: a cheap read of each watched group per round, the full
// membership only when the count moved or every Nth round, and a pause (no requests, no
// messages) when Prolific answers 429.
import { SEED_GROUP_IDS, SEED_GROUP_NAMES, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { groupReads, startWatchE2E, watchFrom, watchNotes, withThread } from './watchE2E';
import { sleep } from '../support/sleep';

const FULL_READ_EVERY = 3;

/** Runs one round and returns it with the requests it made. */
async function measuredRound() {
  const from = e2e.sandbox.requests.length;
  const report = await e2e.bot.watcher.runRound();
  return { report, requests: e2e.sandbox.requests.slice(from) };
}

async function unwatch(groupId: string, channel = 'C_GENERAL') {
  await e2e.pgroup(`unwatch ${groupId}`, { channel });
  await e2e.waitForMessage(channel, (m) => messageText(m).includes('no longer watches'), 'the unwatch reply');
}


// A swap is told apart by the ids the notification names (NOTIFY_SHOW_IDS).
const e2e = useE2E(() => startWatchE2E({ fullReadEvery: FULL_READ_EVERY, env: { NOTIFY_SHOW_IDS: 'true' } }));

describe('cost per round', () => {
  const GROUP = SEED_GROUP_IDS.pilotWave2;

  it(`reads only the group while its count holds, and the members when it moves or every ${FULL_READ_EVERY}rd round`, async () => {
    await watchFrom(e2e, 'C_GENERAL', GROUP);
    const perRound: { group: number; members: number; other: number }[] = [];
    const run = async () => {
      const { requests } = await measuredRound();
      const reads = groupReads(requests, GROUP);
      perRound.push({ ...reads, other: requests.length - reads.group - reads.members });
    };
    await run(); // 1: baseline, the whole membership
    await run(); // 2: count unchanged
    await run(); // 3: every 3rd round, in full
    await run(); // 4
    e2e.sandbox.state.addMembers(GROUP, [sandboxParticipantId(810001)]);
    await run(); // 5: the count moved
    await run(); // 6: in full again (6 = 2 × 3)
    await run(); // 7
    expect(perRound).toEqual([
      { group: 1, members: 1, other: 0 },
      { group: 1, members: 0, other: 0 },
      { group: 1, members: 1, other: 0 },
      { group: 1, members: 0, other: 0 },
      { group: 1, members: 1, other: 0 },
      { group: 1, members: 1, other: 0 },
      { group: 1, members: 0, other: 0 },
    ]);
    expect(watchNotes(e2e, 'C_GENERAL', GROUP)).toHaveLength(1);
  });

  it('catches a swap that keeps the count on the next full read', async () => {
    const members = e2e.sandbox.state.members(GROUP);
    const leaving = members[0]!;
    const joining = sandboxParticipantId(810002);
    // Round 8 reads the group only; round 9 reads it in full.
    e2e.sandbox.state.removeMembers(GROUP, [leaving]);
    e2e.sandbox.state.addMembers(GROUP, [joining]);
    const quiet = await measuredRound();
    expect(groupReads(quiet.requests, GROUP)).toEqual({ group: 1, members: 0 });
    expect(quiet.report.changes).toEqual([]);
    const full = await measuredRound();
    expect(groupReads(full.requests, GROUP)).toEqual({ group: 1, members: 1 });
    expect(full.report.changes).toHaveLength(1);
    const text = withThread(e2e, watchNotes(e2e, 'C_GENERAL', GROUP).at(-1));
    expect(text).toContain('+1 / −1');
    expect(text).toContain(joining);
    expect(text).toContain(leaving);
    await unwatch(GROUP);
  });
});

describe('429 from Prolific', () => {
  const GROUP = SEED_GROUP_IDS.pilot;
  const path = `/api/v1/participant-groups/${GROUP}/`;

  it('pauses polling the group for Retry-After, posts nothing meanwhile, then announces the change once', async () => {
    await watchFrom(e2e, 'C_GENERAL', GROUP);
    await measuredRound(); // baseline
    const messagesBefore = e2e.slack.messages().length;
    const joined = sandboxParticipantId(820001);
    e2e.sandbox.state.addMembers(GROUP, [joined]);

    // Every attempt the client makes in the round is refused.
    const release = e2e.sandbox.faults.add({ method: 'GET', path, times: 4, status: 429, retryAfterSeconds: 0.4 });
    try {
      const busy = await measuredRound();
      expect(busy.report).toMatchObject({ polled: true, backedOff: true, changes: [] });
      expect(groupReads(busy.requests, GROUP).group).toBeGreaterThan(0);
      expect(busy.requests.every((r) => r.status === 429)).toBe(true);

      // Rounds during the pause ask Prolific nothing about the group.
      for (let i = 0; i < 3; i++) {
        const paused = await measuredRound();
        expect(paused.report.changes).toEqual([]);
        expect(groupReads(paused.requests, GROUP)).toEqual({ group: 0, members: 0 });
      }
      // No notification and no error message anywhere.
      expect(e2e.slack.messages().slice(messagesBefore)).toEqual([]);
      expect(e2e.logs.some((l) => l.includes('watching pauses'))).toBe(true);
    } finally {
      release();
    }

    const resumed = await eventually(async () => {
      await sleep(50);
      const r = await measuredRound();
      return r.report.changes.length ? r : undefined;
    }, 'the round after the pause');
    expect(groupReads(resumed.requests, GROUP)).toEqual({ group: 1, members: 1 });
    await measuredRound();
    const notes = watchNotes(e2e, 'C_GENERAL', GROUP);
    expect(notes).toHaveLength(1);
    expect(messageText(notes[0])).toContain('+1 / −0');
    expect(withThread(e2e, notes[0])).toContain(joined);
    await unwatch(GROUP);
  });

  it('a 429 on the very first look announces nothing made up afterwards', async () => {
    const excluded = SEED_GROUP_IDS.excluded;
    await watchFrom(e2e, 'C_GENERAL', excluded);
    const release = e2e.sandbox.faults.add({ method: 'GET', path: `/api/v1/participant-groups/${excluded}/`, times: 4, status: 429, retryAfterSeconds: 0.2 });
    try {
      expect((await measuredRound()).report.backedOff).toBe(true);
    } finally {
      release();
    }
    // After the pause, the first successful look is the baseline: nothing to announce.
    await eventually(async () => {
      await sleep(50);
      const r = await measuredRound();
      expect(r.report.changes).toEqual([]);
      return groupReads(r.requests, excluded).group > 0;
    }, 'the baseline after the pause');
    expect(watchNotes(e2e, 'C_GENERAL', excluded)).toEqual([]);

    e2e.sandbox.state.addMembers(excluded, [sandboxParticipantId(830001)]);
    await measuredRound();
    const notes = watchNotes(e2e, 'C_GENERAL', excluded);
    expect(notes).toHaveLength(1);
    const text = messageText(notes[0]);
    expect(text).toContain(`${SEED_GROUP_NAMES.excluded}*: +1 / −0 · now 1 member (was 0)`);
    expect(text).not.toContain('renamed');
    await unwatch(excluded);
  });
});
