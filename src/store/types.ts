// The Store: one door to the database, composed of one narrow interface per aggregate. A service
// takes only the aggregates it uses (e.g. `AuditStore`, or `OperationStore & SnapshotStore`);
// the app opens one Store and hands it over. One schema serves both drivers (PGlite embedded,
// PostgreSQL via `pg`).
import type { AuditStore } from './audit';
import type { ChannelWorkspaceStore } from './channelWorkspaces';
import type { StoreDriver } from './database';
import type { DeliveryStore } from './deliveries';
import type { GroupWriteLockStore } from './groupWriteLocks';
import type { HomeWorkspaceStore } from './homeWorkspaces';
import type { LeaseStore } from './leases';
import type { NotificationOutboxStore } from './notificationOutbox';
import type { OperationStore } from './operations';
import type { OutcomeStore } from './outcomes';
import type { ParticipantErasureStore } from './participantErasure';
import type { SnapshotStore } from './snapshots';
import type { StoreHealth } from './storeHealth';
import type { StudyDetailsStore } from './studyDetails';
import type { SubscriptionStore } from './subscriptions';
import type { WatchStateStore } from './watchState';

export type { AuditEntry, AuditFilter, AuditOutcome, AuditStore, NewAuditEntry } from './audit';
export type { ChannelWorkspace, ChannelWorkspaceStore } from './channelWorkspaces';
export type { DeliveryStore } from './deliveries';
export type { GroupWriteLease, GroupWriteLockStore } from './groupWriteLocks';
export type { HomeWorkspace, HomeWorkspaceStore } from './homeWorkspaces';
export type { LeaseStore } from './leases';
export type { NewNotifications, Notification, NotificationOutboxStore, NotificationStatus } from './notificationOutbox';
export type {
  MessageRef,
  NewOperation,
  Operation,
  OperationFilter,
  OperationKind,
  OperationPatch,
  OperationStatus,
  OperationStore,
} from './operations';
export type { OutcomeStore, RecordedOutcome } from './outcomes';
export type { ErasureReport, ParticipantErasureStore } from './participantErasure';
export type { NewSnapshot, Snapshot, SnapshotStore } from './snapshots';
export type { StoreHealth } from './storeHealth';
export type { CachedStudyDetails, NewStudyDetails, StudyDetailsRecord, StudyDetailsStore } from './studyDetails';
export type { Subscription, SubscriptionFilter, SubscriptionStore } from './subscriptions';
export type { WatchState, WatchStateStore } from './watchState';

export interface Store
  extends OperationStore,
    SnapshotStore,
    AuditStore,
    SubscriptionStore,
    WatchStateStore,
    LeaseStore,
    GroupWriteLockStore,
    StudyDetailsStore,
    DeliveryStore,
    OutcomeStore,
    NotificationOutboxStore,
    ChannelWorkspaceStore,
    HomeWorkspaceStore,
    ParticipantErasureStore {
  readonly driver: StoreDriver;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
