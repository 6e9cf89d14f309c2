// The contract of the change service: what a preview records, and what a confirmation returns.
// Outcomes are facts (counts, ids, causes); the renderers in slack/blocks put them into words.
import type { Operation } from '../../store/types';
import type { Actor } from '../actor';

/** Counts and a few sample ids of a membership change, as the preview showed them. */
export interface PlanSummary {
  currentTotal: number;
  newTotal: number;
  toAdd: number;
  toRemove: number;
  unchanged: number;
  alreadyPresent: number;
  notPresent: number;
  sampleAdd: string[];
  sampleRemove: string[];
}

/** Where the ids came from, and what was dropped on the way. */
export interface IdSource {
  label: string;
  invalid: { line?: number; value: string }[];
  invalidCount: number;
  duplicateCount: number;
  note: string | null;
}

/** What an operation records beside its id lists, for rendering its preview and outcome. */
export interface OperationDetails {
  summary: PlanSummary | null;
  source: IdSource | null;
  undoOf: string | null;
  restoreName: boolean;
  restoreMembers: boolean;
  /** The preview this one replaced because the group changed before confirmation. */
  supersedes: string | null;
}

export type MembershipMode = 'replace' | 'add' | 'remove';

/** A change that was applied, with everything a notification needs. */
export interface AppliedChange {
  operation: Operation;
  actor: Actor;
  groupId: string;
  beforeName: string;
  afterName: string;
  beforeCount: number;
  afterCount: number;
  added: number;
  removed: number;
  sampleAdded: string[];
  sampleRemoved: string[];
  snapshotId: string | null;
  /** Set when Prolific's count after the write is not what the plan predicted. */
  countMismatch: { expected: number; actual: number } | null;
  /**
   * The change is in Prolific but the database did not answer, so it is not recorded yet (no
   * history, no undo): recoverStuckOperations() records and announces it once the database is back.
   */
  unrecorded?: boolean;
  /** Recorded by recoverStuckOperations(), after the confirmation that made it was cut short. */
  recovered?: boolean;
}

/** A write that failed, reported exactly: what was written, what was not, and the group as it really is now. */
export interface FailedChange {
  operation: Operation;
  error: string;
  /** True when Prolific may or may not have applied the write. */
  outcomeUnknown: boolean;
  written: string;
  notWritten: string;
  current: { name: string; count: number; matchesTarget: boolean | null } | null;
  /** The database did not answer, so the failure is not recorded yet (recoverStuckOperations() records it). */
  unrecorded?: boolean;
  /** The error is the app's own (or its database's), not an answer from Prolific. */
  appError?: boolean;
}

export type RefusalReason = 'missing' | 'expired' | 'not_requester' | 'already_applied' | 'in_progress' | 'cancelled' | 'not_allowed' | 'snapshot_gone' | 'not_undoable';

export type ConfirmResult =
  | { kind: 'applied'; change: AppliedChange }
  | { kind: 'failed'; failure: FailedChange }
  | { kind: 'stale'; previous: Operation; fresh: Operation; drift: { added: number; removed: number; renamedTo: string | null } }
  | { kind: 'refused'; reason: RefusalReason; operation: Operation | null };

/** What recoverStuckOperations() made of a confirmation left 'applying'. */
export type RecoveredOperation = Extract<ConfirmResult, { kind: 'applied' | 'failed' }>;
