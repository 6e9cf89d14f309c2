import type { GroupWriteLockStore } from '../../store/types';

/** How long a lease lasts unless renewed: a stopped instance's lease passes on after this. */
export const DEFAULT_LEASE_MS = 60_000;
/** How long a write waits for another write to the same group before it gives up. */
export const DEFAULT_WAIT_MS = 60_000;
/** The longest pause between two looks at a lease another instance holds. */
const MAX_POLL_MS = 250;

export interface GroupWriteLockOptions {
  /** This instance, as the holder of its leases. */
  instanceId: string;
  leaseMs?: number;
  waitMs?: number;
  log?: (level: 'warn', msg: string) => void;
  random?: () => number;
}

/** The lock on one group, held by the work given to withGroupLock. */
export interface HeldGroupLock {
  readonly groupId: string;
  /** When the lease was granted, by the database's clock: every read of the group after this came after the wait. */
  readonly acquiredAt: Date;
}

export type Locked<T> = { locked: true; value: T } | { locked: false };

/**
 * The one door to writing a group: work given to withGroupLock runs while no other work on the
 * same group runs, in this instance (a queue per group) or in any other on the same database (a
 * lease row per group, see store/groupWriteLocks.ts). The lease is renewed while the work runs,
 * so it outlives any write; the lease of an instance that stopped passes on after `leaseMs`.
 * Waiting is bounded by `waitMs`, after which the work does not run.
 *
 * The holder is the instance: within it the queue lets one piece of work at a time hold the
 * lease, and a lease it could not release (its database went away) is its own to take again.
 */
export class GroupWriteLock {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly random: () => number;

  constructor(
    private readonly store: GroupWriteLockStore,
    private readonly options: GroupWriteLockOptions,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    this.random = options.random ?? Math.random;
  }

  /** Runs `work` holding the group's lock, or returns { locked: false } when the wait ran out. */
  async withGroupLock<T>(groupId: string, work: (lock: HeldGroupLock) => Promise<T>): Promise<Locked<T>> {
    const deadline = Date.now() + this.waitMs;
    const before = this.queues.get(groupId) ?? Promise.resolve();
    let leave!: () => void;
    const turn = new Promise<void>((resolve) => {
      leave = resolve;
    });
    // The next in line waits for this one to leave, whether it ran, gave up or failed.
    const tail = before.then(() => turn);
    this.queues.set(groupId, tail);
    try {
      if (!(await untilDeadline(before, deadline))) return { locked: false };
      const lease = await this.lease(groupId, deadline);
      if (!lease) return { locked: false };
      const held = { running: true };
      const renewal = setInterval(() => void this.renew(groupId, held), Math.max(1, Math.floor(this.leaseMs / 4)));
      renewal.unref();
      try {
        return { locked: true, value: await work({ groupId, acquiredAt: lease.acquiredAt }) };
      } finally {
        held.running = false;
        clearInterval(renewal);
        // A lease that cannot be released now expires; this instance may take it again at once.
        await this.store.unlockGroup(groupId, this.options.instanceId).catch(() => undefined);
      }
    } finally {
      leave();
      if (this.queues.get(groupId) === tail) this.queues.delete(groupId);
    }
  }

  /** Takes the store's lease, looking again (a little later each time) while another instance holds it. */
  private async lease(groupId: string, deadline: number): Promise<{ acquiredAt: Date } | null> {
    for (let attempt = 0; ; attempt++) {
      const lease = await this.store.tryLockGroup(groupId, this.options.instanceId, this.leaseMs);
      if (lease) return lease;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      // Jitter keeps instances waiting for one group from looking in lockstep.
      const pause = Math.min(MAX_POLL_MS, 10 * 2 ** attempt) * (0.5 + this.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    }
  }

  private async renew(groupId: string, held: { running: boolean }): Promise<void> {
    try {
      // A renewal that lands after the release finds nothing to renew, and that is fine.
      if ((await this.store.renewGroupLock(groupId, this.options.instanceId, this.leaseMs)) || !held.running) return;
      this.options.log?.('warn', `the write lease on group ${groupId} passed to another instance while a write was running`);
    } catch (err) {
      this.options.log?.('warn', `renewing the write lease on group ${groupId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Whether `promise` settles before the deadline. */
async function untilDeadline(promise: Promise<void>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
