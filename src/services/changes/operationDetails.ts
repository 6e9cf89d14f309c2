import type { Operation, OperationKind } from '../../store/types';
import { truncate } from '../../truncate';
import { MAX_DISPLAY_CHARS } from '../csvIds';
import type { InlineIds } from '../participantIds';
import type { IdSource, OperationDetails } from './types';

/** Where pasted or typed ids came from, with what was dropped on the way. */
export function inlineIdSource(label: string, ids: InlineIds): IdSource {
  return {
    label,
    invalid: ids.invalid.slice(0, 10).map((value) => ({ value: truncate(value, MAX_DISPLAY_CHARS) })),
    invalidCount: ids.invalid.length,
    duplicateCount: ids.duplicates,
    note: null,
  };
}

export function operationDetails(op: Operation): OperationDetails {
  return completeDetails(op.details as Partial<OperationDetails>);
}

/** Details with every field present, as stored with an operation and read back. */
export function completeDetails(d: Partial<OperationDetails>): OperationDetails {
  return {
    summary: d.summary ?? null,
    source: d.source ?? null,
    undoOf: d.undoOf ?? null,
    restoreName: d.restoreName ?? false,
    restoreMembers: d.restoreMembers ?? false,
    supersedes: d.supersedes ?? null,
  };
}

/** Does this operation change membership (and so need the membership baseline)? */
export function touchesMembers(op: { kind: OperationKind; details: Record<string, unknown> }): boolean {
  if (op.kind === 'undo') return Boolean((op.details as Partial<OperationDetails>).restoreMembers);
  return op.kind === 'replace' || op.kind === 'add' || op.kind === 'remove';
}
