// The app's buttons, menus' options, form submissions and shortcuts, found by id from one Bolt
// listener per kind. Bolt runs every registered listener's matchers on every request, each a chain
// of promises; with nearly fifty ids that was most of Bolt's work per request, paid by every slash
// command before its ack too. The ids are matched as Bolt matches them: an action or an options
// request by its action_id (exactly, or by a RegExp), a submission by its view's callback_id, a
// shortcut by its callback_id and type; every listener whose id matches runs, as with Bolt.
// Unlike Bolt, a block action no route matches is still acknowledged: Slack sends one for a link
// button too, and shows the person an error when it is not answered.
import type {
  AllMiddlewareArgs,
  App,
  Middleware,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import type { RequestScope } from './requestScope';

type IdMatcher = string | RegExp;

interface Route<Args> {
  id: IdMatcher;
  /** A shortcut's type as well ('shortcut' or 'message_action'). */
  type?: string;
  listener: (args: Args) => Promise<void>;
}

type Routed<Args> = Args & AllMiddlewareArgs<RequestScope>;

function matches(id: IdMatcher, value: string | undefined): boolean {
  if (value === undefined) return false;
  return typeof id === 'string' ? id === value : id.test(value);
}

/**
 * Runs every route that matches; a failure of one is the request's failure, as with Bolt's listeners.
 * `unmatched` answers a request no route matches.
 */
async function dispatch<Args>(routes: Route<Args>[], args: Args, id: string | undefined, type?: string, unmatched?: () => Promise<void>): Promise<void> {
  const found = routes.filter((r) => matches(r.id, id) && (r.type === undefined || r.type === type));
  if (found.length === 0) return unmatched?.();
  if (found.length === 1) return found[0]!.listener(args);
  await Promise.all(found.map((r) => r.listener(args)));
}

/** Matches any id: the route is chosen by dispatch. */
const ANY_ID = /(?:)/;

export class ListenerRoutes {
  private readonly actionRoutes: Route<Routed<SlackActionMiddlewareArgs>>[] = [];
  private readonly optionRoutes: Route<Routed<SlackOptionsMiddlewareArgs>>[] = [];
  private readonly viewRoutes: Route<Routed<SlackViewMiddlewareArgs>>[] = [];
  private readonly shortcutRoutes: Route<Routed<SlackShortcutMiddlewareArgs>>[] = [];

  /** A block action by its action_id, as Bolt's app.action. */
  action<Action extends SlackAction = SlackAction>(actionId: IdMatcher, listener: Middleware<SlackActionMiddlewareArgs<Action>, RequestScope>): void {
    this.actionRoutes.push({ id: actionId, listener: listener as unknown as Route<Routed<SlackActionMiddlewareArgs>>['listener'] });
  }

  /** An external select's options request by its action_id, as Bolt's app.options. */
  options(actionId: IdMatcher, listener: Middleware<SlackOptionsMiddlewareArgs<'block_suggestion'>, RequestScope>): void {
    this.optionRoutes.push({ id: actionId, listener: listener as unknown as Route<Routed<SlackOptionsMiddlewareArgs>>['listener'] });
  }

  /** A view_submission by its view's callback_id, as Bolt's app.view. */
  view<ViewAction extends SlackViewAction = SlackViewAction>(callbackId: IdMatcher, listener: Middleware<SlackViewMiddlewareArgs<ViewAction>, RequestScope>): void {
    this.viewRoutes.push({ id: callbackId, listener: listener as unknown as Route<Routed<SlackViewMiddlewareArgs>>['listener'] });
  }

  /** A shortcut by its callback_id and type, as Bolt's app.shortcut. */
  shortcut<Shortcut extends SlackShortcut>(
    constraints: { callback_id: string; type: Shortcut['type'] },
    listener: Middleware<SlackShortcutMiddlewareArgs<Shortcut>, RequestScope>,
  ): void {
    this.shortcutRoutes.push({ id: constraints.callback_id, type: constraints.type, listener: listener as unknown as Route<Routed<SlackShortcutMiddlewareArgs>>['listener'] });
  }

  /**
   * Registers one Bolt listener for each kind that has routes. Every block action reaches the
   * action listener, which acknowledges those no route matches: an action handled by another
   * `app.action` instead of a route would be acknowledged twice.
   */
  attach(app: App<RequestScope>): void {
    if (this.actionRoutes.length) app.action(ANY_ID, (args) => dispatch(this.actionRoutes, args, 'action_id' in args.action ? args.action.action_id : undefined, undefined, () => args.ack()));
    if (this.optionRoutes.length) app.options(ANY_ID, (args) => dispatch(this.optionRoutes, args, args.options.action_id));
    if (this.viewRoutes.length) app.view({ type: 'view_submission' }, (args) => dispatch(this.viewRoutes, args, args.view.callback_id));
    if (this.shortcutRoutes.length) app.shortcut({}, (args) => dispatch(this.shortcutRoutes, args, args.shortcut.callback_id, args.shortcut.type));
  }
}
