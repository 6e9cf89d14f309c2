import type { App } from '@slack/bolt';
import type { BotContext } from '../../slack/flows/botContext';
import { pgroupCommand } from './pgroup';

export const COMMAND = '/pgroup';

export function registerCommands(app: App, ctx: BotContext): void {
  app.command(COMMAND, pgroupCommand(ctx));
}
