import type { ParticipantGroup } from '../../prolific/types';
import type { Operation, OperationKind, OperationStore, SnapshotStore } from '../../store/types';
import type { Actor } from '../actor';
import { planReplace } from '../membershipPlan';
import type { ServedGroups } from '../servedGroups';
import { type StudyFacts, type StudyUsageLookup, studyFacts } from '../studies';
import { type GroupSourceMode, groupIdSource, idsFromGroup } from './groupSource';
import { completeDetails, operationDetails, touchesMembers } from './operationDetails';
import { planFor, summarise } from './operationPlan';
import type { MembershipPreviewInput, OperationDetails, RefusalReason } from './types';

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

/**
 * Previews: each reads the group as it is now and stores the change it would make as a
 * pending operation of the actor, which a confirmation later claims. Nothing is written here.
 */
export class ChangePreviews {
  constructor(
    /** Every read of a group goes through here, so a group outside the served workspaces is refused. */
    private readonly groups: ServedGroups,
    private readonly store: OperationStore & SnapshotStore,
    private readonly options: ChangePreviewsOptions,
  ) {}

  /** Reads the group and its members, and stores the plan of a membership change as a pending operation. */
  async previewMembership(input: MembershipPreviewInput): Promise<Operation> {
    const risky = input.mode === 'replace' || input.mode === 'remove';
    const [{ group, members }, studies] = await Promise.all([
      input.current ?? this.readGroup(input.groupId),
      risky ? lookUpStudies(this.options.studies, input.groupId) : null,
    ]);
    const plan = planFor(input.mode, members, input.idSet ?? input.ids);
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
    const [{ group, members }, studies] = await Promise.all([
      restoreMembers ? this.groups.withMemberIds(original.groupId) : this.groups.get(original.groupId).then((group) => ({ group, members: [] as string[] })),
      restoreMembers ? lookUpStudies(this.options.studies, original.groupId) : null,
    ]);
    const summary = restoreMembers ? summarise(planReplace(members, snapshot.memberIds)) : null;
    return this.storePreview('undo', group, actor, channelId, {
      participantIds: restoreMembers ? snapshot.memberIds : [],
      baselineIds: members,
      newName: restoreName ? snapshot.name : null,
      snapshotId: snapshot.id,
      details: { summary, undoOf: original.id, restoreName, restoreMembers, studies },
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
    return d.undoOf ? this.previewUndo(d.undoOf, actor, op.channelId) : { refused: 'not_undoable' };
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
}
