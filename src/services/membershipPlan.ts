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
import { compareIds, type DistinctIds, type IdCollection } from './idComparison';

export type { IdCollection } from './idComparison';

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

/** Makes the group exactly `target`: toAdd = target ∖ current (target order), toRemove = current ∖ target (current order). */
export function planReplace(current: IdCollection, target: IdCollection | DistinctIds): MembershipPlan {
  const { onlyInA: toRemove, onlyInB: toAdd, sizeA: currentTotal, sizeB: newTotal } = compareIds(current, target);
  return {
    mode: 'replace',
    toAdd,
    toRemove,
    unchanged: currentTotal - toRemove.length,
    currentTotal,
    newTotal,
    alreadyPresent: 0,
    notPresent: 0,
  };
}

/** Adds `ids`: toAdd = ids ∖ current (request order); alreadyPresent = |ids ∩ current|. */
export function planAdd(current: IdCollection, ids: IdCollection | DistinctIds): MembershipPlan {
  const { onlyInB: toAdd, bInA: present, sizeA: currentTotal } = compareIds(current, ids);
  return {
    mode: 'add',
    toAdd,
    toRemove: [],
    unchanged: currentTotal,
    currentTotal,
    newTotal: currentTotal + toAdd.length,
    alreadyPresent: present.length,
    notPresent: 0,
  };
}

/** Removes `ids`: toRemove = ids ∩ current (request order); notPresent = |ids ∖ current|. */
export function planRemove(current: IdCollection, ids: IdCollection | DistinctIds): MembershipPlan {
  const { bInA: toRemove, onlyInB: absent, sizeA: currentTotal } = compareIds(current, ids);
  return {
    mode: 'remove',
    toAdd: [],
    toRemove,
    unchanged: currentTotal - toRemove.length,
    currentTotal,
    newTotal: currentTotal - toRemove.length,
    alreadyPresent: 0,
    notPresent: absent.length,
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
