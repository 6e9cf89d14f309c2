import type { WebClient } from '@slack/web-api';
import { markViewAsDemo } from '../blocks/demoSandbox';
import { renderHome } from '../blocks/watch';
import type { BotContext } from './botContext';

/**
 * Publishes a user's App Home: the team's watched groups and latest changes, and, when the app
 * serves several Prolific workspaces, the one the user works in from the tab (or the question).
 */
export async function publishHome(ctx: BotContext, client: WebClient, userId: string, teamId: string, page = 0): Promise<void> {
  const [home, workspaces] = await Promise.all([ctx.watchList.home(teamId), ctx.workspaces.several ? ctx.workspaces.homeFacts(userId) : null]);
  const view = renderHome(home.watched, home.recentChanges, page, workspaces);
  await client.views.publish({ user_id: userId, view: ctx.demoSandbox ? markViewAsDemo(view) : view });
}

/**
 * A Home tab's workspace button: records the user's choice (a workspace no longer served is
 * ignored, as a stale button) and publishes the tab again with it.
 */
export async function chooseHomeWorkspace(ctx: BotContext, client: WebClient, userId: string, teamId: string, workspaceId: string): Promise<void> {
  await ctx.workspaces.chooseForHome(userId, workspaceId);
  await publishHome(ctx, client, userId, teamId);
}
