import type { App } from '@slack/bolt';
import type { BotContext } from '../slack/flows/botContext';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerEvents } from './events';
import { registerFunctions } from './functions';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';
import type { RequestScope } from './requestScope';

export function registerListeners(app: App<RequestScope>, ctx: BotContext): void {
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
  registerEvents(app, ctx);
  registerShortcuts(app, ctx);
  registerFunctions(app, ctx);
}
