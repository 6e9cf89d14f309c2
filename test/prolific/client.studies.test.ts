// The client's study methods against the sandbox over loopback.
import type { ProlificError } from '../../src/prolific';
import {
  SEED_FILTER_SET_ID,
  SEED_GROUP_IDS,
  SEED_PROJECT_IDS,
  SEED_STUDY_IDS,
  WAVE1_SUBMISSION_STATUSES,
  WAVE1_TWICE_PARTICIPANT,
} from '../../src/local/prolific-sandbox';
import { type Fixture, startFixture, thrown } from './clientFixture';

let fx: Fixture;

afterEach(async () => {
  await fx.close();
});

const APPROVED = WAVE1_SUBMISSION_STATUSES.APPROVED;
const submissionCalls = () => fx.sandbox.requests.filter((r) => r.path === '/api/v1/submissions/');

describe('studies, filter sets and projects', () => {
  test('lists a state’s studies, reads a study in full and a filter set at the version it pins', async () => {
    fx = await startFixture();
    const paused = await fx.client.listStudies('PAUSED');
    expect(paused.map((study) => study.id)).toEqual([SEED_STUDY_IDS.reactionTimes]);
    expect(await fx.client.listStudies('AWAITING REVIEW')).toEqual([expect.objectContaining({ id: SEED_STUDY_IDS.pilotRetest })]);
    expect(fx.sandbox.requests[1]?.query['state']).toBe('AWAITING REVIEW');

    const study = await fx.client.getStudy(SEED_STUDY_IDS.attentionFollowUp);
    expect(study).toMatchObject({ filter_set_id: SEED_FILTER_SET_ID, filter_set_version: 1, status: 'ACTIVE' });
    const pinned = await fx.client.getFilterSet(SEED_FILTER_SET_ID, 1);
    expect(pinned.filters).toContainEqual({ filter_id: 'participant_group_allowlist', selected_values: [SEED_GROUP_IDS.attentionChecks] });
    expect((await fx.client.getFilterSet(SEED_FILTER_SET_ID)).version).toBe(2);
    expect(fx.sandbox.requests.at(-2)?.query).toEqual({ version_number: '1' });
  });

  test('lists a workspace’s projects and a project’s studies', async () => {
    fx = await startFixture();
    const projects = await fx.client.listProjects(fx.sandbox.workspaceId);
    expect(projects.map((project) => project.id).sort()).toEqual([SEED_PROJECT_IDS.waves, SEED_PROJECT_IDS.screeners].sort());
    const screeners = await fx.client.listProjectStudies(SEED_PROJECT_IDS.screeners);
    expect(screeners.map((study) => study.name).sort()).toEqual(['Attention follow-up', 'Attention screener', 'Wave 1 screener']);
  });

  test('an unknown study is a 404 ProlificError', async () => {
    fx = await startFixture();
    const error = await thrown<ProlificError>(() => fx.client.getStudy('6650bead00000000000000ee'));
    expect(error).toMatchObject({ name: 'ProlificError', status: 404, kind: 'http' });
  });
});

