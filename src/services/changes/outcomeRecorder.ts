import { type ProlificClient, ProlificError } from '../../prolific';
import type { AuditOutcome, NewAuditEntry, Operation, OperationStore, OutcomeStore } from '../../store/types';
import type { Actor } from '../actor';
import { type MembershipPlan, sameMembership } from '../membershipPlan';
import { memberIds } from './groupReads';
import { notifiedFacts } from './notifiedChange';
import { operationDetails } from './operationDetails';
import { SAMPLE_SIZE } from './operationPlan';
import { chunkReport, type FailureRecord, readFailure } from './failureRecord';
import type { AppliedChange, FailedChange, FailureCause, GroupNow, RecoveredOperation, WriteReport } from './types';
import { DivergedOverwriteError, PartialWriteError, SettledElsewhereError, UnfinishedOperationError } from './writeErrors';

export interface OutcomeRecorderOptions {
  /** Told about every applied change, e.g. so the watcher does not announce it a second time. */
  onApplied?: (change: AppliedChange) => Promise<void> | void;
  /** The audit log's line for a failure (slack/blocks/failedChange.ts has the words). */
  failureSummary: (failure: Pick<FailedChange, 'cause' | 'written'>) => string;
  /** Channels that hear of every applied change (NOTIFY_CHANNEL), beside those watching the group. */
  announceTo?: string[];
}

/**
 * Records how a confirmation ended: on the operation (its status and result), in the audit log
 * and, for an applied change, in the notification outbox, all in one transaction; then tells
 * whoever listens for applied changes. A database that does not answer never turns an outcome
 * into something else: nothing is recorded, and the operation stays 'applying' for the recovery
 * to settle.
 */
export class OutcomeRecorder {
  constructor(
    private readonly client: ProlificClient,
    private readonly store: OperationStore & OutcomeStore,
    private readonly options: OutcomeRecorderOptions,
  ) {}

  /**
   * Records a change that Prolific applied. The write has happened, so nothing here may turn it
   * into a reported failure: when the database does not answer, the operation stays 'applying'
   * (no click can apply it again) and the change is returned marked unrecorded.
   */
  async recordApplied(op: Operation, actor: Actor, change: AppliedChange, snapshotId: string): Promise<RecoveredOperation> {
    let applied: Operation | null;
    // The operation's result is the notification's facts less who, which group and the samples.
    const { actor: _actor, groupId: _groupId, sampleAdded: _sampleAdded, sampleRemoved: _sampleRemoved, ...facts } = notifiedFacts(change);
    try {
      // The status, the audit entry and the notifications to send: all recorded, or none.
      applied = await this.store.recordOutcome({
        operationId: op.id,
        from: ['applying'],
        to: 'applied',
        patch: {
          result: {
            ...facts,
            snapshotId,
            // A recreate's change is to a new group: the operation keeps the deleted one's id.
            ...(change.groupId !== op.groupId ? { recreatedAs: change.groupId } : {}),
          },
        },
        audit: auditEntry(op, actor, 'applied', change, null, snapshotId),
        notify: { channels: this.options.announceTo ?? [], watchersOf: op.groupId, change: notifiedFacts(change) },
      });
    } catch {
      change.unrecorded = true;
      return { kind: 'applied', change };
    }
    // Another instance's recovery settled it meanwhile: it has audited it and queued its notifications.
    if (!applied && change.recovered) throw new SettledElsewhereError();
    change.operation = applied ?? op;
    try {
      await this.options.onApplied?.(change);
    } catch {
      // It only spares the watcher a second announcement of the change.
    }
    return { kind: 'applied', change };
  }

  /** Re-reads the group so the failure report states its real membership, then records the failure. */
  async recordFailure(op: Operation, actor: Actor, err: unknown, target: string[] | null, snapshotId: string | null = null): Promise<FailedChange> {
    const partial = err instanceof PartialWriteError ? err : null;
    const diverged = err instanceof DivergedOverwriteError ? err : null;
    const prolific = partial ? null : err instanceof ProlificError ? err : (diverged?.cause ?? null);
    const unfinished = err instanceof UnfinishedOperationError ? err : null;
    const outcomeUnknown = !partial && (Boolean(prolific?.ambiguous) || Boolean(unfinished?.mayHaveWritten));
    const cause: FailureCause = partial
      ? { kind: 'prolific', said: partial.cause?.message ?? null }
      : prolific
        ? { kind: 'prolific', said: prolific.message }
        : unfinished
          ? { kind: 'stopped', mayHaveWritten: unfinished.mayHaveWritten }
          : { kind: 'app' };

    let current: GroupNow | null = null;
    let members: string[] | null = null;
    try {
      const group = await this.client.getGroup(op.groupId);
      let matchesTarget: boolean | null = null;
      if (target) {
        members = await memberIds(this.client, op.groupId);
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

    const written: WriteReport = partial
      ? { kind: 'chunks', chunks: chunkReport(partial, members) }
      : diverged
        ? { kind: 'diverged', divergence: diverged.divergence }
        : outcomeUnknown
          ? { kind: 'unconfirmed' }
          : { kind: 'nothing' };
    const record: FailureRecord = { snapshotId, outcomeUnknown, cause, written, current };
    const outcome: AuditOutcome = partial ? 'partial' : outcomeUnknown ? 'unknown' : 'failed';
    let moved: Operation | null;
    try {
      // The status and the audit entry: both recorded, or neither.
      moved = await this.store.recordOutcome({
        operationId: op.id,
        from: ['applying'],
        to: 'failed',
        patch: { error: cause.kind === 'prolific' ? cause.said : null, result: { ...record } },
        audit: auditEntry(op, actor, outcome, null, this.options.failureSummary({ cause, written }), snapshotId, current?.count ?? null),
      });
    } catch {
      // The database did not answer. The user still hears exactly what happened; the operation
      // stays 'applying' until recoverStuckOperations() records it.
      return { operation: op, cause, outcomeUnknown, written, current, unrecorded: true };
    }
    // Another instance's recovery settled it meanwhile: it has told the requester already.
    if (!moved && unfinished) throw new SettledElsewhereError();
    // What the requester is told is what the operation now records.
    return moved ? readFailure(moved) : { operation: op, cause, outcomeUnknown, written, current };
  }

}

/** The audit entry of an outcome. */
function auditEntry(op: Operation, actor: Actor, outcome: AuditOutcome, change: AppliedChange | null, error: string | null, snapshotId: string | null, countAfterFailure: number | null = null): NewAuditEntry {
  const summary = operationDetails(op).summary;
  return {
    slackUserId: actor.userId,
    slackTeamId: actor.teamId,
    action: op.kind,
    // A recreate's entry is the new group's first: the deleted group's history ends with its deletion.
    groupId: change?.groupId ?? op.groupId,
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
    workflowRun: operationDetails(op).source?.workflow?.executionId ?? null,
  };
}

/** What a notification and the history say of an applied change: before, after, and what moved. */
/** A removal made to forget a participant (IdSource.forgotten). */
function forgets(op: Operation): boolean {
  return operationDetails(op).source?.forgotten === true;
}

export function appliedChange(
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
    // A participant forgotten at their request is never named: not in the outcome, the notification or the outbox.
    sampleAdded: forgets(op) ? [] : (plan?.toAdd.slice(0, SAMPLE_SIZE) ?? []),
    sampleRemoved: forgets(op) ? [] : (plan?.toRemove.slice(0, SAMPLE_SIZE) ?? []),
    snapshotId,
    countMismatch: null,
  };
}
