// A sandbox on a free loopback port and a client tuned for fast tests.

import { ProlificClient, type ProlificClientOptions } from '../../src/prolific';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/local/prolific-sandbox';

export const TEST_TOKEN = 'sbxtok_7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e';

export interface LogLine {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

export interface Fixture {
  sandbox: Sandbox;
  client: ProlificClient;
  logs: LogLine[];
  /** Another client on the same sandbox; closed with the fixture. */
  clientWith(options: Partial<ProlificClientOptions>): ProlificClient;
  close(): Promise<void>;
}

export const FAST_RETRY_OPTIONS: Partial<ProlificClientOptions> = {
  maxAttempts: 3,
  backoffBaseMs: 5,
  backoffMaxMs: 20,
  connectTimeoutMs: 2000,
  headersTimeoutMs: 5000,
  bodyTimeoutMs: 5000,
};

export async function startFixture(
  sandboxOptions: SandboxOptions = {},
  clientOptions: Partial<ProlificClientOptions> = {},
): Promise<Fixture> {
  const sandbox = await createSandbox({ token: TEST_TOKEN, ...sandboxOptions });
  const logs: LogLine[] = [];
  const clients: ProlificClient[] = [];
  const clientWith = (options: Partial<ProlificClientOptions>): ProlificClient => {
    const client = new ProlificClient({
      token: sandbox.token,
      baseUrl: sandbox.url,
      log: (level, msg, fields) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
      ...FAST_RETRY_OPTIONS,
      ...options,
    });
    clients.push(client);
    return client;
  };
  const client = clientWith(clientOptions);
  return {
    sandbox,
    client,
    logs,
    clientWith,
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await sandbox.close();
    },
  };
}

/** Runs fn and returns the error it throws (fails the test when it does not throw). */
export async function thrown<T = unknown>(fn: () => Promise<unknown>): Promise<T> {
  try {
    await fn();
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to throw');
}
