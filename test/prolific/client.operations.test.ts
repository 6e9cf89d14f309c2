import { ProlificClient } from '../../src/prolific';
import { SEED_GROUP_IDS, SEED_GROUP_NAMES, SEED_SECOND_WORKSPACE_ID, sandboxParticipantId, sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import { type Fixture, startFixture, TEST_TOKEN } from './clientFixture';

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture();
});

afterEach(async () => {
  await fx.close();
});

function onlyRequest() {
  expect(fx.sandbox.requests).toHaveLength(1);
  return fx.sandbox.requests[0]!;
}

describe('reads', () => {
  test('listGroups sends GET with workspace_id and the token header, and returns the seeded groups', async () => {
    const groups = await fx.client.listGroups(fx.sandbox.workspaceId);

    expect(groups.map((g) => g.name)).toEqual([
      SEED_GROUP_NAMES.pilot,
      SEED_GROUP_NAMES.pilotWave2,
      SEED_GROUP_NAMES.attentionChecks,
      SEED_GROUP_NAMES.mainPanel,
      SEED_GROUP_NAMES.excluded,
    ]);
    const req = onlyRequest();
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/api/v1/participant-groups/');
    expect(req.query).toEqual({ workspace_id: fx.sandbox.workspaceId });
    expect(req.headers['authorization']).toBe(`Token ${TEST_TOKEN}`);
    expect(req.headers['accept']).toBe('application/json');
    expect(req.headers['content-type']).toBeUndefined();
    expect(req.body).toBeUndefined();
    expect(req.status).toBe(200);
  });

  test('listGroups passes active', async () => {
    await fx.client.listGroups(fx.sandbox.workspaceId, { active: true });
    expect(onlyRequest().query).toEqual({ workspace_id: fx.sandbox.workspaceId, active: 'true' });
  });

  test('getGroup returns the whole group, feeder studies included', async () => {
    const group = await fx.client.getGroup(SEED_GROUP_IDS.attentionChecks);

    expect(group).toMatchObject({
      id: SEED_GROUP_IDS.attentionChecks,
      name: 'Passed all attention checks',
      description: 'Participants who passed all attention checks',
      workspace_id: fx.sandbox.workspaceId,
      organisation_id: null,
      project_id: null,
      participant_count: 40,
      is_deleted: false,
    });
    expect(group.feeder_studies[0]?.feeder_completion_codes.map((c) => c.action)).toEqual([
      'ADD_TO_PARTICIPANT_GROUP',
      'REMOVE_FROM_PARTICIPANT_GROUP',
    ]);
    expect(onlyRequest()).toMatchObject({ method: 'GET', path: `/api/v1/participant-groups/${group.id}/` });
  });

  test('listMembers returns ids with their join times', async () => {
    const members = await fx.client.listMembers(SEED_GROUP_IDS.pilot);

    expect(members.map((m) => m.participant_id)).toEqual(sandboxParticipantIds(1, 12));
    expect(members[0]?.datetime_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(onlyRequest()).toMatchObject({
      method: 'GET',
      path: `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/participants/`,
    });
  });

  test('me and listWorkspaces', async () => {
    const me = await fx.client.me();
    const workspaces = await fx.client.listWorkspaces();

    expect(typeof me.id).toBe('string');
    expect(workspaces).toEqual([
      expect.objectContaining({ id: fx.sandbox.workspaceId, title: 'Psychology Lab' }),
      expect.objectContaining({ id: SEED_SECOND_WORKSPACE_ID, title: 'Vision Lab' }),
    ]);
    expect(fx.sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/users/me/',
      'GET /api/v1/workspaces/',
    ]);
  });
});

