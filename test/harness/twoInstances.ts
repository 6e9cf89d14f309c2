import { randomBytes } from 'node:crypto';
import { createSandbox, type Sandbox } from '../../src/local/prolific-sandbox';
import { LocalSlack } from '../../src/local/slack';
import type { SharedDatabase } from '../support/sharedDatabases';
import { type E2E, type E2EOptions, startE2E } from './e2e';

/** Two app instances on one database, sharing one sandbox and one local Slack. */
export interface TwoInstances {
  sandbox: Sandbox;
  slack: LocalSlack;
  a: E2E;
  b: E2E;
}

/**
 * Starts two instances on `database` before the describe block's tests and closes them (and the
 * database) after. Each returned value forwards to the running one, so it may be destructured at
 * declaration and used in hooks and tests declared after this call.
 */
export function useTwoInstances(database: SharedDatabase, env: E2EOptions['env']): TwoInstances {
  let current: TwoInstances | undefined;
  let discard: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const opened = await database.open();
    discard = opened.discard;
    const sandbox = await createSandbox();
    const slack = await LocalSlack.start({ botToken: `xoxb-test-${randomBytes(12).toString('hex')}` });
    const a = await startE2E({ store: opened.stores[0], sandbox, slack, env });
    const b = await startE2E({ store: opened.stores[1], sandbox, slack, env });
    current = { sandbox, slack, a, b };
  });
  afterAll(async () => {
    await current?.a.close();
    await current?.b.close();
    await current?.slack.close();
    await current?.sandbox.close();
    await discard?.();
  });
  const running = <K extends keyof TwoInstances>(key: K): TwoInstances[K] =>
    new Proxy({} as TwoInstances[K], {
      get(_target, prop) {
        if (!current) throw new Error(`the instances are not running yet (reading ${key}.${String(prop)}): use them in a hook or a test`);
        const target = current[key];
        const value: unknown = Reflect.get(target, prop);
        // Bound, so that methods reading private fields run on the real object, not the proxy.
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return { sandbox: running('sandbox'), slack: running('slack'), a: running('a'), b: running('b') };
}
