import type { App } from '@slack/bolt';
import type { BotContext } from '../../slack/flows/botContext';
import { pgroupCommand } from './pgroup';
import type { RequestScope } from '../requestScope';

export const COMMAND = '/pgroup';

export function registerCommands(app: App<RequestScope>, ctx: BotContext): void {
  app.command(COMMAND, pgroupCommand(ctx));
}
