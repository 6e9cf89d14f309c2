import { type ProlificClient, ProlificError } from '../../prolific';
import type { Operation, OperationStore, SnapshotStore } from '../../store/types';
import type { Actor } from '../actor';
import { type MembershipPlan, sameMembership } from '../membershipPlan';
import type { ChangePreviews } from './changePreviews';
import type { HeldGroupLock } from './groupWriteLock';
import { memberIds, reachedTarget } from './groupReads';
import { operationDetails, touchesMembers } from './operationDetails';
import { planFor, targetMembership } from './operationPlan';
import { appliedChange, type OutcomeRecorder } from './outcomeRecorder';
import type { ConfirmResult } from './types';
import { PartialWriteError } from './writeErrors';

/**
 * The write of a claimed confirmation: a re-read that refuses to write over changes made since
 * the preview, a snapshot, the write itself, and a check of the result, which the recorder keeps.
 */
export class ChangeWriter {
  constructor(
    private readonly client: ProlificClient,
    private readonly store: OperationStore & SnapshotStore,
    private readonly previews: ChangePreviews,
    private readonly recorder: OutcomeRecorder,
  ) {}

  /**
   * Applies an operation this caller has moved to 'applying', holding the group's write lock:
   * from the re-read below to the recorded outcome, nothing else writes the group through the app.
   */
  async applyClaimed(op: Operation, actor: Actor, lock: HeldGroupLock): Promise<ConfirmResult> {
    if (lock.groupId !== op.groupId) throw new Error(`the write lock held is for group ${lock.groupId}, not ${op.groupId}`);
    const withMembers = touchesMembers(op) || op.kind === 'delete' || op.kind === 'rename';
    const [group, members] = await Promise.all([
      this.client.getGroup(op.groupId),
      withMembers ? memberIds(this.client, op.groupId) : Promise.resolve([] as string[]),
    ]);

    const membersDrifted = touchesMembers(op) && !sameMembership(members, op.baselineIds);
    const nameDrifted = (op.kind === 'rename' || (op.kind === 'undo' && operationDetails(op).restoreName)) && group.name !== op.baselineName;
    if (membersDrifted || nameDrifted) {
      const baseline = new Set(op.baselineIds);
      const now = new Set(members);
      const drift = {
        added: members.filter((id) => !baseline.has(id)).length,
        removed: op.baselineIds.filter((id) => !now.has(id)).length,
        renamedTo: group.name !== op.baselineName ? group.name : null,
      };
      // Nothing was written: the operation records how the group changed since its preview.
      const previous = (await this.store.transitionOperation(op.id, ['applying'], 'cancelled', { result: { groupChanged: drift } })) ?? op;
      const fresh = await this.previews.repreview(op, actor, op.id);
      return { kind: 'stale', previous, fresh: 'refused' in fresh ? op : fresh, drift };
    }

    const snapshot = await this.store.saveSnapshot({ groupId: group.id, name: group.name, memberIds: members, operationId: op.id });
    const plan = touchesMembers(op) ? planFor(op.kind, members, op.participantIds) : null;

    const target = plan ? targetMembership(members, plan) : null;
    try {
      await this.write(op, plan);
    } catch (err) {
      // When Prolific's answer was lost, the group itself tells whether the write took effect.
      const ambiguous = err instanceof ProlificError && err.ambiguous;
      if (!ambiguous || !(await reachedTarget(this.client, op, target))) {
        return { kind: 'failed', failure: await this.recorder.recordFailure(op, actor, err, target, snapshot.id) };
      }
    }

    const after = op.kind === 'delete' ? null : await this.client.getGroup(group.id).catch(() => null);
    const expected = plan ? plan.newTotal : op.kind === 'delete' ? 0 : group.participant_count;
    const afterCount = after?.participant_count ?? expected;
    const change = appliedChange(op, actor, { name: group.name, count: group.participant_count }, { name: after?.name ?? null, count: afterCount }, plan, snapshot.id);
    change.countMismatch = after && afterCount !== expected ? { expected, actual: afterCount } : null;
    return this.recorder.recordApplied(op, actor, change, snapshot.id);
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
}
