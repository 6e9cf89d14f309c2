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
    undoMode: d.undoMode ?? null,
    undoing: d.undoing ?? null,
    laterChanges: d.laterChanges ?? null,
    recreateOf: d.recreateOf ?? null,
    description: d.description ?? null,
    restoreName: d.restoreName ?? false,
    restoreMembers: d.restoreMembers ?? false,
    supersedes: d.supersedes ?? null,
    studies: d.studies ?? null,
    ...(d.forgottenInSnapshot ? { forgottenInSnapshot: d.forgottenInSnapshot } : {}),
  };
}

/** Does this operation change membership (and so need the membership baseline)? */
export function touchesMembers(op: { kind: OperationKind; details: Record<string, unknown> }): boolean {
  if (op.kind === 'recreate') return false;
  if (op.kind === 'undo') return Boolean((op.details as Partial<OperationDetails>).restoreMembers);
  return op.kind === 'replace' || op.kind === 'add' || op.kind === 'remove';
}

/** Whether a live study uses the group a delete would remove. */
export function liveStudyUses(op: Operation): boolean {
  return Boolean(operationDetails(op).studies?.studies.some((study) => study.phase === 'live'));
}

/** Deleting a group that has members, or that a live study uses, is confirmed by typing the group's name. */
export function needsTypedName(op: Operation): boolean {
  return op.kind === 'delete' && (liveStudyUses(op) || (operationDetails(op).summary?.currentTotal ?? 0) > 0);
}

/** The kinds of change whose preview names the studies that use the group, and whose confirmation checks them again. */
export function checksStudies(op: { kind: OperationKind; details: Record<string, unknown> }): boolean {
  return op.kind === 'replace' || op.kind === 'remove' || op.kind === 'delete' || (op.kind === 'undo' && touchesMembers(op));
}

/** The name typed to confirm a delete: exactly the group's name, surrounding spaces aside (as GitHub asks for a repository's). */
export function typedNameMatches(typed: string | undefined, groupName: string): boolean {
  return typed !== undefined && typed.trim() !== '' && typed.trim() === groupName.trim();
}
