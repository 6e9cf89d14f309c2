import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { renderHome } from '../../slack/blocks/watch';
import type { BotContext } from '../../slack/flows/botContext';
import { ACTIONS, actionKind } from '../../slack/interactionIds';
import { slackErrorCode } from '../../slack/replies';
import type { RequestScope } from '../requestScope';

/** Publishes a user's App Home: the team's watched groups and latest changes. */
export async function publishHome(ctx: BotContext, client: WebClient, userId: string, teamId: string, page = 0): Promise<void> {
  const subs = await ctx.store.listSubscriptions({ teamId });
  const states = new Map(await Promise.all([...new Set(subs.map((s) => s.groupId))].map(async (id) => [id, await ctx.store.getWatchState(id)] as const)));
  const audit = await ctx.store.listAudit({ teamId, limit: 10, offset: 0 });
  await client.views.publish({ user_id: userId, view: renderHome(subs.map((subscription) => ({ subscription, state: states.get(subscription.groupId) ?? null })), audit, page) });
}

export function registerEvents(app: App<RequestScope>, ctx: BotContext): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(ctx, client, event.user, body.team_id ?? ctx.homeTeamId);
    } catch (err) {
      ctx.logger.warn(`publishing App Home failed (${slackErrorCode(err)})`);
    }
  });
  app.action(actionKind(ACTIONS.homePage), async ({ ack, body, client, action }) => {
    await ack();
    const page = Number((action as { value?: string }).value) || 0;
    await publishHome(ctx, client, body.user.id, body.user.team_id ?? ctx.homeTeamId, page).catch((err) => ctx.logger.warn(`App Home paging failed (${slackErrorCode(err)})`));
  });
}
