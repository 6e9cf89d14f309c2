// The group write lock: one piece of work per group at a time, in one instance and across
// instances on one database; a bounded wait; renewal while the work runs; the lease of an
// instance that stopped passes on.
import { randomUUID } from 'node:crypto';
import { GroupWriteLock } from '../../../src/services/changes/groupWriteLock';
import { openStore } from '../../../src/store';
import type { GroupWriteLockStore, Store } from '../../../src/store/types';
import { eventually } from '../../support/eventually';

let store: Store;
beforeAll(async () => {
  store = await openStore();
});
afterAll(() => store?.close());

const group = () => `group-${randomUUID().slice(0, 8)}`;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Work that counts how many run at once; it yields to the event loop and the database while inside. */
function overlapProbe() {
  const probe = { inside: 0, most: 0, order: [] as number[] };
  const work = (n: number) => async () => {
    probe.inside++;
    probe.most = Math.max(probe.most, probe.inside);
    await store.getGroupLock('nothing');
    await new Promise((resolve) => setImmediate(resolve));
    probe.order.push(n);
    probe.inside--;
    return n;
  };
  return { probe, work };
}

describe('GroupWriteLock', () => {
  it('runs work on one group one at a time, in the order it arrived', async () => {
    const lock = new GroupWriteLock(store, { instanceId: 'one' });
    const id = group();
    const { probe, work } = overlapProbe();
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => lock.withGroupLock(id, work(n))));
    expect(results).toEqual(Array.from({ length: 10 }, (_, n) => ({ locked: true, value: n })));
    expect(probe.most).toBe(1);
    expect(probe.order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await store.getGroupLock(id)).toBeNull();
  });

  it('work on different groups runs side by side', async () => {
    const lock = new GroupWriteLock(store, { instanceId: 'one' });
    const first = deferred();
    const holding = lock.withGroupLock(group(), () => first.promise);
    // The other group's work finishes while the first group's is still held.
    expect(await lock.withGroupLock(group(), async () => 'done')).toEqual({ locked: true, value: 'done' });
    first.resolve();
    await holding;
  });

  it('two instances on one database never run work on the same group at once', async () => {
    const a = new GroupWriteLock(store, { instanceId: 'instance-a' });
    const b = new GroupWriteLock(store, { instanceId: 'instance-b' });
    const id = group();
    const { probe, work } = overlapProbe();
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => (n % 2 ? a : b).withGroupLock(id, work(n))));
    expect(results.every((r) => r.locked)).toBe(true);
    expect(probe.most).toBe(1);
    expect([...probe.order].sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, n) => n));
  });

  it('gives up after the bounded wait without running the work, and the group is free again once the holder is done', async () => {
    const a = new GroupWriteLock(store, { instanceId: 'instance-a' });
    const b = new GroupWriteLock(store, { instanceId: 'instance-b', waitMs: 150 });
    const sameInstance = new GroupWriteLock(store, { instanceId: 'instance-c', waitMs: 150 });
    const id = group();
    const held = deferred();
    let started = false;
    const holding = a.withGroupLock(id, async () => {
      started = true;
      await held.promise;
      return 'first';
    });
    await eventually(() => started, 'the first work to start');
    let ran = false;
    expect(await b.withGroupLock(id, async () => (ran = true))).toEqual({ locked: false });
    expect(ran).toBe(false);
    // Waiting behind work of the same instance is bounded the same way.
    const queued = deferred();
    const queueHolder = sameInstance.withGroupLock(id, () => queued.promise).catch(() => undefined);
    held.resolve();
    expect(await holding).toEqual({ locked: true, value: 'first' });
    await eventually(async () => (await store.getGroupLock(id))?.holder === 'instance-c', 'the next instance to hold it');
    expect(await sameInstance.withGroupLock(id, async () => 'behind')).toEqual({ locked: false });
    queued.resolve();
    await queueHolder;
    expect(await b.withGroupLock(id, async () => 'second')).toEqual({ locked: true, value: 'second' });
  });

  it('takes over the lease of an instance that stopped once it expires', async () => {
    const id = group();
    const gone = await store.tryLockGroup(id, 'stopped-instance', 300);
    const b = new GroupWriteLock(store, { instanceId: 'instance-b', waitMs: 10_000 });
    const result = await b.withGroupLock(id, async (held) => held.acquiredAt);
    expect(result.locked).toBe(true);
    expect(result.locked && result.value.getTime()).toBeGreaterThanOrEqual(gone!.expiresAt.getTime());
  });

  it('renews the lease while the work runs, so another instance still cannot take it after the first expiry', async () => {
    const renewals: string[] = [];
    const counting: GroupWriteLockStore = {
      tryLockGroup: (...args) => store.tryLockGroup(...args),
      renewGroupLock: async (...args) => {
        renewals.push(args[0]);
        return store.renewGroupLock(...args);
      },
      unlockGroup: (...args) => store.unlockGroup(...args),
      getGroupLock: (...args) => store.getGroupLock(...args),
    };
    const a = new GroupWriteLock(counting, { instanceId: 'instance-a', leaseMs: 200 });
    const b = new GroupWriteLock(store, { instanceId: 'instance-b', waitMs: 100 });
    const id = group();
    const held = deferred();
    const holding = a.withGroupLock(id, () => held.promise);
    // Five renewals, 50 ms apart, take the work past the end of its first 200 ms lease.
    await eventually(() => renewals.filter((g) => g === id).length >= 5, 'five renewals');
    expect(await b.withGroupLock(id, async () => 'taken')).toEqual({ locked: false });
    held.resolve();
    await holding;
    expect(await b.withGroupLock(id, async () => 'now')).toEqual({ locked: true, value: 'now' });
  });

  it('work that throws releases the lock, and the error reaches the caller', async () => {
    const lock = new GroupWriteLock(store, { instanceId: 'one' });
    const id = group();
    await expect(lock.withGroupLock(id, async () => Promise.reject(new Error('write failed')))).rejects.toThrow('write failed');
    expect(await store.getGroupLock(id)).toBeNull();
    expect(await lock.withGroupLock(id, async () => 'next')).toEqual({ locked: true, value: 'next' });
  });

  it('a lease the database did not let it release is its own to take again; other instances wait for its expiry', async () => {
    let failRelease = true;
    const flaky: GroupWriteLockStore = {
      tryLockGroup: (...args) => store.tryLockGroup(...args),
      renewGroupLock: (...args) => store.renewGroupLock(...args),
      unlockGroup: async (...args) => {
        if (failRelease) throw new Error('Connection terminated unexpectedly');
        return store.unlockGroup(...args);
      },
      getGroupLock: (...args) => store.getGroupLock(...args),
    };
    const a = new GroupWriteLock(flaky, { instanceId: 'instance-a' });
    const b = new GroupWriteLock(store, { instanceId: 'instance-b', waitMs: 100 });
    const id = group();
    expect(await a.withGroupLock(id, async () => 1)).toEqual({ locked: true, value: 1 });
    expect((await store.getGroupLock(id))?.holder).toBe('instance-a');
    expect(await b.withGroupLock(id, async () => 2)).toEqual({ locked: false });
    failRelease = false;
    expect(await a.withGroupLock(id, async () => 3)).toEqual({ locked: true, value: 3 });
    expect(await b.withGroupLock(id, async () => 4)).toEqual({ locked: true, value: 4 });
  });
});
