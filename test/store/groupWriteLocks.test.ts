// The group write lease, on every driver available (PostgreSQL when DATABASE_URL is set): one
// holder at a time, even when several instances ask at once; renewed and released by its holder
// only; taken over once it expires.
import { randomUUID } from 'node:crypto';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { eventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

interface Instances {
  driver: string;
  /** Two stores on one database, as two instances would have (PGlite: one store, shared). */
  open(): Promise<{ a: Store; b: Store; discard(): Promise<void> }>;
}

const pglite: Instances = {
  driver: 'pglite',
  async open() {
    const store = await openStore();
    return { a: store, b: store, discard: () => store.close() };
  },
};

const postgres: Instances = {
  driver: 'postgres',
  async open() {
    const database: TestDatabase = await createTestDatabase();
    const a = await openStore({ databaseUrl: database.url });
    const b = await openStore({ databaseUrl: database.url });
    return {
      a,
      b,
      async discard() {
        await Promise.all([a.close(), b.close()]);
        await database.drop();
      },
    };
  },
};


describe.each(process.env.DATABASE_URL ? [pglite, postgres] : [pglite])('group write locks on $driver', (instances) => {
  let a: Store;
  let b: Store;
  let discard: () => Promise<void>;
  beforeAll(async () => {
    ({ a, b, discard } = await instances.open());
  });
  afterAll(() => discard?.());

  const group = () => `group-${randomUUID().slice(0, 8)}`;

  it('is held by one holder; the holder renews it and releases it, nobody else can', async () => {
    const id = group();
    const lease = await a.tryLockGroup(id, 'instance-a', 60_000);
    expect(lease).toMatchObject({ groupId: id, holder: 'instance-a' });
    expect(lease!.expiresAt.getTime() - lease!.acquiredAt.getTime()).toBe(60_000);
    expect(await b.tryLockGroup(id, 'instance-b', 60_000)).toBeNull();
    expect(await b.renewGroupLock(id, 'instance-b', 60_000)).toBe(false);
    await b.unlockGroup(id, 'instance-b');
    expect((await b.getGroupLock(id))?.holder).toBe('instance-a');
    expect(await a.renewGroupLock(id, 'instance-a', 120_000)).toBe(true);
    // Its own holder may take it again (a lease it could not release), without waiting.
    expect(await a.tryLockGroup(id, 'instance-a', 60_000)).not.toBeNull();
    await a.unlockGroup(id, 'instance-a');
    expect(await a.getGroupLock(id)).toBeNull();
    expect((await b.tryLockGroup(id, 'instance-b', 60_000))?.holder).toBe('instance-b');
  });

  it('leases of different groups are independent', async () => {
    const [one, two] = [group(), group()];
    expect(await a.tryLockGroup(one, 'instance-a', 60_000)).not.toBeNull();
    expect(await b.tryLockGroup(two, 'instance-b', 60_000)).not.toBeNull();
    expect(await b.tryLockGroup(one, 'instance-b', 60_000)).toBeNull();
  });

  it('passes to another holder once it expires, and then no longer renews for the old one', async () => {
    const id = group();
    expect(await a.tryLockGroup(id, 'instance-a', 300)).not.toBeNull();
    expect(await b.tryLockGroup(id, 'instance-b', 60_000)).toBeNull();
    await eventually(() => b.tryLockGroup(id, 'instance-b', 60_000), 'the expired lease to pass on');
    expect(await a.renewGroupLock(id, 'instance-a', 60_000)).toBe(false);
    expect(await a.tryLockGroup(id, 'instance-a', 60_000)).toBeNull();
  });

  it('twenty instances asking at once: exactly one gets it', async () => {
    const id = group();
    const holders = Array.from({ length: 20 }, (_, i) => `instance-${i}`);
    const leases = await Promise.all(holders.map((holder, i) => (i % 2 ? a : b).tryLockGroup(id, holder, 60_000)));
    const granted = leases.filter((lease) => lease !== null);
    expect(granted).toHaveLength(1);
    expect((await a.getGroupLock(id))?.holder).toBe(granted[0]!.holder);
  });
});
