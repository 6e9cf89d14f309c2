export { errorReply, parseBody, type Reply, SandboxApi } from './api';
export { type FaultAction, FaultInjector, type FaultMatch, type FaultRule } from './faults';
export {
  BENCHMARK_FIRST_PARTICIPANT,
  SEED_FEEDER_STUDY_ID,
  SEED_GROUP_IDS,
  SEED_GROUP_NAMES,
  SEED_USER_ID,
  SEED_WORKSPACE_ID,
  SEED_WORKSPACE_TITLE,
  sandboxParticipantId,
  sandboxParticipantIds,
  seedState,
} from './seed';
export { createSandbox, type RecordedRequest, type Sandbox, type SandboxOptions, startEmbeddedSandbox } from './server';
export { type GroupRecord, isParticipantId, type NewGroup, SandboxState, type SentMessage } from './state';
