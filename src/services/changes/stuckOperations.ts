import { type ProlificClient, ProlificError } from '../../prolific';
import type { ParticipantGroup } from '../../prolific/types';
import type { Operation, OperationStore, SnapshotStore } from '../../store/types';
import type { Actor } from '../actor';
import { reachedTarget } from './groupReads';
import { touchesMembers } from './operationDetails';
import { planFor, targetMembership } from './operationPlan';
import { appliedChange, type OutcomeRecorder } from './outcomeRecorder';
import type { FailedChange, RecoveredOperation } from './types';
import { UnfinishedOperationError } from './writeErrors';

/**
 * How long a confirmation may stay 'applying' before the recovery settles it: longer than any
 * write takes with its retries and timeouts.
 */
export const DEFAULT_STUCK_AFTER_MS = 15 * 60_000;

/**
 * Settles confirmations left 'applying' when the database went away before their outcome was
 * recorded, or the process stopped mid-way. Nothing is written to Prolific here: the group, read
 * now, tells what happened.
 */
export class StuckOperations {
  constructor(
    private readonly client: ProlificClient,
    private readonly store: OperationStore & SnapshotStore,
    private readonly recorder: OutcomeRecorder,
    /** Operations this instance is applying right now: never taken for stuck. */
    private readonly applying: ReadonlySet<string>,
  ) {}

  /**
   * If the group already is what the change asked for, the change is recorded as applied (and
   * audited); otherwise as failed, so the requester can preview it again. An operation whose
   * group cannot be read now is left for the next sweep.
   */
  async recover(now: Date, olderThanMs: number): Promise<RecoveredOperation[]> {
    const stuck = await this.store.listOperations({ status: ['applying'], updatedBefore: new Date(now.getTime() - olderThanMs) });
    const settled: RecoveredOperation[] = [];
    for (const op of stuck) {
      // A message is not a change to a group: GroupMessages.recoverStuck settles its own.
      if (this.applying.has(op.id) || op.kind === 'message') continue;
      try {
        settled.push(await this.recoverOne(op));
      } catch {
        // Prolific or the database did not answer: the next sweep tries again.
      }
    }
    return settled;
  }

  private async recoverOne(op: Operation): Promise<RecoveredOperation> {
    const actor: Actor = { userId: op.slackUserId, teamId: op.slackTeamId };
    // The snapshot is saved before every write: without one, nothing was written.
    const snapshot = await this.store.getSnapshotForOperation(op.id);
    if (!snapshot) return recorded(await this.recorder.recordFailure(op, actor, new UnfinishedOperationError(false), null));
    const plan = touchesMembers(op) ? planFor(op.kind, snapshot.memberIds, op.participantIds) : null;
    const target = plan ? targetMembership(snapshot.memberIds, plan) : null;
    let group: ParticipantGroup | null = null;
    try {
      group = await this.client.getGroup(op.groupId);
    } catch (err) {
      // Gone is what a delete asked for; anything else leaves the operation for the next sweep.
      if (!(op.kind === 'delete' && err instanceof ProlificError && err.status === 404)) throw err;
    }
    const reached = op.kind === 'delete' ? group === null || group.is_deleted : await reachedTarget(this.client, op, target);
    if (!reached) return recorded(await this.recorder.recordFailure(op, actor, new UnfinishedOperationError(true), target, snapshot.id));

    const withMembers = touchesMembers(op) || op.kind === 'delete' || op.kind === 'rename';
    const afterCount = group?.participant_count ?? 0;
    const before = { name: snapshot.name, count: withMembers ? snapshot.memberIds.length : afterCount };
    const change = { ...appliedChange(op, actor, before, { name: group?.name ?? null, count: afterCount }, plan, snapshot.id), recovered: true };
    const result = await this.recorder.recordApplied(op, actor, change, snapshot.id);
    // Still not recorded: the database is down again; the next sweep tries again.
    if (change.unrecorded) throw new UnfinishedOperationError(true);
    return result;
  }
}

/** A failure the recovery recorded; one it could not record yet is left for the next sweep. */
function recorded(failure: FailedChange): RecoveredOperation {
  if (failure.unrecorded) throw new UnfinishedOperationError(true);
  return { kind: 'failed', failure };
}
