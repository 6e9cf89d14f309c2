// The study index against the sandbox over loopback, with its cache in an embedded store.
import { SEED_FILTER_SET_ID, SEED_GROUP_IDS, SEED_STUDY_IDS } from '../../../src/local/prolific-sandbox';
import type { ProlificClient } from '../../../src/prolific';
import { StudyIndex, type StudyIndexOptions, type StudyReader, type StudyUsageCheck } from '../../../src/services/studies';
import type { Database } from '../../../src/store/database';
import { migrate } from '../../../src/store/migrations';
import { openPgliteDatabase } from '../../../src/store/pgliteDatabase';
import { createStudyDetailsStore } from '../../../src/store/studyDetails';
import { type Fixture, startFixture } from '../../prolific/clientFixture';

let db: Database;
let fx: Fixture;

beforeAll(async () => {
  db = await openPgliteDatabase(undefined);
  await migrate(db, () => {});
});

afterAll(async () => {
  await db.close();
});

beforeEach(async () => {
  await db.query('delete from study_details');
  fx = await startFixture();
});

afterEach(async () => {
  await fx.close();
});

function indexWith(options: StudyIndexOptions = {}, reader: StudyReader = fx.client): StudyIndex {
  return new StudyIndex(reader, createStudyDetailsStore(db), options);
}

function checked(check: StudyUsageCheck) {
  if (!check.checked) throw new Error(`the check failed: ${check.failure.error.message}`);
  return check.studies;
}

const requestsTo = (pattern: RegExp) => fx.sandbox.requests.filter((r) => pattern.test(r.path));
const STUDY_DETAIL = /^\/api\/v1\/studies\/[^/]+\/$/;

