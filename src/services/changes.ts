import type { ProlificClient } from '../prolific';
import type { ParticipantGroup } from '../prolific/types';
import { ProlificError } from '../prolific';
import type { AuditOutcome, Operation, OperationKind, Store } from '../store/types';
import type { Actor } from './actor';
import type { InlineIds } from './participantIds';
import { type MembershipPlan, planAdd, planRemove, planReplace, sameMembership } from './membershipPlan';

const SAMPLE_SIZE = 5;

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

/** What recoverStuckOperations() made of a confirmation left 'applying'. */
export type RecoveredOperation = Extract<ConfirmResult, { kind: 'applied' | 'failed' }>;

/** recoverStuckOperations() found an operation already settled by another instance. */
class SettledElsewhereError extends Error {}

/** A confirmation that was cut short (the database or the process went away) before it recorded its outcome. */
export class UnfinishedOperationError extends Error {
  constructor(readonly mayHaveWritten: boolean) {
    super(
      mayHaveWritten
        ? 'The app stopped before it could confirm the change with Prolific.'
        : 'The app stopped before it wrote the change to Prolific.',
    );
    this.name = 'UnfinishedOperationError';
  }
}

export type RefusalReason = 'missing' | 'expired' | 'not_requester' | 'already_applied' | 'in_progress' | 'cancelled' | 'not_allowed' | 'snapshot_gone' | 'not_undoable';

export type ConfirmResult =
  | { kind: 'applied'; change: AppliedChange }
  | { kind: 'failed'; failure: FailedChange }
  | { kind: 'stale'; previous: Operation; fresh: Operation; drift: { added: number; removed: number; renamedTo: string | null } }
  | { kind: 'refused'; reason: RefusalReason; operation: Operation | null };

export interface ChangeServiceOptions {
  pendingTtlMs: number;
  now?: () => Date;
  /** Whether `actor` may confirm, cancel or retry a preview `requesterId` asked for; default: only the requester. */
  mayActFor?: (actor: Actor, requesterId: string) => boolean;
  /** Told about every applied change, e.g. so the watcher does not announce it a second time. */
  onApplied?: (change: AppliedChange) => Promise<void> | void;
  /**
   * How long a confirmation may stay 'applying' before recoverStuckOperations() settles it. Longer
   * than any write takes with its retries and timeouts; default 15 minutes.
   */
  stuckAfterMs?: number;
}

export const DEFAULT_STUCK_AFTER_MS = 15 * 60_000;

function summarise(plan: MembershipPlan): PlanSummary {
  return {
    currentTotal: plan.currentTotal,
    newTotal: plan.newTotal,
    toAdd: plan.toAdd.length,
    toRemove: plan.toRemove.length,
    unchanged: plan.unchanged,
    alreadyPresent: plan.alreadyPresent,
    notPresent: plan.notPresent,
    sampleAdd: plan.toAdd.slice(0, SAMPLE_SIZE),
    sampleRemove: plan.toRemove.slice(0, SAMPLE_SIZE),
  };
}

function planFor(kind: OperationKind, current: string[], ids: string[]): MembershipPlan {
  if (kind === 'add') return planAdd(current, ids);
  if (kind === 'remove') return planRemove(current, ids);
  return planReplace(current, ids);
}

/** Where pasted or typed ids came from, with what was dropped on the way. */
export function inlineIdSource(label: string, ids: InlineIds): IdSource {
  return {
    label,
    invalid: ids.invalid.slice(0, 10).map((value) => ({ value: value.slice(0, 40) })),
    invalidCount: ids.invalid.length,
    duplicateCount: ids.duplicates,
    note: null,
  };
}

export function operationDetails(op: Operation): OperationDetails {
  return completeDetails(op.details as Partial<OperationDetails>);
}

/** Details with every field present, as stored with an operation and read back. */
function completeDetails(d: Partial<OperationDetails>): OperationDetails {
  return {
    summary: d.summary ?? null,
    source: d.source ?? null,
    undoOf: d.undoOf ?? null,
    restoreName: d.restoreName ?? false,
    restoreMembers: d.restoreMembers ?? false,
    supersedes: d.supersedes ?? null,
  };
}

