import { ProlificError } from '../../prolific';
import type { ParticipantGroup } from '../../prolific/types';
import type { AuditStore, Operation, OperationKind, OperationStore, SnapshotStore } from '../../store/types';
import type { Actor } from '../actor';
import { planReplace, sameMembership as sameIds } from '../membershipPlan';
import type { ServedGroups } from '../servedGroups';
import { type StudyFacts, type StudyUsageLookup, studyFacts } from '../studies';
import { type GroupSourceMode, groupIdSource, idsFromGroup } from './groupSource';
import { completeDetails, operationDetails, touchesMembers } from './operationDetails';
import { planFor, SAMPLE_SIZE, summarise } from './operationPlan';
import type { GroupDeletion, MembershipPreviewInput, OperationDetails, RefusalReason, UndoMode, UndoRefusal } from './types';
import { laterHistory, revertPlan } from './undoPlans';

/** How far back the history is read for the changes after the one being undone. */
const UNDO_HISTORY_READ = 500;

export interface ChangePreviewsOptions {
  pendingTtlMs: number;
  /** Whether `actor` may retry a failed change `requesterId` asked for. */
  mayActFor: (actor: Actor, requesterId: string) => boolean;
  /** Which studies use a group: risky previews name them. Without it, previews say nothing of studies. */
  studies?: StudyUsageLookup;
}

/** The studies that use the group, as facts for a preview; null without a lookup. */
export async function lookUpStudies(lookup: StudyUsageLookup | undefined, groupId: string): Promise<StudyFacts | null> {
  if (!lookup) return null;
  try {
    return studyFacts(await lookup.studiesUsingGroup(groupId));
  } catch {
    // The index reports Prolific's failures as facts; anything else still must not read as "not used".
    return { checked: false, studies: [], failure: { status: 0, kind: 'invalid_response' } };
  }
}

/** How many participants a snapshot lost to `/pgroup forget`, for the previews that restore from it. */
function forgottenIn(snapshot: { forgotten: number } | null): { forgottenInSnapshot?: number } {
  return snapshot?.forgotten ? { forgottenInSnapshot: snapshot.forgotten } : {};
}

/**
 * Previews: each reads the group as it is now and stores the change it would make as a
 * pending operation of the actor, which a confirmation later claims. Nothing is written here.
 */
export class ChangePreviews {
  constructor(
    /** Every read of a group goes through here, so a group outside the served workspaces is refused. */
    private readonly groups: ServedGroups,
    private readonly store: OperationStore & SnapshotStore & Pick<AuditStore, 'listAudit' | 'findDeletions'>,
    private readonly options: ChangePreviewsOptions,
  ) {}

  /** Reads the group and its members, and stores the plan of a membership change as a pending operation. */
  async previewMembership(input: MembershipPreviewInput): Promise<Operation> {
    // Every membership preview names the live studies that use the group: the confirmation
    // policy previews an add to such a group, and a replace or remove warns of what it does to them.
    const [{ group, members }, studies] = await Promise.all([input.current ?? this.readGroup(input.groupId), lookUpStudies(this.options.studies, input.groupId)]);
    const plan = planFor(input.mode, members, input.distinctIds ?? input.ids);
    return this.storePreview(input.mode, group, input.actor, input.channelId, {
      participantIds: input.ids,
      baselineIds: members,
      details: { summary: summarise(plan), source: input.source, supersedes: input.supersedes ?? null, studies },
    });
  }

  /**
   * A membership change whose ids come from another group (`--from-group`, `keep --in-group`):
   * both groups are read now, and the confirmation reads both again.
   */
  async previewFromGroup(input: {
    mode: GroupSourceMode;
    groupId: string;
    sourceGroupId: string;
    actor: Actor;
    channelId: string | null;
    supersedes?: string | null;
  }): Promise<Operation> {
    const [target, source] = await Promise.all([this.readGroup(input.groupId), this.readGroup(input.sourceGroupId)]);
    const { mode, ids } = idsFromGroup(input.mode, target.members, source.members);
    return this.previewMembership({
      mode,
      groupId: input.groupId,
      ids,
      actor: input.actor,
      channelId: input.channelId,
      source: groupIdSource(input.mode, source.group, source.members),
      supersedes: input.supersedes ?? null,
      current: Promise.resolve(target),
    });
  }

  /** The group and its members, as a membership preview starts from. */
  async readGroup(groupId: string): Promise<{ group: ParticipantGroup; members: string[] }> {
    return this.groups.withMemberIds(groupId);
  }

  async previewRename(input: { groupId: string; newName: string; actor: Actor; channelId: string | null }): Promise<Operation> {
    const group = await this.groups.get(input.groupId);
    return this.storePreview('rename', group, input.actor, input.channelId, { newName: input.newName.trim() });
  }

