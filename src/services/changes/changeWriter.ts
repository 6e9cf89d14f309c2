import { type ProlificClient, ProlificError } from '../../prolific';
import type { ParticipantGroup } from '../../prolific/types';
import type { Operation, OperationStore, SnapshotStore } from '../../store/types';
import type { Actor } from '../actor';
import { type MembershipPlan, sameMembership } from '../membershipPlan';
import type { ServedGroups } from '../servedGroups';
import { newLiveUses, type StudyFacts, type StudyUsageLookup } from '../studies';
import { type ChangePreviews, lookUpStudies } from './changePreviews';
import type { HeldGroupLock } from './groupWriteLock';
import { groupSourceDrift } from './groupSource';
import { memberIds, reachedTarget } from './groupReads';
import { checksStudies, operationDetails, touchesMembers } from './operationDetails';
import { planFor, SAMPLE_SIZE, targetMembership } from './operationPlan';
import { appliedChange, type OutcomeRecorder } from './outcomeRecorder';
import { OverwriteWitness, type WitnessStore } from './overwriteWitness';
import type { ConfirmResult, GroupDrift, MembershipDivergence } from './types';
import { DivergedOverwriteError, PartialWriteError } from './writeErrors';

/** Whether the operation's write replaces the whole membership (a PATCH of participant_ids). */
export function overwrites(op: Operation): boolean {
  return op.kind === 'replace' || (op.kind === 'undo' && operationDetails(op).restoreMembers);
}

/** How the group, read now, differs from what the change asked for. */
function divergence(now: string[], target: string[]): MembershipDivergence {
  const inNow = new Set(now);
  const inTarget = new Set(target);
  const extra = now.filter((id) => !inTarget.has(id));
  const missing = target.filter((id) => !inNow.has(id));
  return { count: inNow.size, extra: extra.length, sampleExtra: extra.slice(0, SAMPLE_SIZE), missing: missing.length, sampleMissing: missing.slice(0, SAMPLE_SIZE) };
}

/**
 * The write of a claimed confirmation: a re-read that refuses to write over changes made since
 * the preview, a snapshot, the write itself, and a check of the result, which the recorder keeps.
 */
export class ChangeWriter {
  constructor(
    private readonly client: ProlificClient,
    /** The re-read before the write goes through here: a group outside the served workspaces is never written. */
    private readonly groups: ServedGroups,
    private readonly store: OperationStore & SnapshotStore & WitnessStore,
    private readonly previews: ChangePreviews,
    private readonly recorder: OutcomeRecorder,
    private readonly studies?: StudyUsageLookup,
    /** Where a recreated group goes when its snapshot does not name a workspace. */
    private readonly workspaceId?: string,
  ) {}

