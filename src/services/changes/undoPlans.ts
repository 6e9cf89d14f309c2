// What Undo takes back: the inverse of one applied change against the group as it is now (a
// revert), and the changes made after it, from the app's history and the group as read.
import type { AuditEntry, Operation, Snapshot } from '../../store/types';
import { operationDetails, touchesMembers } from './operationDetails';
import { plannedIds } from './operationPlan';
import type { ChangeFact, LaterChanges } from './types';

/** The history's actions that change a group's name or members. */
const GROUP_CHANGES = new Set(['add', 'remove', 'replace', 'rename', 'undo']);

/** How many later changes a preview lists by name; the rest are counted. */
export const LATER_CHANGES_SHOWN = 8;
/** How many later changes are read back to tell what else moved the group; beyond, "outside the app" is not told. */
const LATER_CHANGES_READ = 50;

/** The name an applied change set, or null when it left the name be. */
function nameSetBy(op: Operation): string | null {
  if (op.kind === 'rename') return op.newName;
  if (op.kind === 'undo' && operationDetails(op).restoreName) return op.newName;
  return null;
}

/** A change as one line of a preview: from its audit entry, and the operation when it was read. */
export function changeFact(entry: AuditEntry, op: Operation | null = null): ChangeFact {
  return {
    operationId: entry.operationId,
    action: entry.action,
    userId: entry.slackUserId,
    at: entry.at.toISOString(),
    added: entry.added,
    removed: entry.removed,
    renamedTo: entry.beforeName && entry.afterName && entry.beforeName !== entry.afterName ? entry.afterName : null,
    sourceLabel: op ? (operationDetails(op).source?.label ?? null) : null,
  };
}

/** An applied operation as a line, when its audit entry is out of reach. */
export function operationFact(op: Operation): ChangeFact {
  const result = (op.result ?? {}) as { added?: number; removed?: number; afterName?: string; beforeName?: string };
  return {
    operationId: op.id,
    action: op.kind,
    userId: op.slackUserId,
    at: op.updatedAt.toISOString(),
    added: result.added ?? 0,
    removed: result.removed ?? 0,
    renamedTo: result.afterName && result.beforeName && result.afterName !== result.beforeName ? result.afterName : null,
    sourceLabel: operationDetails(op).source?.label ?? null,
  };
}

export interface RevertPlan {
  /** The membership the revert leaves: the group now, less what the change added, plus what it removed. */
  target: string[];
  toAdd: string[];
  toRemove: string[];
  /** The name to go back to, when the change set the name the group still has. */
  newName: string | null;
}

/** The inverse of `original`, applied to the group as it is now. Later changes are kept. */
export function revertPlan(original: Operation, nameNow: string, members: string[]): RevertPlan {
  const ids = plannedIds(original) ?? { added: [], removed: [] };
  const now = new Set(members);
  const toRemove = ids.added.filter((id) => now.has(id));
  const removing = new Set(toRemove);
  const toAdd = [...new Set(ids.removed)].filter((id) => !now.has(id));
  const setName = nameSetBy(original);
  const newName = setName !== null && nameNow === setName && original.baselineName !== setName ? original.baselineName : null;
  return { target: members.filter((id) => !removing.has(id)).concat(toAdd), toAdd, toRemove, newName };
}

/** The group's membership right after `original`, when the app can tell. */
function membersAfter(original: Operation, snapshot: Snapshot | null): string[] | null {
  const ids = plannedIds(original);
  const before = touchesMembers(original) ? original.baselineIds : (snapshot?.memberIds ?? null);
  if (!before) return null;
  if (!ids) return before;
  const removed = new Set(ids.removed);
  return before.filter((id) => !removed.has(id)).concat(ids.added);
}

export interface LaterHistory {
  later: LaterChanges;
  /** The original change as a line. */
  undoing: ChangeFact;
  /** A later undo that took the change back already (its revert, or a restore to before it). */
  revertedBy: ChangeFact | null;
}

/**
 * What happened to the group after `original`: the applied changes the history holds (newest
 * first, as listAudit returns them), and the members who joined or left otherwise, found by
 * replaying the app's changes on the membership `original` left and comparing with `members`.
 */
export async function laterHistory(
  original: Operation,
  snapshot: Snapshot | null,
  history: AuditEntry[],
  members: string[],
  readOperation: (id: string) => Promise<Operation | null>,
): Promise<LaterHistory> {
  const at = history.findIndex((e) => e.operationId === original.id && e.outcome === 'applied');
  const undoing = at >= 0 ? changeFact(history[at]!, original) : operationFact(original);
  // The history holds the change: what is newer is later. Without it (older than what was read), nothing is known.
  // Only changes to the group count: messages sent to its members and exports are in the history too.
  const newer = (at >= 0 ? history.slice(0, at) : []).filter((e) => e.outcome === 'applied' && GROUP_CHANGES.has(e.action)).reverse();
  const olderOrSame = new Set(at >= 0 ? history.slice(at).flatMap((e) => (e.operationId ? [e.operationId] : [])) : [original.id]);
  const read = newer.slice(0, LATER_CHANGES_READ);
  const ops = await Promise.all(read.map((e) => (e.operationId ? readOperation(e.operationId) : Promise.resolve(null))));

  let revertedBy: ChangeFact | null = null;
  const after = at >= 0 && newer.length <= LATER_CHANGES_READ ? membersAfter(original, snapshot) : null;
  let expected: Set<string> | null = after ? new Set(after) : null;
  read.forEach((entry, i) => {
    const op = ops[i] ?? null;
    if (op?.kind === 'undo' && !revertedBy) {
      const d = operationDetails(op);
      // A restore goes back to before its change, so it also takes back every change after that one.
      const restore = d.undoMode !== 'revert';
      if (d.undoOf === original.id || (restore && d.undoOf !== null && olderOrSame.has(d.undoOf))) revertedBy = changeFact(entry, op);
    }
    if (!expected) return;
    // A change whose ids cannot be read back (no operation) makes the rest unknown, unless it moved no one.
    const ids = op ? plannedIds(op) : entry.added || entry.removed ? undefined : null;
    if (ids === undefined) {
      expected = null;
      return;
    }
    for (const id of ids?.removed ?? []) expected.delete(id);
    for (const id of ids?.added ?? []) expected.add(id);
  });
  let outside: LaterChanges['outside'] = null;
  if (expected) {
    const was: Set<string> = expected;
    const now = new Set(members);
    outside = { added: members.filter((id) => !was.has(id)).length, removed: [...was].filter((id) => !now.has(id)).length };
  }
  return {
    later: { app: newer.slice(0, LATER_CHANGES_SHOWN).map((e, i) => changeFact(e, ops[i] ?? null)), more: Math.max(0, newer.length - LATER_CHANGES_SHOWN), outside },
    undoing,
    revertedBy,
  };
}
