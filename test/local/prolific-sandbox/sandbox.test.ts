import { request } from 'undici';
import {
  createSandbox,
  type Sandbox,
  SEED_FEEDER_STUDY_ID,
  SEED_FOREIGN_GROUP_IDS,
  SEED_GROUP_IDS,
  SEED_GROUP_NAMES,
  SEED_ORGANISATION_ID,
  SEED_OTHER_WORKSPACE_ID,
  SEED_SECOND_WORKSPACE_ID,
  sandboxParticipantId,
  sandboxParticipantIds,
} from '../../../src/local/prolific-sandbox';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
type Json = any;

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await createSandbox();
});

afterEach(async () => {
  await sandbox.close();
});

interface CallOptions {
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  authorization?: string | null;
}

async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = {};
  const authorization = opts.authorization === undefined ? `Token ${sandbox.token}` : opts.authorization;
  if (authorization !== null) headers['authorization'] = authorization;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await request(`${sandbox.url}${path}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    text,
    json: text ? (JSON.parse(text) as Record<string, Json>) : undefined,
  };
}

const GROUPS = '/api/v1/participant-groups/';
const group = (id: string) => `${GROUPS}${id}/`;
const members = (id: string) => `${GROUPS}${id}/participants/`;

describe('authentication', () => {
  test('401 in the error shape without a token', async () => {
    const res = await call('GET', '/api/v1/users/me/', { authorization: null });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: {
        status: 401,
        error_code: 140401,
        title: 'Unauthorized',
        detail: 'Authentication credentials were not provided.',
      },
    });
  });

  test('401 with a wrong token or scheme', async () => {
    expect((await call('GET', '/api/v1/users/me/', { authorization: 'Token nope' })).status).toBe(401);
    expect((await call('GET', '/api/v1/users/me/', { authorization: `Bearer ${sandbox.token}` })).status).toBe(401);
    expect((await call('GET', '/api/v1/users/me/', { authorization: `token ${sandbox.token}` })).status).toBe(200);
  });

  test('a chosen token is used', async () => {
    const other = await createSandbox({ token: 'chosen-token' });
    try {
      expect(other.token).toBe('chosen-token');
      expect(sandbox.token).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      await other.close();
    }
  });
});

describe('seed', () => {
  test('the first workspace: five groups with the documented names and sizes; a second workspace with its own two', async () => {
    const res = await call('GET', `${GROUPS}?workspace_id=${sandbox.workspaceId}`);
    expect(res.status).toBe(200);
    expect(res.json?.['results'].map((g: Json) => [g.name, g.participant_count])).toEqual([
      ['Pilot participants', 12],
      ['Pilot wave 2', 3],
      ['Passed all attention checks', 40],
      ['Main panel', 5000],
      ['Excluded (low quality)', 0],
    ]);
    const workspaces = await call('GET', '/api/v1/workspaces/');
    expect(workspaces.json?.['results']).toEqual([
      expect.objectContaining({ id: sandbox.workspaceId, title: 'Psychology Lab' }),
      expect.objectContaining({ id: SEED_SECOND_WORKSPACE_ID, title: 'Vision Lab' }),
    ]);
    const second = await call('GET', `${GROUPS}?workspace_id=${SEED_SECOND_WORKSPACE_ID}`);
    expect(second.json?.['results'].map((g: Json) => [g.name, g.participant_count])).toEqual([
      ['Vision pilot', 6],
      ['Eye-tracking panel', 4],
    ]);
  });

  test('the attention-check group has its description and feeder study', () => {
    expect(sandbox.state.getGroup(SEED_GROUP_IDS.attentionChecks)).toEqual({
      id: SEED_GROUP_IDS.attentionChecks,
      name: 'Passed all attention checks',
      description: 'Participants who passed all attention checks',
      workspace_id: sandbox.workspaceId,
      organisation_id: null,
      project_id: null,
      participant_count: 40,
      is_deleted: false,
      feeder_studies: [
        {
          id: SEED_FEEDER_STUDY_ID,
          name: 'Attention screener',
          internal_name: 'attention-screener-v3',
          status: 'ACTIVE',
          feeder_completion_codes: [
            expect.objectContaining({ action: 'ADD_TO_PARTICIPANT_GROUP' }),
            expect.objectContaining({ action: 'REMOVE_FROM_PARTICIPANT_GROUP' }),
          ],
        },
      ],
    });
  });

  test('is the same on every run, with a little overlap between groups', async () => {
    const other = await createSandbox();
    try {
      for (const id of Object.values(SEED_GROUP_IDS).filter((id) => id !== SEED_GROUP_IDS.benchmark)) {
        expect(other.state.getGroup(id)).toEqual(sandbox.state.getGroup(id));
        expect(other.state.memberships(id)).toEqual(sandbox.state.memberships(id));
      }
      const pilot = new Set(sandbox.state.members(SEED_GROUP_IDS.pilot));
      expect(sandbox.state.members(SEED_GROUP_IDS.pilotWave2).filter((id) => pilot.has(id)).length).toBeGreaterThan(0);
      expect(other.state.getGroup(SEED_GROUP_IDS.benchmark)).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  test('participant ids are deterministic 24-hex strings', () => {
    expect(sandboxParticipantId(0)).toBe('5e9b9c9b0000000000000000');
    expect(sandboxParticipantId(255)).toBe('5e9b9c9b00000000000000ff');
    expect(sandboxParticipantIds(1, 3)).toEqual([sandboxParticipantId(1), sandboxParticipantId(2), sandboxParticipantId(3)]);
    expect(() => sandboxParticipantId(-1)).toThrow(RangeError);
    expect(sandbox.state.members(SEED_GROUP_IDS.pilot)).toEqual(sandboxParticipantIds(1, 12));
  });

  test('largeGroupSize adds the benchmark group', async () => {
    const big = await createSandbox({ largeGroupSize: 100_000 });
    try {
      const res = await request(`${big.url}${members(SEED_GROUP_IDS.benchmark)}`, {
        headers: { authorization: `Token ${big.token}` },
      });
      const body = (await res.body.json()) as { results: unknown[] };
      expect(body.results).toHaveLength(100_000);
      expect(big.state.findGroupByName(SEED_GROUP_NAMES.benchmark)?.participant_count).toBe(100_000);
    } finally {
      await big.close();
    }
  });
});

describe('groups', () => {
  test('list accepts filter[workspace_id] and project_id, and needs one of them', async () => {
    const filtered = await call('GET', `${GROUPS}?filter[workspace_id]=${sandbox.workspaceId}`);
    expect(filtered.json?.['results']).toHaveLength(5);
    const byProject = await call('GET', `${GROUPS}?project_id=6650aaaa0000000000000001`);
    expect(byProject.json).toEqual({ results: [] });
    const none = await call('GET', GROUPS);
    expect(none.status).toBe(400);
    expect(none.json?.['error'].detail).toEqual({ workspace_id: ['Either workspace_id or project_id must be given.'] });
  });

  test('groups outside the workspace are readable by id but not listed with it', async () => {
    const listed = await call('GET', `${GROUPS}?workspace_id=${sandbox.workspaceId}`);
    const ids = ((listed.json?.['results'] ?? []) as { id: string }[]).map((g) => g.id);
    const organisation = await call('GET', `${GROUPS}${SEED_FOREIGN_GROUP_IDS.organisation}/`);
    expect(organisation.json).toMatchObject({ workspace_id: null, organisation_id: SEED_ORGANISATION_ID, participant_count: 4 });
    const other = await call('GET', `${GROUPS}${SEED_FOREIGN_GROUP_IDS.otherWorkspace}/`);
    expect(other.json).toMatchObject({ workspace_id: SEED_OTHER_WORKSPACE_ID, participant_count: 3 });
    expect(ids).not.toContain(SEED_FOREIGN_GROUP_IDS.organisation);
    expect(ids).not.toContain(SEED_FOREIGN_GROUP_IDS.otherWorkspace);
  });

  test('create answers 201 with the group', async () => {
    const res = await call('POST', GROUPS, {
      body: { name: 'Wave 3', workspace_id: sandbox.workspaceId, participant_ids: [sandboxParticipantId(1)] },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      name: 'Wave 3',
      workspace_id: sandbox.workspaceId,
      organisation_id: null,
      description: null,
      participant_count: 1,
      is_deleted: false,
      feeder_studies: [],
    });
    expect(res.json?.['id']).toMatch(/^[0-9a-f]{24}$/);
    const inOrganisation = await call('POST', GROUPS, { body: { name: 'Org group', organisation_id: 'org-1' } });
    expect(inOrganisation.json).toMatchObject({ organisation_id: 'org-1', workspace_id: null });
  });

  test.each([
    ['missing name', { workspace_id: '5e9b9c9b0f9c9a0001b1ca2f' }, { name: ['This field is required.'] }],
    ['empty name', { name: '  ', workspace_id: '5e9b9c9b0f9c9a0001b1ca2f' }, { name: ['This field may not be blank.'] }],
    [
      'both parents',
      { name: 'x', workspace_id: '5e9b9c9b0f9c9a0001b1ca2f', organisation_id: 'o' },
      { workspace_id: ['Give either workspace_id or organisation_id, not both.'] },
    ],
    ['no parent', { name: 'x' }, { workspace_id: ['Either workspace_id or organisation_id must be given.'] }],
    [
      'unknown workspace',
      { name: 'x', workspace_id: 'nope' },
      { workspace_id: ["Workspace 'nope' does not exist."] },
    ],
    [
      'participant_ids not a list of strings',
      { name: 'x', workspace_id: '5e9b9c9b0f9c9a0001b1ca2f', participant_ids: [1, 2] },
      { participant_ids: ['Expected a list of participant id strings.'] },
    ],
    [
      'malformed participant id',
      { name: 'x', workspace_id: '5e9b9c9b0f9c9a0001b1ca2f', participant_ids: ['xyz'] },
      { participant_ids: ["'xyz' is not a valid participant id."] },
    ],
  ])('create with %s: 400 with a field map', async (_name, body, detail) => {
    const res = await call('POST', GROUPS, { body });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { status: 400, error_code: 140400, title: 'Bad request', detail } });
    expect(sandbox.state.listGroups()).toHaveLength(9);
  });

  test('many malformed ids are summarised', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', sandboxParticipantId(1)];
    const res = await call('POST', members(SEED_GROUP_IDS.pilot), { body: { participant_ids: ids } });
    expect(res.json?.['error'].detail.participant_ids).toEqual([
      "'a' is not a valid participant id.",
      "'b' is not a valid participant id.",
      "'c' is not a valid participant id.",
      "'d' is not a valid participant id.",
      "'e' is not a valid participant id.",
      '...and 2 more invalid ids.',
    ]);
    expect(sandbox.state.members(SEED_GROUP_IDS.pilot)).toHaveLength(12);
  });

  test('invalid JSON is 400; a non-JSON content type is 415', async () => {
    const bad = await call('POST', GROUPS, { rawBody: '{"name": ' });
    expect(bad.status).toBe(400);
    expect(bad.json?.['error'].detail).toMatch(/^JSON parse error/);
    const text = await call('POST', GROUPS, { rawBody: 'name=x', contentType: 'application/x-www-form-urlencoded' });
    expect(text.status).toBe(415);
  });

  test('PATCH renames, overwrites members, ignores other fields, and rejects bad ids', async () => {
    const renamed = await call('PATCH', group(SEED_GROUP_IDS.pilot), { body: { name: 'Pilots', description: 'x' } });
    expect(renamed.json).toMatchObject({ name: 'Pilots', description: null, participant_count: 12 });

    const ids = [sandboxParticipantId(12), sandboxParticipantId(13)];
    const overwritten = await call('PATCH', group(SEED_GROUP_IDS.pilot), { body: { participant_ids: ids } });
    expect(overwritten.json?.['participant_count']).toBe(2);
    expect(sandbox.state.members(SEED_GROUP_IDS.pilot)).toEqual(ids);

    const bad = await call('PATCH', group(SEED_GROUP_IDS.pilot), { body: { participant_ids: ['nope'] } });
    expect(bad.status).toBe(400);
    expect(bad.json?.['error'].detail).toEqual({ participant_ids: ["'nope' is not a valid participant id."] });
    const blank = await call('PATCH', group(SEED_GROUP_IDS.pilot), { body: { name: '' } });
    expect(blank.json?.['error'].detail).toEqual({ name: ['This field may not be blank.'] });
  });

  test('DELETE answers 204 with no body; the group is then hidden', async () => {
    const res = await call('DELETE', group(SEED_GROUP_IDS.excluded));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBeUndefined();

    expect(sandbox.state.getGroup(SEED_GROUP_IDS.excluded)?.is_deleted).toBe(true);
    expect((await call('GET', group(SEED_GROUP_IDS.excluded))).status).toBe(404);
    expect((await call('GET', members(SEED_GROUP_IDS.excluded))).status).toBe(404);
    expect((await call('DELETE', group(SEED_GROUP_IDS.excluded))).status).toBe(404);
    const listed = await call('GET', `${GROUPS}?workspace_id=${sandbox.workspaceId}`);
    expect(listed.json?.['results']).toHaveLength(4);
    const deleted = await call('GET', `${GROUPS}?workspace_id=${sandbox.workspaceId}&active=false`);
    expect(deleted.json?.['results'].map((g: Json) => [g.id, g.is_deleted])).toEqual([[SEED_GROUP_IDS.excluded, true]]);
  });
});

describe('404 and 405', () => {
  test('unknown group and unknown route', async () => {
    const unknown = await call('GET', group('000000000000000000000000'));
    expect(unknown.status).toBe(404);
    expect(unknown.json?.['error']).toMatchObject({ status: 404, title: 'Not found' });
    expect((await call('GET', '/api/v1/nothing-here/')).status).toBe(404);
    expect((await call('GET', '/api/v1/participant-groups')).status).toBe(404);
  });

  test('wrong method: 405 with Allow', async () => {
    const res = await call('PUT', group(SEED_GROUP_IDS.pilot), { body: {} });
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, PATCH, DELETE');
    expect(res.json?.['error']).toMatchObject({ status: 405, title: 'Method not allowed' });
  });
});

describe('memberships', () => {
  test('add keeps the original datetime_created of members already present', async () => {
    const before = sandbox.state.memberships(SEED_GROUP_IDS.pilot);
    const res = await call('POST', members(SEED_GROUP_IDS.pilot), {
      body: { participant_ids: [sandboxParticipantId(1), sandboxParticipantId(99)] },
    });
    expect(res.status).toBe(200);
    const results = res.json?.['results'] as Array<{ participant_id: string; datetime_created: string }>;
    expect(results).toHaveLength(13);
    expect(results[0]).toEqual(before[0]);
    expect(results[12]?.participant_id).toBe(sandboxParticipantId(99));
    expect(Date.parse(results[12]!.datetime_created)).toBeGreaterThan(Date.parse(before[11]!.datetime_created));
    expect(sandbox.state.getGroup(SEED_GROUP_IDS.pilot)?.participant_count).toBe(13);
  });

  test('an overwrite keeps the join time of members who stay', async () => {
    const before = sandbox.state.memberships(SEED_GROUP_IDS.pilot);
    await call('PATCH', group(SEED_GROUP_IDS.pilot), {
      body: { participant_ids: [sandboxParticipantId(500), sandboxParticipantId(3)] },
    });
    const after = sandbox.state.memberships(SEED_GROUP_IDS.pilot);
    expect(after[0]).toEqual(before[2]);
    expect(after[1]?.participant_id).toBe(sandboxParticipantId(500));
  });

  test('remove ignores ids that are not members and answers the remaining membership', async () => {
    const res = await call('DELETE', members(SEED_GROUP_IDS.pilotWave2), {
      body: { participant_ids: [sandboxParticipantId(11), sandboxParticipantId(4000)] },
    });
    expect(res.json?.['results'].map((m: Json) => m.participant_id)).toEqual(sandboxParticipantIds(12, 13));
  });

  test('participant_ids is required on add and remove', async () => {
    const res = await call('POST', members(SEED_GROUP_IDS.pilot), { body: {} });
    expect(res.status).toBe(400);
    expect(res.json?.['error'].detail).toEqual({ participant_ids: ['This field is required.'] });
    expect((await call('DELETE', members(SEED_GROUP_IDS.pilot))).status).toBe(400);
    const notList = await call('POST', members(SEED_GROUP_IDS.pilot), { body: { participant_ids: 'abc' } });
    expect(notList.json?.['error'].detail).toEqual({ participant_ids: ['Expected a list of participant id strings.'] });
  });
});

describe('other endpoints', () => {
  test('users/me', async () => {
    const res = await call('GET', '/api/v1/users/me/');
    expect(res.json).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{24}$/), email: expect.any(String) });
  });

  test('messages to a participant group: 204, validated', async () => {
    const sent = await call('POST', '/api/v1/messages/participant-group/', {
      body: { participant_group_id: SEED_GROUP_IDS.pilot, body: 'Thanks for taking part' },
    });
    expect(sent.status).toBe(204);
    expect(sandbox.state.messages).toEqual([
      { participant_group_id: SEED_GROUP_IDS.pilot, body: 'Thanks for taking part', participant_ids: sandboxParticipantIds(1, 12), at: expect.any(Date) },
    ]);
    // Recorded per participant: a member got it, someone outside the group did not.
    expect(sandbox.state.messagesTo(sandboxParticipantId(1)).map((m) => m.body)).toEqual(['Thanks for taking part']);
    expect(sandbox.state.messagesTo(sandboxParticipantId(13))).toEqual([]);
    const missing = await call('POST', '/api/v1/messages/participant-group/', { body: {} });
    expect(missing.status).toBe(400);
    const unknown = await call('POST', '/api/v1/messages/participant-group/', {
      body: { participant_group_id: 'nope', body: 'hi' },
    });
    expect(unknown.status).toBe(404);
  });

  test('messages: a group above the recipient cap (4,000 by default), or with no members, is refused and nothing is sent', async () => {
    const before = sandbox.state.messages.length;
    const tooMany = await call('POST', '/api/v1/messages/participant-group/', { body: { participant_group_id: SEED_GROUP_IDS.mainPanel, body: 'Wave 3' } });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.json)).toContain('at most 4000 participants; this group has 5000');
    const empty = await call('POST', '/api/v1/messages/participant-group/', { body: { participant_group_id: SEED_GROUP_IDS.excluded, body: 'Hello' } });
    expect(empty.status).toBe(400);
    expect(sandbox.state.messages.length).toBe(before);
    const capped = await createSandbox({ messageRecipientCap: 10 });
    try {
      const res = await request(`${capped.url}/api/v1/messages/participant-group/`, {
        method: 'POST',
        headers: { authorization: `Token ${capped.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ participant_group_id: SEED_GROUP_IDS.pilot, body: 'Hi' }),
      });
      await res.body.text();
      expect(res.statusCode).toBe(400);
      expect(capped.state.messages).toEqual([]);
    } finally {
      await capped.close();
    }
  });
});

