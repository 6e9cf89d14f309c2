// Leases: named work that exactly one instance may do at a time (the watcher's polling round).
import type { Queryable } from './database';

export interface LeaseStore {
  /** A named lease for work that exactly one instance may do at a time; it passes on when it expires. */
  tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}

export function createLeaseStore(db: Queryable): LeaseStore {
  return {
    async tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
      // One statement: a free name is inserted; a taken one is overwritten only by its own
      // holder (a renewal) or once it has expired (its holder is presumed gone).
      const rows = await db.query(
        `insert into leases (name, holder, expires_at)
         values ($1, $2, now() + $3::double precision * interval '1 millisecond')
         on conflict (name) do update set
           holder = excluded.holder,
           expires_at = excluded.expires_at,
           acquired_at = case when leases.holder = excluded.holder then leases.acquired_at else now() end
         where leases.holder = excluded.holder or leases.expires_at <= now()
         returning 1`,
        [name, holder, ttlMs],
      );
      return rows.length > 0;
    },

    async releaseLease(name: string, holder: string): Promise<void> {
      await db.query('delete from leases where name = $1 and holder = $2', [name, holder]);
    },
  };
}
