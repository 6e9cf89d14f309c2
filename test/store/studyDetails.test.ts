// The study-details cache on embedded PGlite (the SQL is the same on PostgreSQL).
import type { Database } from '../../src/store/database';
import { migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import { createStudyDetailsStore, type NewStudyDetails, type StudyDetailsStore } from '../../src/store/studyDetails';

let db: Database;
let cache: StudyDetailsStore;

beforeAll(async () => {
  db = await openPgliteDatabase(undefined);
  await migrate(db, () => {});
  cache = createStudyDetailsStore(db);
});

afterAll(async () => {
  await db.close();
});

beforeEach(async () => {
  await db.query('delete from study_details');
});

const details = (group: string) => ({
  filters: [{ filter_id: 'participant_group_allowlist', selected_values: [group] }],
  filterSet: null,
  completionCodes: [{ code: 'C1', code_type: 'COMPLETED', actions: [] }],
});

const entry = (studyId: string, status: string, ttlMs: number | null, group = 'g1'): NewStudyDetails => ({ studyId, status, details: details(group), ttlMs });

test('saves and reads back entries by study id, details intact', async () => {
  await cache.saveStudyDetails([entry('s1', 'ACTIVE', null), entry('s2', 'UNPUBLISHED', 60_000, 'g2')]);
  const found = await cache.getStudyDetails(['s1', 's2', 's3']);
  expect([...found.keys()].sort()).toEqual(['s1', 's2']);
  expect(found.get('s1')).toEqual({ studyId: 's1', status: 'ACTIVE', details: details('g1') });
  expect(found.get('s2')?.details).toEqual(details('g2'));
  expect(await cache.getStudyDetails([])).toEqual(new Map());
});

test('an expired entry is not returned, and pruning deletes only expired ones', async () => {
  await cache.saveStudyDetails([entry('old', 'SCHEDULED', -1000), entry('frozen', 'PAUSED', null), entry('fresh', 'UNPUBLISHED', 60_000)]);
  expect([...(await cache.getStudyDetails(['old', 'frozen', 'fresh'])).keys()].sort()).toEqual(['fresh', 'frozen']);
  expect(await cache.pruneStudyDetails()).toBe(1);
  expect(await db.query('select study_id from study_details order by study_id')).toEqual([{ study_id: 'fresh' }, { study_id: 'frozen' }]);
});

test('saving again replaces the entry (the last one of a study in a batch wins)', async () => {
  await cache.saveStudyDetails([entry('s1', 'UNPUBLISHED', -1000)]);
  await cache.saveStudyDetails([entry('s1', 'UNPUBLISHED', 60_000, 'g2'), entry('s1', 'ACTIVE', null, 'g3')]);
  expect((await cache.getStudyDetails(['s1'])).get('s1')).toEqual({ studyId: 's1', status: 'ACTIVE', details: details('g3') });
});
