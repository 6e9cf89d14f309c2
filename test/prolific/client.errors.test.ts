import { describeErrorBody, flattenDetail, ProlificError } from '../../src/prolific';
import { SEED_GROUP_IDS } from '../../src/local/prolific-sandbox';
import { type Fixture, startFixture, thrown } from './clientFixture';

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture({}, { maxAttempts: 1 });
});

afterEach(async () => {
  await fx.close();
});

const GROUP_PATH = `/api/v1/participant-groups/${SEED_GROUP_IDS.pilot}/`;

describe('documented statuses from the sandbox', () => {
  test('400 with a field map flattens the detail', async () => {
    const error = await thrown<ProlificError>(() => fx.client.createGroup({ name: '' }));

    expect(error).toBeInstanceOf(ProlificError);
    expect(error).toMatchObject({
      kind: 'http',
      status: 400,
      title: 'Bad request',
      detail:
        'name: This field may not be blank.; workspace_id: Either workspace_id or organisation_id must be given.',
      errorCode: 140400,
      method: 'POST',
      path: '/api/v1/participant-groups/',
      ambiguous: false,
      attempts: 1,
    });
    expect(error.message).toBe(`Bad request: ${error.detail}`);
  });

  test('401 with a wrong token', async () => {
    const client = fx.clientWith({ token: 'not-the-sandbox-token' });
    const error = await thrown<ProlificError>(() => client.me());
    expect(error).toMatchObject({ kind: 'http', status: 401, title: 'Unauthorized', detail: 'Invalid token.' });
  });

  test('404 for an unknown group', async () => {
    const error = await thrown<ProlificError>(() => fx.client.getGroup('000000000000000000000000'));
    expect(error).toMatchObject({
      kind: 'http',
      status: 404,
      title: 'Not found',
      detail: 'Participant group not found.',
      path: '/api/v1/participant-groups/000000000000000000000000/',
    });
  });

  test('400 for malformed participant ids on add', async () => {
    const result = await fx.client.addMembers(SEED_GROUP_IDS.pilot, ['xyz']);
    expect(result.complete).toBe(false);
    expect(result.chunks[0]?.error).toMatchObject({
      status: 400,
      detail: "participant_ids: 'xyz' is not a valid participant id.",
      ambiguous: false,
    });
  });
});

describe.each([
  [403, 'Forbidden'],
  [405, 'Method not allowed'],
  [422, 'Unprocessable entity'],
  [429, 'Too many requests'],
])('status %i', (status, title) => {
  test('maps to an http error with Prolific\'s title and detail', async () => {
    fx.sandbox.faults.add({ method: 'GET', path: GROUP_PATH, status });
    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
    expect(error).toMatchObject({ kind: 'http', status, title, errorCode: 140000 + status, ambiguous: false });
    expect(error.detail).toMatch(/^Simulated /);
  });
});

