import http from 'node:http';
import type { AddressInfo } from 'node:net';
import util from 'node:util';
import { ProlificClient, ProlificError } from '../../src/prolific';
import { SEED_GROUP_IDS } from '../../src/local/prolific-sandbox';
import { type Fixture, startFixture, TEST_TOKEN, thrown } from './clientFixture';

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture({}, { maxAttempts: 2, headersTimeoutMs: 150 });
});

afterEach(async () => {
  await fx.close();
});

function everyRendering(value: unknown): string[] {
  const renderings = [
    JSON.stringify(value) ?? '',
    util.inspect(value),
    util.inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
    String(value),
  ];
  if (value instanceof Error) renderings.push(value.message, value.stack ?? '');
  return renderings;
}

test('the token appears in no log line, error, serialised error, stack or client rendering', async () => {
  const GROUP_PATH = `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/`;
  const errors: unknown[] = [];
  const collect = async (fn: () => Promise<unknown>): Promise<void> => {
    errors.push(await thrown(fn));
  };

  // http: a server that echoes the Authorization header back in its error detail.
  fx.sandbox.faults.add({
    path: GROUP_PATH,
    calls: [1],
    status: 401,
    body: JSON.stringify({
      error: { status: 401, error_code: 1, title: `Bad token ${TEST_TOKEN}`, detail: `Token ${TEST_TOKEN} rejected` },
    }),
    contentType: 'application/json',
  });
  await collect(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
  // http: a plain-text page quoting the token.
  fx.sandbox.faults.add({ path: GROUP_PATH, times: 1, status: 400, body: `bad header Token ${TEST_TOKEN}` });
  await collect(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
  // http with retries: 503 twice.
  fx.sandbox.faults.add({ path: GROUP_PATH, times: 2, status: 503 });
  await collect(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
  // timeout
  fx.sandbox.faults.add({ method: 'PATCH', hang: true });
  await collect(() => fx.client.updateGroup(SEED_GROUP_IDS.pilot, { name: 'x' }));
  // network: reset before and after applying
  fx.sandbox.faults.add({ method: 'POST', path: '/api/v1/participant-groups/', drop: 'before' });
  await collect(() => fx.client.createGroup({ name: 'n', workspace_id: fx.sandbox.workspaceId }));
  fx.sandbox.faults.add({ method: 'DELETE', drop: 'after' });
  const chunked = await fx.client.removeMembers(SEED_GROUP_IDS.pilot, ['5e9b9c9b0f9c9a0001b0b1f4']);
  // invalid_response: a 2xx that is not JSON, quoting the token.
  fx.sandbox.faults.add({ path: '/api/v1/users/me/', status: 200, body: `hello ${TEST_TOKEN}` });
  await collect(() => fx.client.me());
  // 401 from the sandbox itself for a wrong token.
  await collect(() => fx.clientWith({ token: `${TEST_TOKEN}-wrong` }).listWorkspaces());
  // network: connection refused.
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = new ProlificClient({ token: TEST_TOKEN, baseUrl: `http://127.0.0.1:${port}`, maxAttempts: 1 });
  await collect(() => refused.listWorkspaces());

  expect(errors.every((e) => e instanceof ProlificError)).toBe(true);
  expect(new Set(errors.map((e) => (e as ProlificError).kind))).toEqual(
    new Set(['http', 'timeout', 'network', 'invalid_response']),
  );
  expect(chunked.chunks[0]?.status).toBe('failed');
  expect((errors[0] as ProlificError).title).toBe('Bad token [redacted]');

  const texts = [
    ...errors.flatMap(everyRendering),
    ...everyRendering(chunked),
    ...everyRendering(fx.client),
    ...everyRendering(refused),
    JSON.stringify(fx.logs),
    util.inspect(fx.logs, { depth: Number.POSITIVE_INFINITY }),
  ];
  expect(fx.logs.length).toBeGreaterThan(8);
  for (const text of texts) expect(text).not.toContain(TEST_TOKEN);

  // The client renders as its base URL only, also while a request is in flight.
  fx.sandbox.faults.clear();
  fx.sandbox.faults.add({ path: '/api/v1/workspaces/', latencyMs: 100 });
  const inFlight = fx.client.listWorkspaces();
  expect(util.inspect(fx.client, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain(TEST_TOKEN);
  expect(JSON.stringify(fx.client)).toBe(JSON.stringify({ baseUrl: fx.sandbox.url }));
  await inFlight;
  await refused.close();
});
