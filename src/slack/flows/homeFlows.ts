import type { WebClient } from '@slack/web-api';
import { markViewAsDemo } from '../blocks/demoSandbox';
import { renderHome } from '../blocks/watch';
import type { BotContext } from './botContext';

/** Publishes a user's App Home: the team's watched groups and latest changes. */
export async function publishHome(ctx: BotContext, client: WebClient, userId: string, teamId: string, page = 0): Promise<void> {
  const home = await ctx.watchList.home(teamId);
  const view = renderHome(home.watched, home.recentChanges, page);
  await client.views.publish({ user_id: userId, view: ctx.demoSandbox ? markViewAsDemo(view) : view });
}
