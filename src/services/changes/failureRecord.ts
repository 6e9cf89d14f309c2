// A failed confirmation as the store keeps it: facts only (the cause, a report of what was
// written, the group as re-read), which slack/blocks/failedChange.ts puts into words.
import type { Operation } from '../../store/types';
import type { ChunkReport, FailedChange, FailureCause, GroupNow, WriteReport } from './types';
import type { PartialWriteError } from './writeErrors';

/** The `result` of a failed operation. Rows written before it are converted by store migration 5. */
export interface FailureRecord {
  snapshotId: string | null;
  outcomeUnknown: boolean;
  cause: FailureCause;
  written: WriteReport;
  current: GroupNow | null;
}

/**
 * What became of an add or remove stopped part-way. The refused chunk was sent, and a 5xx may
 * still have applied it, so the group as re-read (`members`) says how many of its ids landed anyway.
 */
export function chunkReport(partial: PartialWriteError, members: string[] | null): ChunkReport {
  let landedAnyway: number | null = null;
  if (members) {
    const now = new Set(members);
    landedAnyway = partial.refusedIds.filter((id) => now.has(id) === (partial.kind === 'add')).length;
  }
  return { mode: partial.kind, applied: partial.applied, refused: partial.refusedIds.length, landedAnyway, notSent: partial.notSent };
}

/**
 * The failure recorded on an operation. A row in any other shape (written by an older release
 * still running beside this one) reads as a failure of unknown detail, with its stored error text.
 */
export function readFailure(op: Operation): FailedChange {
  const result = (op.result ?? {}) as Partial<Record<keyof FailureRecord, unknown>>;
  const current = isGroupNow(result.current) ? result.current : null;
  const outcomeUnknown = result.outcomeUnknown === true;
  if (isCause(result.cause) && isWriteReport(result.written)) {
    return { operation: op, cause: result.cause, written: result.written, outcomeUnknown, current };
  }
  return { operation: op, cause: { kind: 'unknown', text: op.error }, written: { kind: 'unknown' }, outcomeUnknown, current };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isGroupNow(value: unknown): value is GroupNow {
  return isRecord(value) && typeof value.name === 'string' && isCount(value.count) && (value.matchesTarget === null || typeof value.matchesTarget === 'boolean');
}

function isCause(value: unknown): value is FailureCause {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'prolific':
      return value.said === null || typeof value.said === 'string';
    case 'stopped':
      return typeof value.mayHaveWritten === 'boolean';
    case 'app':
      return true;
    case 'unknown':
      return value.text === null || typeof value.text === 'string';
    default:
      return false;
  }
}

function isWriteReport(value: unknown): value is WriteReport {
  if (!isRecord(value)) return false;
  if (value.kind === 'nothing' || value.kind === 'unconfirmed' || value.kind === 'unknown') return true;
  if (value.kind === 'diverged') return isDivergence(value.divergence);
  if (value.kind !== 'chunks' || !isRecord(value.chunks)) return false;
  const c = value.chunks;
  return (c.mode === 'add' || c.mode === 'remove') && isCount(c.applied) && isCount(c.refused) && isCount(c.notSent) && (c.landedAnyway === null || isCount(c.landedAnyway));
}

function isDivergence(value: unknown): boolean {
  const isIds = (ids: unknown) => Array.isArray(ids) && ids.every((id) => typeof id === 'string');
  return isRecord(value) && isCount(value.count) && isCount(value.extra) && isCount(value.missing) && isIds(value.sampleExtra) && isIds(value.sampleMissing);
}