  /**
   * Applies an operation this caller has moved to 'applying', holding the group's write lock:
   * from the re-read below to the recorded outcome, nothing else writes the group through the app.
   */
  async applyClaimed(op: Operation, actor: Actor, lock: HeldGroupLock): Promise<ConfirmResult> {
    if (lock.groupId !== op.groupId) throw new Error(`the write lock held is for group ${lock.groupId}, not ${op.groupId}`);
    if (op.kind === 'recreate') return this.applyRecreate(op, actor);
    const withMembers = touchesMembers(op) || op.kind === 'delete' || op.kind === 'rename';
    const seenStudies = operationDetails(op).studies;
    const seenSource = touchesMembers(op) ? (operationDetails(op).source?.group ?? null) : null;
    const overwrite = overwrites(op);
    // The studies are checked again like the membership, when the preview looked at them. An
    // overwrite drops whoever joins between its last read and the PATCH. Its snapshot can only be
    // the preview's baseline (any other membership is stale and not written), so it is saved
    // beside the re-read instead of between the re-read and the PATCH, which keeps that window to
    // the read's answer and the PATCH's way to Prolific.
    // A change whose ids come from another group reads that group again too: either moving is stale.
    const [{ group, members }, witness, studiesNow, early, sourceNow] = await Promise.all([
      withMembers ? this.groups.withMemberIds(op.groupId) : this.groups.get(op.groupId).then((group) => ({ group, members: [] as string[] })),
      overwrite ? OverwriteWitness.start(this.store, lock, op.id) : Promise.resolve(null),
      seenStudies && checksStudies(op) ? lookUpStudies(this.studies, op.groupId) : null,
      overwrite ? this.store.saveSnapshot({ groupId: op.groupId, name: op.baselineName, memberIds: op.baselineIds, operationId: op.id }) : Promise.resolve(null),
      seenSource ? this.groups.withMemberIds(seenSource.id) : null,
    ]);

    const membersDrifted = touchesMembers(op) && !sameMembership(members, op.baselineIds);
    const nameDrifted = (op.kind === 'rename' || (op.kind === 'undo' && operationDetails(op).restoreName)) && group.name !== op.baselineName;
    const studyDrift = seenStudies && studiesNow ? studiesDrift(seenStudies, studiesNow) : null;
    const sourceDrift = seenSource && sourceNow ? groupSourceDrift(seenSource, sourceNow) : null;
    if (membersDrifted || nameDrifted || studyDrift || sourceDrift) {
      const baseline = new Set(op.baselineIds);
      const now = new Set(members);
      const drift: GroupDrift = {
        added: membersDrifted ? members.filter((id) => !baseline.has(id)).length : 0,
        removed: membersDrifted ? op.baselineIds.filter((id) => !now.has(id)).length : 0,
        renamedTo: group.name !== op.baselineName ? group.name : null,
        ...studyDrift,
        ...(sourceDrift ? { sourceGroup: sourceDrift } : {}),
      };
      // Nothing was written: the operation records how the group changed since its preview.
      const previous = (await this.store.transitionOperation(op.id, ['applying'], 'cancelled', { result: { groupChanged: drift } })) ?? op;
      const fresh = await this.previews.repreview(op, actor, op.id);
      return 'refused' in fresh ? { kind: 'stale', previous, fresh: op, drift, refusedAgain: fresh.refused } : { kind: 'stale', previous, fresh, drift };
    }

    // Before a delete, the snapshot keeps what Recreate needs: the description and the workspace too.
    const kept = op.kind === 'delete' ? { description: group.description ?? null, workspaceId: group.workspace_id ?? null } : {};
    const snapshot =
      early && early.name === group.name ? early : await this.store.saveSnapshot({ groupId: group.id, name: group.name, memberIds: members, operationId: op.id, ...kept });
    const plan = touchesMembers(op) ? planFor(op.kind, members, op.participantIds) : null;

    const target = plan ? targetMembership(members, plan) : null;
    try {
      await this.write(op, plan);
    } catch (err) {
      // When Prolific's answer was lost, the group itself tells whether the write took effect.
      const ambiguous = err instanceof ProlificError && err.ambiguous;
      const unsettled = !ambiguous ? err : witness && target ? await this.settleOverwrite(op, plan, members, target, err) : (await reachedTarget(this.client, op, target)) ? null : err;
      if (unsettled) return { kind: 'failed', failure: await this.recorder.recordFailure(op, actor, unsettled, target, snapshot.id) };
    }
    const dropped = witness && target ? await witness.dropped(this.client, members, target) : [];

    const after = op.kind === 'delete' ? null : await this.client.getGroup(group.id).catch(() => null);
    const expected = plan ? plan.newTotal : op.kind === 'delete' ? 0 : group.participant_count;
    const afterCount = after?.participant_count ?? expected;
    const change = appliedChange(op, actor, { name: group.name, count: group.participant_count }, { name: after?.name ?? null, count: afterCount }, plan, snapshot.id);
    change.countMismatch = after && afterCount !== expected ? { expected, actual: afterCount } : null;
    if (dropped.length) change.dropped = dropped;
    return this.recorder.recordApplied(op, actor, change, snapshot.id);
  }

