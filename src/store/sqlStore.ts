import { createAuditStore } from './audit';
import type { Database } from './database';
import { createDeliveryStore } from './deliveries';
import { createGroupWriteLockStore } from './groupWriteLocks';
import { createLeaseStore } from './leases';
import { createNotificationOutboxStore } from './notificationOutbox';
import { createOperationStore } from './operations';
import { createOutcomeStore } from './outcomes';
import { createSnapshotStore } from './snapshots';
import { createStudyDetailsStore } from './studyDetails';
import { createSubscriptionStore } from './subscriptions';
import type { Store, StoreHealth } from './types';
import { createWatchStateStore } from './watchState';

/** The Store, as SQL over either driver: each aggregate's statements over one database. */
export function createSqlStore(db: Database): Store {
  return {
    driver: db.driver,

    async health(): Promise<StoreHealth> {
      try {
        await db.query('select 1');
        return { ok: true, driver: db.driver };
      } catch (err) {
        // The drivers redact connection passwords from their errors.
        const message = (err as { message?: unknown } | null)?.message;
        return { ok: false, driver: db.driver, error: typeof message === 'string' ? message : String(err) };
      }
    },

    close: () => db.close(),

    ...createOperationStore(db),
    ...createSnapshotStore(db),
    ...createAuditStore(db),
    ...createSubscriptionStore(db),
    ...createWatchStateStore(db),
    ...createLeaseStore(db),
    ...createGroupWriteLockStore(db),
    ...createStudyDetailsStore(db),
    ...createDeliveryStore(db),
    ...createOutcomeStore(db),
    ...createNotificationOutboxStore(db),
  };
}
