// Shapes of Prolific's participant-group API, as documented in Prolific's public OpenAPI
// document (ParticipantGroupResponse, ParticipantGroupMembershipListResponse, Error).

import type { ProlificError } from './errors';

export type FeederAction = 'ADD_TO_PARTICIPANT_GROUP' | 'REMOVE_FROM_PARTICIPANT_GROUP';

export interface FeederCompletionCode {
  code: string;
  code_type: string;
  action: FeederAction;
}

export interface FeederStudy {
  id: string;
  name: string;
  internal_name: string;
  status: string;
  feeder_completion_codes: FeederCompletionCode[];
}

export interface ParticipantGroup {
  id: string;
  name: string;
  description: string | null;
  workspace_id: string | null;
  organisation_id: string | null;
  project_id: string | null;
  participant_count: number;
  is_deleted: boolean;
  feeder_studies: FeederStudy[];
}

export interface GroupMember {
  participant_id: string;
  datetime_created: string;
}

export interface Workspace {
  id: string;
  title: string;
  [key: string]: unknown;
}

export interface Me {
  id: string;
  email?: string;
  [key: string]: unknown;
}

export interface CreateGroupInput {
  name: string;
  workspace_id?: string;
  organisation_id?: string;
  description?: string;
  participant_ids?: string[];
}

/** POST /api/v1/messages/participant-group/ (MessageParticipantGroup in the OpenAPI document). */
export interface GroupMessageInput {
  participant_group_id: string;
  body: string;
  study_id?: string;
}

export interface UpdateGroupInput {
  name?: string;
  participant_ids?: string[];
}

/** The body of every documented 4XX answer. */
export interface ProlificErrorBody {
  error: {
    status: number;
    error_code: number;
    title: string;
    detail: string | string[] | Record<string, string[] | string>;
    additional_information?: string;
    traceback?: string;
    interactive?: boolean;
  };
}

/** Filters for listing a workspace's groups. */
export interface ListGroupsOptions {
  /** true: only groups that are not deleted; false: only deleted ones; omitted: the API's default. */
  active?: boolean;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type ProlificLog = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export interface ProlificClientOptions {
  token: string;
  /** Default https://api.prolific.com. A path prefix (a proxy mount point) is kept. */
  baseUrl?: string;
  /** Attempts per request, the first included. Default 4. */
  maxAttempts?: number;
  /** Ids per add/remove request. Default DEFAULT_CHUNK_SIZE, 25,000 (see docs/BENCHMARKS.md). */
  chunkSize?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * Wait for the answer's headers; default 60 s. undici checks this and bodyTimeoutMs on a
   * timer of about one second, so very small values fire after up to ~1 s.
   */
  headersTimeoutMs?: number;
  /** Longest silence while the answer's body arrives; default 30 s. */
  bodyTimeoutMs?: number;
  /** Backoff before retry n: random in [0, min(backoffMaxMs, backoffBaseMs * 2^(n-1))]. Default 500 ms. */
  backoffBaseMs?: number;
  /** Default 10 s. */
  backoffMaxMs?: number;
  /** One line per request attempt: method, path, status, attempt, ms (never the token or ids). */
  log?: ProlificLog;
}

export interface ChunkOptions {
  chunkSize?: number;
}

export type ChunkStatus = 'applied' | 'failed' | 'not_sent';

export interface ChunkOutcome {
  index: number;
  ids: string[];
  status: ChunkStatus;
  /** Set when status is 'failed'. When error.ambiguous, the chunk may have been applied anyway. */
  error?: ProlificError;
}

export interface ChunkedResult {
  chunks: ChunkOutcome[];
  /** Every chunk applied. */
  complete: boolean;
  appliedIds: string[];
  /** Ids of failed and not-sent chunks, in input order. */
  unappliedIds: string[];
  /** Membership returned by the last applied chunk; null when no chunk was applied. */
  members: GroupMember[] | null;
}
