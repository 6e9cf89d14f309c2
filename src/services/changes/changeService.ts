import { randomUUID } from 'node:crypto';
import type { ProlificClient } from '../../prolific';
import type { ParticipantGroup } from '../../prolific/types';
import type { AuditStore, GroupWriteLockStore, Operation, OperationStore, OutcomeStore, SnapshotStore, WatchStateStore } from '../../store/types';
import type { Actor } from '../actor';
import type { StudyUsageLookup } from '../studies';
import { GroupOutsideWorkspaceError, type ServedGroups } from '../servedGroups';
import { ChangePreviews } from './changePreviews';
import { ChangeWriter } from './changeWriter';
import { GroupWriteLock, type HeldGroupLock } from './groupWriteLock';
import { needsTypedName, typedNameMatches } from './operationDetails';
import { OutcomeRecorder } from './outcomeRecorder';
import { DEFAULT_STUCK_AFTER_MS, StuckOperations } from './stuckOperations';
import type { AppliedChange, ConfirmResult, FailedChange, GroupDeletion, MembershipPreviewInput, RecoveredOperation, RefusalReason, UndoMode, UndoRefusal } from './types';
import { whyNotPending } from './whyNotPending';

export interface ChangeServiceOptions {
  pendingTtlMs: number;
  /** The one door to reading a group, which refuses groups outside the workspaces this app serves. */
  groups: ServedGroups;
  now?: () => Date;
  /** Whether `actor` may confirm, cancel or retry a preview `requesterId` asked for; default: only the requester. */
  mayActFor?: (actor: Actor, requesterId: string) => boolean;
  /** Told about every applied change, e.g. so the watcher does not announce it a second time. */
  onApplied?: (change: AppliedChange) => Promise<void> | void;
  /** The audit log's line for a failure, which the history shows; its words are the renderers' (slack/blocks/failedChange.ts). */
  failureSummary: (failure: Pick<FailedChange, 'cause' | 'written'>) => string;
  /**
   * How long a confirmation may stay 'applying' before recoverStuckOperations() settles it. Longer
   * than any write takes with its retries and timeouts; default 15 minutes.
   */
  stuckAfterMs?: number;
  /** This instance, as the holder of its group write leases; default a random id. */
  instanceId?: string;
  /** How long a group's write lease lasts unless renewed, and how long a confirmation waits for it (GroupWriteLock). */
  writeLock?: { leaseMs?: number; waitMs?: number };
  log?: (level: 'warn', msg: string) => void;
  /** Which studies use a group: risky previews name them and their confirmations check them again. */
  studies?: StudyUsageLookup;
  /** Channels that hear of every applied change (NOTIFY_CHANNEL), beside those watching the group. */
  announceTo?: string[];
  /** Where Recreate makes a group whose snapshot does not name its workspace (kept by an older release). */
  workspaceId?: string;
}

/**
 * Every change to a group goes through here: a preview stored as a pending operation
 * (ChangePreviews), a confirmation that claims it exactly once (below), the write (ChangeWriter),
 * its recorded outcome (OutcomeRecorder), and the recovery of confirmations cut short
 * (StuckOperations). Confirmation is the one way to write a group, and it holds the group's
 * write lock (GroupWriteLock) from the claim to the recorded outcome, so writes to one group
 * never overlap, in one instance or across several.
 */
export class ChangeService {
  private readonly now: () => Date;
  /** Operations this instance is applying right now: never taken for stuck. */
  private readonly applying = new Set<string>();
  private readonly previews: ChangePreviews;
  private readonly recorder: OutcomeRecorder;
  private readonly writer: ChangeWriter;
  private readonly stuck: StuckOperations;
  private readonly lock: GroupWriteLock;

