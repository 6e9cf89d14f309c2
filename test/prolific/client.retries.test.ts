import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProlificClient, type ProlificError } from '../../src/prolific';
import { backoffDelayMs, parseRetryAfter, RETRY_AFTER_CEILING_MS, retryDelayMs, shouldRetry } from '../../src/prolific/retryPolicy';
import { ProlificError as ErrorClass } from '../../src/prolific/errors';
import { SEED_GROUP_IDS } from '../../src/local/prolific-sandbox';
import { FAST_RETRY_OPTIONS, type Fixture, startFixture, TEST_TOKEN, thrown } from './clientFixture';

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture();
});

afterEach(async () => {
  await fx.close();
});

const GROUPS_PATH = '/api/v1/participant-groups/';
const GROUP_PATH = `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/`;
const NEW_GROUP = { name: 'Wave 3', workspace_id: '5e9b9c9b0f9c9a0001b1ca2f' };

function gapMs(first: number, second: number): number {
  const requests = fx.sandbox.requests;
  return requests[second]!.at.getTime() - requests[first]!.at.getTime();
}

function countGroupsNamed(name: string): number {
  return fx.sandbox.state.listGroups().filter((g) => g.name === name).length;
}

describe('retried', () => {
  test('429 on a GET waits for Retry-After, then succeeds', async () => {
    fx.sandbox.faults.add({ method: 'GET', path: GROUP_PATH, calls: [1], status: 429, retryAfterSeconds: 1 });

    const group = await fx.client.getGroup(SEED_GROUP_IDS.pilot);

    expect(group.id).toBe(SEED_GROUP_IDS.pilot);
    expect(fx.sandbox.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(gapMs(0, 1)).toBeGreaterThanOrEqual(950);
    expect(fx.logs[0]).toMatchObject({ level: 'warn', fields: { status: 429, attempt: 1, retryInMs: 1000 } });
  });

  test('503 on a PATCH waits for Retry-After, then succeeds', async () => {
    fx.sandbox.faults.add({ method: 'PATCH', path: GROUP_PATH, calls: [1], status: 503, retryAfterSeconds: 1 });

    await fx.client.updateGroup(SEED_GROUP_IDS.pilot, { name: 'Renamed' });

    expect(fx.sandbox.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PATCH 503', 'PATCH 200']);
    expect(gapMs(0, 1)).toBeGreaterThanOrEqual(950);
    expect(fx.sandbox.state.getGroup(SEED_GROUP_IDS.pilot)?.name).toBe('Renamed');
  });

  test('502, 503 and 504 are retried up to maxAttempts', async () => {
    fx.sandbox.faults.add({ method: 'GET', path: GROUP_PATH, calls: [1], status: 502 });
    fx.sandbox.faults.add({ method: 'GET', path: GROUP_PATH, calls: [2], status: 504 });
    fx.sandbox.faults.add({ method: 'GET', path: GROUP_PATH, calls: [3, 4], status: 503 });

    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));

    expect(error).toMatchObject({ status: 503, attempts: 3 });
    expect(fx.sandbox.requests.map((r) => r.status)).toEqual([502, 504, 503]);
  });

  test('a connection reset on a GET is retried', async () => {
    fx.sandbox.faults.add({ method: 'GET', path: GROUP_PATH, calls: [1], drop: 'before' });
    await expect(fx.client.getGroup(SEED_GROUP_IDS.pilot)).resolves.toMatchObject({ id: SEED_GROUP_IDS.pilot });
    expect(fx.sandbox.requests.map((r) => r.status)).toEqual([0, 200]);
  });

  test('a rename whose answer was lost is repeated: setting the name twice gives the same group', async () => {
    fx.sandbox.faults.add({ method: 'PATCH', calls: [1], drop: 'after' });

    const group = await fx.client.updateGroup(SEED_GROUP_IDS.pilot, { name: 'Renamed twice' });

    expect(group.name).toBe('Renamed twice');
    expect(fx.sandbox.requests.map((r) => r.method)).toEqual(['PATCH', 'PATCH']);
  });

  test('an overwrite (PATCH participant_ids) refused with 429 is repeated: Prolific did not act on it', async () => {
    fx.sandbox.faults.add({ method: 'PATCH', path: GROUP_PATH, calls: [1], status: 429, retryAfterSeconds: 0.05 });
    const ids = ['5e9b9c9b0f9c9a0001b0b1f4'];

    const group = await fx.client.updateGroup(SEED_GROUP_IDS.pilot, { participant_ids: ids });

    expect(group.participant_count).toBe(1);
    expect(fx.sandbox.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PATCH 429', 'PATCH 200']);
  });

  test.each([
    ['added', 'addMembers', 'POST'],
    ['removed', 'removeMembers', 'DELETE'],
  ] as const)('ids %s by id keep their retries after a lost answer or a 503: repeating them gives the same group', async (_verb, method, httpMethod) => {
    const members = fx.sandbox.state.members(SEED_GROUP_IDS.pilot);
    const id = method === 'addMembers' ? '5e9b9c9b0f9c9a0001b0b1f4' : members[0]!;
    fx.sandbox.faults.add({ method: httpMethod, calls: [1], drop: 'after' });
    fx.sandbox.faults.add({ method: httpMethod, calls: [2], status: 503 });

    const result = await fx.client[method](SEED_GROUP_IDS.pilot, [id]);

    expect(result.complete).toBe(true);
    expect(fx.sandbox.requests.map((r) => `${r.method} ${r.status}`)).toEqual([`${httpMethod} 0`, `${httpMethod} 503`, `${httpMethod} 200`]);
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.pilot).includes(id)).toBe(method === 'addMembers');
  });

  test('create is retried on 429: the server did not act', async () => {
    fx.sandbox.faults.add({ method: 'POST', path: GROUPS_PATH, calls: [1], status: 429, retryAfterSeconds: 0.05 });

    await fx.client.createGroup(NEW_GROUP);

    expect(fx.sandbox.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 429', 'POST 201']);
    expect(countGroupsNamed('Wave 3')).toBe(1);
  });

  test('deleting a group whose first answer was lost ends in success, not 404', async () => {
    fx.sandbox.faults.add({ method: 'DELETE', path: GROUP_PATH, calls: [1], drop: 'after' });

    await expect(fx.client.deleteGroup(SEED_GROUP_IDS.pilot)).resolves.toBeUndefined();

    expect(fx.sandbox.requests.map((r) => r.status)).toEqual([0, 404]);
    expect(fx.sandbox.state.getGroup(SEED_GROUP_IDS.pilot)?.is_deleted).toBe(true);
  });
});

