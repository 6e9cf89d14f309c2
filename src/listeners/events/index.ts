import type { App } from '@slack/bolt';
import type { BotContext } from '../../slack/flows/botContext';
import { publishHome } from '../../slack/flows/homeFlows';
import { slackErrorCode } from '../../slack/replies';
import type { RequestScope } from '../requestScope';

export function registerEvents(app: App<RequestScope>, ctx: BotContext): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(ctx, client, event.user, body.team_id ?? ctx.homeTeamId);
    } catch (err) {
      ctx.logger.warn(`publishing App Home failed (${slackErrorCode(err)})`);
    }
  });
}
