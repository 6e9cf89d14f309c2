// What a channel is told of an applied change, as kept in the notification outbox: the facts of the
// AppliedChange, without the operation itself (the outbox row names it, and it is read back when
// the notification is delivered).
import type { Operation } from '../../store/types';
import type { AppliedChange } from './types';

/** The facts of an applied change a notification shows, as stored with it. */
export function notifiedFacts(change: AppliedChange): Record<string, unknown> {
  return {
    actor: { userId: change.actor.userId, teamId: change.actor.teamId },
    groupId: change.groupId,
    beforeName: change.beforeName,
    afterName: change.afterName,
    beforeCount: change.beforeCount,
    afterCount: change.afterCount,
    added: change.added,
    removed: change.removed,
    sampleAdded: change.sampleAdded,
    sampleRemoved: change.sampleRemoved,
    snapshotId: change.snapshotId,
    countMismatch: change.countMismatch,
    ...(change.dropped?.length ? { dropped: change.dropped } : {}),
    ...(change.recovered ? { recovered: true } : {}),
  };
}

/** The applied change a stored notification tells of, with its operation as read now. */
export function notifiedChange(operation: Operation, facts: Record<string, unknown>): AppliedChange {
  const f = facts as Partial<AppliedChange>;
  return {
    operation,
    actor: f.actor ?? { userId: operation.slackUserId, teamId: operation.slackTeamId },
    groupId: f.groupId ?? operation.groupId,
    beforeName: f.beforeName ?? operation.baselineName,
    afterName: f.afterName ?? operation.newName ?? operation.baselineName,
    beforeCount: f.beforeCount ?? 0,
    afterCount: f.afterCount ?? 0,
    added: f.added ?? 0,
    removed: f.removed ?? 0,
    sampleAdded: f.sampleAdded ?? [],
    sampleRemoved: f.sampleRemoved ?? [],
    snapshotId: f.snapshotId ?? null,
    countMismatch: f.countMismatch ?? null,
    ...(f.dropped?.length ? { dropped: f.dropped } : {}),
    ...(f.recovered ? { recovered: true } : {}),
  };
}
