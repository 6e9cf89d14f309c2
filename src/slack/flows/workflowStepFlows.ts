import type { WebClient } from '@slack/web-api';
import type { RequestActor } from '../../services/actor';
import { inlineIdSource } from '../../services/changes';
import { parseInlineIds } from '../../services/participantIds';
import { describeFailure } from '../blocks/failures';
import { type StepFailure, stepErrorText } from '../blocks/workflowStep';
import { slackErrorCode } from '../replies';
import type { BotContext } from './botContext';
import { announceApplied } from './changeFlows';

/** The step's callback id, as manifest.yml declares it under `functions`. */
export const ADD_PARTICIPANTS_STEP = 'add_participants_to_group';

export interface StepInputs {
  group?: unknown;
  participant_ids?: unknown;
  on_behalf_of?: unknown;
}

export type StepOutcome = { ok: true; outputs: { added_count: number; new_count: number } } | { ok: false; error: string };

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * The person the workflow says it acts for. function_executed names no user, so this is the
 * workflow builder's claim (e.g. whoever submitted its form), checked like anyone's permissions.
 */
async function onBehalfOf(ctx: BotContext, client: WebClient, userId: string): Promise<RequestActor> {
  try {
    const team = await ctx.userTeams.lookup(client, userId);
    return ctx.permissions.actor({ userId, ...team, teamKnown: true });
  } catch (err) {
    ctx.logger.warn(`looking up the workspace of ${userId} for a workflow step failed (${slackErrorCode(err)}); the step is refused`);
    return ctx.permissions.actor({ userId, teamId: '', teamIds: [], enterpriseId: null, teamKnown: false });
  }
}

/**
 * One run of "Add participants to a group": additions only, applied at once when every id is valid
 * and the person it acts for may change groups; audited and announced like any change. Removing or
 * replacing is never automated: it needs a person's confirmation.
 */
export async function runAddParticipantsStep(ctx: BotContext, client: WebClient, executionId: string, inputs: StepInputs): Promise<StepOutcome> {
  const refuse = (failure: StepFailure): StepOutcome => ({ ok: false, error: stepErrorText(failure) });
  const userId = text(inputs.on_behalf_of);
  const groupQuery = text(inputs.group);
  const idsText = text(inputs.participant_ids);
  if (!userId) return refuse({ kind: 'missing_input', input: 'on_behalf_of' });
  if (!groupQuery) return refuse({ kind: 'missing_input', input: 'group' });
  if (!idsText) return refuse({ kind: 'missing_input', input: 'participant_ids' });
  try {
    const actor = await onBehalfOf(ctx, client, userId);
    if (actor.permissions.change) return refuse({ kind: 'refused', userId, refusal: actor.permissions.change });
    const ids = parseInlineIds(idsText);
    if (!ids.valid.length) return refuse({ kind: 'no_ids', invalidCount: ids.invalid.length });
    if (ids.invalid.length) return refuse({ kind: 'invalid_ids', invalid: ids.invalid, invalidCount: ids.invalid.length });
    const found = await ctx.groups.resolve(groupQuery);
    if (found.kind === 'not_found') return refuse({ kind: 'group_not_found', query: groupQuery });
    if (found.kind === 'ambiguous') return refuse({ kind: 'group_ambiguous', query: groupQuery, count: found.candidates.length });
    const source = { ...inlineIdSource('ids from a Workflow Builder step', ids), workflow: { executionId } };
    const op = await ctx.changes.previewMembership({ mode: 'add', groupId: found.group.id, ids: ids.valid, actor, channelId: null, source });
    const result = await ctx.changes.confirm(op.id, actor);
    if (result.kind !== 'applied') return refuse({ kind: 'not_applied', result });
    if (!result.change.unrecorded) await announceApplied(ctx, result.change);
    return { ok: true, outputs: { added_count: result.change.added, new_count: result.change.afterCount } };
  } catch (err) {
    ctx.logger.error('workflow step failed:', err instanceof Error ? `${err.name}: ${err.message}` : err);
    return refuse({ kind: 'error', detail: describeFailure(err) });
  }
}
