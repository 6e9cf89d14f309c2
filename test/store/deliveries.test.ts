// The delivery store on both drivers: a key is recorded once; a repeat is told apart until the key
// expires; the sweep forgets expired keys; on PostgreSQL two instances (two connection pools)
// racing with the same key get exactly one "first".
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