describe('how studies use a group', () => {
  test('allowlist: a running study and a publishing one that names the group beside another', async () => {
    const studies = checked(await indexWith().studiesUsingGroup(SEED_GROUP_IDS.mainPanel));
    expect(studies).toEqual([
      {
        studyId: SEED_STUDY_IDS.wave2FollowUp,
        name: 'Wave 2 follow-up',
        internalName: 'W2 follow-up (main panel)',
        status: 'ACTIVE',
        phase: 'live',
        placesTaken: 212,
        totalPlaces: 400,
        uses: [{ kind: 'allowlist', via: 'filters', filterSet: null, nested: false, sharedWith: [] }],
      },
      expect.objectContaining({
        studyId: SEED_STUDY_IDS.panelRefresh,
        status: 'PUBLISHING',
        phase: 'live',
        uses: [{ kind: 'allowlist', via: 'filters', filterSet: null, nested: false, sharedWith: [SEED_GROUP_IDS.attentionChecks] }],
      }),
    ]);
  });

  test('blocklist inside a nested and/or filter of a paused study', async () => {
    const studies = checked(await indexWith().studiesUsingGroup(SEED_GROUP_IDS.excluded));
    expect(studies).toEqual([
      expect.objectContaining({
        studyId: SEED_STUDY_IDS.reactionTimes,
        status: 'PAUSED',
        phase: 'live',
        uses: [{ kind: 'blocklist', via: 'filters', filterSet: null, nested: true, sharedWith: [] }],
      }),
    ]);
  });

  test('a filter set counts at the version the study pins, not the latest', async () => {
    const index = indexWith();
    const attention = checked(await index.studiesUsingGroup(SEED_GROUP_IDS.attentionChecks));
    const followUp = attention.find((study) => study.studyId === SEED_STUDY_IDS.attentionFollowUp);
    expect(followUp?.uses).toEqual([
      { kind: 'allowlist', via: 'filter_set', filterSet: { id: SEED_FILTER_SET_ID, version: 1 }, nested: false, sharedWith: [] },
    ]);
    expect(attention.some((study) => study.studyId === SEED_STUDY_IDS.weekendPanel)).toBe(false);

    const pilot = checked(await index.studiesUsingGroup(SEED_GROUP_IDS.pilot));
    expect(pilot.find((study) => study.studyId === SEED_STUDY_IDS.weekendPanel)?.uses).toEqual([
      { kind: 'allowlist', via: 'filter_set', filterSet: { id: SEED_FILTER_SET_ID, version: 2 }, nested: false, sharedWith: [] },
    ]);
    expect(pilot.some((study) => study.studyId === SEED_STUDY_IDS.attentionFollowUp)).toBe(false);
    expect(requestsTo(/^\/api\/v1\/filter-sets\//).map((r) => r.query['version_number']).sort()).toEqual(['1', '2']);
  });

  test('completion codes that feed and drain the group', async () => {
    const studies = checked(await indexWith().studiesUsingGroup(SEED_GROUP_IDS.attentionChecks));
    expect(studies.find((study) => study.studyId === SEED_STUDY_IDS.attentionScreener)?.uses).toEqual([
      { kind: 'feeds', code: 'C1ATTPASS', codeType: 'COMPLETED' },
      { kind: 'drains', code: 'C1ATTFAIL', codeType: 'FAILED_ATTENTION_CHECK' },
    ]);
  });

  test('live studies first, then drafts; studies that are neither (completed, awaiting review) are left out', async () => {
    const pilot = checked(await indexWith().studiesUsingGroup(SEED_GROUP_IDS.pilot));
    expect(pilot.map((study) => [study.name, study.status, study.phase])).toEqual([
      ['Weekend panel', 'SCHEDULED', 'live'],
      ['Wave 3', 'UNPUBLISHED', 'draft'],
    ]);
    // "Pilot retest" (AWAITING REVIEW) allowlists the pilots and "Wave 1 screener" (COMPLETED) feeds wave 2.
    const wave2 = checked(await indexWith().studiesUsingGroup(SEED_GROUP_IDS.pilotWave2));
    expect(wave2.map((study) => study.name)).toEqual(['Wave 3']);
  });

  test('a group no study uses: checked, and none', async () => {
    const check = await indexWith().studiesUsingGroup('6650c0ffee00000000009999');
    expect(check).toMatchObject({ checked: true, studies: [] });
  });
});

describe('cost', () => {
  test('cold: one list per state and one read per study; warm: the lists only', async () => {
    const index = indexWith();
    const listed = fx.sandbox.state.studies.studyRecords().filter((study) => study.status !== 'COMPLETED' && study.status !== 'AWAITING REVIEW');
    const cold = await index.studiesUsingGroup(SEED_GROUP_IDS.mainPanel);
    expect(requestsTo(/^\/api\/v1\/studies\/$/).map((r) => r.query['state']).sort()).toEqual(['ACTIVE', 'PAUSED', 'PUBLISHING', 'SCHEDULED', 'UNPUBLISHED']);
    expect(requestsTo(STUDY_DETAIL)).toHaveLength(listed.length);
    expect(cold.cost).toMatchObject({ listRequests: 5, studyRequests: listed.length, filterSetRequests: 2, cacheHits: 0 });

    fx.sandbox.clearRequests();
    const warm = await index.studiesUsingGroup(SEED_GROUP_IDS.mainPanel);
    expect(requestsTo(STUDY_DETAIL)).toHaveLength(0);
    expect(fx.sandbox.requests).toHaveLength(5);
    expect(warm).toEqual({ ...cold, cost: { ...cold.cost, studyRequests: 0, filterSetRequests: 0, cacheHits: listed.length } });
  });

  test('the cache is shared: another index on the same store starts warm', async () => {
    await indexWith().studiesUsingGroup(SEED_GROUP_IDS.pilot);
    fx.sandbox.clearRequests();
    await indexWith().studiesUsingGroup(SEED_GROUP_IDS.pilot);
    expect(requestsTo(STUDY_DETAIL)).toHaveLength(0);
  });

  test('drafts and scheduled studies are read again once their short expiry passes; published ones are not', async () => {
    const index = indexWith({ draftTtlMs: -1 });
    await index.studiesUsingGroup(SEED_GROUP_IDS.pilot);
    fx.sandbox.clearRequests();
    await index.studiesUsingGroup(SEED_GROUP_IDS.pilot);
    expect(requestsTo(STUDY_DETAIL).map((r) => r.path).sort()).toEqual(
      [`/api/v1/studies/${SEED_STUDY_IDS.weekendPanel}/`, `/api/v1/studies/${SEED_STUDY_IDS.wave3Draft}/`].sort(),
    );
  });

  test('a draft that is published with new filters is read again at once, whatever its expiry', async () => {
    const index = indexWith({ draftTtlMs: 3_600_000 });
    expect(checked(await index.studiesUsingGroup(SEED_GROUP_IDS.pilot)).map((study) => study.name)).toContain('Wave 3');
    fx.sandbox.state.studies.updateStudy(SEED_STUDY_IDS.wave3Draft, {
      status: 'ACTIVE',
      filters: [{ filter_id: 'participant_group_allowlist', selected_values: [SEED_GROUP_IDS.excluded] }],
    });
    const excluded = await index.studiesUsingGroups([SEED_GROUP_IDS.pilot, SEED_GROUP_IDS.excluded]);
    expect(checked(excluded.get(SEED_GROUP_IDS.pilot)!).map((study) => study.name)).not.toContain('Wave 3');
    expect(checked(excluded.get(SEED_GROUP_IDS.excluded)!).map((study) => [study.name, study.phase])).toContainEqual(['Wave 3', 'live']);
  });

  test('no more study reads under way than the concurrency allows', async () => {
    let running = 0;
    let peak = 0;
    const client: ProlificClient = fx.client;
    const counting: StudyReader = {
      listStudies: (state) => client.listStudies(state),
      getFilterSet: (id, version) => client.getFilterSet(id, version),
      getStudy: async (id) => {
        running += 1;
        peak = Math.max(peak, running);
        try {
          return await client.getStudy(id);
        } finally {
          running -= 1;
        }
      },
    };
    fx.sandbox.faults.add({ path: STUDY_DETAIL, latencyMs: 20 });
    checked(await indexWith({ concurrency: 2 }, counting).studiesUsingGroup(SEED_GROUP_IDS.pilot));
    expect(peak).toBe(2);
  });

  test('a 429 is waited out and the lookup still completes', async () => {
    fx.sandbox.faults.add({ path: STUDY_DETAIL, calls: [1, 2], status: 429, retryAfterSeconds: 0 });
    fx.sandbox.faults.add({ path: '/api/v1/studies/', calls: [1], status: 429, retryAfterSeconds: 0 });
    const check = await indexWith().studiesUsingGroup(SEED_GROUP_IDS.mainPanel);
    expect(check.checked).toBe(true);
    expect(fx.sandbox.requests.filter((r) => r.status === 429)).toHaveLength(3);
  });
});

describe('when Prolific fails', () => {
  test('a failed list: the check could not be made, and nothing is claimed', async () => {
    fx.sandbox.faults.add({ path: '/api/v1/studies/', status: 500 });
    const check = await indexWith().studiesUsingGroup(SEED_GROUP_IDS.mainPanel);
    expect(check).toMatchObject({ checked: false, failure: { during: 'list', id: null, error: { status: 500 } }, found: [] });
    expect(requestsTo(STUDY_DETAIL)).toHaveLength(0);
  });

  test('a failed study read: could not check, naming the study; no further study is read', async () => {
    fx.sandbox.faults.add({ path: `/api/v1/studies/${SEED_STUDY_IDS.reactionTimes}/`, status: 403 });
    const check = await indexWith({ concurrency: 1 }).studiesUsingGroup(SEED_GROUP_IDS.excluded);
    expect(check).toMatchObject({ checked: false, failure: { during: 'study', id: SEED_STUDY_IDS.reactionTimes, error: { status: 403 } } });
    const reads = requestsTo(STUDY_DETAIL).map((r) => r.path);
    expect(reads.at(-1)).toBe(`/api/v1/studies/${SEED_STUDY_IDS.reactionTimes}/`);
  });

  test('a failed filter-set read: could not check; what was found before is kept as found', async () => {
    fx.sandbox.faults.add({ path: /^\/api\/v1\/filter-sets\//, status: 404 });
    const check = await indexWith({ concurrency: 1 }).studiesUsingGroup(SEED_GROUP_IDS.mainPanel);
    expect(check.checked).toBe(false);
    if (check.checked) return;
    expect(check.failure).toMatchObject({ during: 'filter_set', id: SEED_FILTER_SET_ID });
    expect(check.found.map((study) => study.studyId)).toContain(SEED_STUDY_IDS.wave2FollowUp);
  });

  test('a store that cannot be used does not stop the check', async () => {
    const broken = await openPgliteDatabase(undefined);
    await broken.close();
    const check = await new StudyIndex(fx.client, createStudyDetailsStore(broken)).studiesUsingGroup(SEED_GROUP_IDS.excluded);
    expect(check).toMatchObject({ checked: true, cost: { cacheUnavailable: true } });
    expect(check.checked && check.studies.map((study) => study.studyId)).toEqual([SEED_STUDY_IDS.reactionTimes]);
  });
});
