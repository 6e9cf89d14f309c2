// The sandbox's starting data: the same workspace, groups and participant ids on every run.
// Studies, filter sets and submissions are seeded on top of this by seedStudies (studySeed.ts).

import { SandboxState } from './state';

export const SEED_WORKSPACE_ID = '5e9b9c9b0f9c9a0001b1ca2f';
export const SEED_WORKSPACE_TITLE = 'Psychology Lab';
export const SEED_USER_ID = '60a42f4c693c29420793cb73';
export const SEED_FEEDER_STUDY_ID = '6650bead0000000000000001';
/** The organisation the seeded workspace belongs to; it has a group of its own, in no workspace. */
export const SEED_ORGANISATION_ID = '5e9b9c9b0f9c9a0001b1c0de';
/** Another lab's workspace: the account does not list it, yet its group can be read by id. */
export const SEED_OTHER_WORKSPACE_ID = '5e9b9c9b0f9c9a0001b1ca30';

/** A second workspace the account lists, with its own groups: an app may serve both, one per channel. */
export const SEED_SECOND_WORKSPACE_ID = '5e9b9c9b0f9c9a0001b1ca31';
export const SEED_SECOND_WORKSPACE_TITLE = 'Vision Lab';

export const SEED_SECOND_GROUP_IDS = {
  visionPilot: '6650c0ffee000000000000a1',
  eyeTracking: '6650c0ffee000000000000a2',
} as const;

export const SEED_SECOND_GROUP_NAMES = {
  visionPilot: 'Vision pilot',
  eyeTracking: 'Eye-tracking panel',
} as const;

/**
 * Groups outside the seeded workspace, which the token can still read by id: one at the
 * organisation's level (no workspace) and one in another lab's workspace. An app that serves the
 * seeded workspace must treat them as not found.
 */
export const SEED_FOREIGN_GROUP_IDS = {
  organisation: '6650c0ffee000000000000f1',
  otherWorkspace: '6650c0ffee000000000000f2',
} as const;

export const SEED_FOREIGN_GROUP_NAMES = {
  organisation: 'Organisation-wide panel',
  otherWorkspace: 'Other lab panel',
} as const;

export const SEED_GROUP_IDS = {
  pilot: '6650c0ffee00000000000001',
  pilotWave2: '6650c0ffee00000000000002',
  attentionChecks: '6650c0ffee00000000000003',
  mainPanel: '6650c0ffee00000000000004',
  excluded: '6650c0ffee00000000000005',
  /** Only present when the sandbox was created with largeGroupSize > 0. */
  benchmark: '6650c0ffee00000000000006',
} as const;

export const SEED_GROUP_NAMES = {
  pilot: 'Pilot participants',
  pilotWave2: 'Pilot wave 2',
  attentionChecks: 'Passed all attention checks',
  mainPanel: 'Main panel',
  excluded: 'Excluded (low quality)',
  benchmark: 'Benchmark panel',
} as const;

/** Participant numbers of the benchmark group start here, apart from the other groups. */
export const BENCHMARK_FIRST_PARTICIPANT = 1_000_001;

// Ids are 5e9b9c9b followed by n in 16 hex digits. Made with one BigInt toString, the id is a
// single flat string: a third of the memory of prefix + padStart, which counts at 100,000 ids.
const PARTICIPANT_BASE = 0x5e9b9c9bn << 64n;

/** The n-th sandbox participant id: 24 lowercase hex characters, the same on every run. */
export function sandboxParticipantId(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`participant number must be a non-negative safe integer, got ${n}`);
  }
  return (PARTICIPANT_BASE + BigInt(n)).toString(16);
}

/** Ids of participants first..last, inclusive. */
export function sandboxParticipantIds(first: number, last: number): string[] {
  const ids: string[] = [];
  for (let n = first; n <= last; n++) ids.push(sandboxParticipantId(n));
  return ids;
}

// Seeded members joined at fixed times: day k after this for the k-th group, one second apart.
const SEED_EPOCH_MS = Date.UTC(2026, 8, 1, 9, 0, 0);
const DAY_MS = 86_400_000;

function joinTimes(groupIndex: number): (index: number) => string {
  const start = SEED_EPOCH_MS + groupIndex * DAY_MS;
  return (index) => new Date(start + index * 1000).toISOString();
}

