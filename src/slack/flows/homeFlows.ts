import type { WebClient } from '@slack/web-api';
import { markViewAsDemo } from '../blocks/demoSandbox';
import { renderHome } from '../blocks/watch';
import { renderHomeWorkspaceChosen } from '../blocks/workspaces';
import type { Reply } from '../replies';
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
 * A workspace button of the Home tab, or of the question a direct message asked: records the user's
 * choice (a workspace no longer served is ignored, as a stale button), answers the question in its
 * place, and publishes the tab again with it.
 */
export async function chooseHomeWorkspace(ctx: BotContext, client: WebClient, userId: string, teamId: string, workspaceId: string, question: Reply | null): Promise<void> {
  const chosen = await ctx.workspaces.chooseForHome(userId, workspaceId);
  // Chosen from the question a direct message asked: answered there, in its place.
  if (question) await question(renderHomeWorkspaceChosen(chosen), { replaceOriginal: true });
  await publishHome(ctx, client, userId, teamId);
}
