// The study index against the sandbox over loopback, with its cache in an embedded store, scoped
// to the seeded workspace as the app scopes it to a channel's (unless a test says otherwise).
import {
  SEED_FILTER_SET_ID,
  SEED_GROUP_IDS,
  SEED_PROJECT_IDS,
  SEED_SECOND_GROUP_IDS,
  SEED_SECOND_WORKSPACE_ID,
  SEED_STUDY_IDS,
  SEED_USER_ID,
  SEED_WORKSPACE_ID,
} from '../../../src/local/prolific-sandbox';
import type { ProlificClient } from '../../../src/prolific';
import { StudyIndex, type StudyIndexOptions, type StudyReader, type StudyScope, type StudyUsageCheck, WorkspaceProjects } from '../../../src/services/studies';
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

/** Lookups in these workspaces (null: every study the token sees), each project list read through the client. */
function scopeTo(workspaceIds: string[] | null): StudyScope {
  return { workspaceIds: async () => workspaceIds, projects: new WorkspaceProjects((id) => fx.client.listProjects(id)) };
}

function indexWith(options: StudyIndexOptions = {}, reader: StudyReader = fx.client): StudyIndex {
  return new StudyIndex(reader, createStudyDetailsStore(db), { scope: scopeTo([SEED_WORKSPACE_ID]), ...options });
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
    // Every study is read, the other workspace's too: only its project says whose it is.
    expect(requestsTo(/\/projects\/$/).map((r) => r.path)).toEqual([`/api/v1/workspaces/${SEED_WORKSPACE_ID}/projects/`]);
    expect(requestsTo(/^\/api\/v1\/studies\/$/).map((r) => r.query['state']).sort()).toEqual(['ACTIVE', 'PAUSED', 'PUBLISHING', 'SCHEDULED', 'UNPUBLISHED']);
    expect(requestsTo(STUDY_DETAIL)).toHaveLength(listed.length);
    expect(cold.cost).toMatchObject({ listRequests: 5, studyRequests: listed.length, filterSetRequests: 2, projectRequests: 1, cacheHits: 0 });

    fx.sandbox.clearRequests();
    const warm = await index.studiesUsingGroup(SEED_GROUP_IDS.mainPanel);
    expect(requestsTo(STUDY_DETAIL)).toHaveLength(0);
    expect(fx.sandbox.requests).toHaveLength(5);
    expect(warm).toEqual({ ...cold, cost: { ...cold.cost, studyRequests: 0, filterSetRequests: 0, projectRequests: 0, cacheHits: listed.length } });
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
    const check = await new StudyIndex(fx.client, createStudyDetailsStore(broken), { scope: scopeTo([SEED_WORKSPACE_ID]) }).studiesUsingGroup(SEED_GROUP_IDS.excluded);
    expect(check).toMatchObject({ checked: true, cost: { cacheUnavailable: true } });
    expect(check.checked && check.studies.map((study) => study.studyId)).toEqual([SEED_STUDY_IDS.reactionTimes]);
  });
});

describe('scoped to a workspace', () => {
  const names = (check: StudyUsageCheck) => checked(check).map((study) => study.name);

  test('a study of another workspace that names the group by id is not reported; in that workspace, or unscoped, it is', async () => {
    // Saccade battery (Vision Lab) blocklists the Psychology Lab's Excluded group by its id.
    expect(names(await indexWith().studiesUsingGroup(SEED_GROUP_IDS.excluded))).toEqual(['Reaction times']);
    expect(names(await indexWith({ scope: scopeTo([SEED_SECOND_WORKSPACE_ID]) }).studiesUsingGroup(SEED_GROUP_IDS.excluded))).toEqual(['Saccade battery']);
    expect(names(await indexWith({ scope: scopeTo([SEED_SECOND_WORKSPACE_ID]) }).studiesUsingGroup(SEED_SECOND_GROUP_IDS.visionPilot))).toEqual(['Saccade battery']);
    expect(names(await indexWith().studiesUsingGroup(SEED_SECOND_GROUP_IDS.visionPilot))).toEqual([]);
    expect(names(await indexWith({ scope: scopeTo(null) }).studiesUsingGroup(SEED_GROUP_IDS.excluded)).sort()).toEqual(['Reaction times', 'Saccade battery']);
    expect(names(await indexWith({ scope: scopeTo([SEED_WORKSPACE_ID, SEED_SECOND_WORKSPACE_ID]) }).studiesUsingGroup(SEED_GROUP_IDS.excluded)).sort()).toEqual([
      'Reaction times',
      'Saccade battery',
    ]);
  });

  test('a project made since the last list is placed by reading the list again, once', async () => {
    const index = indexWith();
    await index.studiesUsingGroup(SEED_GROUP_IDS.excluded);
    fx.sandbox.state.studies.addProject({ id: '6650b0b000000000000000f1', title: 'New wave', description: '', workspace_id: SEED_WORKSPACE_ID, owner: SEED_USER_ID });
    fx.sandbox.state.studies.addStudy({
      id: '6650bead00000000000000f1',
      name: 'Fresh wave',
      status: 'ACTIVE',
      project_id: '6650b0b000000000000000f1',
      total_available_places: 10,
      filters: [{ filter_id: 'participant_group_blocklist', selected_values: [SEED_GROUP_IDS.excluded] }],
    });
    fx.sandbox.clearRequests();
    const again = await index.studiesUsingGroup(SEED_GROUP_IDS.excluded);
    expect(names(again)).toEqual(['Fresh wave', 'Reaction times']);
    expect(again.cost.projectRequests).toBe(1);
    fx.sandbox.clearRequests();
    const warm = await index.studiesUsingGroup(SEED_GROUP_IDS.excluded);
    expect(names(warm)).toEqual(['Fresh wave', 'Reaction times']);
    expect(warm.cost.projectRequests).toBe(0);
    expect(requestsTo(/\/projects\/$/)).toHaveLength(0);
  });

  test('a study cached before studies were placed in workspaces is read again', async () => {
    await createStudyDetailsStore(db).saveStudyDetails([
      { studyId: SEED_STUDY_IDS.saccadeBattery, status: 'ACTIVE', details: { filters: [{ filter_id: 'participant_group_blocklist', selected_values: [SEED_GROUP_IDS.excluded] }], filterSet: null, completionCodes: [] }, ttlMs: null },
    ]);
    expect(names(await indexWith().studiesUsingGroup(SEED_GROUP_IDS.excluded))).toEqual(['Reaction times']);
    expect(requestsTo(STUDY_DETAIL).map((r) => r.path)).toContain(`/api/v1/studies/${SEED_STUDY_IDS.saccadeBattery}/`);
    const saved = await createStudyDetailsStore(db).getStudyDetails([SEED_STUDY_IDS.saccadeBattery]);
    expect(saved.get(SEED_STUDY_IDS.saccadeBattery)?.details.projectId).toBe(SEED_PROJECT_IDS.vision);
  });

  test('a failed project list: could not check, and no study is claimed for the workspace', async () => {
    fx.sandbox.faults.add({ path: /\/projects\/$/, status: 500 });
    const check = await indexWith().studiesUsingGroup(SEED_GROUP_IDS.excluded);
    expect(check).toMatchObject({ checked: false, failure: { during: 'projects', id: null, error: { status: 500 } }, found: [] });
  });
});
