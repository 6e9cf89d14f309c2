// The store's records. One schema serves both drivers (PGlite embedded, PostgreSQL via `pg`).

export type OperationKind = 'replace' | 'add' | 'remove' | 'rename' | 'undo' | 'delete';
export type OperationStatus = 'pending' | 'applying' | 'applied' | 'failed' | 'cancelled' | 'expired';

/** Where the confirmation message lives, so the outcome can replace it in place. */
export interface MessageRef {
  channel: string;
  ts?: string;
  responseUrl?: string;
}

export interface NewOperation {
  kind: OperationKind;
  groupId: string;
  groupName: string;
  slackUserId: string;
  slackTeamId: string;
  channelId: string | null;
  /** The full id list: the target membership for replace/undo, the delta for add/remove. */
  participantIds: string[];
  /** The membership the preview was computed against. */
  baselineIds: string[];
  baselineName: string;
  /** Target name for rename (and for undo of a rename). */
  newName: string | null;
  /** For undo: the snapshot being restored. */
  snapshotId: string | null;
  /** Free-form facts the preview showed (counts, invalid rows, file name), for rendering the outcome. */
  details: Record<string, unknown>;
  message: MessageRef | null;
  ttlMs: number;
}

export interface Operation extends Omit<NewOperation, 'ttlMs'> {
  id: string;
  status: OperationStatus;
  result: Record<string, unknown> | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

export interface OperationPatch {
  result?: Record<string, unknown> | null;
  error?: string | null;
  message?: MessageRef | null;
}

export interface NewSnapshot {
  groupId: string;
  name: string;
  memberIds: string[];
  operationId: string | null;
}

export interface Snapshot extends NewSnapshot {
  id: string;
  takenAt: Date;
}

export type AuditOutcome = 'applied' | 'failed' | 'partial' | 'unknown' | 'refused';

export interface NewAuditEntry {
  slackUserId: string;
  slackTeamId: string;
  /** What was done: create, rename, add, remove, replace, undo, delete. */
  action: string;
  groupId: string;
  groupName: string;
  beforeName: string | null;
  afterName: string | null;
  beforeCount: number | null;
  afterCount: number | null;
  added: number;
  removed: number;
  outcome: AuditOutcome;
  /** The Prolific error text, if any (never a token). */
  error: string | null;
  operationId: string | null;
  snapshotId: string | null;
}

export interface AuditEntry extends NewAuditEntry {
  id: string;
  at: Date;
}

export interface Subscription {
  teamId: string;
  channelId: string;
  groupId: string;
  groupName: string;
  createdBy: string;
  createdAt: Date;
}

/** What the watcher last saw of a group. */
export interface WatchState {
  groupId: string;
  name: string;
  participantCount: number;
  isDeleted: boolean;
  /** The membership as last read in full (sorted), or null when only the count is known. */
  memberIds: string[] | null;
  round: number;
  lastPolledAt: Date | null;
  lastChangeAt: Date | null;
  lastChangeSummary: string | null;
  backoffUntil: Date | null;
}

export interface StoreHealth {
  ok: boolean;
  driver: 'pglite' | 'postgres';
  error?: string;
}

export interface Store {
  readonly driver: 'pglite' | 'postgres';
  health(): Promise<StoreHealth>;
  close(): Promise<void>;

  createOperation(input: NewOperation): Promise<Operation>;
  getOperation(id: string): Promise<Operation | null>;
  /**
   * Operations in these statuses, optionally of one group and last changed in a time window:
   * what the bot is writing or wrote lately (for the watcher), or confirmations left 'applying'
   * when the database or the process went away (for recovery). Default: oldest change first.
   */
  listOperations(filter: {
    status: OperationStatus[];
    groupId?: string;
    updatedSince?: Date;
    updatedBefore?: Date;
    limit?: number;
    order?: 'oldest' | 'newest';
  }): Promise<Operation[]>;
  /**
   * The one atomic status change: moves the operation to `to` only if its status is one of
   * `from` (and, when leaving `pending`, it has not expired). Returns the updated operation,
   * or null when another caller got there first or the conditions do not hold.
   */
  transitionOperation(
    id: string,
    from: OperationStatus[],
    to: OperationStatus,
    patch?: OperationPatch,
  ): Promise<Operation | null>;
  setOperationMessage(id: string, message: MessageRef): Promise<void>;
  /** Marks pending operations past their expiry as expired; returns how many. */
  expireOperations(now?: Date): Promise<number>;

  saveSnapshot(snapshot: NewSnapshot): Promise<Snapshot>;
  getSnapshot(id: string): Promise<Snapshot | null>;
  /** The snapshot taken just before an operation's write, if it got that far. */
  getSnapshotForOperation(operationId: string): Promise<Snapshot | null>;
  /** Deletes snapshots older than the given number of days; returns how many. */
  pruneSnapshots(olderThanDays: number, now?: Date): Promise<number>;

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  listAudit(filter: { groupId?: string; teamId?: string; limit: number; offset: number }): Promise<AuditEntry[]>;

  /** Returns false when the channel already watched the group. */
  subscribe(sub: Omit<Subscription, 'createdAt'>): Promise<boolean>;
  /** Returns false when there was nothing to remove. */
  unsubscribe(channelId: string, groupId: string): Promise<boolean>;
  listSubscriptions(filter: { channelId?: string; groupId?: string; teamId?: string }): Promise<Subscription[]>;

  getWatchState(groupId: string): Promise<WatchState | null>;
  saveWatchState(state: WatchState): Promise<void>;
  deleteWatchState(groupId: string): Promise<void>;

  /** A named lease for work that exactly one instance may do at a time; it passes on when it expires. */
  tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}
