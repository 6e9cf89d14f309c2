// The routes find a request's listeners as Bolt's own matching would, from one Bolt listener per kind.
import type { App } from '@slack/bolt';
import { ListenerRoutes } from '../../src/listeners/listenerRoutes';
import type { RequestScope } from '../../src/listeners/requestScope';

type Attached = (args: Record<string, unknown>) => Promise<void>;

/** Attaches the routes to a stand-in of Bolt's App, keeping the one listener registered per kind. */
function attach(routes: ListenerRoutes): Record<'action' | 'options' | 'view' | 'shortcut', Attached | undefined> {
  const attached: Record<string, Attached | undefined> = {};
  const keep = (kind: string) => (_: unknown, listener: Attached) => {
    attached[kind] = listener;
  };
  const app = { action: keep('action'), options: keep('options'), view: keep('view'), shortcut: keep('shortcut') };
  routes.attach(app as unknown as App<RequestScope>);
  return attached as Record<'action' | 'options' | 'view' | 'shortcut', Attached | undefined>;
}

describe('ListenerRoutes', () => {
  it('runs the listeners whose action id matches, exactly or by a RegExp, and only those', async () => {
    const routes = new ListenerRoutes();
    const ran: string[] = [];
    routes.action('group_show', async () => void ran.push('exact'));
    routes.action(/^list_page(:.*)?$/, async () => void ran.push('kind'));
    routes.action('group_show_other', async () => void ran.push('other'));
    const { action } = attach(routes);
    await action!({ action: { action_id: 'group_show', type: 'button' }, ack: jest.fn() });
    await action!({ action: { action_id: 'list_page:2', type: 'button' }, ack: jest.fn() });
    expect(ran).toEqual(['exact', 'kind']);
  });

  it('acknowledges an action no route matches, such as a link button’s, and runs nothing', async () => {
    const routes = new ListenerRoutes();
    const listener = jest.fn(async () => {});
    routes.action('group_show', listener);
    const { action } = attach(routes);
    const ack = jest.fn(async () => {});
    await action!({ action: { action_id: 'open_in_prolific', type: 'button', url: 'https://app.prolific.com/' }, ack });
    expect(ack).toHaveBeenCalledTimes(1);
    expect(listener).not.toHaveBeenCalled();
  });

  it('tells a message shortcut from a global one with the same callback id', async () => {
    const routes = new ListenerRoutes();
    const ran: string[] = [];
    routes.shortcut({ callback_id: 'groups', type: 'message_action' }, async () => void ran.push('message'));
    routes.shortcut({ callback_id: 'groups', type: 'shortcut' }, async () => void ran.push('global'));
    const { shortcut } = attach(routes);
    await shortcut!({ shortcut: { callback_id: 'groups', type: 'shortcut' } });
    expect(ran).toEqual(['global']);
  });
});