describe('writes', () => {
  test('createGroup POSTs JSON and returns the 201 group', async () => {
    const input = {
      name: 'Group 1',
      workspace_id: fx.sandbox.workspaceId,
      description: 'Participants with confirmed special dietary requirements.',
      participant_ids: ['5e9b9c9b0f9c9a0001b0b1f4', '5e9b9c9b0f9c9a0001b0b1f5', '5e9b9c9b0f9c9a0001b0b1f6'],
    };
    const group = await fx.client.createGroup(input);

    expect(group).toMatchObject({ name: 'Group 1', participant_count: 3, is_deleted: false });
    const req = onlyRequest();
    expect(req).toMatchObject({ method: 'POST', path: '/api/v1/participant-groups/', status: 201, body: input });
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['authorization']).toBe(`Token ${TEST_TOKEN}`);
    expect(fx.sandbox.state.members(group.id)).toEqual(input.participant_ids);
  });

  test('seed example: PATCH {"name": "Passed all attention checks"} renames', async () => {
    const group = await fx.client.updateGroup(SEED_GROUP_IDS.pilotWave2, { name: 'Passed all attention checks' });

    expect(group.name).toBe('Passed all attention checks');
    expect(fx.sandbox.state.getGroup(SEED_GROUP_IDS.pilotWave2)?.name).toBe('Passed all attention checks');
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.pilotWave2)).toHaveLength(3);
    expect(onlyRequest()).toMatchObject({
      method: 'PATCH',
      path: `/api/v1/participant-groups/${SEED_GROUP_IDS.pilotWave2}/`,
      body: { name: 'Passed all attention checks' },
      status: 200,
    });
  });

  test('seed example: PATCH with participant_ids overwrites the membership and participant_count', async () => {
    const ids = ['5e9b9c9b0f9c9a0001b0b1f4', '5e9b9c9b0f9c9a0001b0b1f5', '5e9b9c9b0f9c9a0001b0b1f6'];
    const group = await fx.client.updateGroup(SEED_GROUP_IDS.attentionChecks, { participant_ids: ids });

    expect(group.participant_count).toBe(3);
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.attentionChecks)).toEqual(ids);
    expect(onlyRequest().body).toEqual({ participant_ids: ids });
  });

  test('seed example: PATCH {} changes nothing', async () => {
    const before = fx.sandbox.state.getGroup(SEED_GROUP_IDS.attentionChecks);
    const membersBefore = fx.sandbox.state.memberships(SEED_GROUP_IDS.attentionChecks);

    const group = await fx.client.updateGroup(SEED_GROUP_IDS.attentionChecks, {});

    expect(group).toEqual(before);
    expect(fx.sandbox.state.memberships(SEED_GROUP_IDS.attentionChecks)).toEqual(membersBefore);
    expect(onlyRequest().body).toEqual({});
  });

  test('deleteGroup sends DELETE and resolves on 204', async () => {
    await expect(fx.client.deleteGroup(SEED_GROUP_IDS.excluded)).resolves.toBeUndefined();

    expect(onlyRequest()).toMatchObject({
      method: 'DELETE',
      path: `/api/v1/participant-groups/${SEED_GROUP_IDS.excluded}/`,
      status: 204,
      body: undefined,
    });
    expect(fx.sandbox.state.getGroup(SEED_GROUP_IDS.excluded)?.is_deleted).toBe(true);
  });

  test('addMembers POSTs the ids and returns the membership', async () => {
    const ids = [sandboxParticipantId(12), sandboxParticipantId(900)];
    const result = await fx.client.addMembers(SEED_GROUP_IDS.pilot, ids);

    expect(result.complete).toBe(true);
    expect(result.chunks).toEqual([{ index: 0, ids, status: 'applied' }]);
    expect(result.appliedIds).toEqual(ids);
    expect(result.unappliedIds).toEqual([]);
    expect(result.members?.map((m) => m.participant_id)).toEqual([
      ...sandboxParticipantIds(1, 12),
      sandboxParticipantId(900),
    ]);
    const req = onlyRequest();
    expect(req).toMatchObject({
      method: 'POST',
      path: `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/participants/`,
      body: { participant_ids: ids },
      status: 200,
    });
    expect(req.headers['content-type']).toBe('application/json');
  });

  test('removeMembers sends DELETE with a JSON body and returns the remaining membership', async () => {
    const ids = [sandboxParticipantId(1), sandboxParticipantId(2), sandboxParticipantId(777)];
    const result = await fx.client.removeMembers(SEED_GROUP_IDS.pilot, ids);

    expect(result.complete).toBe(true);
    expect(result.members?.map((m) => m.participant_id)).toEqual(sandboxParticipantIds(3, 12));
    const req = onlyRequest();
    expect(req).toMatchObject({
      method: 'DELETE',
      path: `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/participants/`,
      body: { participant_ids: ids },
    });
    expect(req.headers['content-type']).toBe('application/json');
  });

  test('group ids are escaped into the path', async () => {
    await fx.client.getGroup('a/b?c').catch(() => undefined);
    expect(onlyRequest().path).toBe('/api/v1/participant-groups/a%2Fb%3Fc/');
  });
});

