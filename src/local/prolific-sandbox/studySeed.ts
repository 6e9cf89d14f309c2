// The sandbox's starting studies: every way a study can use a group, the same on every run.
//
//   study                 state            uses
//   Attention screener    ACTIVE           feeds and drains "Passed all attention checks" (codes)
//   Wave 2 follow-up      ACTIVE           allowlist "Main panel" (212 of 400 places)
//   Reaction times        PAUSED           blocklist "Excluded (low quality)" inside and[…, or[…]]
//   Attention follow-up   ACTIVE           filter set "Attentive adults" pinned at version 1
//                                          (allowlist "Passed all attention checks")
//   Weekend panel         SCHEDULED        the same filter set at version 2 (allowlist "Pilot participants")
//   Wave 3 (draft)        UNPUBLISHED      allowlist "Pilot participants" or "Pilot wave 2"
//   Wave 1 screener       COMPLETED        feeds "Pilot wave 2" (code C1W1DONE)
//   Wave 1 main survey    ACTIVE           no group; 291 submissions in every status, one
//                                          participant with two APPROVED submissions
//   Pilot retest          AWAITING REVIEW  allowlist "Pilot participants" (not live, not a draft)
//   Panel refresh         PUBLISHING       allowlist "Main panel" or "Passed all attention checks"
//
// With benchmarkStudies: 200 more studies in live and draft states (a mix of the shapes above,
// some using the "Benchmark panel") and a COMPLETED study with 10,000 submissions.

import type { CompletionCode, StudyFilter, StudyStatus, SubmissionStatus } from '../../prolific/studyTypes';
import { SEED_FEEDER_STUDY_ID, SEED_GROUP_IDS, SEED_SECOND_GROUP_IDS, SEED_SECOND_WORKSPACE_ID, SEED_USER_ID, SEED_WORKSPACE_ID, sandboxParticipantId } from './seed';
import type { SandboxState } from './state';
import type { SubmissionRecord } from './studyState';

export const SEED_PROJECT_IDS = {
  waves: '6650b0b00000000000000001',
  screeners: '6650b0b00000000000000002',
  /** The second workspace's (Vision Lab's) project. */
  vision: '6650b0b00000000000000003',
} as const;

export const SEED_FILTER_SET_ID = '6650f11e0000000000000001';

export const SEED_STUDY_IDS = {
  attentionScreener: SEED_FEEDER_STUDY_ID,
  wave2FollowUp: '6650bead0000000000000002',
  reactionTimes: '6650bead0000000000000003',
  attentionFollowUp: '6650bead0000000000000004',
  weekendPanel: '6650bead0000000000000005',
  wave3Draft: '6650bead0000000000000006',
  wave1Screener: '6650bead0000000000000007',
  wave1Main: '6650bead0000000000000008',
  pilotRetest: '6650bead0000000000000009',
  panelRefresh: '6650bead000000000000000a',
  /**
   * Vision Lab's live study: its allowlist is Vision pilot, and its blocklist names the Psychology
   * Lab's Excluded group by id, so that an index not scoped to the channel's workspace would say
   * this study uses Excluded.
   */
  saccadeBattery: '6650bead000000000000000b',
  /** Only present with benchmarkStudies. */
  benchmarkSubmissions: '6650bead00000000000000ff',
} as const;

/** Submissions of "Wave 1 main survey" by status (291 in all; participant 7 submitted twice). */
export const WAVE1_SUBMISSION_STATUSES: Readonly<Record<SubmissionStatus, number>> = {
  APPROVED: 201,
  'AWAITING REVIEW': 30,
  'PARTIALLY APPROVED': 4,
  RETURNED: 20,
  REJECTED: 12,
  'TIMED-OUT': 10,
  'SCREENED OUT': 6,
  ACTIVE: 5,
  RESERVED: 3,
};
/** The participant with two submissions (both APPROVED) in "Wave 1 main survey". */
export const WAVE1_TWICE_PARTICIPANT = sandboxParticipantId(7);

export const BENCHMARK_STUDY_COUNT = 200;
export const BENCHMARK_SUBMISSION_COUNT = 10_000;
/** Benchmark studies by state (200 in all). */
export const BENCHMARK_STUDY_STATES: Readonly<Partial<Record<StudyStatus, number>>> = {
  ACTIVE: 110,
  PAUSED: 40,
  SCHEDULED: 20,
  PUBLISHING: 10,
  UNPUBLISHED: 20,
};