  async previewDelete(input: { groupId: string; actor: Actor; channelId: string | null }): Promise<Operation> {
    const [group, studies] = await Promise.all([this.groups.get(input.groupId), lookUpStudies(this.options.studies, input.groupId)]);
    return this.storePreview('delete', group, input.actor, input.channelId, {
      details: {
        studies,
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

  /**
   * Undo of an applied change, through its own preview. `revert` takes back that one change
   * against the group as it is now and keeps every later change; `restore` brings back the
   * snapshot taken before it, undoing later changes too. Both list the later changes.
   */
  async previewUndo(operationId: string, actor: Actor, channelId: string | null, mode: UndoMode = 'revert'): Promise<Operation | UndoRefusal> {
    const original = await this.store.getOperation(operationId);
    if (!original) return { refused: 'missing' };
    if (original.status !== 'applied' || original.kind === 'recreate') return { refused: 'not_undoable' };
    if (original.kind === 'delete') {
      const deletion = await this.deletionOf(original.groupId);
      return deletion ? { deleted: deletion } : { refused: 'not_undoable' };
    }
    const snapshotId = original.result?.snapshotId as string | undefined;
    const snapshot = snapshotId ? await this.store.getSnapshot(snapshotId) : null;
    if (mode === 'restore' && !snapshot) return { refused: 'snapshot_gone' };
    let read: { group: ParticipantGroup; members: string[] };
    try {
      read = await this.groups.withMemberIds(original.groupId);
    } catch (err) {
      const deletion = err instanceof ProlificError && err.status === 404 ? await this.deletionOf(original.groupId) : null;
      if (deletion) return { deleted: deletion };
      throw err;
    }
    const { group, members } = read;
    const history = await this.store.listAudit({ groupId: original.groupId, limit: UNDO_HISTORY_READ, offset: 0 });
    const { later, undoing, revertedBy } = await laterHistory(original, snapshot, history, members, (id) => this.store.getOperation(id));
    if (revertedBy) return { alreadyReverted: revertedBy };

    if (mode === 'revert') {
      const plan = revertPlan(original, group.name, members);
      const restoreMembers = plan.toAdd.length + plan.toRemove.length > 0;
      // A removal that forgot a participant cannot be reverted: the app no longer has the id.
      if (!restoreMembers && plan.newName === null) return { refused: operationDetails(original).source?.forgotten ? 'forgotten' : 'nothing_to_revert' };
      const studies = restoreMembers ? await lookUpStudies(this.options.studies, original.groupId) : null;
      return this.storePreview('undo', group, actor, channelId, {
        participantIds: restoreMembers ? plan.target : [],
        baselineIds: members,
        newName: plan.newName,
        snapshotId: snapshot?.id ?? null,
        details: {
          summary: restoreMembers ? summarise(planReplace(members, plan.target)) : null,
          undoOf: original.id,
          undoMode: 'revert',
          undoing,
          laterChanges: later,
          restoreName: plan.newName !== null,
          restoreMembers,
          studies,
        },
      });
    }

    const originalDetails = operationDetails(original);
    const restoreName = original.kind === 'rename' || (original.kind === 'undo' && originalDetails.restoreName);
    const restoreMembers = touchesMembers(original) || !sameIds(members, snapshot!.memberIds);
    const studies = restoreMembers ? await lookUpStudies(this.options.studies, original.groupId) : null;
    return this.storePreview('undo', group, actor, channelId, {
      participantIds: restoreMembers ? snapshot!.memberIds : [],
      baselineIds: members,
      newName: restoreName ? snapshot!.name : null,
      snapshotId: snapshot!.id,
      details: {
        summary: restoreMembers ? summarise(planReplace(members, snapshot!.memberIds)) : null,
        undoOf: original.id,
        undoMode: 'restore',
        undoing,
        laterChanges: later,
        restoreName,
        restoreMembers,
        studies,
        ...forgottenIn(snapshot),
      },
    });
  }

  /** The app's record of the deletion of a group, with the Recreate that followed it, if any. */
  async deletionOf(groupId: string): Promise<GroupDeletion | null> {
    const applied = await this.store.listOperations({ status: ['applied'], groupId, order: 'newest', limit: 100 });
    const deleted = applied.find((op) => op.kind === 'delete');
    if (!deleted) {
      // A deletion recorded in the history only (its operation is not kept): it is told, without Recreate.
      const [entry] = await this.store.findDeletions(groupId);
      if (!entry || entry.groupId !== groupId) return null;
      return { groupId, groupName: entry.groupName, userId: entry.slackUserId, at: entry.at, operationId: entry.operationId, memberCount: entry.beforeCount ?? 0, recreatedAs: null };
    }
    const recreate = applied.find((op) => op.kind === 'recreate' && operationDetails(op).recreateOf === deleted.id);
    const recreatedAs = recreate?.result?.recreatedAs;
    return {
      groupId,
      groupName: deleted.groupName,
      userId: deleted.slackUserId,
      at: deleted.updatedAt,
      operationId: deleted.id,
      memberCount: Number(deleted.result?.beforeCount ?? operationDetails(deleted).summary?.currentTotal ?? 0),
      recreatedAs: recreate && typeof recreatedAs === 'string' ? { groupId: recreatedAs, userId: recreate.slackUserId, at: recreate.updatedAt } : null,
    };
  }

  /** A deleted group the app's records know by this id or former name, newest deletion first. */
  async findDeletion(idOrName: string): Promise<GroupDeletion | null> {
    const [entry] = await this.store.findDeletions(idOrName);
    return entry ? this.deletionOf(entry.groupId) : null;
  }

  /**
   * Recreate: a new group with the name, description and members the snapshot before a delete
   * kept, through its own preview. It gets a new id (Prolific never reuses one).
   */
  async previewRecreate(deleteOperationId: string, actor: Actor, channelId: string | null): Promise<Operation | UndoRefusal> {
    const deleted = await this.store.getOperation(deleteOperationId);
    if (deleted?.kind !== 'delete' || deleted.status !== 'applied') return { refused: 'missing' };
    const deletion = await this.deletionOf(deleted.groupId);
    if (deletion?.recreatedAs) return { deleted: deletion };
    const snapshotId = deleted.result?.snapshotId as string | undefined;
    const snapshot = snapshotId ? await this.store.getSnapshot(snapshotId) : null;
    if (!snapshot) return { refused: 'snapshot_gone' };
    const count = snapshot.memberIds.length;
    return this.storePreview('recreate', { id: deleted.groupId, name: snapshot.name }, actor, channelId, {
      participantIds: snapshot.memberIds,
      newName: snapshot.name,
      snapshotId: snapshot.id,
      details: {
        recreateOf: deleted.id,
        description: snapshot.description ?? null,
        ...forgottenIn(snapshot),
        summary: { currentTotal: 0, newTotal: count, toAdd: count, toRemove: 0, unchanged: 0, alreadyPresent: 0, notPresent: 0, sampleAdd: snapshot.memberIds.slice(0, SAMPLE_SIZE), sampleRemove: [] },
      },
    });
  }

  /**
   * A preview adding back the ids an applied overwrite dropped: they joined while it was being
   * written and were not in its list (AppliedChange.dropped).
   */
  async previewAddBack(operationId: string, actor: Actor, channelId: string | null): Promise<Operation | { refused: RefusalReason }> {
    const original = await this.store.getOperation(operationId);
    if (!original) return { refused: 'missing' };
    const dropped = (original.result as { dropped?: unknown } | null)?.dropped;
    if (original.status !== 'applied' || !Array.isArray(dropped) || dropped.length === 0) return { refused: 'missing' };
    const ids = dropped.filter((id): id is string => typeof id === 'string');
    return this.previewMembership({ mode: 'add', groupId: original.groupId, ids, actor, channelId, source: null });
  }

  /** A fresh preview of a failed operation's change, against the group as it is now. */
  async previewRetry(operationId: string, actor: Actor): Promise<Operation | { refused: RefusalReason }> {
    const failed = await this.store.getOperation(operationId);
    if (!failed) return { refused: 'missing' };
    if (failed.status !== 'failed') return { refused: failed.status === 'applied' ? 'already_applied' : 'in_progress' };
    if (!this.options.mayActFor(actor, failed.slackUserId)) return { refused: 'not_requester' };
    return this.repreview(failed, actor, failed.id);
  }

  /** The same change as `op`, previewed again against the group as it is now, replacing `supersedes`. */
  async repreview(op: Operation, actor: Actor, supersedes: string): Promise<Operation | { refused: RefusalReason }> {
    const d = operationDetails(op);
    if (d.source?.group && (op.kind === 'replace' || op.kind === 'add' || op.kind === 'remove')) {
      // Both groups are read again: the ids follow the other group as it is now.
      return this.previewFromGroup({ mode: d.source.group.mode, groupId: op.groupId, sourceGroupId: d.source.group.id, actor, channelId: op.channelId, supersedes });
    }
    if (op.kind === 'replace' || op.kind === 'add' || op.kind === 'remove') {
      return this.previewMembership({ mode: op.kind, groupId: op.groupId, ids: op.participantIds, actor, channelId: op.channelId, source: d.source, supersedes });
    }
    if (op.kind === 'rename') return this.previewRename({ groupId: op.groupId, newName: op.newName!, actor, channelId: op.channelId });
    if (op.kind === 'delete') return this.previewDelete({ groupId: op.groupId, actor, channelId: op.channelId });
    const again = d.recreateOf
      ? await this.previewRecreate(d.recreateOf, actor, op.channelId)
      : d.undoOf
        ? await this.previewUndo(d.undoOf, actor, op.channelId, d.undoMode ?? 'restore')
        : ({ refused: 'not_undoable' } as const);
    return 'id' in again ? again : { refused: 'refused' in again ? again.refused : 'nothing_to_revert' };
  }

  /** Stores a preview as a pending operation of `actor`, against the group as just read. */
  private storePreview(
    kind: OperationKind,
    group: Pick<ParticipantGroup, 'id' | 'name'>,
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
}
