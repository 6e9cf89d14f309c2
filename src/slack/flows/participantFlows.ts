import type { RequestActor } from '../../services/actor';
import { normaliseParticipantId } from '../../services/participantIds';
import type { SlackMessage } from '../blocks/message';
import { renderForgetCancelled, renderForgetPreview, renderForgetRefusal, renderForgetting, renderForgotten } from '../blocks/forget';
import { renderFindProgress, renderFound, renderInvalidParticipantId } from '../blocks/participants';
import type { Reply } from '../replies';
import type { BotContext } from './botContext';


/**
 * A response_url takes at most five posts: up to three progress updates leave room for the answer
 * (and one spare, should a post need repeating).
 */
export const MAX_PROGRESS_UPDATES = 3;
/** A lookup quicker than this shows no progress at all. */
export const FIRST_PROGRESS_AFTER_MS = 1000;
export const PROGRESS_EVERY_MS = 1500;

/**
 * Progress of a long lookup, replacing the same ephemeral message: at most MAX_PROGRESS_UPDATES,
 * the first after FIRST_PROGRESS_AFTER_MS, then no more often than PROGRESS_EVERY_MS. `finish`
 * waits for the last update before the answer replaces it, so the answer is never overwritten.
 */
export function progressUpdates(reply: Reply, render: (done: number, total: number) => SlackMessage, now: () => number = Date.now) {
  const started = now();
  let sent = 0;
  let last = started;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    update(done: number, total: number): void {
      const at = now();
      if (sent >= MAX_PROGRESS_UPDATES || done >= total || at - started < FIRST_PROGRESS_AFTER_MS || (sent > 0 && at - last < PROGRESS_EVERY_MS)) return;
      sent += 1;
      last = at;
      const message = render(done, total);
      chain = chain.then(() => reply(message, { replaceOriginal: sent > 1 })).catch(() => undefined);
    },
    /** Posts the answer, in place of the progress when there was some. */
    async finish(answer: SlackMessage): Promise<void> {
      await chain;
      await reply(answer, { replaceOriginal: sent > 0 });
    },
  };
}

/** `/pgroup find <participant id>`: the groups that hold it, with progress for a long lookup. Open to readers. */
export async function findParticipant(ctx: BotContext, reply: Reply, typed: string): Promise<void> {
  const participantId = normaliseParticipantId(typed);
  if (!participantId) {
    await reply(renderInvalidParticipantId(typed));
    return;
  }
  const progress = progressUpdates(reply, renderFindProgress);
  const where = await ctx.finder.find(participantId, (done, total) => progress.update(done, total));
  await progress.finish(renderFound(where));
}

/** `/pgroup forget <participant id>`: a preview of removing it from every group and from the app's records. */
export async function previewForget(ctx: BotContext, reply: Reply, actor: RequestActor, typed: string): Promise<void> {
  if (await refuseForget(actor, reply)) return;
  const participantId = normaliseParticipantId(typed);
  if (!participantId) {
    await reply(renderInvalidParticipantId(typed));
    return;
  }
  const progress = progressUpdates(reply, renderFindProgress);
  const where = await ctx.forgetting.preview(participantId, (done, total) => progress.update(done, total));
  await progress.finish(renderForgetPreview(where));
}

/** The preview's danger button: each group through the change service, then the purge, then the outcome in the preview's place. */
export async function confirmForget(ctx: BotContext, reply: Reply, actor: RequestActor, value: string, channelId: string | null): Promise<void> {
  if (await refuseForget(actor, reply)) return;
  const participantId = normaliseParticipantId(value);
  if (!participantId) {
    await reply(renderInvalidParticipantId(value));
    return;
  }
  await reply(renderForgetting(), { replaceOriginal: true });
  const outcome = await ctx.forgetting.forget(participantId, actor, channelId);
  await reply(renderForgotten(outcome), { replaceOriginal: true });
  // Each removal is announced like any change, without the id (its outcome names nobody).
  for (const change of outcome.removed) await ctx.announcer.deliverChange(change.operation.id);
}

export async function cancelForget(reply: Reply): Promise<void> {
  await reply(renderForgetCancelled(), { replaceOriginal: true });
}

/** Forgetting takes the messaging permission (MESSAGE_USER_IDS), never a Slack Connect user. Returns true when refused. */
async function refuseForget(actor: RequestActor, reply: Reply): Promise<boolean> {
  if (!actor.permissions.message) return false;
  await reply(renderForgetRefusal(actor.permissions.message));
  return true;
}