  constructor(
    client: ProlificClient,
    private readonly store: OperationStore & SnapshotStore & OutcomeStore & GroupWriteLockStore & Pick<WatchStateStore, 'getWatchState'> & Pick<AuditStore, 'listAudit' | 'findDeletions'>,
    private readonly options: ChangeServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.previews = new ChangePreviews(options.groups, store, {
      pendingTtlMs: options.pendingTtlMs,
      mayActFor: (actor, requesterId) => this.mayActFor(actor, requesterId),
      ...(options.studies ? { studies: options.studies } : {}),
    });
    this.recorder = new OutcomeRecorder(client, store, {
      onApplied: options.onApplied,
      failureSummary: options.failureSummary,
      ...(options.announceTo ? { announceTo: options.announceTo } : {}),
    });
    this.writer = new ChangeWriter(client, options.groups, store, this.previews, this.recorder, options.studies, options.workspaceId);
    this.stuck = new StuckOperations(client, store, this.recorder, this.applying);
    this.lock = new GroupWriteLock(store, {
      instanceId: options.instanceId ?? randomUUID(),
      ...options.writeLock,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** Reads the group and its members, and stores the plan of a membership change as a pending operation. */
  previewMembership(input: MembershipPreviewInput): Promise<Operation> {
    return this.previews.previewMembership(input);
  }

  /** A membership change whose ids come from another group; both are read again at confirmation. */
  previewFromGroup(input: Parameters<ChangePreviews['previewFromGroup']>[0]): Promise<Operation> {
    return this.previews.previewFromGroup(input);
  }

  /** The group and its members, as a membership preview starts from. */
  readGroup(groupId: string): Promise<{ group: ParticipantGroup; members: string[] }> {
    return this.previews.readGroup(groupId);
  }

  previewRename(input: { groupId: string; newName: string; actor: Actor; channelId: string | null }): Promise<Operation> {
    return this.previews.previewRename(input);
  }

  previewDelete(input: { groupId: string; actor: Actor; channelId: string | null }): Promise<Operation> {
    return this.previews.previewDelete(input);
  }

  /**
   * Undo of an applied change through its own preview: `revert` takes back that one change and
   * keeps later ones; `restore` brings back the group as it was before it (see ChangePreviews).
   */
  previewUndo(operationId: string, actor: Actor, channelId: string | null, mode: UndoMode = 'revert'): Promise<Operation | UndoRefusal> {
    return this.previews.previewUndo(operationId, actor, channelId, mode);
  }

  /** A new group with the name, description and members a deleted group had, through its own preview. */
  previewRecreate(deleteOperationId: string, actor: Actor, channelId: string | null): Promise<Operation | UndoRefusal> {
    return this.previews.previewRecreate(deleteOperationId, actor, channelId);
  }

  /** The app's record of a group's deletion (who, when, whether it was recreated), or null. */
  deletionOf(groupId: string): Promise<GroupDeletion | null> {
    return this.previews.deletionOf(groupId);
  }

  /** A group the app deleted, found by its id or former name, or null. */
  findDeletion(idOrName: string): Promise<GroupDeletion | null> {
    return this.previews.findDeletion(idOrName);
  }

  /** A preview adding back the ids an applied overwrite dropped (they joined while it was being written). */
  previewAddBack(operationId: string, actor: Actor, channelId: string | null): Promise<Operation | { refused: RefusalReason }> {
    return this.previews.previewAddBack(operationId, actor, channelId);
  }

  /** A fresh preview of a failed operation's change, against the group as it is now. */
  previewRetry(operationId: string, actor: Actor): Promise<Operation | { refused: RefusalReason }> {
    return this.previews.previewRetry(operationId, actor);
  }

  async cancel(operationId: string, actor: Actor): Promise<{ ok: true; operation: Operation } | { ok: false; reason: RefusalReason; operation: Operation | null }> {
    const op = await this.store.getOperation(operationId);
    if (!op) return { ok: false, reason: 'missing', operation: null };
    if (!this.mayActFor(actor, op.slackUserId)) return { ok: false, reason: 'not_requester', operation: op };
    const cancelled = await this.store.transitionOperation(op.id, ['pending', 'failed'], 'cancelled');
    if (cancelled) return { ok: true, operation: cancelled };
    return { ok: false, reason: await this.whyNotPending(op.id), operation: await this.store.getOperation(op.id) };
  }

  /**
   * Applies a previewed operation, once. A second confirmation of the same operation, from a
   * double click, a retried delivery or another instance, is refused by the store's atomic
   * status change, never applied again. A confirmation that finds another write to the group
   * under way waits for it (bounded) and then re-reads the group like any other: if the group
   * moved, nothing is written and a fresh preview is returned.
   */
  async confirm(operationId: string, actor: Actor, options: { typedName?: string } = {}): Promise<ConfirmResult> {
    const op = await this.store.getOperation(operationId);
    if (!op) return { kind: 'refused', reason: 'missing', operation: null };
    if (!this.mayActFor(actor, op.slackUserId)) return { kind: 'refused', reason: 'not_requester', operation: op };
    // Deleting a group a live study uses takes its name, typed (see typedNameMatches).
    if (needsTypedName(op) && !typedNameMatches(options.typedName, op.groupName)) return { kind: 'refused', reason: 'name_not_typed', operation: op };
    // A repeated click on a change that is settled or being written is answered at once.
    if (op.status !== 'pending') return { kind: 'refused', reason: await this.whyNotPending(op.id), operation: op };
    if (op.expiresAt.getTime() <= this.now().getTime()) {
      await this.store.transitionOperation(op.id, ['pending'], 'expired');
      return { kind: 'refused', reason: 'expired', operation: op };
    }
    const locked = await this.lock.withGroupLock(op.groupId, (lock) => this.confirmLocked(op, actor, lock));
    return locked.locked ? locked.value : { kind: 'refused', reason: 'group_busy', operation: op };
  }

  private async confirmLocked(op: Operation, actor: Actor, lock: HeldGroupLock): Promise<ConfirmResult> {
    // The claim also refuses a preview that expired during the wait.
    const claimed = await this.store.transitionOperation(op.id, ['pending'], 'applying');
    if (!claimed) return { kind: 'refused', reason: await this.whyNotPending(op.id), operation: await this.store.getOperation(op.id) };
    this.applying.add(claimed.id);
    try {
      return await this.writer.applyClaimed(claimed, actor, lock);
    } catch (err) {
      // A preview of a group outside the served workspaces (made before this check, or under
      // another configuration) is refused before anything is written.
      if (err instanceof GroupOutsideWorkspaceError) {
        const cancelled = await this.store.transitionOperation(claimed.id, ['applying'], 'cancelled');
        return { kind: 'refused', reason: 'outside_workspace', operation: cancelled ?? claimed };
      }
      // Anything unexpected before the write (applyClaimed handles what follows it) still leaves an exact record.
      return { kind: 'failed', failure: await this.recorder.recordFailure(claimed, actor, err, null) };
    } finally {
      this.applying.delete(claimed.id);
    }
  }

  /**
   * Settles confirmations left 'applying' for longer than stuckAfterMs (see StuckOperations):
   * recorded as applied when the group shows the change, as failed otherwise.
   */
  recoverStuckOperations(options: { olderThanMs?: number; now?: Date } = {}): Promise<RecoveredOperation[]> {
    const olderThanMs = options.olderThanMs ?? this.options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
    return this.stuck.recover(options.now ?? this.now(), olderThanMs);
  }

  private async whyNotPending(operationId: string): Promise<RefusalReason> {
    const reason = await whyNotPending(this.store, operationId, this.now());
    // A failed change's preview is closed: Retry previews it afresh.
    return reason === 'failed' ? 'cancelled' : reason;
  }

  private mayActFor(actor: Actor, requesterId: string): boolean {
    return this.options.mayActFor ? this.options.mayActFor(actor, requesterId) : actor.userId === requesterId;
  }
}
