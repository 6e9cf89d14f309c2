import { createAuditStore } from './audit';
import { createChannelWorkspaceStore } from './channelWorkspaces';
import type { Database } from './database';
import { createDeliveryStore } from './deliveries';
import { createGroupWriteLockStore } from './groupWriteLocks';
import { createHomeWorkspaceStore } from './homeWorkspaces';
import { createLeaseStore } from './leases';
import { createNotificationOutboxStore } from './notificationOutbox';
import { createOperationStore } from './operations';
import { createParticipantErasureStore } from './participantErasure';
import { createOutcomeStore } from './outcomes';
import { createSnapshotStore } from './snapshots';
import { createStudyDetailsStore } from './studyDetails';
import { createSubscriptionStore } from './subscriptions';
import { checkStoreHealth } from './storeHealth';
import type { Store } from './types';
import { createWatchStateStore } from './watchState';

/**
 * The Store, as SQL over either driver: each aggregate's statements over one database. `dataDir`:
 * where the embedded store lives on disk, which /healthz checks takes writes too.
 */
export function createSqlStore(db: Database, options: { dataDir?: string | null } = {}): Store {
  return {
    driver: db.driver,

    health: () => checkStoreHealth(db, db.driver, options.dataDir ?? null),

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
    // Embedded PGlite is this process's own database: the store is its only writer.
    ...createChannelWorkspaceStore(db, { soleWriter: db.driver === 'pglite' }),
    ...createHomeWorkspaceStore(db),
    ...createParticipantErasureStore(db),
  };
}
