// Another group as the source of a membership change: its members (add, remove, replace), or the
// members of the target that are not in it (keep, an intersection written as a remove).
import type { ParticipantGroup } from '../../prolific/types';
import { membershipDigest } from '../membershipPlan';
import type { IdSource, MembershipMode } from './types';

/** What a change does with the other group: add, remove or copy its members, or keep only those also in it. */
export type GroupSourceMode = MembershipMode | 'keep';

/** The other group as the preview read it: the confirmation reads it again and compares the digest. */
export interface GroupSource {
  id: string;
  name: string;
  count: number;
  /** membershipDigest of its members when previewed: no second id list is kept. */
  digest: string;
  mode: GroupSourceMode;
}

/** The ids and the mode of the change a group source makes to `target`. */
export function idsFromGroup(mode: GroupSourceMode, target: string[], source: string[]): { mode: MembershipMode; ids: string[] } {
  if (mode !== 'keep') return { mode, ids: source };
  const inSource = new Set(source);
  return { mode: 'remove', ids: target.filter((id) => !inSource.has(id)) };
}

export function groupIdSource(mode: GroupSourceMode, group: ParticipantGroup, members: string[]): IdSource {
  const distinct = new Set(members).size;
  return {
    label: `group “${group.name}”`,
    group: { id: group.id, name: group.name, count: distinct, digest: membershipDigest(members), mode },
    invalid: [],
    invalidCount: 0,
    duplicateCount: 0,
    note: null,
  };
}

/** How the other group moved since the preview, or null when it did not. */
export function groupSourceDrift(seen: GroupSource, now: { group: ParticipantGroup; members: string[] }): { name: string; before: number; after: number } | null {
  if (membershipDigest(now.members) === seen.digest) return null;
  return { name: now.group.name, before: seen.count, after: new Set(now.members).size };
}
