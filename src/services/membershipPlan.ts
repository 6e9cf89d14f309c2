/**
 * What a change to a participant group would do, computed before anything is
 * written, so the researcher can confirm an exact preview and the write can
 * be checked against it.
 *
 * Inputs are normalised participant ids (see participantIds.ts). Duplicates in
 * an input are ignored; all counts are of distinct ids. Output lists keep the
 * order of the input they come from, so the same inputs always give the same
 * plan.
 */
import { createHash } from 'node:crypto';

export interface MembershipPlan {
  mode: 'replace' | 'add' | 'remove';
  toAdd: string[];
  toRemove: string[];
  /** Current members that stay. */
  unchanged: number;
  currentTotal: number;
  newTotal: number;
  /** add: requested ids that are already members (0 for other modes). */
  alreadyPresent: number;
  /** remove: requested ids that are not members (0 for other modes). */
  notPresent: number;
}

/**
 * Ids as a list or, when the caller already holds them as one, a Set (which iterates in the
 * order the ids were added): a Set of 400,000 ids costs tens of milliseconds to build again.
 */
export type IdCollection = readonly string[] | ReadonlySet<string>;

function asSet(ids: IdCollection): ReadonlySet<string> {
  return ids instanceof Set ? ids : new Set(ids);
}

/** Makes the group exactly `target`: toAdd = target ∖ current (target order), toRemove = current ∖ target (current order). */
export function planReplace(current: IdCollection, target: IdCollection): MembershipPlan {
  const currentSet = asSet(current);
  const targetSet = asSet(target);
  const toAdd = membersNotIn(targetSet, currentSet);
  const toRemove = membersNotIn(currentSet, targetSet);
  return {
    mode: 'replace',
    toAdd,
    toRemove,
    unchanged: currentSet.size - toRemove.length,
    currentTotal: currentSet.size,
    newTotal: targetSet.size,
    alreadyPresent: 0,
    notPresent: 0,
  };
}

/** Adds `ids`: toAdd = ids ∖ current (request order); alreadyPresent = |ids ∩ current|. */
export function planAdd(current: IdCollection, ids: IdCollection): MembershipPlan {
  const currentSet = asSet(current);
  const requested = asSet(ids);
  const toAdd = membersNotIn(requested, currentSet);
  return {
    mode: 'add',
    toAdd,
    toRemove: [],
    unchanged: currentSet.size,
    currentTotal: currentSet.size,
    newTotal: currentSet.size + toAdd.length,
    alreadyPresent: requested.size - toAdd.length,
    notPresent: 0,
  };
}

/** Removes `ids`: toRemove = ids ∩ current (request order); notPresent = |ids ∖ current|. */
export function planRemove(current: IdCollection, ids: IdCollection): MembershipPlan {
  const currentSet = asSet(current);
  const requested = asSet(ids);
  const toRemove = membersIn(requested, currentSet);
  return {
    mode: 'remove',
    toAdd: [],
    toRemove,
    unchanged: currentSet.size - toRemove.length,
    currentTotal: currentSet.size,
    newTotal: currentSet.size - toRemove.length,
    alreadyPresent: 0,
    notPresent: requested.size - toRemove.length,
  };
}

/** True when both lists hold the same ids, ignoring order and duplicates. */
export function sameMembership(a: string[], b: string[]): boolean {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size !== setB.size) return false;
  for (const id of setA) if (!setB.has(id)) return false;
  return true;
}

/**
 * A fingerprint of a membership: sha256 (hex) of the sorted distinct ids
 * joined by "\n". Equal for equal memberships whatever the order, so a stored
 * preview can be checked against the group before a write.
 */
export function membershipDigest(ids: string[]): string {
  const sorted = [...new Set(ids)].sort();
  return createHash('sha256').update(sorted.join('\n')).digest('hex');
}

// A Set iterates in insertion order, so these keep the first-seen order of
// the list the set was built from.

function membersNotIn(ids: ReadonlySet<string>, other: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const id of ids) if (!other.has(id)) out.push(id);
  return out;
}

function membersIn(ids: ReadonlySet<string>, other: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const id of ids) if (other.has(id)) out.push(id);
  return out;
}
