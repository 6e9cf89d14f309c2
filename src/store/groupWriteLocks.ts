// Group write locks: which instance is writing to a group right now, so that writes to one group
// happen one at a time across every instance on the database. A lease row, not a transaction or
// an advisory lock: no connection is held while a write waits for Prolific, and it works the
// same on PGlite (one connection, where a session lock would be re-entrant for everyone).
import type { Queryable } from './database';
import { firstRow, toDate } from './sqlValues';

/** A group's write lease as granted, in the database's clock. */
export interface GroupWriteLease {
  groupId: string;
  holder: string;
  acquiredAt: Date;
  expiresAt: Date;
}

export interface GroupWriteLockStore {
  /**
   * Takes the group's write lease for `holder` when it is free, expired, or already the holder's
   * (which renews it); null while another holder's lease runs.
   */
  tryLockGroup(groupId: string, holder: string, ttlMs: number): Promise<GroupWriteLease | null>;
  /** Extends the holder's lease; false when the lease is no longer the holder's. */
  renewGroupLock(groupId: string, holder: string, ttlMs: number): Promise<boolean>;
  unlockGroup(groupId: string, holder: string): Promise<void>;
  /** The lease on a group, expired or not, if any. */
  getGroupLock(groupId: string): Promise<GroupWriteLease | null>;
}

interface LeaseRow {
  group_id: string;
  holder: string;
  acquired_at: unknown;
  expires_at: unknown;
}

function toLease(row: LeaseRow): GroupWriteLease {
  return { groupId: row.group_id, holder: row.holder, acquiredAt: toDate(row.acquired_at), expiresAt: toDate(row.expires_at) };
}

export function createGroupWriteLockStore(db: Queryable): GroupWriteLockStore {
  return {
    async tryLockGroup(groupId: string, holder: string, ttlMs: number): Promise<GroupWriteLease | null> {
      // One statement, so two instances can never both see the row free: a taken lease is
      // overwritten only by its own holder or once it has expired (its holder presumed gone).
      const row = await firstRow<LeaseRow>(
        db,
        `insert into group_write_locks (group_id, holder, acquired_at, expires_at)
         values ($1, $2, now(), now() + $3::double precision * interval '1 millisecond')
         on conflict (group_id) do update set
           holder = excluded.holder,
           acquired_at = excluded.acquired_at,
           expires_at = excluded.expires_at
         where group_write_locks.holder = excluded.holder or group_write_locks.expires_at <= now()
         returning group_id, holder, acquired_at, expires_at`,
        [groupId, holder, ttlMs],
      );
      return row ? toLease(row) : null;
    },

    async renewGroupLock(groupId: string, holder: string, ttlMs: number): Promise<boolean> {
      const rows = await db.query(
        `update group_write_locks set expires_at = now() + $3::double precision * interval '1 millisecond'
         where group_id = $1 and holder = $2
         returning 1`,
        [groupId, holder, ttlMs],
      );
      return rows.length > 0;
    },

    async unlockGroup(groupId: string, holder: string): Promise<void> {
      await db.query('delete from group_write_locks where group_id = $1 and holder = $2', [groupId, holder]);
    },

    async getGroupLock(groupId: string): Promise<GroupWriteLease | null> {
      const row = await firstRow<LeaseRow>(db, 'select group_id, holder, acquired_at, expires_at from group_write_locks where group_id = $1', [groupId]);
      return row ? toLease(row) : null;
    },
  };
}
