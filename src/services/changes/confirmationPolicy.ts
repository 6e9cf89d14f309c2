// The one rule for which changes are previewed and confirmed, and which are applied at once.
// Every way of asking for a change (a command, a form, a study, another group, a message) asks
// this rule about the preview it stored; none decides by itself. The rule, in the users' words, is
// in the help (slack/blocks/help.ts) and the README's "Previews and confirmation".
import type { Operation } from '../../store/types';
import { completeDetails } from './operationDetails';
import type { OperationDetails } from './types';

/** How the ids (or the new name) of a change were given. */
export type ChangeOrigin =
  /** Typed in full in a command: ids after `/pgroup add`, a new name after `/pgroup rename`, or the rename form. */
  | 'typed'
  /** A list the user did not type id by id: a file, pasted ids in the upload form, a study, another group, a message. */
  | 'bulk'
  /** An action on an earlier change (undo, restore, recreate, add back, retry): a preview says what it does now. */
  | 'follow_up'
  /** The members of a group the same command has just created (`/pgroup copy`): nobody can lose anything. */
  | 'new_group';

export interface ConfirmationRequest {
  origin: ChangeOrigin;
  /** The group was named by its id or its exact name (case aside), or picked in a form or from buttons. */
  groupNamedExactly: boolean;
  /** Part of what was typed was left out as not understood (text that is not a participant id). */
  partlyUnderstood: boolean;
  /** A rename to a name another group of the workspace already has. */
  nameTaken?: boolean;
}

/** Why a change is previewed before anything is written. */
export type ConfirmationReason =
  /** It removes or replaces members, or deletes the group. */
  | 'removes_members'
  /** Its ids come from a file, pasted list, study, group or message. */
  | 'bulk_source'
  /** An action on an earlier change. */
  | 'follow_up'
  /** A live study uses the group: a change of members may change who can take part. */
  | 'live_study'
  /** Whether a live study uses the group could not be checked. */
  | 'studies_unchecked'
  /** The group was found from part of its name. */
  | 'group_name_not_exact'
  /** Some of what was typed was not understood. */
  | 'input_left_out'
  /** Another group already has the new name. */
  | 'name_taken';

export type ConfirmationDecision = { kind: 'apply_now' } | { kind: 'preview'; reasons: ConfirmationReason[] };

/**
 * Previewed and confirmed: anything that removes or replaces members (or deletes the group),
 * anything from a bulk source, any change of members of a group a live study uses (or whose studies
 * could not be checked), and a command whose group name was not an exact match or whose text was
 * not all understood, and a rename to a name another group has. Applied at once (and undoable): renames, and ids typed in a command added to a
 * group no live study uses. A rename never changes who may take part in a study (studies name
 * groups by id), so a live study does not stop it. A group's copy is filled at once: the group did
 * not exist before the command, so nobody loses anything.
 */
export function confirmationPolicy(op: Pick<Operation, 'kind' | 'details'>, request: ConfirmationRequest): ConfirmationDecision {
  const reasons: ConfirmationReason[] = [];
  if (op.kind === 'replace' || op.kind === 'remove' || op.kind === 'delete') reasons.push('removes_members');
  if (op.kind === 'undo' || request.origin === 'follow_up') reasons.push('follow_up');
  if (request.origin === 'bulk') reasons.push('bulk_source');
  // Filling a group the same command just made: no one had access to it, no study uses it.
  if (request.origin === 'new_group' && op.kind === 'add') return reasons.length ? { kind: 'preview', reasons } : { kind: 'apply_now' };
  if (op.kind !== 'rename') {
    const studies = completeDetails(op.details as Partial<OperationDetails>).studies;
    if (studies?.studies.some((study) => study.phase === 'live')) reasons.push('live_study');
    else if (studies && !studies.checked) reasons.push('studies_unchecked');
  }
  if (!request.groupNamedExactly) reasons.push('group_name_not_exact');
  if (request.partlyUnderstood) reasons.push('input_left_out');
  if (request.nameTaken) reasons.push('name_taken');
  return reasons.length ? { kind: 'preview', reasons } : { kind: 'apply_now' };
}