const EPOCH_MS = Date.UTC(2026, 9, 1, 9, 0, 0);
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const at = (ms: number): string => new Date(EPOCH_MS + ms).toISOString();
const allowlist = (...groups: string[]): StudyFilter => ({ filter_id: 'participant_group_allowlist', selected_values: groups });
const blocklist = (...groups: string[]): StudyFilter => ({ filter_id: 'participant_group_blocklist', selected_values: groups });
const ageRange = (lower: number, upper: number): StudyFilter => ({ filter_id: 'age', selected_range: { lower, upper } });
const approve = { action: 'AUTOMATICALLY_APPROVE' };
const completed = (code: string): CompletionCode => ({ code, code_type: 'COMPLETED', actor: 'participant', actions: [approve] });

export function seedStudies(state: SandboxState, opts: { benchmark: boolean }): void {
  const studies = state.studies;
  const project = (id: string, title: string, workspaceId = SEED_WORKSPACE_ID): void =>
    studies.addProject({ id, title, description: `${title} (sandbox project)`, workspace_id: workspaceId, owner: SEED_USER_ID });
  project(SEED_PROJECT_IDS.waves, 'Wave studies');
  project(SEED_PROJECT_IDS.screeners, 'Screeners');
  project(SEED_PROJECT_IDS.vision, 'Eye movements', SEED_SECOND_WORKSPACE_ID);

  studies.addFilterSet({
    id: SEED_FILTER_SET_ID,
    name: 'Attentive adults',
    workspace_id: SEED_WORKSPACE_ID,
    organisation_id: null,
    is_locked: false,
    is_deleted: false,
    versions: [
      [allowlist(SEED_GROUP_IDS.attentionChecks), ageRange(18, 65)],
      [allowlist(SEED_GROUP_IDS.pilot), ageRange(18, 65)],
    ],
  });

  const published = (day: number) => ({ date_created: at(day * DAY_MS - DAY_MS), published_at: at(day * DAY_MS) });
  studies.addStudy({
    id: SEED_STUDY_IDS.attentionScreener,
    name: 'Attention screener',
    internal_name: 'attention-screener-v3',
    status: 'ACTIVE',
    project_id: SEED_PROJECT_IDS.screeners,
    total_available_places: 500,
    places_taken: 143,
    ...published(1),
    completion_codes: [
      {
        code: 'C1ATTPASS',
        code_type: 'COMPLETED',
        actor: 'participant',
        actions: [approve, { action: 'ADD_TO_PARTICIPANT_GROUP', participant_group: SEED_GROUP_IDS.attentionChecks }],
      },
      {
        code: 'C1ATTFAIL',
        code_type: 'FAILED_ATTENTION_CHECK',
        actor: 'participant',
        actions: [approve, { action: 'REMOVE_FROM_PARTICIPANT_GROUP', participant_group: SEED_GROUP_IDS.attentionChecks }],
      },
    ],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.wave2FollowUp,
    name: 'Wave 2 follow-up',
    internal_name: 'W2 follow-up (main panel)',
    status: 'ACTIVE',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: 400,
    places_taken: 212,
    ...published(10),
    filters: [allowlist(SEED_GROUP_IDS.mainPanel)],
    completion_codes: [completed('C1W2DONE')],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.reactionTimes,
    name: 'Reaction times',
    internal_name: 'rt-battery-b',
    status: 'PAUSED',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: 150,
    places_taken: 57,
    ...published(12),
    filters: [
      {
        filter_id: 'and',
        selected_filters: [
          { filter_id: 'approval_rate', selected_range: { lower: 95, upper: 100 } },
          {
            filter_id: 'or',
            selected_filters: [blocklist(SEED_GROUP_IDS.excluded), { filter_id: 'current-country-of-residence', selected_values: ['1'] }],
          },
        ],
      },
    ],
    completion_codes: [completed('C1RTDONE')],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.attentionFollowUp,
    name: 'Attention follow-up',
    internal_name: 'att-followup',
    status: 'ACTIVE',
    project_id: SEED_PROJECT_IDS.screeners,
    total_available_places: 100,
    places_taken: 12,
    ...published(14),
    filter_set_id: SEED_FILTER_SET_ID,
    filter_set_version: 1,
    completion_codes: [completed('C1AFDONE')],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.weekendPanel,
    name: 'Weekend panel',
    internal_name: null,
    status: 'SCHEDULED',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: 200,
    date_created: at(15 * DAY_MS),
    publish_at: at(40 * DAY_MS),
    filter_set_id: SEED_FILTER_SET_ID,
    filter_set_version: 2,
    completion_codes: [completed('C1WEDONE')],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.wave3Draft,
    name: 'Wave 3',
    internal_name: 'wave3-draft',
    status: 'UNPUBLISHED',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: 50,
    date_created: at(16 * DAY_MS),
    filters: [allowlist(SEED_GROUP_IDS.pilot, SEED_GROUP_IDS.pilotWave2)],
    completion_codes: [completed('C1W3DONE')],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.wave1Screener,
    name: 'Wave 1 screener',
    internal_name: 'wave1-screener',
    status: 'COMPLETED',
    project_id: SEED_PROJECT_IDS.screeners,
    total_available_places: 30,
    places_taken: 30,
    ...published(2),
    completion_codes: [
      {
        code: 'C1W1DONE',
        code_type: 'FOLLOW_UP_STUDY',
        actor: 'participant',
        actions: [approve, { action: 'ADD_TO_PARTICIPANT_GROUP', participant_group: SEED_GROUP_IDS.pilotWave2 }],
      },
    ],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.wave1Main,
    name: 'Wave 1 main survey',
    internal_name: 'wave1-main',
    status: 'ACTIVE',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: 400,
    ...published(5),
    max_submissions_per_participant: 2,
    filters: [ageRange(18, 80)],
    completion_codes: [completed('C1W1MAIN')],
    submissions: wave1Submissions(),
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.pilotRetest,
    name: 'Pilot retest',
    internal_name: 'pilot-retest',
    status: 'AWAITING REVIEW',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: 12,
    places_taken: 12,
    ...published(8),
    filters: [allowlist(SEED_GROUP_IDS.pilot)],
    completion_codes: [completed('C1PRDONE')],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.panelRefresh,
    name: 'Panel refresh',
    internal_name: 'panel-refresh-q4',
    status: 'PUBLISHING',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: 1000,
    places_taken: 0,
    date_created: at(17 * DAY_MS),
    published_at: at(18 * DAY_MS),
    filters: [allowlist(SEED_GROUP_IDS.mainPanel, SEED_GROUP_IDS.attentionChecks)],
    completion_codes: [completed('C1PFDONE')],
  });
  studies.addStudy({
    id: SEED_STUDY_IDS.saccadeBattery,
    name: 'Saccade battery',
    internal_name: 'saccades-v2',
    status: 'ACTIVE',
    project_id: SEED_PROJECT_IDS.vision,
    total_available_places: 80,
    places_taken: 31,
    ...published(12),
    filters: [allowlist(SEED_SECOND_GROUP_IDS.visionPilot), blocklist(SEED_GROUP_IDS.excluded)],
    completion_codes: [completed('C1SBDONE')],
  });

  if (opts.benchmark) seedBenchmarkStudies(state);
}

