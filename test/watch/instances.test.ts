// Two app instances on one database: a lease lets exactly one of them poll, so a change is
// announced once, and the lease passes on when its holder dies or stops. Runs on a shared
// embedded store always, and on PostgreSQL when DATABASE_URL is set.
import { SEED_GROUP_IDS, SEED_GROUP_NAMES, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import type { RoundReport } from '../../src/services/groupWatcher';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import type { E2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startWatchE2E, watchFrom, watchNotes } from './watchE2E';
import { sleep } from '../support/sleep';

const ATTENTION = SEED_GROUP_IDS.attentionChecks;
// Short enough that the lease (two intervals) lapses within a test, long enough that a round
// never outlasts it.
const INTERVAL_MS = 300;

function describeTwoInstances(label: string, openShared: () => Promise<{ store: Store; dispose: () => Promise<void> }>) {
  describe(`two instances on ${label}`, () => {
    let shared: { store: Store; dispose: () => Promise<void> };
    let a: E2E;
    let b: E2E;
    let suffix = 0;

    beforeAll(async () => {
      shared = await openShared();
      a = await startWatchE2E({ store: shared.store, intervalMs: INTERVAL_MS, instanceId: 'instance-a' });
      b = await startWatchE2E({ store: shared.store, sandbox: a.sandbox, slack: a.slack, intervalMs: INTERVAL_MS, instanceId: 'instance-b' });
      await watchFrom(a, 'C_GENERAL', `"${SEED_GROUP_NAMES.attentionChecks}"`);
      await watchFrom(b, 'C_NOTIFY', ATTENTION);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await shared?.dispose();
    });
    afterEach(() => {
      expect(a.slack.blockKitViolations.splice(0)).toEqual([]);
    });

    const both = () => Promise.all([a.bot.watcher.runRound(), b.bot.watcher.runRound()]);
    const notes = () => ['C_GENERAL', 'C_NOTIFY'].map((c) => watchNotes(a, c, ATTENTION).length);
    const change = () => {
      suffix++;
      const id = sandboxParticipantId(950000 + suffix);
      a.sandbox.state.addMembers(ATTENTION, [id]);
      return id;
    };

    it('both poll, concurrently and repeatedly: one polls at a time, and a change is announced once', async () => {
      const baseline = await both();
      expect(baseline.filter((r) => r.polled)).toHaveLength(1);
      const before = notes();
      change();
      const rounds: RoundReport[][] = [];
      for (let i = 0; i < 4; i++) {
        // Past the per-group interval guard, so every pair of rounds really polls.
        await sleep(INTERVAL_MS);
        rounds.push(await both());
      }
      for (const pair of rounds) expect(pair.filter((r) => r.polled)).toHaveLength(1);
      expect(rounds.flat().flatMap((r) => r.changes)).toHaveLength(1);
      expect(notes()).toEqual(before.map((n) => n + 1));
    });

    it('when the polling instance dies, the other takes over once the lease expires, and stopping hands it over at once', async () => {
      // Who holds the lease now keeps it while it polls.
      const [ra, rb] = await both();
      const holder = ra.polled ? a : b;
      const standby = ra.polled ? b : a;
      expect(rb.polled).toBe(!ra.polled);

      // The holder dies without a word: it simply stops polling, and its lease stays behind.
      const before = notes();
      const joined = change();
      expect((await standby.bot.watcher.runRound()).polled).toBe(false);
      const takeover = await eventually(async () => {
        await sleep(50);
        const r = await standby.bot.watcher.runRound();
        return r.polled ? r : undefined;
      }, 'the standby taking over');
      expect(takeover.changes.map((c) => c.sampleAdded)).toEqual([[joined]]);
      expect(notes()).toEqual(before.map((n) => n + 1));

      // Stopping releases the lease: the other instance polls on its very next round.
      await standby.bot.watcher.stop();
      await sleep(INTERVAL_MS);
      change();
      const next = await holder.bot.watcher.runRound();
      expect(next.polled).toBe(true);
      expect(next.changes).toHaveLength(1);
      expect(notes()).toEqual(before.map((n) => n + 2));
    });
  });
}

describeTwoInstances('one embedded store', async () => {
  const store = await openStore();
  return { store, dispose: () => store.close() };
});

// The PostgreSQL half: registered only when a server is available.
if (process.env.DATABASE_URL) {
  describeTwoInstances('one PostgreSQL database', async () => {
    const database: TestDatabase = await createTestDatabase();
    const store = await openStore({ databaseUrl: database.url });
    return {
      store,
      dispose: async () => {
        await store.close();
        await database.drop();
      },
    };
  });
}