describe('paging', () => {
  test('off by default; with pageSize, meta.count and absolute _links', async () => {
    const paged = await createSandbox({ pageSize: 2 });
    try {
      const first = await request(`${paged.url}${members(SEED_GROUP_IDS.pilotWave2)}`, {
        headers: { authorization: `Token ${paged.token}` },
      });
      const body = (await first.body.json()) as Json;
      expect(body.results).toHaveLength(2);
      expect(body.meta).toEqual({ count: 3 });
      expect(body._links.next.href).toBe(`${paged.url}${members(SEED_GROUP_IDS.pilotWave2)}?offset=2&limit=2`);
      expect(body._links.previous.href).toBeNull();
      const last = await request(body._links.next.href, { headers: { authorization: `Token ${paged.token}` } });
      const lastBody = (await last.body.json()) as Json;
      expect(lastBody.results).toHaveLength(1);
      expect(lastBody._links.next.href).toBeNull();
    } finally {
      await paged.close();
    }
    const unpaged = await call('GET', members(SEED_GROUP_IDS.pilotWave2));
    expect(Object.keys(unpaged.json ?? {})).toEqual(['results']);
  });
});

describe('recorded requests', () => {
  test('records method, path, query, headers, body, status and time in order', async () => {
    await call('GET', `${GROUPS}?workspace_id=${sandbox.workspaceId}`);
    await call('POST', members(SEED_GROUP_IDS.pilot), { body: { participant_ids: [] } });
    expect(sandbox.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: GROUPS,
        query: { workspace_id: sandbox.workspaceId },
        body: undefined,
        status: 200,
        at: expect.any(Date),
      }),
      expect.objectContaining({ method: 'POST', body: { participant_ids: [] }, status: 200 }),
    ]);
    expect(sandbox.requests[1]?.headers['content-type']).toBe('application/json');
    sandbox.clearRequests();
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe('state for tests', () => {
  test('changes made outside the bot show through the API', async () => {
    const created = sandbox.state.createGroup({ name: 'Made in the web app', workspace_id: sandbox.workspaceId });
    sandbox.state.addMembers(created.id, [sandboxParticipantId(1), sandboxParticipantId(2)]);
    sandbox.state.removeMembers(created.id, [sandboxParticipantId(1)]);
    sandbox.state.renameGroup(created.id, 'Renamed in the web app');
    expect(sandbox.state.findGroupByName('Renamed in the web app')?.id).toBe(created.id);

    const res = await call('GET', group(created.id));
    expect(res.json).toMatchObject({ name: 'Renamed in the web app', participant_count: 1 });

    sandbox.state.setMembers(created.id, sandboxParticipantIds(10, 14));
    expect(sandbox.state.members(created.id)).toEqual(sandboxParticipantIds(10, 14));
    sandbox.state.deleteGroup(created.id);
    expect((await call('GET', group(created.id))).status).toBe(404);
    expect(sandbox.state.findGroupByName('Renamed in the web app')).toBeUndefined();
    expect(() => sandbox.state.members(created.id)).toThrow(/unknown or deleted/);
    expect(() => sandbox.state.addMembers(SEED_GROUP_IDS.pilot, ['bad'])).toThrow(/not a valid participant id/);
  });

  test('groups created through the API get the same ids on every run', async () => {
    const first = await call('POST', GROUPS, { body: { name: 'A', workspace_id: sandbox.workspaceId } });
    const other = await createSandbox();
    try {
      const again = await request(`${other.url}${GROUPS}`, {
        method: 'POST',
        headers: { authorization: `Token ${other.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'A', workspace_id: other.workspaceId }),
      });
      expect(((await again.body.json()) as Json).id).toBe(first.json?.['id']);
    } finally {
      await other.close();
    }
  });
});