describe('configuration', () => {
  test('fromEnv reads PROLIFIC_API_URL and PROLIFIC_API_TOKEN', async () => {
    const client = ProlificClient.fromEnv({ PROLIFIC_API_URL: `${fx.sandbox.url}/`, PROLIFIC_API_TOKEN: TEST_TOKEN });
    try {
      expect(client.baseUrl).toBe(fx.sandbox.url);
      await expect(client.me()).resolves.toMatchObject({ id: expect.any(String) });
    } finally {
      await client.close();
    }
  });

  test('fromEnv defaults to the public API, lets overrides win, and needs a token', async () => {
    const client = ProlificClient.fromEnv({ PROLIFIC_API_TOKEN: TEST_TOKEN });
    expect(client.baseUrl).toBe('https://api.prolific.com');
    await client.close();
    const overridden = ProlificClient.fromEnv({ PROLIFIC_API_TOKEN: 'unused-token' }, { baseUrl: fx.sandbox.url });
    expect(overridden.baseUrl).toBe(fx.sandbox.url);
    await overridden.close();
    expect(() => ProlificClient.fromEnv({})).toThrow('PROLIFIC_API_TOKEN is not set');
  });

  test('closing twice is harmless, and a closed client makes no more requests', async () => {
    const client = ProlificClient.fromEnv({ PROLIFIC_API_TOKEN: TEST_TOKEN }, { baseUrl: fx.sandbox.url });
    await client.me();
    await client.close();
    await expect(client.close()).resolves.toBeUndefined();
    await expect(client.me()).rejects.toThrow();
  });

  test('rejects bad options', () => {
    expect(() => new ProlificClient({ token: '' })).toThrow(TypeError);
    expect(() => new ProlificClient({ token: 't', baseUrl: 'ftp://example.com' })).toThrow(TypeError);
    expect(() => new ProlificClient({ token: 't', maxAttempts: 0 })).toThrow(RangeError);
    expect(() => new ProlificClient({ token: 't', chunkSize: 1.5 })).toThrow(RangeError);
  });

  test('logs one line per request with method, path, status, attempt and ms', async () => {
    await fx.client.getGroup(SEED_GROUP_IDS.pilot);
    await fx.client.addMembers(SEED_GROUP_IDS.pilot, [sandboxParticipantId(500)]);

    expect(fx.logs).toEqual([
      {
        level: 'debug',
        msg: 'prolific request',
        fields: {
          method: 'GET',
          path: `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/`,
          status: 200,
          attempt: 1,
          ms: expect.any(Number),
        },
      },
      {
        level: 'info',
        msg: 'prolific request',
        fields: expect.objectContaining({ method: 'POST', status: 200, attempt: 1, ids: 1 }),
      },
    ]);
    expect(JSON.stringify(fx.logs)).not.toContain(sandboxParticipantId(500));
  });
});
