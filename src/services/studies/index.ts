export {
  type GroupCodeEffect,
  type GroupCodeReference,
  type GroupFilterReference,
  type GroupListKind,
  groupReferencesInCodes,
  groupReferencesInFilters,
} from './groupReferences';
export {
  DEFAULT_DRAFT_TTL_MS,
  DEFAULT_STUDY_CONCURRENCY,
  type GroupUse,
  groupUses,
  INDEXED_STUDY_STATES,
  LIVE_STUDY_STATES,
  type LookupCost,
  type StudyCheckFailure,
  StudyIndex,
  type StudyIndexOptions,
  type StudyPhase,
  type StudyReader,
  type StudyScope,
  type StudyUsage,
  type StudyUsageCheck,
} from './studyIndex';
export { newLiveUses, type StudyFacts, type StudyUsageLookup, studyFacts } from './studyFacts';
export { STUDY_LIST_TTL_MS, StudyDirectory, type StudyDirectoryReader } from './studyDirectory';
export { type ProjectLister, WorkspaceProjects } from './workspaceProjects';
