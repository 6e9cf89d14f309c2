// The delivery store on both drivers: a key is recorded once; a repeat is told apart until the key
// expires; the sweep forgets expired keys; on PostgreSQL two instances (two connection pools)
// racing with the same key get exactly one "first". On the embedded store's disk, recording one
// does not wait for an fsync (every request records one).
import fs, { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';
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
