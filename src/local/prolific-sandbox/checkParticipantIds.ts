// The one check of a participant_ids value, shared by create, PATCH, add and remove: a malformed
// id rejects the whole request, naming the first few bad ids.

import type { FieldErrors } from './errorReply';
import { isParticipantId } from './state';

const MAX_REPORTED_BAD_IDS = 5;

/** Validates a participant_ids value; records problems in errors and returns the ids when valid. */
export function checkParticipantIds(value: unknown, errors: FieldErrors): string[] | undefined {
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'string')) {
    errors['participant_ids'] = ['Expected a list of participant id strings.'];
    return undefined;
  }
  const ids = value as string[];
  const bad: string[] = [];
  let badCount = 0;
  for (const id of ids) {
    if (isParticipantId(id)) continue;
    badCount += 1;
    if (bad.length < MAX_REPORTED_BAD_IDS) bad.push(`'${clip(id)}' is not a valid participant id.`);
  }
  if (badCount === 0) return ids;
  if (badCount > bad.length) bad.push(`...and ${badCount - bad.length} more invalid ids.`);
  errors['participant_ids'] = bad;
  return undefined;
}

/** An id or name as quoted in an error: at most 40 characters. */
export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
