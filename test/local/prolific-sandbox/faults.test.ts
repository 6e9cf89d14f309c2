import { request } from 'undici';
import { createSandbox, FaultInjector, type Sandbox, SEED_GROUP_IDS, sandboxParticipantId } from '../../../src/local/prolific-sandbox';
import { eventually } from '../../support/eventually';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await createSandbox();
});

afterEach(async () => {
  await sandbox.close();
});

const GROUP_PATH = `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/`;
const MEMBERS_PATH = `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/participants/`;

async function send(method: string, path: string, body?: unknown) {
  const res = await request(`${sandbox.url}${path}`, {
    method: method as 'GET',
    headers: {
      authorization: `Token ${sandbox.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

describe('choosing calls', () => {
  test('calls: [1, 2] faults only the 1st and 2nd matching calls', async () => {
    sandbox.faults.add({ method: 'PATCH', path: /participant-groups\/[^/]+\/$/, calls: [1, 2], status: 503 });
    const statuses: number[] = [];
    await send('GET', GROUP_PATH); // not a PATCH: not counted
    for (let i = 0; i < 3; i++) statuses.push((await send('PATCH', GROUP_PATH, {})).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  test('times: n faults the first n; no calls or times faults every one', async () => {
    sandbox.faults.add({ path: GROUP_PATH, times: 1, status: 502 });
    sandbox.faults.add({ path: '/api/v1/workspaces/', status: 504 });
    expect((await send('GET', GROUP_PATH)).status).toBe(502);
    expect((await send('GET', GROUP_PATH)).status).toBe(200);
    expect((await send('GET', '/api/v1/workspaces/')).status).toBe(504);
    expect((await send('GET', '/api/v1/workspaces/')).status).toBe(504);
  });

  test('a rule can be removed; clear removes all', async () => {
    const remove = sandbox.faults.add({ path: GROUP_PATH, status: 500 });
    expect((await send('GET', GROUP_PATH)).status).toBe(500);
    remove();
    expect((await send('GET', GROUP_PATH)).status).toBe(200);
    sandbox.faults.add({ path: GROUP_PATH, status: 500 });
    sandbox.faults.clear();
    expect((await send('GET', GROUP_PATH)).status).toBe(200);
  });

  test('each rule counts its own matches; the first rule that fires wins', () => {
    const faults = new FaultInjector();
    faults.add({ method: 'GET', calls: [2], status: 500 });
    faults.add({ method: 'GET', status: 503 });
    expect(faults.take('GET', '/a/')).toEqual({ method: 'GET', status: 503 });
    expect(faults.take('GET', '/a/')).toEqual({ method: 'GET', calls: [2], status: 500 });
    expect(faults.take('POST', '/a/')).toBeUndefined();
  });
});

describe('actions', () => {
  test('429 with Retry-After, in the error shape, and recorded', async () => {
    sandbox.faults.add({ path: GROUP_PATH, status: 429, retryAfterSeconds: 7 });
    const res = await send('GET', GROUP_PATH);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(JSON.parse(res.text)).toEqual({
      error: { status: 429, error_code: 140429, title: 'Too many requests', detail: 'Simulated too many requests.' },
    });
    expect(sandbox.requests.map((r) => r.status)).toEqual([429]);
  });

  test('an HTML proxy page', async () => {
    sandbox.faults.add({ path: GROUP_PATH, status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' });
    const res = await send('GET', GROUP_PATH);
    expect(res).toMatchObject({ status: 502, text: '<html>Bad Gateway</html>' });
    expect(res.headers['content-type']).toBe('text/html');
  });

  test('latency delays, then answers normally', async () => {
    sandbox.faults.add({ path: GROUP_PATH, latencyMs: 120 });
    const started = Date.now();
    const res = await send('GET', GROUP_PATH);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  test("drop 'before' closes the connection without applying", async () => {
    sandbox.faults.add({ method: 'POST', path: MEMBERS_PATH, drop: 'before' });
    await expect(send('POST', MEMBERS_PATH, { participant_ids: [sandboxParticipantId(999)] })).rejects.toThrow();
    expect(sandbox.state.members(SEED_GROUP_IDS.pilot)).not.toContain(sandboxParticipantId(999));
    expect(sandbox.requests).toEqual([
      expect.objectContaining({ method: 'POST', status: 0, body: { participant_ids: [sandboxParticipantId(999)] } }),
    ]);
  });

  test("drop 'after' applies the change, then closes the connection", async () => {
    sandbox.faults.add({ method: 'POST', path: MEMBERS_PATH, drop: 'after' });
    await expect(send('POST', MEMBERS_PATH, { participant_ids: [sandboxParticipantId(999)] })).rejects.toThrow();
    expect(sandbox.state.members(SEED_GROUP_IDS.pilot)).toContain(sandboxParticipantId(999));
    expect(sandbox.requests[0]?.status).toBe(0);
  });

  test('hang never answers; close() releases it', async () => {
    sandbox.faults.add({ path: GROUP_PATH, hang: true });
    const pending = send('GET', GROUP_PATH);
    const outcome = pending.then(
      () => 'answered',
      () => 'closed',
    );
    // The sandbox records a request when it arrives; a hanging one is recorded unanswered (status 0).
    await eventually(() => sandbox.requests.length === 1, 'the request to arrive');
    expect(sandbox.requests[0]?.status).toBe(0);
    expect(await Promise.race([outcome, Promise.resolve('still waiting')])).toBe('still waiting');
    await sandbox.close();
    expect(await outcome).toBe('closed');
    sandbox = await createSandbox();
  });
});
