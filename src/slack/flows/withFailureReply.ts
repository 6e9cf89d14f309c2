import { describeFailure } from '../blocks/failures';
import { notice } from '../blocks/message';
import type { Reply } from '../replies';
import type { BotContext } from './botContext';

/**
 * Runs a listener's work, turning any failure into a reply the user understands (and a log line).
 * The work is tracked in flight, replies included, so a shutdown lets the user hear the outcome.
 */
export async function withFailureReply(ctx: BotContext, reply: Reply, what: string, work: () => Promise<void>): Promise<void> {
  await ctx.inFlight.track(
    (async () => {
      try {
        await work();
      } catch (err) {
        ctx.logger.error(`${what} failed:`, err instanceof Error ? `${err.name}: ${err.message}` : err);
        await reply(notice(describeFailure(err), ':x:'));
      }
    })(),
  );
}
