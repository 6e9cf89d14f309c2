// What a button of an upload question or an export preview carries: the file to read again from
// Slack, the group and the change, and the researcher's choice (the id column, the rows by status).
// The file is read again on the click rather than kept: Slack keeps it, and a button holds little.
import type { SubmissionStatus } from '../prolific/studyTypes';
import { normaliseSubmissionStatus } from '../prolific/submissionStatus';
import type { MembershipMode } from '../services/changes';
import type { StatusChoice } from '../services/exportStatuses';

export interface UploadChoice {
  fileId: string;
  groupId: string;
  mode: MembershipMode;
  /** The id column chosen (0-based); null: as the file reads. */
  column: number | null;
  /** The rows of an export to read; null: the default (APPROVED). */
  statuses: StatusChoice | null;
}

export function encodeUploadChoice(choice: UploadChoice): string {
  return JSON.stringify({ f: choice.fileId, g: choice.groupId, m: choice.mode, c: choice.column, s: choice.statuses });
}

/** The choice a button carries, or null when the value is not one (an old or forged button). */
export function decodeUploadChoice(value: string): UploadChoice | null {
  try {
    const v = JSON.parse(value) as { f?: unknown; g?: unknown; m?: unknown; c?: unknown; s?: unknown };
    if (typeof v.f !== 'string' || typeof v.g !== 'string' || !['replace', 'add', 'remove'].includes(String(v.m))) return null;
    const column = typeof v.c === 'number' && Number.isInteger(v.c) && v.c >= 0 ? v.c : null;
    let statuses: StatusChoice | null = null;
    if (v.s === 'all') statuses = 'all';
    else if (Array.isArray(v.s)) {
      const known = v.s.map((s) => normaliseSubmissionStatus(String(s))).filter((s): s is SubmissionStatus => s !== null);
      statuses = known.length ? known : null;
    }
    return { fileId: v.f, groupId: v.g, mode: v.m as MembershipMode, column, statuses };
  } catch {
    return null;
  }
}
