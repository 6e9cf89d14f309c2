// Submission statuses are spelled three ways: answers and exports say "AWAITING REVIEW" and
// "TIMED-OUT", the list filter takes "AWAITING_REVIEW", the 2025 document says "TIME-OUT".

import type { SubmissionStatus } from './studyTypes';

export const SUBMISSION_STATUSES: readonly SubmissionStatus[] = [
  'APPROVED',
  'AWAITING REVIEW',
  'PARTIALLY APPROVED',
  'ACTIVE',
  'RESERVED',
  'RETURNED',
  'REJECTED',
  'TIMED-OUT',
  'SCREENED OUT',
];

const BY_KEY = new Map<string, SubmissionStatus>(SUBMISSION_STATUSES.map((status) => [statusKey(status), status]));
BY_KEY.set('TIMEOUT', 'TIMED-OUT');

function statusKey(text: string): string {
  return text.trim().toUpperCase().replace(/[\s_-]+/g, '');
}

/** The answer spelling of any known spelling ("awaiting_review", "Timed out", "TIME-OUT"), or null. */
export function normaliseSubmissionStatus(text: string): SubmissionStatus | null {
  return BY_KEY.get(statusKey(text)) ?? null;
}

/** The spelling the submissions list's `status` filter takes: AWAITING_REVIEW, TIMED-OUT. */
export function submissionStatusFilterValue(status: SubmissionStatus): string {
  return status.replace(/ /g, '_');
}