describe('page-number paging', () => {
  test('every list request sets ordering, page and page_size', async () => {
    fx = await startFixture();
    await fx.client.listStudies('ACTIVE');
    await fx.client.listProjects(fx.sandbox.workspaceId);
    await fx.client.listProjectStudies(SEED_PROJECT_IDS.waves);
    await fx.client.listStudySubmissions(SEED_STUDY_IDS.wave1Main);
    await fx.client.listSubmissions({ study: SEED_STUDY_IDS.wave1Main });
    expect(fx.sandbox.requests).toHaveLength(5);
    for (const request of fx.sandbox.requests) {
      expect(request.query).toEqual(expect.objectContaining({ ordering: expect.any(String), page: '1', page_size: '500' }));
    }
    expect(submissionCalls()[0]?.query['ordering']).toBe('started_at');
  });

  test('when Prolific pages below the size asked, every page is read once and every row arrives once', async () => {
    // Asked for 500 a page, answered 40. The sandbox scrambles unordered pages, so only ordered paging can come out right.
    fx = await startFixture({ pageSize: 40 });
    const submissions = await fx.client.listSubmissions({ study: SEED_STUDY_IDS.wave1Main, status: 'APPROVED' });
    expect(submissions).toHaveLength(APPROVED);
    expect(new Set(submissions.map((s) => s.id)).size).toBe(APPROVED);
    expect(submissions.map((s) => s.started_at)).toEqual(submissions.map((s) => s.started_at).sort());
    // Page 1 first (it gives the count), then the rest a few at a time, in any order.
    expect(submissionCalls()[0]?.query['page']).toBe('1');
    expect(submissionCalls().map((r) => r.query['page']).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  test('the remaining pages of a study list are fetched too, and a 429 on one of them is waited out', async () => {
    fx = await startFixture({ pageSize: 3 });
    fx.sandbox.faults.add({ path: '/api/v1/studies/', calls: [2], status: 429, retryAfterSeconds: 0 });
    const all = await fx.client.listStudies();
    expect(all.map((study) => study.id).sort()).toEqual(fx.sandbox.state.studies.studyRecords().map((study) => study.id).sort());
    expect(fx.sandbox.requests.map((r) => r.status)).toEqual([200, 429, 200, 200, 200]);
  });

  test('a list whose pages hold fewer distinct rows than it counted is an error, never a shorter answer', async () => {
    fx = await startFixture({ pageSize: 2 });
    const firstPage = JSON.stringify({
      results: fx.sandbox.state.studies
        .studyRecords()
        .filter((study) => study.status === 'ACTIVE')
        .sort((a, b) => a.date_created.localeCompare(b.date_created))
        .slice(0, 2)
        .map((study) => fx.sandbox.state.studies.summary(study)),
      meta: { count: 5 },
    });
    fx.sandbox.faults.add({ path: '/api/v1/studies/', calls: [2], status: 200, body: firstPage, contentType: 'application/json' });
    const error = await thrown<ProlificError>(() => fx.client.listStudies('ACTIVE'));
    // Five ACTIVE studies in pages of two: page 2 repeats page 1, so pages 1 to 3 hold 3 distinct rows.
    expect(error).toMatchObject({ kind: 'invalid_response', detail: expect.stringContaining('3 distinct rows of the 5') });
  });
});

describe('participants of a study', () => {
  test('approved participants by default, each once, checked against the counts', async () => {
    fx = await startFixture();
    const result = await fx.client.studyParticipants(SEED_STUDY_IDS.wave1Main);
    expect(result).toMatchObject({
      statuses: ['APPROVED'],
      fetched: { APPROVED: APPROVED },
      expected: APPROVED,
      matchesCounts: true,
      requests: 2,
    });
    expect(result.participantIds).toHaveLength(APPROVED - 1);
    expect(new Set(result.participantIds).size).toBe(APPROVED - 1);
    expect(result.participantIds.filter((id) => id === WAVE1_TWICE_PARTICIPANT)).toHaveLength(1);
    expect(result.counts).toMatchObject({ APPROVED, 'AWAITING REVIEW': WAVE1_SUBMISSION_STATUSES['AWAITING REVIEW'], TOTAL: 291 });
    expect(submissionCalls()[0]?.query).toMatchObject({ status: 'APPROVED', ordering: 'started_at', study: SEED_STUDY_IDS.wave1Main });
  });

  test('several statuses: one pass each, in the filter spelling; an empty status costs no request', async () => {
    fx = await startFixture();
    const result = await fx.client.studyParticipants(SEED_STUDY_IDS.wave1Main, ['APPROVED', 'AWAITING REVIEW', 'TIMED-OUT']);
    const awaiting = WAVE1_SUBMISSION_STATUSES['AWAITING REVIEW'];
    expect(result.participantIds).toHaveLength(APPROVED - 1 + awaiting + WAVE1_SUBMISSION_STATUSES['TIMED-OUT']);
    expect(result.matchesCounts).toBe(true);
    expect(submissionCalls().map((r) => r.query['status'])).toEqual(['APPROVED', 'AWAITING_REVIEW', 'TIMED-OUT']);

    fx.sandbox.clearRequests();
    const draft = await fx.client.studyParticipants(SEED_STUDY_IDS.wave3Draft);
    expect(draft).toMatchObject({ participantIds: [], expected: 0, matchesCounts: true, requests: 1 });
    expect(submissionCalls()).toHaveLength(0);
  });

  test('a total that differs from the counts is reported, not hidden', async () => {
    fx = await startFixture();
    const counts = { ...WAVE1_SUBMISSION_STATUSES, APPROVED: APPROVED + 4, TOTAL: 295 };
    fx.sandbox.faults.add({ path: /\/submissions\/counts\/$/, status: 200, body: JSON.stringify(counts), contentType: 'application/json' });
    const result = await fx.client.studyParticipants(SEED_STUDY_IDS.wave1Main);
    expect(result).toMatchObject({ expected: APPROVED + 4, fetched: { APPROVED }, matchesCounts: false });
  });

  test('rows of other statuses are left out even when the status filter is ignored', async () => {
    fx = await startFixture();
    const mixed = fx.sandbox.state.studies.studyRecord(SEED_STUDY_IDS.wave1Main)!.submissions.slice(0, 20);
    const approvedInMixed = mixed.filter((s) => s.status === 'APPROVED');
    const counts = { APPROVED: approvedInMixed.length, TOTAL: 20 };
    fx.sandbox.faults.add({ path: /\/submissions\/counts\/$/, status: 200, body: JSON.stringify(counts), contentType: 'application/json' });
    fx.sandbox.faults.add({
      path: '/api/v1/submissions/',
      status: 200,
      body: JSON.stringify({ results: mixed, meta: { count: 20 } }),
      contentType: 'application/json',
    });
    const result = await fx.client.studyParticipants(SEED_STUDY_IDS.wave1Main);
    expect(approvedInMixed.length).toBeGreaterThan(0);
    expect(approvedInMixed.length).toBeLessThan(20);
    expect(result.participantIds).toEqual(approvedInMixed.map((s) => s.participant_id));
    expect(result.matchesCounts).toBe(true);
  });
});
