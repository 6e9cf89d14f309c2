import { describeFailure } from '../blocks/failures';
import { GroupInOtherWorkspaceError } from '../../services/servedGroups';
import { WorkspaceNotChosenError } from '../../services/workspaces';
import { notice } from '../blocks/message';
import { renderChooseWorkspace } from '../blocks/workspaces';
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
        // A channel that must choose its workspace first is asked, with buttons: nothing failed.
        if (err instanceof WorkspaceNotChosenError) {
          await reply(renderChooseWorkspace(err.workspaces, err.where));
          return;
        }
        // A group of another workspace: not resolved here, and the reply says where it is.
        if (err instanceof GroupInOtherWorkspaceError) {
          await reply(notice(describeFailure(err), ':office:'));
          return;
        }
        ctx.logger.error(`${what} failed:`, err instanceof Error ? `${err.name}: ${err.message}` : err);
        await reply(notice(describeFailure(err), ':x:'));
      }
    })(),
  );
}