describe('bodies that are not Prolific JSON', () => {
  test('an HTML proxy page', async () => {
    fx.sandbox.faults.add({
      path: GROUP_PATH,
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
      contentType: 'text/html',
    });
    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
    expect(error).toMatchObject({
      kind: 'http',
      status: 502,
      title: 'Bad gateway',
      detail: 'Prolific answered with an HTML page instead of JSON (status 502)',
      errorCode: null,
    });
    expect(error.message).toBe('Bad gateway: Prolific answered with an HTML page instead of JSON (status 502)');
  });

  test('plain text', async () => {
    fx.sandbox.faults.add({ path: GROUP_PATH, status: 503, body: 'upstream connect error\nor disconnect' });
    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
    expect(error).toMatchObject({
      status: 503,
      title: 'Service unavailable',
      detail: 'Prolific answered with text instead of JSON (status 503): upstream connect error or disconnect',
    });
  });

  test('an empty body', async () => {
    fx.sandbox.faults.add({ path: GROUP_PATH, status: 500, body: '' });
    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
    expect(error).toMatchObject({
      status: 500,
      title: 'Internal server error',
      detail: 'Prolific answered with an empty body (status 500)',
    });
  });

  test('a 2xx that is not JSON is an invalid_response', async () => {
    fx.sandbox.faults.add({ path: GROUP_PATH, status: 200, body: 'OK' });
    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
    expect(error).toMatchObject({ kind: 'invalid_response', status: 200, title: 'Invalid response', ambiguous: false });
  });

  test('a 2xx write whose answer is unreadable is ambiguous: it took effect', async () => {
    fx.sandbox.faults.add({ method: 'PATCH', status: 200, body: '{"id": ' , contentType: 'application/json' });
    const error = await thrown<ProlificError>(() => fx.client.updateGroup(SEED_GROUP_IDS.pilot, { name: 'x' }));
    expect(error).toMatchObject({ kind: 'invalid_response', ambiguous: true });
  });

  test('a 5xx on a write is ambiguous', async () => {
    fx.sandbox.faults.add({ method: 'PATCH', status: 500 });
    const error = await thrown<ProlificError>(() => fx.client.updateGroup(SEED_GROUP_IDS.pilot, { name: 'x' }));
    expect(error).toMatchObject({ kind: 'http', status: 500, ambiguous: true });
  });

  test('a redirect is reported, not followed', async () => {
    fx.sandbox.faults.add({ path: GROUP_PATH, status: 301, body: '', headers: { location: 'https://elsewhere.example/' } });
    const error = await thrown<ProlificError>(() => fx.client.getGroup(SEED_GROUP_IDS.pilot));
    expect(error).toMatchObject({ kind: 'http', status: 301, title: 'Redirect' });
    expect(fx.sandbox.requests).toHaveLength(1);
  });
});

describe('flattenDetail and describeErrorBody', () => {
  test('a string stays, a list is joined, a field map is spelled out', () => {
    expect(flattenDetail('Not found.')).toBe('Not found.');
    expect(flattenDetail(['First problem.', 'Second problem.'])).toBe('First problem.; Second problem.');
    expect(
      flattenDetail({ name: ['This field is required.'], workspace_id: ['Not valid.', 'Really not.'] }),
    ).toBe('name: This field is required.; workspace_id: Not valid. Really not.');
    expect(flattenDetail({ participant_ids: { 3: ['Bad id.'] } })).toBe('participant_ids: 3: Bad id.');
    expect(flattenDetail(null)).toBe('');
  });

  test('reads Prolific\'s error shape, including additional_information', () => {
    const body = JSON.stringify({
      error: {
        status: 400,
        error_code: 140100,
        title: 'Bad request',
        detail: ['Group is locked.'],
        additional_information: 'Try again later.',
        traceback: 'secret internals',
      },
    });
    expect(describeErrorBody(400, 'application/json', body)).toEqual({
      title: 'Bad request',
      detail: 'Group is locked. (Try again later.)',
      errorCode: 140100,
    });
  });

  test('copes with other JSON shapes', () => {
    expect(describeErrorBody(404, 'application/json', '{"detail":"Not found."}')).toEqual({
      title: 'Not found',
      detail: 'Not found.',
      errorCode: null,
    });
    expect(describeErrorBody(418, 'application/json', '[1,2]').detail).toBe(
      'Prolific answered with an unexpected JSON body (status 418)',
    );
  });

  test('toJSON is plain data', () => {
    const error = new ProlificError({
      kind: 'timeout',
      status: 0,
      title: 'Timed out',
      detail: 'Prolific did not answer within 10 ms',
      method: 'GET',
      path: '/api/v1/users/me/',
      ambiguous: false,
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ProlificError',
      message: 'Timed out: Prolific did not answer within 10 ms',
      kind: 'timeout',
      status: 0,
      title: 'Timed out',
      detail: 'Prolific did not answer within 10 ms',
      errorCode: null,
      method: 'GET',
      path: '/api/v1/users/me/',
      ambiguous: false,
      code: 'UND_ERR_HEADERS_TIMEOUT',
      attempts: 1,
    });
  });
});
