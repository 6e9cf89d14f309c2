// Prolific's submissions export has a Status column: APPROVED rows are the people a panel is
// usually built from; RETURNED, REJECTED and TIMED-OUT rows are not. This finds that column and
// says which statuses to read, so an upload never takes every row of an export without saying so.

import type { SubmissionStatus } from '../prolific/studyTypes';
import { normaliseSubmissionStatus } from '../prolific/submissionStatus';

/** The rows read from an export unless the researcher chooses others. */
export const DEFAULT_EXPORT_STATUSES: readonly SubmissionStatus[] = ['APPROVED'];

/** Which rows of an export to read: rows with these statuses, or all of them. */
export type StatusChoice = readonly SubmissionStatus[] | 'all';

/** What the Status column of an export held, and which rows were read. */
export interface ExportStatuses {
  /** 0-based index of the Status column. */
  index: number;
  /** Data rows by status (rows whose status is blank or unknown are not counted). */
  byStatus: Partial<Record<SubmissionStatus, number>>;
  /** The statuses whose rows were read; every status present when all rows were asked for. */
  used: SubmissionStatus[];
  /** All rows were read, whatever their status. */
  allRows: boolean;
}

/** At least this share of a Status column's non-empty values must be Prolific statuses. */
const MIN_STATUS_SHARE = 0.8;

/**
 * The column headed "Status" whose values are Prolific's submission statuses, or -1. Only a file
 * with a header row has one: a headerless file's statuses cannot be told from other text.
 */
export function findStatusColumn(headerCells: readonly string[], dataRows: readonly (readonly string[])[]): number {
  const index = headerCells.findIndex((cell) => cell.trim().toLowerCase().replace(/^["']|["']$/g, '') === 'status');
  if (index < 0) return -1;
  let nonEmpty = 0;
  let known = 0;
  for (const row of dataRows) {
    const cell = row[index]?.trim() ?? '';
    if (!cell) continue;
    nonEmpty++;
    if (normaliseSubmissionStatus(cell)) known++;
  }
  return nonEmpty > 0 && known >= MIN_STATUS_SHARE * nonEmpty ? index : -1;
}

/** Whether a row with this status cell is read under the choice. */
export function rowIsUsed(cell: string | undefined, choice: StatusChoice): boolean {
  if (choice === 'all') return true;
  const status = normaliseSubmissionStatus(cell ?? '');
  return status !== null && choice.includes(status);
}

/** The statuses a choice used, given what the column held. */
export function usedStatuses(byStatus: ExportStatuses['byStatus'], choice: StatusChoice): SubmissionStatus[] {
  return choice === 'all' ? (Object.keys(byStatus) as SubmissionStatus[]) : [...choice];
}