/** Statuses that end with a completion code. */
const COMPLETING: ReadonlySet<SubmissionStatus> = new Set(['APPROVED', 'AWAITING REVIEW', 'PARTIALLY APPROVED', 'REJECTED', 'SCREENED OUT']);

function submissionRecord(index: number, participant: string, status: SubmissionStatus, code: string): SubmissionRecord {
  const started = 20 * DAY_MS + index * 7 * MINUTE_MS;
  return {
    id: `66505eed${index.toString(16).padStart(16, '0')}`,
    participant_id: participant,
    status,
    started_at: at(started),
    completed_at: COMPLETING.has(status) ? at(started + 12 * MINUTE_MS) : null,
    study_code: COMPLETING.has(status) ? code : null,
    return_requested: null,
  };
}

/**
 * The statuses of `counts`, spread over time (not in blocks), the same on every run: a fixed
 * multiplicative permutation of the expanded list.
 */
function spreadStatuses(counts: Readonly<Record<SubmissionStatus, number>>): SubmissionStatus[] {
  const expanded: SubmissionStatus[] = [];
  for (const [status, count] of Object.entries(counts) as Array<[SubmissionStatus, number]>) {
    for (let i = 0; i < count; i++) expanded.push(status);
  }
  const n = expanded.length;
  let step = 7919; // a prime; coprime with n unless n is a multiple of it
  while (gcd(step, n) !== 1) step += 2;
  return expanded.map((_, i) => expanded[(i * step) % n]!);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function wave1Submissions(): SubmissionRecord[] {
  // Participants 1..290 once each; participant 7 again at the end. Both of 7's are APPROVED.
  const counts = { ...WAVE1_SUBMISSION_STATUSES, APPROVED: WAVE1_SUBMISSION_STATUSES.APPROVED - 1 };
  const statuses = spreadStatuses(counts);
  const seventh = statuses[6]!;
  if (seventh !== 'APPROVED') {
    const swap = statuses.indexOf('APPROVED');
    statuses[swap] = seventh;
    statuses[6] = 'APPROVED';
  }
  const submissions = statuses.map((status, i) => submissionRecord(i, sandboxParticipantId(i + 1), status, 'C1W1MAIN'));
  submissions.push(submissionRecord(statuses.length, WAVE1_TWICE_PARTICIPANT, 'APPROVED', 'C1W1MAIN'));
  return submissions;
}

/** Participant numbers of the 10,000-submission study start here. */
const BENCHMARK_SUBMITTER = 500_001;

function seedBenchmarkStudies(state: SandboxState): void {
  const studies = state.studies;
  const groups = Object.values(SEED_GROUP_IDS);
  let n = 0;
  for (const [status, count] of Object.entries(BENCHMARK_STUDY_STATES) as Array<[StudyStatus, number]>) {
    for (let i = 0; i < count; i++, n++) {
      const group = groups[n % groups.length]!;
      const other = groups[(n + 1) % groups.length]!;
      // Five shapes in turn: allowlist, nested blocklist, filter set, feeder codes, no group.
      const shape = n % 5;
      const draft = status === 'UNPUBLISHED' || status === 'SCHEDULED';
      studies.addStudy({
        id: `6650bead${(0x1_0000 + n).toString(16).padStart(16, '0')}`,
        name: `Benchmark study ${n + 1}`,
        internal_name: `bench-${n + 1}`,
        status,
        project_id: SEED_PROJECT_IDS.waves,
        total_available_places: 100 + n,
        places_taken: draft ? 0 : n % 100,
        date_created: at(30 * DAY_MS + n * MINUTE_MS),
        published_at: draft ? null : at(31 * DAY_MS + n * MINUTE_MS),
        filters:
          shape === 0
            ? [allowlist(group)]
            : shape === 1
              ? [{ filter_id: 'and', selected_filters: [ageRange(18, 60), { filter_id: 'or', selected_filters: [blocklist(group, other)] }] }]
              : shape === 4
                ? [ageRange(18, 99)]
                : [],
        filter_set_id: shape === 2 ? SEED_FILTER_SET_ID : null,
        filter_set_version: shape === 2 ? 1 + (n % 2) : null,
        completion_codes:
          shape === 3
            ? [
                {
                  code: `C1B${n}`,
                  code_type: 'COMPLETED',
                  actor: 'participant',
                  actions: [{ action: n % 2 ? 'REMOVE_FROM_PARTICIPANT_GROUP' : 'ADD_TO_PARTICIPANT_GROUP', participant_group: group }],
                },
              ]
            : [completed(`C1B${n}`)],
      });
    }
  }

  const counts: Record<SubmissionStatus, number> = {
    APPROVED: 9_000,
    'AWAITING REVIEW': 300,
    'PARTIALLY APPROVED': 20,
    RETURNED: 350,
    REJECTED: 150,
    'TIMED-OUT': 120,
    'SCREENED OUT': 60,
    ACTIVE: 0,
    RESERVED: 0,
  };
  const submissions = spreadStatuses(counts).map((status, i) =>
    submissionRecord(0x10_0000 + i, sandboxParticipantId(BENCHMARK_SUBMITTER + i), status, 'C1BENCH'),
  );
  studies.addStudy({
    id: SEED_STUDY_IDS.benchmarkSubmissions,
    name: 'Benchmark wave (10,000 submissions)',
    internal_name: 'bench-10k',
    status: 'COMPLETED',
    project_id: SEED_PROJECT_IDS.waves,
    total_available_places: BENCHMARK_SUBMISSION_COUNT,
    ...{ date_created: at(25 * DAY_MS), published_at: at(26 * DAY_MS) },
    completion_codes: [completed('C1BENCH')],
    submissions,
  });
}