  /**
   * Recreate makes a new group from the snapshot a delete kept, holding the deleted group's lock.
   * Its stale check: the deleted group was not recreated meanwhile. The group exists once Prolific
   * answers the create, so members that then fail to be added leave it applied, with the count
   * Prolific reports (countMismatch), never a second group.
   */
  private async applyRecreate(op: Operation, actor: Actor): Promise<ConfirmResult> {
    const d = operationDetails(op);
    const applied = await this.store.listOperations({ status: ['applied'], groupId: op.groupId, order: 'newest', limit: 100 });
    const snapshot = op.snapshotId ? await this.store.getSnapshot(op.snapshotId) : null;
    const refusal = applied.some((other) => other.kind === 'recreate' && operationDetails(other).recreateOf === d.recreateOf) ? 'already_recreated' : !snapshot ? 'snapshot_gone' : null;
    if (refusal || !snapshot) {
      const cancelled = await this.store.transitionOperation(op.id, ['applying'], 'cancelled');
      return { kind: 'refused', reason: refusal ?? 'snapshot_gone', operation: cancelled ?? op };
    }
    const workspaceId = snapshot.workspaceId ?? this.workspaceId;
    if (!workspaceId || !this.groups.serves(workspaceId)) {
      const cancelled = await this.store.transitionOperation(op.id, ['applying'], 'cancelled');
      return { kind: 'refused', reason: 'outside_workspace', operation: cancelled ?? op };
    }
    let created: ParticipantGroup;
    try {
      created = await this.client.createGroup({ name: snapshot.name, workspace_id: workspaceId, ...(d.description ? { description: d.description } : {}) });
    } catch (err) {
      return { kind: 'failed', failure: await this.recorder.recordFailure(op, actor, err, null, snapshot.id) };
    }
    const ids = snapshot.memberIds;
    if (ids.length) await this.client.addMembers(created.id, ids).catch(() => null);
    const after = await this.client.getGroup(created.id).catch(() => null);
    const afterCount = after?.participant_count ?? ids.length;
    const change = appliedChange(op, actor, { name: snapshot.name, count: 0 }, { name: created.name, count: afterCount }, null, snapshot.id);
    change.groupId = created.id;
    change.added = ids.length;
    change.sampleAdded = ids.slice(0, SAMPLE_SIZE);
    change.countMismatch = afterCount !== ids.length ? { expected: ids.length, actual: afterCount } : null;
    return this.recorder.recordApplied(op, actor, change, snapshot.id);
  }

  /**
   * An overwrite whose answer was lost is never repeated blindly, since it would erase whoever
   * joined meanwhile: the group is read first. As asked: applied. As before: sent again, when the
   * client would repeat that failure for a harmless write, after the same wait. Anything else:
   * nothing more is sent, and the failure says what the group holds. Returns null when applied,
   * or the failure to record.
   */
  private async settleOverwrite(op: Operation, plan: MembershipPlan | null, before: string[], target: string[], error: ProlificError): Promise<unknown> {
    let lastError = error;
    for (let sent = 1; ; sent++) {
      const delayMs = this.client.overwriteRepeatDelayMs(lastError, sent);
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      // Read right before sending again, to keep the window in which a join is dropped short.
      let now: string[];
      try {
        now = await memberIds(this.client, op.groupId);
      } catch {
        return lastError;
      }
      if (sameMembership(now, target)) return (await reachedTarget(this.client, op, null)) ? null : lastError;
      if (!sameMembership(now, before)) return new DivergedOverwriteError(lastError, divergence(now, target));
      if (delayMs === undefined) return lastError;
      try {
        await this.write(op, plan);
        return null;
      } catch (err) {
        if (!(err instanceof ProlificError && err.ambiguous)) return err;
        lastError = err;
      }
    }
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
      case 'recreate':
        throw new Error('a recreate is written by applyRecreate');
    }
  }
}

/**
 * What the studies did since the preview that the person confirming has not seen: a live study
 * started using the group, or (when the preview could check them) they can no longer be checked.
 * Studies that stopped using the group are no reason to stop. A preview that could not check
 * them already said so, so a second failure is no news either.
 */
function studiesDrift(seen: StudyFacts, now: StudyFacts): Pick<GroupDrift, 'newStudies' | 'studyCheckFailed'> | null {
  if (seen.checked && !now.checked) return { studyCheckFailed: true };
  const started = newLiveUses(seen, now);
  return started.length ? { newStudies: started } : null;
}
