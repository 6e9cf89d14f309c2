// Shapes of Prolific's study, filter-set, project and submission answers, from the public OpenAPI
// document (StudyShort, Study, FilterSet, ProjectShort, SubmissionShort) and Prolific's newer
// pages (nested and/or filters, submission counts). Answers may carry more fields than these.

/** The states a study list can be filtered by (`GET /api/v1/studies/?state=`). */
export type StudyStatus = 'UNPUBLISHED' | 'SCHEDULED' | 'PUBLISHING' | 'ACTIVE' | 'PAUSED' | 'AWAITING REVIEW' | 'COMPLETED';

export const STUDY_STATUSES: readonly StudyStatus[] = [
  'UNPUBLISHED',
  'SCHEDULED',
  'PUBLISHING',
  'ACTIVE',
  'PAUSED',
  'AWAITING REVIEW',
  'COMPLETED',
];

/** A study from a list: no filters, no completion codes (those need `getStudy`). */
export interface StudySummary {
  id: string;
  name: string;
  internal_name: string | null;
  status: StudyStatus;
  study_type?: string;
  total_available_places: number;
  /** Submissions started, excluding timed-out and returned ones. */
  places_taken: number;
  number_of_submissions: number;
  reward?: number;
  total_cost?: number;
  published_at: string | null;
  publish_at: string | null;
  date_created: string;
  [key: string]: unknown;
}

/** A filter of the `select` type, e.g. participant_group_allowlist with group ids as values. */
export interface SelectFilter {
  filter_id: string;
  selected_values: string[];
  weightings?: Record<string, number>;
}

export interface RangeFilter {
  filter_id: string;
  selected_range: { lower?: number | string | null; upper?: number | string | null };
}

/** Nesting from Prolific's newer pages: every (and) or any (or) of the inner filters. */
export interface CompoundFilter {
  filter_id: 'and' | 'or';
  selected_filters: StudyFilter[];
}

export type StudyFilter = SelectFilter | RangeFilter | CompoundFilter;

export const ALLOWLIST_FILTER_ID = 'participant_group_allowlist';
export const BLOCKLIST_FILTER_ID = 'participant_group_blocklist';

export type GroupAction = 'ADD_TO_PARTICIPANT_GROUP' | 'REMOVE_FROM_PARTICIPANT_GROUP';

/** One thing a completion code does; group actions name the group in participant_group. */
export interface CompletionCodeAction {
  action: string;
  participant_group?: string;
  [key: string]: unknown;
}

export interface CompletionCode {
  /** Null: the participant is not asked for a code. */
  code: string | null;
  code_type: string;
  actor?: 'participant' | 'researcher';
  actions: CompletionCodeAction[];
}

/** A study in full (`GET /api/v1/studies/{id}/`). */
export interface Study extends StudySummary {
  /** Empty or null when the study uses a filter set (the two are never combined). */
  filters: StudyFilter[] | null;
  filter_set_id: string | null;
  /** The filter-set version the study uses; null: the latest at the time it was applied. */
  filter_set_version: number | null;
  completion_codes: CompletionCode[];
  project?: string;
}

/** `GET /api/v1/filter-sets/{id}/` (optionally `?version_number=`). */
export interface FilterSet {
  id: string;
  version: number;
  name: string;
  workspace_id: string | null;
  organisation_id: string | null;
  is_deleted: boolean;
  is_locked: boolean;
  filters: StudyFilter[];
  eligible_participant_count?: number;
  [key: string]: unknown;
}

export interface Project {
  id: string;
  title: string;
  description?: string;
  owner?: string;
  [key: string]: unknown;
}

/** Spellings in answers and exports; filters take another spelling (see submissionStatus.ts). */
export type SubmissionStatus =
  | 'RESERVED'
  | 'ACTIVE'
  | 'TIMED-OUT'
  | 'AWAITING REVIEW'
  | 'APPROVED'
  | 'PARTIALLY APPROVED'
  | 'RETURNED'
  | 'REJECTED'
  | 'SCREENED OUT';

export interface Submission {
  id: string;
  participant_id: string;
  status: SubmissionStatus;
  started_at: string;
  completed_at: string | null;
  /** The participant has other submissions in the same study. */
  has_siblings: boolean;
  study_code: string | null;
  return_requested: string | null;
  [key: string]: unknown;
}

/** `GET /api/v1/studies/{id}/submissions/counts/`, keys normalised to SubmissionStatus, plus TOTAL. */
export type SubmissionCounts = Partial<Record<SubmissionStatus, number>> & { TOTAL: number };

export interface ListSubmissionsOptions {
  study?: string;
  /** One status a pass; the API documents no way to ask for several in one call. */
  status?: SubmissionStatus;
  /** Default started_at. Always sent: without it, pages were seen to repeat and skip rows. */
  ordering?: string;
}

/** The participants of a study's submissions in some statuses, checked against the study's counts. */
export interface StudyParticipants {
  studyId: string;
  statuses: SubmissionStatus[];
  /** Each participant once, in the order of their first submission. */
  participantIds: string[];
  /** Distinct submissions fetched, by status (only the statuses asked for). */
  fetched: Partial<Record<SubmissionStatus, number>>;
  /** The study's counts, read before the submissions. */
  counts: SubmissionCounts;
  /** Sum of counts over the statuses asked for. */
  expected: number;
  /** Submissions fetched equal the counts for every status asked for. False when the study changed while it was read. */
  matchesCounts: boolean;
  /** Requests made, the counts included. */
  requests: number;
}
