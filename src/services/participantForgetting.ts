import { createHash } from 'node:crypto';
import type { ErasureReport, NewAuditEntry, ParticipantErasureStore } from '../store/types';
import type { Actor } from './actor';
import type { AppliedChange, ChangeService, IdSource, RefusalReason } from './changes';
import type { GroupMembersCache } from './groupMembersCache';
import type { FindProgress, ParticipantFinder, ParticipantWhereabouts } from './participantFinder';

/**
 * The one-way hash the audit keeps of a forgotten participant's id: sha256 of a fixed prefix and
 * the id, hex. Whoever holds the id can check whether it was forgotten; the hash does not give it back.
 */
export function participantHash(participantId: string): string {
  return createHash('sha256').update(`pgroup forgotten participant\n${participantId}`).digest('hex');
}

/** Why a group still holds the participant after a forget: the removal failed, or was refused. */
export type NotRemovedReason = 'failed' | 'moved' | RefusalReason;

export interface ForgetOutcome {
  hash: string;
  /** The removals applied, one per group, each recorded and announced like any change (without the id). */
  removed: AppliedChange[];
  notRemoved: { groupId: string; groupName: string; reason: NotRemovedReason }[];
  /** Groups that could not be read: the participant may be in them too. */
  unreadable: { groupId: string; groupName: string }[];
  erased: ErasureReport;
}

/** The source of the removals: it keeps the id out of outcomes and notifications (IdSource.forgotten). */
const FORGET_SOURCE: IdSource = { label: 'a participant who asked to be forgotten', forgotten: true, invalid: [], invalidCount: 0, duplicateCount: 0, note: null };

/**
 * A participant who withdraws consent, removed from every group of the workspace and then from the
 * app's own records. Each group goes through the change service as its own removal (preview,
 * claim, the group's write lock, stale check, snapshot, outcome, notification); only then is the
 * id purged from operations, snapshots, the outbox, the watcher's lists and the member cache, in
 * one transaction with the audit entries, which keep a hash and never the id.
 */
export class ParticipantForgetting {
  constructor(
    private readonly finder: ParticipantFinder,
    private readonly changes: ChangeService,
    private readonly store: ParticipantErasureStore,
    private readonly cache: GroupMembersCache,
  ) {}

  /** The groups that hold the id now, and the live studies they gate. */
  preview(participantId: string, onProgress?: FindProgress): Promise<ParticipantWhereabouts> {
    return this.finder.find(participantId, onProgress);
  }

  async forget(participantId: string, actor: Actor, channelId: string | null): Promise<ForgetOutcome> {
    // Read every group afresh: a group the participant joined since the preview is included too.
    const where = await this.finder.find(participantId, undefined, { fresh: true });
    const removed: AppliedChange[] = [];
    const notRemoved: ForgetOutcome['notRemoved'] = [];
    for (const holding of where.holdings) {
      const outcome = await this.removeFrom(holding.groupId, participantId, actor, channelId);
      if ('change' in outcome) removed.push(outcome.change);
      else notRemoved.push({ groupId: holding.groupId, groupName: holding.groupName, reason: outcome.reason });
    }
    const hash = participantHash(participantId);
    const audit: NewAuditEntry[] = (removed.length ? removed : [null]).map((change) => ({
      slackUserId: actor.userId,
      slackTeamId: actor.teamId,
      action: 'forget',
      groupId: change?.groupId ?? '',
      groupName: change?.afterName ?? '',
      beforeName: null,
      afterName: null,
      beforeCount: change?.beforeCount ?? null,
      afterCount: change?.afterCount ?? null,
      added: 0,
      removed: change?.removed ?? 0,
      outcome: 'applied',
      error: null,
      operationId: change?.operation.id ?? null,
      snapshotId: change?.snapshotId ?? null,
      subjectHash: hash,
    }));
    const erased = await this.store.eraseParticipant(participantId, audit);
    this.cache.purge(participantId);
    return { hash, removed, notRemoved, unreadable: where.unreadable, erased };
  }

  /** One group's removal: a preview confirmed at once; when the group moved meanwhile, its fresh preview once more. */
  private async removeFrom(groupId: string, participantId: string, actor: Actor, channelId: string | null): Promise<{ change: AppliedChange } | { reason: NotRemovedReason }> {
    let op = await this.changes.previewMembership({ mode: 'remove', groupId, ids: [participantId], actor, channelId, source: FORGET_SOURCE });
    for (let attempt = 0; ; attempt++) {
      const result = await this.changes.confirm(op.id, actor);
      if (result.kind === 'applied') return { change: result.change };
      if (result.kind === 'failed') return { reason: 'failed' };
      if (result.kind === 'refused') return { reason: result.reason };
      if (attempt > 0 || result.fresh.id === op.id) {
        await this.changes.cancel(result.fresh.id, actor);
        return { reason: 'moved' };
      }
      op = result.fresh;
    }
  }
}
