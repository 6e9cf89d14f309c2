import type { Operation, OperationKind } from '../../store/types';
import type { DistinctIds } from '../idComparison';
import { type IdCollection, type MembershipPlan, planAdd, planRemove, planReplace } from '../membershipPlan';
import { touchesMembers } from './operationDetails';
import type { PlanSummary } from './types';

/** How many ids a preview, an outcome or a notification shows as examples. */
export const SAMPLE_SIZE = 5;

export function summarise(plan: MembershipPlan): PlanSummary {
  return {
    currentTotal: plan.currentTotal,
    newTotal: plan.newTotal,
    toAdd: plan.toAdd.length,
    toRemove: plan.toRemove.length,
    unchanged: plan.unchanged,
    alreadyPresent: plan.alreadyPresent,
    notPresent: plan.notPresent,
    sampleAdd: plan.toAdd.slice(0, SAMPLE_SIZE),
    sampleRemove: plan.toRemove.slice(0, SAMPLE_SIZE),
  };
}

export function planFor(kind: OperationKind, current: IdCollection, ids: IdCollection | DistinctIds): MembershipPlan {
  if (kind === 'add') return planAdd(current, ids);
  if (kind === 'remove') return planRemove(current, ids);
  return planReplace(current, ids);
}

/** The membership a plan leads to from `current`. */
export function targetMembership(current: string[], plan: MembershipPlan): string[] {
  const removed = new Set(plan.toRemove);
  return current.filter((id) => !removed.has(id)).concat(plan.toAdd);
}

/**
 * The ids an operation's write adds and removes: its plan against the preview's baseline, which
 * the write re-read and found unchanged before writing. Null for a change that leaves members be.
 */
export function plannedIds(op: Operation): { added: string[]; removed: string[] } | null {
  if (!touchesMembers(op)) return null;
  const plan = planFor(op.kind, op.baselineIds, op.participantIds);
  return { added: plan.toAdd, removed: plan.toRemove };
}
