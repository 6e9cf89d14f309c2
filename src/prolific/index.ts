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
export type * from './types';
