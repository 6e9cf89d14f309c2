// Deliveries: every request Slack delivered (an Events API callback, a command, an interaction), by
// a key that a repeat of it shares, so that every instance on the database knows a repeat when it
// sees one (src/receivers/deliveryKeys.ts says which key). A key is kept until its expiry: as long
// as a repeat could still be accepted; the retention sweep forgets it afterwards.
import type { Queryable } from './database';
import { countOf } from './sqlValues';

export interface DeliveryStore {
  /**
   * Records a delivery; false when its key is already recorded and not expired, i.e. this is a
   * repeat. One statement, so two instances receiving the same delivery at once cannot both get true.
   */
  recordDelivery(key: string, expiresAt: Date): Promise<boolean>;
  /** Forgets the deliveries whose keys expired before `now` (default: the database's clock). */
  forgetExpiredDeliveries(now?: Date): Promise<number>;
}

export function createDeliveryStore(db: Queryable): DeliveryStore {
  return {
    async recordDelivery(key: string, expiresAt: Date): Promise<boolean> {
      // An expired key that the sweep has not removed yet counts as free.
      const rows = await db.query(
        `insert into deliveries (key, expires_at) values ($1, $2::timestamptz)
         on conflict (key) do update set received_at = now(), expires_at = excluded.expires_at
         where deliveries.expires_at <= now()
         returning 1`,
        [key, expiresAt],
      );
      return rows.length > 0;
    },

    forgetExpiredDeliveries: (now?: Date) =>
      countOf(
        db,
        `with forgotten as (
           delete from deliveries where expires_at <= coalesce($1::timestamptz, now()) returning 1
         ) select count(*)::int as n from forgotten`,
        [now ?? null],
      ),
  };
}