export function seedState(largeGroupSize = 0): SandboxState {
  let created = 0;
  const state = new SandboxState({
    user: {
      id: SEED_USER_ID,
      email: 'researcher@psychology-lab.example',
      name: 'Sandbox Researcher',
    },
    workspaces: [
      {
        id: SEED_WORKSPACE_ID,
        title: SEED_WORKSPACE_TITLE,
        description: 'Sandbox workspace for the participant-group Slack app',
        owner: SEED_USER_ID,
        users: [{ id: SEED_USER_ID, name: 'Sandbox Researcher', roles: ['WORKSPACE_ADMIN'] }],
        projects: [],
      },
      {
        id: SEED_SECOND_WORKSPACE_ID,
        title: SEED_SECOND_WORKSPACE_TITLE,
        description: 'A second sandbox workspace, with groups of its own',
        owner: SEED_USER_ID,
        users: [{ id: SEED_USER_ID, name: 'Sandbox Researcher', roles: ['WORKSPACE_ADMIN'] }],
        projects: [],
      },
    ],
    // Groups created through the API get ids that are also the same on every run.
    newGroupId: () => `6650c0ffee${(0x1000 + ++created).toString(16).padStart(14, '0')}`,
  });

  const inWorkspace = { workspace_id: SEED_WORKSPACE_ID };
  // Memberships overlap a little, as real panels do: pilots reappear in later groups.
  state.createGroup({
    ...inWorkspace,
    id: SEED_GROUP_IDS.pilot,
    name: SEED_GROUP_NAMES.pilot,
    participant_ids: sandboxParticipantIds(1, 12),
    joinedAt: joinTimes(0),
  });
  state.createGroup({
    ...inWorkspace,
    id: SEED_GROUP_IDS.pilotWave2,
    name: SEED_GROUP_NAMES.pilotWave2,
    participant_ids: sandboxParticipantIds(11, 13),
    joinedAt: joinTimes(1),
  });
  state.createGroup({
    ...inWorkspace,
    id: SEED_GROUP_IDS.attentionChecks,
    name: SEED_GROUP_NAMES.attentionChecks,
    description: 'Participants who passed all attention checks',
    participant_ids: sandboxParticipantIds(5, 44),
    joinedAt: joinTimes(2),
    // feeder_studies ("Attention screener", SEED_FEEDER_STUDY_ID) come from its study's
    // completion codes, seeded with the studies (studySeed.ts).
  });
  state.createGroup({
    ...inWorkspace,
    id: SEED_GROUP_IDS.mainPanel,
    name: SEED_GROUP_NAMES.mainPanel,
    participant_ids: sandboxParticipantIds(1, 5000),
    joinedAt: joinTimes(3),
  });
  state.createGroup({ ...inWorkspace, id: SEED_GROUP_IDS.excluded, name: SEED_GROUP_NAMES.excluded });
  state.createGroup({
    organisation_id: SEED_ORGANISATION_ID,
    id: SEED_FOREIGN_GROUP_IDS.organisation,
    name: SEED_FOREIGN_GROUP_NAMES.organisation,
    participant_ids: sandboxParticipantIds(9001, 9004),
    joinedAt: joinTimes(6),
  });
  state.createGroup({
    workspace_id: SEED_OTHER_WORKSPACE_ID,
    id: SEED_FOREIGN_GROUP_IDS.otherWorkspace,
    name: SEED_FOREIGN_GROUP_NAMES.otherWorkspace,
    participant_ids: sandboxParticipantIds(9101, 9103),
    joinedAt: joinTimes(7),
  });
  state.createGroup({
    workspace_id: SEED_SECOND_WORKSPACE_ID,
    id: SEED_SECOND_GROUP_IDS.visionPilot,
    name: SEED_SECOND_GROUP_NAMES.visionPilot,
    participant_ids: sandboxParticipantIds(8001, 8006),
    joinedAt: joinTimes(8),
  });
  state.createGroup({
    workspace_id: SEED_SECOND_WORKSPACE_ID,
    id: SEED_SECOND_GROUP_IDS.eyeTracking,
    name: SEED_SECOND_GROUP_NAMES.eyeTracking,
    participant_ids: sandboxParticipantIds(8101, 8104),
    joinedAt: joinTimes(9),
  });
  if (largeGroupSize > 0) {
    state.createGroup({
      ...inWorkspace,
      id: SEED_GROUP_IDS.benchmark,
      name: SEED_GROUP_NAMES.benchmark,
      participant_ids: sandboxParticipantIds(BENCHMARK_FIRST_PARTICIPANT, BENCHMARK_FIRST_PARTICIPANT + largeGroupSize - 1),
      joinedAt: joinTimes(5),
    });
  }
  return state;
}