/** Does this operation change membership (and so need the membership baseline)? */
function touchesMembers(op: { kind: OperationKind; details: Record<string, unknown> }): boolean {
  if (op.kind === 'undo') return Boolean((op.details as Partial<OperationDetails>).restoreMembers);
  return op.kind === 'replace' || op.kind === 'add' || op.kind === 'remove';
}

/**
 * Every change to a group goes through here: a preview stored as a pending operation, a
 * confirmation that claims it exactly once, a re-read that refuses to write over changes
 * made since the preview, a snapshot, the write, a check of the result, and the audit entry.
 */
export class ChangeService {
  private readonly now: () => Date;
  /** Operations this instance is applying right now: never taken for stuck. */
  private readonly applying = new Set<string>();

  constructor(
    private readonly client: ProlificClient,
    private readonly store: Store,
    private readonly options: ChangeServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Reads the group and its members, and stores the plan of a membership change as a pending operation. */
  async previewMembership(input: {
    mode: MembershipMode;
    groupId: string;
    ids: string[];
    actor: Actor;
    channelId: string | null;
    source: IdSource | null;
    supersedes?: string | null;
    /** The group as read already (see readGroup), e.g. while the file was being read. */
    current?: Promise<{ group: ParticipantGroup; members: string[] }>;
  }): Promise<Operation> {
    const { group, members } = await (input.current ?? this.readGroup(input.groupId));
    const plan = planFor(input.mode, members, input.ids);
    return this.storePreview(input.mode, group, input.actor, input.channelId, {
      participantIds: input.ids,
      baselineIds: members,
      details: { summary: summarise(plan), source: input.source, supersedes: input.supersedes ?? null },
    });
  }

  /** The group and its members, as a membership preview starts from. */
  async readGroup(groupId: string): Promise<{ group: ParticipantGroup; members: string[] }> {
    const [group, members] = await Promise.all([this.client.getGroup(groupId), this.memberIds(groupId)]);
    return { group, members };
  }

  async previewRename(input: { groupId: string; newName: string; actor: Actor; channelId: string | null }): Promise<Operation> {
    const group = await this.client.getGroup(input.groupId);
    return this.storePreview('rename', group, input.actor, input.channelId, { newName: input.newName.trim() });
  }

  async previewDelete(input: { groupId: string; actor: Actor; channelId: string | null }): Promise<Operation> {
    const group = await this.client.getGroup(input.groupId);
    return this.storePreview('delete', group, input.actor, input.channelId, {
      details: {
        summary: {
          currentTotal: group.participant_count,
          newTotal: 0,
          toAdd: 0,
          toRemove: group.participant_count,
          unchanged: 0,
          alreadyPresent: 0,
          notPresent: 0,
          sampleAdd: [],
          sampleRemove: [],
        },
      },
    });
  }

  /** Undo restores the snapshot taken before an applied change, through its own preview. */
  async previewUndo(operationId: string, actor: Actor, channelId: string | null): Promise<Operation | { refused: RefusalReason }> {
    const original = await this.store.getOperation(operationId);
    if (!original) return { refused: 'missing' };
    if (original.status !== 'applied') return { refused: 'not_undoable' };
    if (original.kind === 'delete') return { refused: 'not_undoable' };
    const snapshotId = original.result?.snapshotId as string | undefined;
    const snapshot = snapshotId ? await this.store.getSnapshot(snapshotId) : null;
    if (!snapshot) return { refused: 'snapshot_gone' };
    const originalDetails = operationDetails(original);
    const restoreName = original.kind === 'rename' || (original.kind === 'undo' && originalDetails.restoreName);
    const restoreMembers = touchesMembers(original);
    const [group, members] = await Promise.all([
      this.client.getGroup(original.groupId),
      restoreMembers ? this.memberIds(original.groupId) : Promise.resolve([] as string[]),
    ]);
    const summary = restoreMembers ? summarise(planReplace(members, snapshot.memberIds)) : null;
    return this.storePreview('undo', group, actor, channelId, {
      participantIds: restoreMembers ? snapshot.memberIds : [],
      baselineIds: members,
      newName: restoreName ? snapshot.name : null,
      snapshotId: snapshot.id,
      details: { summary, undoOf: original.id, restoreName, restoreMembers },
    });
  }

  /** Stores a preview as a pending operation of `actor`, against the group as just read. */
  private storePreview(
    kind: OperationKind,
    group: ParticipantGroup,
    actor: Actor,
    channelId: string | null,
    fields: { participantIds?: string[]; baselineIds?: string[]; newName?: string | null; snapshotId?: string | null; details?: Partial<OperationDetails> },
  ): Promise<Operation> {
    return this.store.createOperation({
      kind,
      groupId: group.id,
      groupName: group.name,
      slackUserId: actor.userId,
      slackTeamId: actor.teamId,
      channelId,
      participantIds: fields.participantIds ?? [],
      baselineIds: fields.baselineIds ?? [],
      baselineName: group.name,
      newName: fields.newName ?? null,
      snapshotId: fields.snapshotId ?? null,
      details: { ...completeDetails(fields.details ?? {}) },
      message: null,
      ttlMs: this.options.pendingTtlMs,
    });
  }

  /** A fresh preview of a failed operation's change, against the group as it is now. */
  async previewRetry(operationId: string, actor: Actor): Promise<Operation | { refused: RefusalReason }> {
    const failed = await this.store.getOperation(operationId);
    if (!failed) return { refused: 'missing' };
    if (failed.status !== 'failed') return { refused: failed.status === 'applied' ? 'already_applied' : 'in_progress' };
    if (!this.mayActFor(actor, failed.slackUserId)) return { refused: 'not_requester' };
    return this.repreview(failed, actor, failed.id);
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
   * status change, never applied again.
   */
  async confirm(operationId: string, actor: Actor): Promise<ConfirmResult> {
    const op = await this.store.getOperation(operationId);
    if (!op) return { kind: 'refused', reason: 'missing', operation: null };
    if (!this.mayActFor(actor, op.slackUserId)) return { kind: 'refused', reason: 'not_requester', operation: op };
    if (op.status === 'pending' && op.expiresAt.getTime() <= this.now().getTime()) {
      await this.store.transitionOperation(op.id, ['pending'], 'expired');
      return { kind: 'refused', reason: 'expired', operation: op };
    }
    const claimed = await this.store.transitionOperation(op.id, ['pending'], 'applying');
    if (!claimed) return { kind: 'refused', reason: await this.whyNotPending(op.id), operation: await this.store.getOperation(op.id) };
    this.applying.add(claimed.id);
    try {
      return await this.applyClaimed(claimed, actor);
    } catch (err) {
      // Anything unexpected before the write (applyClaimed handles what follows it) still leaves an exact record.
      return { kind: 'failed', failure: await this.recordFailure(claimed, actor, err, null) };
    } finally {
      this.applying.delete(claimed.id);
    }
  }

  /**
   * Settles confirmations left 'applying' for longer than stuckAfterMs: the database went away
   * before the outcome was recorded, or the process stopped mid-way. The group tells what
   * happened: if it already is what the change asked for, the change is recorded as applied
   * (and audited); otherwise as failed, so the requester can preview it again. Nothing is
   * written to Prolific here. An operation whose group cannot be read now is left for the next
   * sweep.
   */
  async recoverStuckOperations(options: { olderThanMs?: number; now?: Date } = {}): Promise<RecoveredOperation[]> {
    const now = options.now ?? this.now();
    const olderThanMs = options.olderThanMs ?? this.options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
    const stuck = await this.store.listOperations({ status: ['applying'], updatedBefore: new Date(now.getTime() - olderThanMs) });
    const settled: RecoveredOperation[] = [];
    for (const op of stuck) {
      if (this.applying.has(op.id)) continue;
      try {
        settled.push(await this.recoverOne(op));
      } catch {
        // Prolific or the database did not answer: the next sweep tries again.
      }
    }
    return settled;
  }

  /** A failure the recovery recorded; one it could not record yet is left for the next sweep. */
  private recoveredFailure(failure: FailedChange): RecoveredOperation {
    if (failure.unrecorded) throw new UnfinishedOperationError(true);
    return { kind: 'failed', failure };
  }

  private async recoverOne(op: Operation): Promise<RecoveredOperation> {
    const actor: Actor = { userId: op.slackUserId, teamId: op.slackTeamId };
    // The snapshot is saved before every write: without one, nothing was written.
    const snapshot = await this.store.getSnapshotForOperation(op.id);
    if (!snapshot) return this.recoveredFailure(await this.recordFailure(op, actor, new UnfinishedOperationError(false), null));
    const plan = touchesMembers(op) ? planFor(op.kind, snapshot.memberIds, op.participantIds) : null;
    const target = plan ? targetMembership(snapshot.memberIds, plan) : null;
    let group: ParticipantGroup | null = null;
    try {
      group = await this.client.getGroup(op.groupId);
    } catch (err) {
      // Gone is what a delete asked for; anything else leaves the operation for the next sweep.
      if (!(op.kind === 'delete' && err instanceof ProlificError && err.status === 404)) throw err;
    }
    const reached = op.kind === 'delete' ? group === null || group.is_deleted : await this.reachedTarget(op, target);
    if (!reached) return this.recoveredFailure(await this.recordFailure(op, actor, new UnfinishedOperationError(true), target, snapshot.id));

    const withMembers = touchesMembers(op) || op.kind === 'delete' || op.kind === 'rename';
    const afterCount = group?.participant_count ?? 0;
    const before = { name: snapshot.name, count: withMembers ? snapshot.memberIds.length : afterCount };
    const change = { ...appliedChange(op, actor, before, { name: group?.name ?? null, count: afterCount }, plan, snapshot.id), recovered: true };
    const result = await this.recordApplied(op, actor, change, snapshot.id);
    // Still not recorded: the database is down again; the next sweep tries again.
    if (change.unrecorded) throw new UnfinishedOperationError(true);
    return result;
  }

  private async applyClaimed(op: Operation, actor: Actor): Promise<ConfirmResult> {
    const withMembers = touchesMembers(op) || op.kind === 'delete' || op.kind === 'rename';
    const [group, members] = await Promise.all([
      this.client.getGroup(op.groupId),
      withMembers ? this.memberIds(op.groupId) : Promise.resolve([] as string[]),
    ]);

    const membersDrifted = touchesMembers(op) && !sameMembership(members, op.baselineIds);
    const nameDrifted = (op.kind === 'rename' || (op.kind === 'undo' && operationDetails(op).restoreName)) && group.name !== op.baselineName;
    if (membersDrifted || nameDrifted) {
      const previous = (await this.store.transitionOperation(op.id, ['applying'], 'cancelled', {
        error: 'The group changed after the preview; nothing was written.',
      })) ?? op;
      const fresh = await this.repreview(op, actor, op.id);
      const baseline = new Set(op.baselineIds);
      const now = new Set(members);
      return {
        kind: 'stale',
        previous,
        fresh: 'refused' in fresh ? op : fresh,
        drift: {
          added: members.filter((id) => !baseline.has(id)).length,
          removed: op.baselineIds.filter((id) => !now.has(id)).length,
          renamedTo: group.name !== op.baselineName ? group.name : null,
        },
      };
    }

    const snapshot = await this.store.saveSnapshot({ groupId: group.id, name: group.name, memberIds: members, operationId: op.id });
    const plan = touchesMembers(op) ? planFor(op.kind, members, op.participantIds) : null;

    const target = plan ? targetMembership(members, plan) : null;
    try {
      await this.write(op, plan);
    } catch (err) {
      // When Prolific's answer was lost, the group itself tells whether the write took effect.
      const ambiguous = err instanceof ProlificError && err.ambiguous;
      if (!ambiguous || !(await this.reachedTarget(op, target))) {
        return { kind: 'failed', failure: await this.recordFailure(op, actor, err, target, snapshot.id) };
      }
    }

    const after = op.kind === 'delete' ? null : await this.client.getGroup(group.id).catch(() => null);
    const expected = plan ? plan.newTotal : op.kind === 'delete' ? 0 : group.participant_count;
    const afterCount = after?.participant_count ?? expected;
    const change = appliedChange(op, actor, { name: group.name, count: group.participant_count }, { name: after?.name ?? null, count: afterCount }, plan, snapshot.id);
    change.countMismatch = after && afterCount !== expected ? { expected, actual: afterCount } : null;
    return this.recordApplied(op, actor, change, snapshot.id);
  }

  /**
   * Records a change that Prolific applied. The write has happened, so nothing here may turn it
   * into a reported failure: when the database does not answer, the operation stays 'applying'
   * (no click can apply it again) and the change is returned marked unrecorded.
   */
  private async recordApplied(op: Operation, actor: Actor, change: AppliedChange, snapshotId: string): Promise<RecoveredOperation> {
    let applied: Operation | null;
    try {
      applied = await this.store.transitionOperation(op.id, ['applying'], 'applied', {
        result: {
          snapshotId,
          beforeName: change.beforeName,
          afterName: change.afterName,
          beforeCount: change.beforeCount,
          afterCount: change.afterCount,
          added: change.added,
          removed: change.removed,
          countMismatch: change.countMismatch,
          ...(change.recovered ? { recovered: true } : {}),
        },
      });
    } catch {
      change.unrecorded = true;
      return { kind: 'applied', change };
    }
    // Another instance's recovery settled it meanwhile: it has audited and announced it already.
    if (!applied && change.recovered) throw new SettledElsewhereError();
    change.operation = applied ?? op;
    try {
      await this.audit(op, actor, 'applied', change, null, snapshotId);
    } catch {
      // The outcome is recorded on the operation; only its audit entry is missing.
    }
    try {
      await this.options.onApplied?.(change);
    } catch {
      // It only spares the watcher a second announcement of the change.
    }
    return { kind: 'applied', change };
  }

  private async write(op: Operation, plan: MembershipPlan | null): Promise<void> {
    switch (op.kind) {
      case 'replace':
        await this.client.updateGroup(op.groupId, { participant_ids: op.participantIds });
        return;
      case 'add':
      case 'remove': {
        const ids = op.kind === 'add' ? plan!.toAdd : plan!.toRemove;
        if (ids.length === 0) return;
        const result = op.kind === 'add' ? await this.client.addMembers(op.groupId, ids) : await this.client.removeMembers(op.groupId, ids);
        if (!result.complete) {
          const failed = result.chunks.find((c) => c.status === 'failed');
          const refusedIds = failed?.ids ?? [];
          throw new PartialWriteError(op.kind, result.appliedIds.length, refusedIds, result.unappliedIds.length - refusedIds.length, failed?.error);
        }
        return;
      }
      case 'rename':
        await this.client.updateGroup(op.groupId, { name: op.newName! });
        return;
      case 'undo': {
        const d = operationDetails(op);
        await this.client.updateGroup(op.groupId, {
          ...(d.restoreName && op.newName ? { name: op.newName } : {}),
          ...(d.restoreMembers ? { participant_ids: op.participantIds } : {}),
        });
        return;
      }
      case 'delete':
        await this.client.deleteGroup(op.groupId);
        return;
    }
  }

  private async reachedTarget(op: Operation, target: string[] | null): Promise<boolean> {
    try {
      if (op.kind === 'delete') {
        await this.client.getGroup(op.groupId);
        return false;
      }
      const group = await this.client.getGroup(op.groupId);
      if (op.newName && group.name !== op.newName) return false;
      return target ? sameMembership(await this.memberIds(op.groupId), target) : true;
    } catch (err) {
      return op.kind === 'delete' && err instanceof ProlificError && err.status === 404;
    }
  }

  /** Re-reads the group so the failure report states its real membership, then records the failure. */
  private async recordFailure(op: Operation, actor: Actor, err: unknown, target: string[] | null, snapshotId: string | null = null): Promise<FailedChange> {
    const partial = err instanceof PartialWriteError ? err : null;
    const prolific = partial?.cause ?? (err instanceof ProlificError ? err : null);
    const unfinished = err instanceof UnfinishedOperationError ? err : null;
    const outcomeUnknown = !partial && (Boolean(prolific?.ambiguous) || Boolean(unfinished?.mayHaveWritten));
    const message = partial ? partial.message : prolific ? prolific.message : (unfinished?.message ?? 'Something went wrong before the change could be written.');

    let current: FailedChange['current'] = null;
    let members: string[] | null = null;
    try {
      const group = await this.client.getGroup(op.groupId);
      let matchesTarget: boolean | null = null;
      if (target) {
        members = await this.memberIds(op.groupId);
        matchesTarget = sameMembership(members, target);
      } else if (op.kind === 'rename') {
        matchesTarget = group.name === op.newName;
      }
      current = { name: group.name, count: group.participant_count, matchesTarget };
    } catch (readErr) {
      if (op.kind === 'delete' && readErr instanceof ProlificError && readErr.status === 404) {
        current = { name: op.groupName, count: 0, matchesTarget: true };
      }
    }

    const written = partial
      ? `${partial.applied.toLocaleString('en-US')} of ${(partial.applied + partial.unapplied).toLocaleString('en-US')} participant ids were ${partial.kind === 'add' ? 'added' : 'removed'}.`
      : outcomeUnknown
        ? 'Prolific did not confirm the write. The group was read again and does not show the requested change.'
        : 'Nothing was written.';
    const notWritten = partial ? partialRemainder(partial, members) : 'The requested change is not in the group.';
    const outcome: AuditOutcome = partial ? 'partial' : outcomeUnknown ? 'unknown' : 'failed';
    let moved: Operation | null;
    try {
      moved = await this.store.transitionOperation(op.id, ['applying'], 'failed', {
        error: message,
        result: { snapshotId, written, notWritten, outcomeUnknown, current },
      });
    } catch {
      // The database did not answer. The user still hears exactly what happened; the operation
      // stays 'applying' until recoverStuckOperations() records it.
      return { operation: op, error: message, outcomeUnknown, written, notWritten, current, unrecorded: true, ...(prolific || partial ? {} : { appError: true }) };
    }
    // Another instance's recovery settled it meanwhile: it has told the requester already.
    if (!moved && unfinished) throw new SettledElsewhereError();
    try {
      await this.audit(op, actor, outcome, null, message, snapshotId, current?.count ?? null);
    } catch {
      // The outcome is recorded on the operation; only its audit entry is missing.
    }
    return { operation: moved ?? op, error: message, outcomeUnknown, written, notWritten, current, ...(prolific || partial ? {} : { appError: true }) };
  }

  private async audit(op: Operation, actor: Actor, outcome: AuditOutcome, change: AppliedChange | null, error: string | null, snapshotId: string | null, countAfterFailure: number | null = null): Promise<void> {
    const summary = operationDetails(op).summary;
    await this.store.appendAudit({
      slackUserId: actor.userId,
      slackTeamId: actor.teamId,
      action: op.kind,
      groupId: op.groupId,
      groupName: op.groupName,
      beforeName: change?.beforeName ?? op.baselineName,
      afterName: change?.afterName ?? (op.newName ?? op.baselineName),
      beforeCount: change?.beforeCount ?? summary?.currentTotal ?? null,
      afterCount: change?.afterCount ?? countAfterFailure,
      added: change?.added ?? 0,
      removed: change?.removed ?? 0,
      outcome,
      error,
      operationId: op.id,
      snapshotId,
    });
  }

  private async repreview(op: Operation, actor: Actor, supersedes: string): Promise<Operation | { refused: RefusalReason }> {
    const d = operationDetails(op);
    if (op.kind === 'replace' || op.kind === 'add' || op.kind === 'remove') {
      return this.previewMembership({ mode: op.kind, groupId: op.groupId, ids: op.participantIds, actor, channelId: op.channelId, source: d.source, supersedes });
    }
    if (op.kind === 'rename') return this.previewRename({ groupId: op.groupId, newName: op.newName!, actor, channelId: op.channelId });
    if (op.kind === 'delete') return this.previewDelete({ groupId: op.groupId, actor, channelId: op.channelId });
    return d.undoOf ? this.previewUndo(d.undoOf, actor, op.channelId) : { refused: 'not_undoable' };
  }

  private async whyNotPending(operationId: string): Promise<RefusalReason> {
    const op = await this.store.getOperation(operationId);
    if (!op) return 'missing';
    switch (op.status) {
      case 'applied':
        return 'already_applied';
      case 'applying':
        return 'in_progress';
      case 'expired':
        return 'expired';
      case 'pending':
        return op.expiresAt.getTime() <= this.now().getTime() ? 'expired' : 'in_progress';
      default:
        return 'cancelled';
    }
  }

  private mayActFor(actor: Actor, requesterId: string): boolean {
    return this.options.mayActFor ? this.options.mayActFor(actor, requesterId) : actor.userId === requesterId;
  }

  private async memberIds(groupId: string): Promise<string[]> {
    return (await this.client.listMembers(groupId)).map((m) => m.participant_id);
  }

}

/** What a notification and the history say of an applied change: before, after, and what moved. */
function appliedChange(
  op: Operation,
  actor: Actor,
  before: { name: string; count: number },
  after: { name: string | null; count: number },
  plan: MembershipPlan | null,
  snapshotId: string,
): AppliedChange {
  return {
    operation: op,
    actor,
    groupId: op.groupId,
    beforeName: before.name,
    afterName: op.kind === 'delete' ? before.name : (after.name ?? op.newName ?? before.name),
    beforeCount: before.count,
    afterCount: after.count,
    added: plan?.toAdd.length ?? 0,
    removed: plan ? plan.toRemove.length : op.kind === 'delete' ? before.count : 0,
    sampleAdded: plan?.toAdd.slice(0, SAMPLE_SIZE) ?? [],
    sampleRemoved: plan?.toRemove.slice(0, SAMPLE_SIZE) ?? [],
    snapshotId,
    countMismatch: null,
  };
}

/** The membership a plan leads to from `current`. */
function targetMembership(current: string[], plan: MembershipPlan): string[] {
  const removed = new Set(plan.toRemove);
  return current.filter((id) => !removed.has(id)).concat(plan.toAdd);
}

/**
 * What became of the ids after the last confirmed chunk. The refused chunk was sent, and a 5xx
 * may still have applied it, so the group as re-read (`members`) says what it holds of them.
 */
function partialRemainder(partial: PartialWriteError, members: string[] | null): string {
  const verb = partial.kind === 'add' ? 'added' : 'removed';
  const refused = partial.refusedIds.length;
  let landed: number | null = null;
  if (members) {
    const now = new Set(members);
    landed = partial.refusedIds.filter((id) => now.has(id) === (partial.kind === 'add')).length;
  }
  const check =
    landed === null
      ? '; the group could not be read again to check them'
      : landed === 0
        ? `, and the group, read again, shows none of them ${verb}`
        : `, yet the group, read again, shows ${landed.toLocaleString('en-US')} of them ${verb}`;
  const parts = refused ? [`Prolific refused the next ${refused.toLocaleString('en-US')}${check}.`] : [];
  if (partial.notSent) parts.push(`The last ${partial.notSent.toLocaleString('en-US')} were not sent.`);
  return parts.join(' ');
}

/** Some chunks of an add or remove were written and some were not. */
export class PartialWriteError extends Error {
  readonly unapplied: number;

  constructor(
    readonly kind: 'add' | 'remove',
    readonly applied: number,
    /** The ids of the chunk Prolific refused (sent, but not confirmed). */
    readonly refusedIds: string[],
    /** The ids after it, never sent. */
    readonly notSent: number,
    override readonly cause: ProlificError | undefined,
  ) {
    const unapplied = refusedIds.length + notSent;
    super(
      `${cause?.message ?? 'Prolific refused part of the change.'} ${applied.toLocaleString('en-US')} of ${(applied + unapplied).toLocaleString('en-US')} ids were ${kind === 'add' ? 'added' : 'removed'} before it stopped.`,
    );
    this.unapplied = unapplied;
    this.name = 'PartialWriteError';
  }
}
