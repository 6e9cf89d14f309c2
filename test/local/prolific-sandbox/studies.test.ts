import { request } from 'undici';
import {
  BENCHMARK_STUDY_STATES,
  createSandbox,
  type Sandbox,
  SEED_FILTER_SET_ID,
  SEED_GROUP_IDS,
  SEED_PROJECT_IDS,
  SEED_SECOND_WORKSPACE_ID,
  SEED_STUDY_IDS,
  WAVE1_SUBMISSION_STATUSES,
  WAVE1_TWICE_PARTICIPANT,
} from '../../../src/local/prolific-sandbox';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
type Json = any;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

async function get(path: string, on: Sandbox = sandbox): Promise<{ status: number; json: Json }> {
  const res = await request(`${on.url}${path}`, { headers: { authorization: `Token ${on.token}` } });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

const WAVE1_TOTAL = Object.values(WAVE1_SUBMISSION_STATUSES).reduce((sum, n) => sum + n, 0);

describe('study lists', () => {
  test('state filters the list; answers are short objects without filters or completion codes', async () => {
    const active = await get('/api/v1/studies/?state=ACTIVE');
    expect(active.status).toBe(200);
    const ids = active.json.results.map((study: Json) => study.id);
    expect(ids).toEqual(
      expect.arrayContaining([SEED_STUDY_IDS.attentionScreener, SEED_STUDY_IDS.wave2FollowUp, SEED_STUDY_IDS.attentionFollowUp, SEED_STUDY_IDS.wave1Main]),
    );
    for (const study of active.json.results) {
      expect(study.status).toBe('ACTIVE');
      expect(study).not.toHaveProperty('filters');
      expect(study).not.toHaveProperty('completion_codes');
    }
    const wave2 = active.json.results.find((study: Json) => study.id === SEED_STUDY_IDS.wave2FollowUp);
    expect(wave2).toMatchObject({ name: 'Wave 2 follow-up', internal_name: 'W2 follow-up (main panel)', places_taken: 212, total_available_places: 400 });

    for (const [state, id] of [
      ['PAUSED', SEED_STUDY_IDS.reactionTimes],
      ['SCHEDULED', SEED_STUDY_IDS.weekendPanel],
      ['UNPUBLISHED', SEED_STUDY_IDS.wave3Draft],
      ['COMPLETED', SEED_STUDY_IDS.wave1Screener],
      ['AWAITING REVIEW', SEED_STUDY_IDS.pilotRetest],
      ['PUBLISHING', SEED_STUDY_IDS.panelRefresh],
    ]) {
      const list = await get(`/api/v1/studies/?state=${encodeURIComponent(state!)}`);
      expect(list.json.results.map((study: Json) => study.id)).toEqual([id]);
    }
    expect((await get('/api/v1/studies/')).json.results).toHaveLength(11);
  });

  test('one state a call: several, lower case or unknown states answer 400', async () => {
    for (const state of ['ACTIVE,PAUSED', 'active', 'RUNNING']) {
      const answer = await get(`/api/v1/studies/?state=${state}`);
      expect(answer.status).toBe(400);
      expect(Object.keys(answer.json.error.detail)).toEqual(['state']);
    }
  });

  test('places taken count the submissions that are not timed out or returned', async () => {
    const study = (await get(`/api/v1/studies/${SEED_STUDY_IDS.wave1Main}/`)).json;
    const free = WAVE1_SUBMISSION_STATUSES['TIMED-OUT'] + WAVE1_SUBMISSION_STATUSES.RETURNED;
    expect(study).toMatchObject({ number_of_submissions: WAVE1_TOTAL, places_taken: WAVE1_TOTAL - free });
  });

  test('a workspace lists its projects, a project its studies; unknown ones answer 404', async () => {
    const projects = await get(`/api/v1/workspaces/${sandbox.workspaceId}/projects/`);
    expect(projects.json.results.map((project: Json) => project.title)).toEqual(['Wave studies', 'Screeners']);
    const screeners = await get(`/api/v1/projects/${SEED_PROJECT_IDS.screeners}/studies/`);
    expect(screeners.json.results.map((study: Json) => study.name).sort()).toEqual(['Attention follow-up', 'Attention screener', 'Wave 1 screener']);
    // Projects belong to one workspace; a study names its project, and the study list is the account's.
    const vision = await get(`/api/v1/workspaces/${SEED_SECOND_WORKSPACE_ID}/projects/`);
    expect(vision.json.results.map((project: Json) => project.id)).toEqual([SEED_PROJECT_IDS.vision]);
    expect((await get(`/api/v1/studies/${SEED_STUDY_IDS.saccadeBattery}/`)).json.project).toBe(SEED_PROJECT_IDS.vision);
    expect((await get('/api/v1/studies/?state=ACTIVE')).json.results.map((study: Json) => study.id)).toContain(SEED_STUDY_IDS.saccadeBattery);
    expect((await get('/api/v1/workspaces/6650aaaa0000000000000000/projects/')).status).toBe(404);
    expect((await get('/api/v1/projects/6650aaaa0000000000000000/studies/')).status).toBe(404);
  });

  test('with the pageSize option, study lists answer page-number pages with meta.count and _links', async () => {
    const paged = await createSandbox({ pageSize: 4 });
    try {
      const first = await get('/api/v1/studies/?ordering=date_created', paged);
      expect(first.json.results).toHaveLength(4);
      expect(first.json.meta).toEqual({ count: 11 });
      const next = new URL(first.json._links.next.href);
      expect(Object.fromEntries(next.searchParams)).toEqual({ ordering: 'date_created', page: '2', page_size: '4' });
      const last = await get('/api/v1/studies/?ordering=date_created&page=3', paged);
      expect(last.json.results).toHaveLength(3);
      expect(last.json._links.next.href).toBeNull();
      expect((await get('/api/v1/studies/?page=4', paged)).status).toBe(404);
    } finally {
      await paged.close();
    }
  });
});

describe('study details and filter sets', () => {
  test('a study carries its filters, filter set and completion codes', async () => {
    const wave2 = (await get(`/api/v1/studies/${SEED_STUDY_IDS.wave2FollowUp}/`)).json;
    expect(wave2).toMatchObject({
      filters: [{ filter_id: 'participant_group_allowlist', selected_values: [SEED_GROUP_IDS.mainPanel] }],
      filter_set_id: null,
      filter_set_version: null,
      completion_codes: [expect.objectContaining({ code: 'C1W2DONE' })],
    });
    const paused = (await get(`/api/v1/studies/${SEED_STUDY_IDS.reactionTimes}/`)).json;
    expect(paused.status).toBe('PAUSED');
    expect(paused.filters[0].filter_id).toBe('and');
    expect(paused.filters[0].selected_filters[1].selected_filters[0]).toEqual({
      filter_id: 'participant_group_blocklist',
      selected_values: [SEED_GROUP_IDS.excluded],
    });
    const screener = (await get(`/api/v1/studies/${SEED_STUDY_IDS.attentionScreener}/`)).json;
    expect(screener.completion_codes.flatMap((code: Json) => code.actions).filter((action: Json) => action.participant_group)).toEqual([
      { action: 'ADD_TO_PARTICIPANT_GROUP', participant_group: SEED_GROUP_IDS.attentionChecks },
      { action: 'REMOVE_FROM_PARTICIPANT_GROUP', participant_group: SEED_GROUP_IDS.attentionChecks },
    ]);
    expect((await get('/api/v1/studies/6650bead00000000000000ee/')).status).toBe(404);
  });

  test('a study with a filter set has no filters of its own and pins a version; the set answers each version', async () => {
    const followUp = (await get(`/api/v1/studies/${SEED_STUDY_IDS.attentionFollowUp}/`)).json;
    expect(followUp).toMatchObject({ filters: [], filter_set_id: SEED_FILTER_SET_ID, filter_set_version: 1 });
    const latest = (await get(`/api/v1/filter-sets/${SEED_FILTER_SET_ID}/`)).json;
    expect(latest).toMatchObject({ id: SEED_FILTER_SET_ID, version: 2, name: 'Attentive adults' });
    expect(latest.filters[0].selected_values).toEqual([SEED_GROUP_IDS.pilot]);
    const first = (await get(`/api/v1/filter-sets/${SEED_FILTER_SET_ID}/?version_number=1`)).json;
    expect(first.version).toBe(1);
    expect(first.filters[0].selected_values).toEqual([SEED_GROUP_IDS.attentionChecks]);
    expect((await get(`/api/v1/filter-sets/${SEED_FILTER_SET_ID}/?version_number=3`)).status).toBe(404);
    expect((await get(`/api/v1/filter-sets/${SEED_FILTER_SET_ID}/?version_number=x`)).status).toBe(400);
    expect((await get('/api/v1/filter-sets/6650f11e00000000000000ee/')).status).toBe(404);
  });

  test('feeder studies of a group are its studies’ group actions, and follow a status change', async () => {
    const local = await createSandbox();
    try {
      const wave2 = (await get(`/api/v1/participant-groups/${SEED_GROUP_IDS.pilotWave2}/`, local)).json;
      expect(wave2.feeder_studies).toEqual([
        {
          id: SEED_STUDY_IDS.wave1Screener,
          name: 'Wave 1 screener',
          internal_name: 'wave1-screener',
          status: 'COMPLETED',
          feeder_completion_codes: [{ code: 'C1W1DONE', code_type: 'FOLLOW_UP_STUDY', action: 'ADD_TO_PARTICIPANT_GROUP' }],
        },
      ]);
      local.state.studies.updateStudy(SEED_STUDY_IDS.wave1Screener, { status: 'ACTIVE' });
      expect(local.state.getGroup(SEED_GROUP_IDS.pilotWave2)?.feeder_studies[0]?.status).toBe('ACTIVE');
      local.state.studies.updateStudy(SEED_STUDY_IDS.wave1Screener, { completion_codes: [] });
      expect(local.state.getGroup(SEED_GROUP_IDS.pilotWave2)?.feeder_studies).toEqual([]);
    } finally {
      await local.close();
    }
  });

  test('study routes answer GET only', async () => {
    const res = await request(`${sandbox.url}/api/v1/studies/${SEED_STUDY_IDS.wave2FollowUp}/`, {
      method: 'PATCH',
      headers: { authorization: `Token ${sandbox.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.statusCode).toBe(405);
    await res.body.dump();
  });
});

describe('submissions', () => {
  const list = (query: string) => get(`/api/v1/submissions/?study=${SEED_STUDY_IDS.wave1Main}&${query}`);

  test('a study’s submissions: every status, and has_siblings for the participant who submitted twice', async () => {
    const all = (await get(`/api/v1/studies/${SEED_STUDY_IDS.wave1Main}/submissions/`)).json.results;
    expect(all).toHaveLength(WAVE1_TOTAL);
    const statuses = new Set(all.map((submission: Json) => submission.status));
    expect([...statuses].sort()).toEqual(Object.keys(WAVE1_SUBMISSION_STATUSES).sort());
    const twice = all.filter((submission: Json) => submission.participant_id === WAVE1_TWICE_PARTICIPANT);
    expect(twice.map((submission: Json) => [submission.status, submission.has_siblings])).toEqual([
      ['APPROVED', true],
      ['APPROVED', true],
    ]);
    expect(all.filter((submission: Json) => submission.has_siblings)).toHaveLength(2);
    expect(Object.keys(all[0]).sort()).toEqual(
      ['completed_at', 'has_siblings', 'id', 'participant_id', 'return_requested', 'started_at', 'status', 'study_code', 'study_id'].sort(),
    );
  });

  test('counts: every status, zeros included, and the total', async () => {
    const counts = (await get(`/api/v1/studies/${SEED_STUDY_IDS.wave1Main}/submissions/counts/`)).json;
    expect(counts).toEqual({ ...WAVE1_SUBMISSION_STATUSES, TOTAL: WAVE1_TOTAL });
    const none = (await get(`/api/v1/studies/${SEED_STUDY_IDS.wave3Draft}/submissions/counts/`)).json;
    expect(none['TOTAL']).toBe(0);
    expect(none['APPROVED']).toBe(0);
  });

  test('ordered page-number pages cover every row once, with meta.count', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const answer = await list(`status=APPROVED&ordering=started_at&page=${page}&page_size=50`);
      expect(answer.json.meta.count).toBe(WAVE1_SUBMISSION_STATUSES.APPROVED);
      for (const submission of answer.json.results) seen.push(submission.id);
      expect(answer.json._links.next.href === null).toBe(page === 5);
    }
    expect(new Set(seen).size).toBe(WAVE1_SUBMISSION_STATUSES.APPROVED);
    expect(seen).toHaveLength(WAVE1_SUBMISSION_STATUSES.APPROVED);
    const started = [...seen];
    const descending = await list('status=APPROVED&ordering=-started_at&page_size=500');
    expect(descending.json.results.map((submission: Json) => submission.id)).toEqual(started.reverse());
  });

  test('without ordering, pages repeat and skip rows', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      for (const submission of (await list(`status=APPROVED&page=${page}&page_size=50`)).json.results) seen.push(submission.id);
    }
    expect(seen).toHaveLength(WAVE1_SUBMISSION_STATUSES.APPROVED);
    expect(new Set(seen).size).toBeLessThan(WAVE1_SUBMISSION_STATUSES.APPROVED);
  });

  test('status takes the filter or the answer spelling; bad status, ordering or page are refused', async () => {
    const underscore = await list('status=AWAITING_REVIEW&ordering=started_at');
    const space = await list(`status=${encodeURIComponent('AWAITING REVIEW')}&ordering=started_at`);
    expect(underscore.json.meta.count).toBe(WAVE1_SUBMISSION_STATUSES['AWAITING REVIEW']);
    expect(space.json.results).toEqual(underscore.json.results);
    expect((await list('status=TIMED-OUT&ordering=id')).json.meta.count).toBe(WAVE1_SUBMISSION_STATUSES['TIMED-OUT']);
    expect((await list('status=FINISHED')).status).toBe(400);
    expect((await list('ordering=reward')).status).toBe(400);
    expect((await list('ordering=id&page=99')).status).toBe(404);
    expect((await list('ordering=id&page=0')).status).toBe(404);
  });

  test('the default page is 100 rows and page_size is capped at 500', async () => {
    const first = await get('/api/v1/submissions/?ordering=id');
    expect(first.json.results).toHaveLength(100);
    expect(first.json.meta.count).toBe(WAVE1_TOTAL);
    expect((await get('/api/v1/submissions/?ordering=id&page_size=100000')).json.results).toHaveLength(WAVE1_TOTAL);
    expect((await get('/api/v1/submissions/?study=6650bead00000000000000ee&ordering=id')).json).toMatchObject({ results: [], meta: { count: 0 } });
  });
});

describe('faults', () => {
  test('fault rules match the study, filter-set and submission routes by path', async () => {
    const local = await createSandbox();
    try {
      local.faults.add({ path: '/api/v1/studies/', times: 1, status: 429, retryAfterSeconds: 1 });
      local.faults.add({ path: /^\/api\/v1\/studies\/[^/]+\/$/, times: 1, status: 503 });
      local.faults.add({ path: /^\/api\/v1\/filter-sets\//, times: 1, drop: 'before' });
      local.faults.add({ path: '/api/v1/submissions/', times: 1, status: 502 });
      expect((await get('/api/v1/studies/?state=ACTIVE', local)).status).toBe(429);
      expect((await get('/api/v1/studies/?state=ACTIVE', local)).status).toBe(200);
      expect((await get(`/api/v1/studies/${SEED_STUDY_IDS.wave2FollowUp}/`, local)).status).toBe(503);
      expect((await get(`/api/v1/studies/${SEED_STUDY_IDS.wave2FollowUp}/`, local)).status).toBe(200);
      await expect(get(`/api/v1/filter-sets/${SEED_FILTER_SET_ID}/`, local)).rejects.toThrow();
      expect((await get(`/api/v1/filter-sets/${SEED_FILTER_SET_ID}/`, local)).status).toBe(200);
      expect((await get('/api/v1/submissions/?ordering=id', local)).status).toBe(502);
      expect((await get('/api/v1/submissions/?ordering=id', local)).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe('benchmark studies', () => {
  test('are off by default; on, 200 studies in live and draft states and a 10,000-submission study', async () => {
    expect((await get(`/api/v1/studies/${SEED_STUDY_IDS.benchmarkSubmissions}/`)).status).toBe(404);
    const big = await createSandbox({ benchmarkStudies: true });
    try {
      for (const [state, count] of Object.entries(BENCHMARK_STUDY_STATES)) {
        const seeded = sandbox.state.studies.studyRecords().filter((study) => study.status === state).length;
        expect((await get(`/api/v1/studies/?state=${state}`, big)).json.results).toHaveLength(count + seeded);
      }
      const counts = (await get(`/api/v1/studies/${SEED_STUDY_IDS.benchmarkSubmissions}/submissions/counts/`, big)).json;
      expect(counts.TOTAL).toBe(10_000);
      expect(counts.APPROVED).toBe(9_000);
    } finally {
      await big.close();
    }
  });
});
