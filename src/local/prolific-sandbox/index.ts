export { errorReply, parseBody, type Reply, SandboxApi } from './api';
export { type FaultAction, FaultInjector, type FaultMatch, type FaultRule } from './faults';
export {
  BENCHMARK_FIRST_PARTICIPANT,
  SEED_FEEDER_STUDY_ID,
  SEED_FOREIGN_GROUP_IDS,
  SEED_FOREIGN_GROUP_NAMES,
  SEED_GROUP_IDS,
  SEED_GROUP_NAMES,
  SEED_ORGANISATION_ID,
  SEED_OTHER_WORKSPACE_ID,
  SEED_SECOND_GROUP_IDS,
  SEED_SECOND_GROUP_NAMES,
  SEED_SECOND_WORKSPACE_ID,
  SEED_SECOND_WORKSPACE_TITLE,
  SEED_USER_ID,
  SEED_WORKSPACE_ID,
  SEED_WORKSPACE_TITLE,
  sandboxParticipantId,
  sandboxParticipantIds,
  seedState,
} from './seed';
export { createSandbox, type RecordedRequest, type Sandbox, type SandboxOptions, startEmbeddedSandbox } from './server';
export { type GroupRecord, isParticipantId, type NewGroup, SandboxState, type SentMessage } from './state';
export { MAX_PAGE_SIZE, studyRoutes } from './studies';
export {
  type FilterSetRecord,
  type NewStudy,
  type ProjectRecord,
  SandboxStudies,
  type StudyRecord,
  type SubmissionRecord,
} from './studyState';
export {
  BENCHMARK_STUDY_COUNT,
  BENCHMARK_STUDY_STATES,
  BENCHMARK_SUBMISSION_COUNT,
  SEED_FILTER_SET_ID,
  SEED_PROJECT_IDS,
  SEED_STUDY_IDS,
  seedStudies,
  WAVE1_SUBMISSION_STATUSES,
  WAVE1_TWICE_PARTICIPANT,
} from './studySeed';
