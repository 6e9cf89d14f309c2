export { DEFAULT_BASE_URL, DEFAULT_CHUNK_SIZE, ProlificClient } from './client';
export {
  type DescribedErrorBody,
  describeErrorBody,
  flattenDetail,
  ProlificError,
  type ProlificErrorInit,
  type ProlificErrorKind,
} from './errors';
export { RETRY_AFTER_CEILING_MS, type RequestKind } from './retryPolicy';
export { PAGE_CONCURRENCY, STUDY_LIST_PAGE_SIZE } from './studies';
export {
  ALLOWLIST_FILTER_ID,
  BLOCKLIST_FILTER_ID,
  STUDY_STATUSES,
} from './studyTypes';
export type * from './studyTypes';
export { normaliseSubmissionStatus, SUBMISSION_STATUSES, submissionStatusFilterValue } from './submissionStatus';
export type * from './types';
