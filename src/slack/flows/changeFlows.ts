import { renderNoValidIds } from '../blocks/inlineIds';
import { INLINE_SOURCES, renameRefusedText } from '../blocks/formWords';
import type { WebClient } from '@slack/web-api';
import type { ParticipantGroup } from '../../prolific/types';
import type { Actor, RequestActor } from '../../services/actor';
import { type AppliedChange, type ConfirmationRequest, type ConfirmResult, confirmationPolicy, inlineIdSource, type MembershipMode, operationDetails, type RecoveredOperation, type UndoMode, type UndoRefusal } from '../../services/changes';
import { namesGroupExactly } from '../../services/groupResolution';
import { groupNameProblemText } from '../blocks/groupNames';
import { parseInlineIds } from '../../services/participantIds';
import type { Operation } from '../../store/types';
import { renderApplied } from '../blocks/appliedChange';
import { type PreviewOwners, renderCancelled, renderPreview, renderRefused, renderStale } from '../blocks/changes';
import { markAsDemo } from '../blocks/demoSandbox';
import { renderFailed } from '../blocks/failedChange';
import { notice } from '../blocks/message';
import { renderTypedDeleteModal } from '../blocks/modals';
import { renderAlreadyReverted, renderGroupDeleted } from '../blocks/undo';
import { bindReply, type Reply } from '../replies';
import type { BotContext } from './botContext';
import { refuseChange } from './refuseChange';

/**
 * Posts the channel notifications of an applied change, from the outbox they were recorded in with
 * the change: each channel's at most once, whatever else is delivering them (see Announcer).
 */
export async function announceApplied(ctx: BotContext, change: AppliedChange): Promise<void> {
  await ctx.announcer.deliverChange(change.operation.id);
}

/**
 * Tells each requester how a confirmation that was cut short ended (see
 * ChangeService.recoverStuckOperations), and the channels when it changed the group.
 */
export async function reportRecovered(ctx: BotContext, client: WebClient, settled: RecoveredOperation[]): Promise<void> {
  for (const result of settled) {
    const op = result.kind === 'applied' ? result.change.operation : result.failure.operation;
    const reply = bindReply(client, ctx.logger, { userId: op.slackUserId, channelId: op.channelId }, ctx.demoSandbox ? markAsDemo : undefined);
    ctx.logger.info(`recovered operation ${op.id} left applying: ${result.kind}`);
    await reportConfirmResult(ctx, reply, result).catch((err) => ctx.logger.warn('reporting a recovered operation failed:', err instanceof Error ? err.message : err));
  }
}

/** Who may act on a preview, for a refusal to name them. */
function previewOwners(ctx: BotContext, op: Operation | null): PreviewOwners | undefined {
  return op ? { requesterId: op.slackUserId, admins: ctx.config.adminUserIds } : undefined;
}

/** Tells the requester how a confirmation ended, and the channels when it changed the group. */
export async function reportConfirmResult(ctx: BotContext, reply: Reply, result: ConfirmResult): Promise<void> {
  switch (result.kind) {
    case 'applied':
      await reply(renderApplied(result.change), { replaceOriginal: true });
      // An unrecorded change is announced by the recovery that records it, once.
      if (!result.change.unrecorded) await announceApplied(ctx, result.change);
      return;
    case 'failed':
      await reply(renderFailed(result.failure), { replaceOriginal: true });
      return;
    case 'stale':
      await reply(renderStale(result), { replaceOriginal: true });
      return;
    case 'refused':
      // A refusal goes out as a new message, so it never hides the outcome another click is about to show.
      await reply(renderRefused(result.reason, ctx.config.snapshotRetentionDays, previewOwners(ctx, result.operation)));
      return;
  }
}

/** `typedName`: what was typed in the form that confirms deleting a group a live study uses. */
export async function confirmOperation(ctx: BotContext, reply: Reply, actor: RequestActor, operationId: string, typedName?: string): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const result = await ctx.changes.confirm(operationId, actor, typedName === undefined ? {} : { typedName });
  await reportConfirmResult(ctx, reply, result);
}

/** Opens the form that confirms deleting a group a live study uses by typing its name. */
export async function openTypedDelete(ctx: BotContext, client: WebClient, reply: Reply, actor: RequestActor, triggerId: string, operationId: string): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const op = await ctx.store.getOperation(operationId);
  if (op?.status !== 'pending') {
    // Confirming tells why it cannot go ahead (already applied, cancelled, expired, missing).
    await reportConfirmResult(ctx, reply, await ctx.changes.confirm(operationId, actor));
    return;
  }
  const details = operationDetails(op);
  await client.views.open({ trigger_id: triggerId, view: renderTypedDeleteModal(op, details.studies, details.summary?.currentTotal ?? 0) });
}

export async function cancelOperation(ctx: BotContext, reply: Reply, actor: Actor, operationId: string): Promise<void> {
  const result = await ctx.changes.cancel(operationId, actor);
  if (result.ok) await reply(renderCancelled(result.operation), { replaceOriginal: true });
  else await reply(renderRefused(result.reason, ctx.config.snapshotRetentionDays, previewOwners(ctx, result.operation)));
}

/** Tells why an Undo, a Restore or a Recreate gives no preview: refused, undone already, or the group was deleted. */
async function replyUndoRefusal(ctx: BotContext, reply: Reply, refusal: UndoRefusal): Promise<void> {
  if ('alreadyReverted' in refusal) await reply(renderAlreadyReverted(refusal.alreadyReverted));
  else if ('deleted' in refusal) await reply(renderGroupDeleted(refusal.deleted));
  else await reply(renderRefused(refusal.refused, ctx.config.snapshotRetentionDays));
}

