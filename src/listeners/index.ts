import type { App } from '@slack/bolt';
import type { BotContext } from '../slack/flows/botContext';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerEvents } from './events';
import { registerFunctions } from './functions';
import { ListenerRoutes } from './listenerRoutes';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';
import type { RequestScope } from './requestScope';

export function registerListeners(app: App<RequestScope>, ctx: BotContext): void {
  registerCommands(app, ctx);
  // Buttons, options, forms and shortcuts are found by id from one Bolt listener per kind (see ListenerRoutes).
  const routes = new ListenerRoutes();
  registerActions(routes, ctx);
  registerViews(routes, ctx);
  registerShortcuts(routes, ctx);
  routes.attach(app);
  registerEvents(app, ctx);
  registerFunctions(app, ctx);
}