describe('not retried', () => {
  test('500 is reported after one attempt', async () => {
    fx.sandbox.faults.add({ method: 'GET', path: GROUP_PATH, status: 500 });
    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
    expect(error).toMatchObject({ status: 500, attempts: 1, ambiguous: false });
    expect(fx.sandbox.requests).toHaveLength(1);
  });

  test('404 on delete without an earlier lost answer is an error', async () => {
    const error = await thrown<ProlificError>(() => fx.client.deleteGroup('000000000000000000000000'));
    expect(error).toMatchObject({ status: 404 });
  });

  test.each([
    ['502', { status: 502 }],
    ['503', { status: 503, retryAfterSeconds: 0 }],
    ['504', { status: 504 }],
    ['500', { status: 500 }],
  ] as const)('create after %s: exactly one POST, ambiguous', async (_name, action) => {
    fx.sandbox.faults.add({ method: 'POST', path: GROUPS_PATH, ...action });

    const error = await thrown<ProlificError>(() => fx.client.createGroup(NEW_GROUP));

    expect(error).toMatchObject({ kind: 'http', status: action.status, ambiguous: true, attempts: 1 });
    expect(fx.sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test('create after a connection reset before applying: one POST, no group, still ambiguous to the client', async () => {
    fx.sandbox.faults.add({ method: 'POST', path: GROUPS_PATH, drop: 'before' });

    const error = await thrown<ProlificError>(() => fx.client.createGroup(NEW_GROUP));

    expect(error).toMatchObject({ kind: 'network', status: 0, ambiguous: true, attempts: 1 });
    expect(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']).toContain(error.code);
    expect(fx.sandbox.requests).toHaveLength(1);
    expect(countGroupsNamed('Wave 3')).toBe(0);
  });

  test('create after a reset once applied: one POST, one group, ambiguous', async () => {
    fx.sandbox.faults.add({ method: 'POST', path: GROUPS_PATH, drop: 'after' });

    const error = await thrown<ProlificError>(() => fx.client.createGroup(NEW_GROUP));

    expect(error).toMatchObject({ kind: 'network', ambiguous: true });
    expect(fx.sandbox.requests).toHaveLength(1);
    expect(countGroupsNamed('Wave 3')).toBe(1);
  });

  test('create after a timeout: one POST, ambiguous', async () => {
    const client = fx.clientWith({ headersTimeoutMs: 200 });
    fx.sandbox.faults.add({ method: 'POST', path: GROUPS_PATH, hang: true });

    const error = await thrown<ProlificError>(() => client.createGroup(NEW_GROUP));

    expect(error).toMatchObject({ kind: 'timeout', status: 0, ambiguous: true, code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(fx.sandbox.requests).toHaveLength(1);
  });

  test.each([
    ['a 502', { status: 502 }],
    ['a 503', { status: 503, retryAfterSeconds: 0 }],
    ['a 504', { status: 504 }],
    ['a 500', { status: 500 }],
    ['a lost answer once applied', { drop: 'after' }],
    ['a reset before applying', { drop: 'before' }],
  ] as const)('an overwrite (PATCH participant_ids) after %s is sent once and reported ambiguous, for the caller to read the group', async (_name, action) => {
    const before = fx.sandbox.state.members(SEED_GROUP_IDS.pilot);
    const ids = ['5e9b9c9b0f9c9a0001b0b1f4'];
    fx.sandbox.faults.add({ method: 'PATCH', path: GROUP_PATH, times: 1, ...action });

    const error = await thrown<ProlificError>(() => fx.client.updateGroup(SEED_GROUP_IDS.pilot, { participant_ids: ids }));

    expect(error).toMatchObject({ ambiguous: true, attempts: 1 });
    expect(fx.sandbox.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.pilot)).toEqual('drop' in action && action.drop === 'after' ? ids : before);
  });

  test('an overwrite after a timeout is sent once, ambiguous', async () => {
    const client = fx.clientWith({ headersTimeoutMs: 200 });
    fx.sandbox.faults.add({ method: 'PATCH', path: GROUP_PATH, hang: true });

    const error = await thrown<ProlificError>(() => client.updateGroup(SEED_GROUP_IDS.pilot, { participant_ids: ['5e9b9c9b0f9c9a0001b0b1f4'] }));

    expect(error).toMatchObject({ kind: 'timeout', ambiguous: true, attempts: 1 });
    expect(fx.sandbox.requests).toHaveLength(1);
  });

  test('a Retry-After beyond the ceiling is reported instead of waited for', async () => {
    fx.sandbox.faults.add({ path: GROUP_PATH, status: 429, retryAfterSeconds: 3600 });
    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3_600_000, attempts: 1 });
  });
});

describe('timeouts', () => {
  test('a GET that never gets an answer times out after each attempt', async () => {
    const client = fx.clientWith({ headersTimeoutMs: 150, maxAttempts: 2 });
    fx.sandbox.faults.add({ method: 'GET', path: GROUP_PATH, hang: true });

    const error = await thrown<ProlificError>(() => client.getGroup(SEED_GROUP_IDS.pilot));

    expect(error).toMatchObject({
      kind: 'timeout',
      status: 0,
      title: 'Timed out',
      detail: 'Prolific did not answer within 150 ms',
      ambiguous: false,
      attempts: 2,
    });
    expect(fx.sandbox.requests).toHaveLength(2);
  });

  test('a timed-out idempotent write is retried', async () => {
    const client = fx.clientWith({ headersTimeoutMs: 150 });
    fx.sandbox.faults.add({ method: 'PATCH', calls: [1], hang: true });

    await client.updateGroup(SEED_GROUP_IDS.pilot, { name: 'After a timeout' });

    expect(fx.sandbox.requests.map((r) => r.status)).toEqual([0, 200]);
  });

  test('an answer that stalls mid-body times out as a body timeout', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"results": [');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new ProlificClient({
      ...FAST_RETRY_OPTIONS,
      token: TEST_TOKEN,
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      bodyTimeoutMs: 150,
      maxAttempts: 1,
    });
    try {
      const error = await thrown<ProlificError>(() => client.listWorkspaces());
      expect(error).toMatchObject({ kind: 'timeout', status: 200, code: 'UND_ERR_BODY_TIMEOUT' });
    } finally {
      await client.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('connection refused', () => {
  test('is retried even for create, and is not ambiguous', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new ProlificClient({ ...FAST_RETRY_OPTIONS, token: TEST_TOKEN, baseUrl: `http://127.0.0.1:${port}` });
    try {
      const error = await thrown<ProlificError>(() => client.createGroup(NEW_GROUP));
      expect(error).toMatchObject({ kind: 'network', status: 0, code: 'ECONNREFUSED', ambiguous: false, attempts: 3 });
    } finally {
      await client.close();
    }
  });
});

describe('retry policy', () => {
  const make = (init: Partial<ConstructorParameters<typeof ErrorClass>[0]>) =>
    new ErrorClass({ kind: 'http', status: 0, title: 't', detail: '', method: 'GET', path: '/', ambiguous: false, ...init });

  test('decides by failure and request kind', () => {
    expect(shouldRetry(make({ status: 429 }), 'create')).toBe(true);
    expect(shouldRetry(make({ status: 503 }), 'create')).toBe(false);
    expect(shouldRetry(make({ status: 503 }), 'write')).toBe(true);
    expect(shouldRetry(make({ status: 503 }), 'overwrite')).toBe(false);
    expect(shouldRetry(make({ status: 429 }), 'overwrite')).toBe(true);
    expect(shouldRetry(make({ kind: 'network', code: 'ECONNRESET' }), 'overwrite')).toBe(false);
    expect(shouldRetry(make({ kind: 'timeout', code: 'UND_ERR_HEADERS_TIMEOUT' }), 'overwrite')).toBe(false);
    expect(shouldRetry(make({ kind: 'network', code: 'ECONNREFUSED' }), 'overwrite')).toBe(true);
    expect(shouldRetry(make({ status: 500 }), 'read')).toBe(false);
    expect(shouldRetry(make({ status: 404 }), 'read')).toBe(false);
    expect(shouldRetry(make({ kind: 'network', code: 'ECONNREFUSED' }), 'create')).toBe(true);
    expect(shouldRetry(make({ kind: 'timeout', code: 'UND_ERR_CONNECT_TIMEOUT' }), 'create')).toBe(true);
    expect(shouldRetry(make({ kind: 'network', code: 'ECONNRESET' }), 'create')).toBe(false);
    expect(shouldRetry(make({ kind: 'network', code: 'ECONNRESET' }), 'write')).toBe(true);
    expect(shouldRetry(make({ kind: 'timeout', code: 'UND_ERR_HEADERS_TIMEOUT' }), 'write')).toBe(true);
    expect(shouldRetry(make({ kind: 'timeout', code: 'UND_ERR_HEADERS_TIMEOUT' }), 'create')).toBe(false);
    expect(shouldRetry(make({ kind: 'network', code: 'ENOTFOUND' }), 'read')).toBe(false);
    expect(shouldRetry(make({ kind: 'invalid_response', status: 200 }), 'read')).toBe(false);
  });

  test('backoff is full jitter under an exponential ceiling', () => {
    expect(backoffDelayMs(1, 100, 1000, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, 100, 1000, () => 0.5)).toBe(200);
    expect(backoffDelayMs(10, 100, 1000, () => 0.999)).toBe(999);
    expect(backoffDelayMs(2, 100, 1000, () => 0)).toBe(0);
  });

  test('the wait before the next attempt: Retry-After as given, backoff otherwise, none past the ceiling or the last attempt', () => {
    const limits = { maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 1000 };
    const half = () => 0.5;
    expect(retryDelayMs(make({ status: 503 }), 'write', 2, limits, half)).toBe(100);
    expect(retryDelayMs(make({ status: 503 }), 'write', 3, limits, half)).toBeUndefined();
    expect(retryDelayMs(make({ status: 503 }), 'create', 1, limits, half)).toBeUndefined();
    expect(retryDelayMs(make({ status: 429, retryAfterMs: 2500 }), 'create', 1, limits, half)).toBe(2500);
    expect(retryDelayMs(make({ status: 429, retryAfterMs: RETRY_AFTER_CEILING_MS }), 'read', 1, limits, half)).toBe(RETRY_AFTER_CEILING_MS);
    expect(retryDelayMs(make({ status: 429, retryAfterMs: RETRY_AFTER_CEILING_MS + 1 }), 'read', 1, limits, half)).toBeUndefined();
    expect(retryDelayMs(make({ status: 500 }), 'read', 1, limits, half)).toBeUndefined();
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('Sun, 22 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.25', now)).toBe(250);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(['3'], now)).toBe(3000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