/** Undo (`revert`: that one change, keeping later ones) or Restore to before a change (`restore`), through a preview. */
export async function undoOperation(ctx: BotContext, reply: Reply, actor: RequestActor, operationId: string, channelId: string | null, mode: UndoMode = 'revert'): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const preview = await ctx.changes.previewUndo(operationId, actor, channelId, mode);
  if ('id' in preview) await reply(renderPreview(preview));
  else await replyUndoRefusal(ctx, reply, preview);
}

/** Recreate of a deleted group, from the snapshot its delete kept, through a preview. */
export async function recreateGroup(ctx: BotContext, reply: Reply, actor: RequestActor, deleteOperationId: string, channelId: string | null): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const preview = await ctx.changes.previewRecreate(deleteOperationId, actor, channelId);
  if ('id' in preview) await reply(renderPreview(preview));
  else await replyUndoRefusal(ctx, reply, preview);
}

/** A preview adding back the ids an overwrite dropped (they joined while it was being written). */
export async function previewAddBack(ctx: BotContext, reply: Reply, actor: RequestActor, operationId: string, channelId: string | null): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const preview = await ctx.changes.previewAddBack(operationId, actor, channelId);
  if ('refused' in preview) await reply(renderRefused(preview.refused));
  else await offerChange(ctx, reply, actor, preview, FOLLOW_UP);
}

export async function retryOperation(ctx: BotContext, reply: Reply, actor: RequestActor, operationId: string): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const preview = await ctx.changes.previewRetry(operationId, actor);
  if ('refused' in preview) await reply(renderRefused(preview.refused));
  else await offerChange(ctx, reply, actor, preview, FOLLOW_UP, { replaceOriginal: true });
}

/**
 * Shows the preview of a change, or applies it at once, as the one confirmation policy says
 * (services/changes/confirmationPolicy). Every way of asking for a change comes through here.
 * Returns where the preview landed (null when applied at once, or when no reply route worked).
 */
export async function offerChange(
  ctx: BotContext,
  reply: Reply,
  actor: Actor,
  op: Operation,
  request: ConfirmationRequest,
  options: { replaceOriginal?: boolean; typedGroup?: string; nameTakenBy?: ParticipantGroup[] } = {},
): Promise<Awaited<ReturnType<Reply>>> {
  const decision = confirmationPolicy(op, request);
  if (decision.kind === 'apply_now') {
    await reportConfirmResult(ctx, reply, await ctx.changes.confirm(op.id, actor));
    return null;
  }
  const why = {
    ...(decision.reasons.includes('group_name_not_exact') && options.typedGroup !== undefined ? { typedGroup: options.typedGroup } : {}),
    ...(decision.reasons.includes('name_taken') && options.nameTakenBy?.length ? { nameTakenBy: options.nameTakenBy } : {}),
  };
  const landed = await reply(renderPreview(op, why), { replaceOriginal: Boolean(options.replaceOriginal) });
  if (landed) await ctx.store.setOperationMessage(op.id, landed);
  return landed;
}

/** An action on an earlier change: what it does now is previewed. */
const FOLLOW_UP: ConfirmationRequest = { origin: 'follow_up', groupNamedExactly: true, partlyUnderstood: false };

/** How the group of a command was named: `typed` is what the user typed for it. */
export interface NamedGroup {
  group: ParticipantGroup;
  typed: string;
}

/** `add` and `remove` with ids typed after the command. */
export async function startInlineChange(ctx: BotContext, reply: Reply, actor: RequestActor, channelId: string | null, named: NamedGroup, mode: MembershipMode, idsText: string): Promise<void> {
  const { group } = named;
  if (await refuseChange(actor, reply)) return;
  const ids = parseInlineIds(idsText);
  if (ids.valid.length === 0) {
    await reply(renderNoValidIds(ids.invalid));
    return;
  }
  const source = inlineIdSource(INLINE_SOURCES.typed, ids);
  const op = await ctx.changes.previewMembership({ mode, groupId: group.id, ids: ids.valid, actor, channelId, source });
  await offerChange(ctx, reply, actor, op, { origin: 'typed', groupNamedExactly: namesGroupExactly(named.typed, group), partlyUnderstood: ids.invalid.length > 0 }, { typedGroup: named.typed });
}

/** A rename from the command (`named.typed`: what was typed for the group) or the form (the group's id). */
export async function startRename(ctx: BotContext, reply: Reply, actor: RequestActor, channelId: string | null, named: NamedGroup, newName: string): Promise<void> {
  const { group } = named;
  if (await refuseChange(actor, reply)) return;
  const problem = groupNameProblemText(newName, group.name);
  if (problem) {
    await reply(notice(renameRefusedText(problem, group.name)));
    return;
  }
  // Another group already has the name: asked first, as the preview (its buttons are Rename and Cancel).
  const taken = await ctx.groups.named(newName, group.id);
  const op = await ctx.changes.previewRename({ groupId: group.id, newName, actor, channelId });
  await offerChange(
    ctx,
    reply,
    actor,
    op,
    { origin: 'typed', groupNamedExactly: namesGroupExactly(named.typed, group), partlyUnderstood: false, nameTaken: taken.length > 0 },
    { typedGroup: named.typed, nameTakenBy: taken },
  );
}

export async function startDelete(ctx: BotContext, reply: Reply, actor: RequestActor, channelId: string | null, groupId: string): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const op = await ctx.changes.previewDelete({ groupId, actor, channelId });
  await offerChange(ctx, reply, actor, op, { origin: 'typed', groupNamedExactly: true, partlyUnderstood: false });
}
