import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProlificClient, type ProlificError } from '../../src/prolific';
import { SEED_GROUP_IDS, sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import { FAST_RETRY_OPTIONS, type Fixture, startFixture, TEST_TOKEN, thrown } from './clientFixture';

describe('against the sandbox', () => {
  let fx: Fixture;

  afterEach(async () => {
    await fx.close();
  });

  test('follows _links.next through every page of members', async () => {
    fx = await startFixture({ pageSize: 1000 });

    const members = await fx.client.listMembers(SEED_GROUP_IDS.mainPanel);

    expect(members.map((m) => m.participant_id)).toEqual(sandboxParticipantIds(1, 5000));
    expect(fx.sandbox.requests.map((r) => r.query['offset'] ?? '-')).toEqual(['-', '1000', '2000', '3000', '4000']);
    expect(fx.sandbox.requests.every((r) => r.headers['authorization'] === `Token ${TEST_TOKEN}`)).toBe(true);
  });

  test('listMemberIds follows every page too and gives the same ids in the same order', async () => {
    fx = await startFixture({ pageSize: 1000 });

    const ids = await fx.client.listMemberIds(SEED_GROUP_IDS.mainPanel);

    expect(ids).toEqual(sandboxParticipantIds(1, 5000));
    expect(fx.sandbox.requests.map((r) => r.query['offset'] ?? '-')).toEqual(['-', '1000', '2000', '3000', '4000']);
  });

  test('pages groups, keeping the workspace filter', async () => {
    fx = await startFixture({ pageSize: 2 });

    const groups = await fx.client.listGroups(fx.sandbox.workspaceId);

    expect(groups).toHaveLength(5);
    expect(fx.sandbox.requests).toHaveLength(3);
    expect(fx.sandbox.requests.every((r) => r.query['workspace_id'] === fx.sandbox.workspaceId)).toBe(true);
  });

  test('one request when the server does not page', async () => {
    fx = await startFixture();

    const members = await fx.client.listMembers(SEED_GROUP_IDS.mainPanel);

    expect(members).toHaveLength(5000);
    expect(fx.sandbox.requests).toHaveLength(1);
  });
});

describe('next links from a hand-written server', () => {
  let server: http.Server;
  let client: ProlificClient;
  let pages: Record<string, unknown>;
  let seen: string[];

  beforeEach(async () => {
    seen = [];
    server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      const body = pages[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: { status: 404, error_code: 1, title: 'Not found', detail: 'No page' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    client = new ProlificClient({ ...FAST_RETRY_OPTIONS, token: TEST_TOKEN, baseUrl: `http://127.0.0.1:${port}/proxy` });
  });

  afterEach(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('relative hrefs resolve against the page that sent them; a null next ends the list', async () => {
    pages = {
      '/proxy/api/v1/workspaces/': { results: [{ id: 'a', title: 'A' }], _links: { next: { href: '?offset=1' } } },
      '/proxy/api/v1/workspaces/?offset=1': {
        results: [{ id: 'b', title: 'B' }],
        _links: { next: { href: '/proxy/api/v1/workspaces/?offset=2' } },
      },
      '/proxy/api/v1/workspaces/?offset=2': { results: [{ id: 'c', title: 'C' }], _links: { next: { href: null } } },
    };

    const workspaces = await client.listWorkspaces();

    expect(workspaces.map((w) => w.id)).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual([
      '/proxy/api/v1/workspaces/',
      '/proxy/api/v1/workspaces/?offset=1',
      '/proxy/api/v1/workspaces/?offset=2',
    ]);
  });

  test('a next link to another origin is refused, so the token never leaves', async () => {
    pages = {
      '/proxy/api/v1/workspaces/': {
        results: [],
        _links: { next: { href: 'https://collector.example/api/v1/workspaces/?offset=1' } },
      },
    };

    const error = await thrown<ProlificError>(() => client.listWorkspaces());

    expect(error).toMatchObject({ kind: 'invalid_response' });
    expect(error.detail).toContain('another origin (https://collector.example)');
    expect(seen).toHaveLength(1);
  });

  test('a next link back to a page already read stops the loop', async () => {
    pages = {
      '/proxy/api/v1/workspaces/': { results: [], _links: { next: { href: '/proxy/api/v1/workspaces/' } } },
    };
    const error = await thrown<ProlificError>(() => client.listWorkspaces());
    expect(error).toMatchObject({ kind: 'invalid_response' });
    expect(seen).toHaveLength(1);
  });

  test('listMemberIds reads a page the fast scan declines (an escaped id) as the full parse does, and follows its next link', async () => {
    const members = '/proxy/api/v1/participant-groups/g1/participants/';
    pages = {
      [members]: { results: [{ participant_id: 'a"b', datetime_created: 'x' }], _links: { next: { href: '?offset=1' } } },
      [`${members}?offset=1`]: { results: [{ participant_id: 'c', datetime_created: 'y' }], _links: { next: { href: null } } },
    };

    expect(await client.listMemberIds('g1')).toEqual(['a"b', 'c']);
    expect(seen).toEqual([members, `${members}?offset=1`]);
  });

  test('a members list without results is an invalid response for listMemberIds too', async () => {
    pages = { '/proxy/api/v1/participant-groups/g1/participants/': { data: [] } };
    const error = await thrown<ProlificError>(() => client.listMemberIds('g1'));
    expect(error).toMatchObject({ kind: 'invalid_response', status: 200 });
  });

  test('a list without results is an invalid response', async () => {
    pages = { '/proxy/api/v1/workspaces/': { data: [] } };
    const error = await thrown<ProlificError>(() => client.listWorkspaces());
    expect(error).toMatchObject({ kind: 'invalid_response', status: 200 });
  });
});
