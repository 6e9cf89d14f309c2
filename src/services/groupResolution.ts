import type { ParticipantGroup } from '../prolific/types';

export type GroupResolution =
  | { kind: 'found'; group: ParticipantGroup }
  | { kind: 'ambiguous'; candidates: ParticipantGroup[] }
  | { kind: 'not_found' };

/** Case, surrounding space and runs of spaces do not matter when naming a group. */
export function normaliseGroupName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Finds the group a user named: by id, by exact name (case-insensitive), or by a prefix that
 * only one group's name starts with. It never guesses: several equal names or several prefix
 * matches are ambiguous, and the user chooses.
 */
export function resolveGroup(query: string, groups: ParticipantGroup[]): GroupResolution {
  const live = groups.filter((g) => !g.is_deleted);
  const wanted = normaliseGroupName(query);
  if (!wanted) return { kind: 'not_found' };
  const byId = live.find((g) => g.id.toLowerCase() === wanted);
  if (byId) return { kind: 'found', group: byId };
  const exact = live.filter((g) => normaliseGroupName(g.name) === wanted);
  if (exact.length === 1) return { kind: 'found', group: exact[0]! };
  if (exact.length > 1) return { kind: 'ambiguous', candidates: exact };
  const prefixed = live.filter((g) => normaliseGroupName(g.name).startsWith(wanted));
  if (prefixed.length === 1) return { kind: 'found', group: prefixed[0]! };
  if (prefixed.length > 1) return { kind: 'ambiguous', candidates: prefixed.sort((a, b) => a.name.localeCompare(b.name)) };
  return { kind: 'not_found' };
}
