// The delivery store on both drivers: a key is recorded once; a repeat is told apart until the key
// expires; the sweep forgets expired keys; on PostgreSQL two instances (two connection pools)
// racing with the same key get exactly one "first". On the embedded store's disk, recording one
// does not wait for an fsync (every request records one).
import fs, { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';
import type { Database } from '../../src/store/database';
import { createDeliveryStore } from '../../src/store/deliveries';
import { migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import type { Store } from '../../src/store/types';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const drivers = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
const MINUTE = 60_000;

describe.each(drivers)('deliveries on %s', (driver) => {
  let db: TestDatabase | undefined;
  let store: Store;
  let other: Store;

  beforeAll(async () => {
    if (driver === 'postgres') {
      db = await createTestDatabase();
      store = await openStore({ databaseUrl: db.url });
      other = await openStore({ databaseUrl: db.url });
    } else {
      store = await openStore();
      other = store;
    }
  });
  afterAll(async () => {
    await store.close();
    if (other !== store) await other.close();
    await db?.drop();
  });

  const later = (ms: number) => new Date(Date.now() + ms);

  it('records a key once and tells a repeat apart', async () => {
    expect(await store.recordDelivery('event:Ev1', later(MINUTE))).toBe(true);
    expect(await store.recordDelivery('event:Ev1', later(MINUTE))).toBe(false);
    expect(await other.recordDelivery('event:Ev1', later(MINUTE))).toBe(false);
    expect(await store.recordDelivery('event:Ev2', later(MINUTE))).toBe(true);
  });

  it('takes a key again once it has expired, even before the sweep forgot it', async () => {
    expect(await store.recordDelivery('signed:expired', new Date(Date.now() - 1000))).toBe(true);
    expect(await store.recordDelivery('signed:expired', later(MINUTE))).toBe(true);
    expect(await store.recordDelivery('signed:expired', later(MINUTE))).toBe(false);
  });

  it('forgets only the keys that expired before the given time', async () => {
    await store.recordDelivery('event:soon', later(MINUTE));
    await store.recordDelivery('event:late', later(60 * MINUTE));
    expect(await store.forgetExpiredDeliveries(later(2 * MINUTE))).toBeGreaterThanOrEqual(1);
    // Forgotten: taken as new. Kept: still a repeat.
    expect(await store.recordDelivery('event:soon', later(MINUTE))).toBe(true);
    expect(await store.recordDelivery('event:late', later(MINUTE))).toBe(false);
    expect(await store.forgetExpiredDeliveries(new Date(Date.now() - MINUTE))).toBe(0);
  });

  it('gives exactly one "first" to many instances racing with the same key', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? other : store).recordDelivery('signed:raced', later(MINUTE))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('deliveries on the embedded store’s disk', () => {
  // Observed at the host's fsync, as in pgliteSyncedDisk.test.ts (Linux: the synced file's name from /proc).
  let dataDir: string;
  let store: Store;
  const walSyncs: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pgroup-deliveries-'));
    store = await openStore({ dataDir });
    const fsync = fs.fsyncSync;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      const file = readlinkSync(`/proc/self/fd/${fd}`);
      if (file.includes(`${join('pglite', 'pg_wal')}`)) walSyncs.push(file);
      fsync(fd);
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records deliveries without waiting for the disk, while other commits still sync', async () => {
    // The table's first write after the store opens may sync once; every one after it, none.
    await store.recordDelivery('event:first', new Date(Date.now() + MINUTE));
    walSyncs.length = 0;
    for (let i = 0; i < 50; i += 1) expect(await store.recordDelivery(`event:disk${i}`, new Date(Date.now() + MINUTE))).toBe(true);
    expect(walSyncs).toEqual([]);
    await store.tryAcquireLease('disk-check', 'test', MINUTE);
    expect(walSyncs.length).toBeGreaterThanOrEqual(1);
  });
});

// Every request records one, so that a burst of requests, read a few at a time, is not one
// statement each on the embedded store's thread (each costs that thread most of a millisecond).
describe('deliveries recorded a few milliseconds apart, on the embedded store', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPgliteDatabase(undefined);
    await migrate(database, () => {});
  });
  afterAll(async () => {
    await database.close();
  });

  /** Transactions committed so far (each statement outside a transaction is one). */
  async function commits(): Promise<number> {
    await database.query('select pg_stat_force_next_flush()');
    const [row] = await database.query<{ n: number }>('select xact_commit::int as n from pg_stat_database where datname = current_database()');
    return row!.n;
  }

  it('share one statement, each still told whether it is a repeat', async () => {
    const deliveries = createDeliveryStore(database);
    const expiresAt = new Date(Date.now() + MINUTE);
    // What reading the count commits by itself.
    const reading = -((await commits()) - (await commits()));
    const before = await commits();
    // One new delivery per turn of the event loop, as requests arriving one after another are read.
    const recorded: Promise<boolean>[] = [];
    for (const key of ['signed:a', 'signed:b', 'signed:a', 'signed:c', 'signed:d', 'signed:b']) {
      recorded.push(deliveries.recordDelivery(key, expiresAt));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(recorded)).toEqual([true, true, false, true, true, false]);
    // One statement, or two if a slow machine took longer than the gathering time over the six turns.
    expect((await commits()) - before - reading).toBeLessThanOrEqual(2);
  });
});
