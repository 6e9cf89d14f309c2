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
  const found = resolveNamed(
    query,
    groups.filter((g) => !g.is_deleted),
    (g) => [g.name],
  );
  return found.kind === 'found' ? { kind: 'found', group: found.item } : found.kind === 'ambiguous' ? { kind: 'ambiguous', candidates: found.candidates } : found;
}

/**
 * Whether the user named this group exactly: by its id or its whole name (case and runs of spaces
 * aside), rather than by part of its name. A change to a group found from part of a name is
 * previewed first (see confirmationPolicy).
 */
export function namesGroupExactly(query: string, group: Pick<ParticipantGroup, 'id' | 'name'>): boolean {
  const wanted = normaliseGroupName(query);
  return wanted !== '' && (wanted === group.id.toLowerCase() || wanted === normaliseGroupName(group.name));
}

export type NamedResolution<T> = { kind: 'found'; item: T } | { kind: 'ambiguous'; candidates: T[] } | { kind: 'not_found' };

/**
 * The rules above for anything with an id and names (a study has a public and an internal
 * name): by id, by an exact name, or by a start of a name that only one item has.
 */
export function resolveNamed<T extends { id: string }>(query: string, items: readonly T[], names: (item: T) => string[]): NamedResolution<T> {
  const wanted = normaliseGroupName(query);
  if (!wanted) return { kind: 'not_found' };
  const byId = items.find((item) => item.id.toLowerCase() === wanted);
  if (byId) return { kind: 'found', item: byId };
  const normalised = (item: T) => names(item).filter(Boolean).map(normaliseGroupName);
  const exact = items.filter((item) => normalised(item).includes(wanted));
  if (exact.length === 1) return { kind: 'found', item: exact[0]! };
  if (exact.length > 1) return { kind: 'ambiguous', candidates: exact };
  const prefixed = items.filter((item) => normalised(item).some((name) => name.startsWith(wanted)));
  if (prefixed.length === 1) return { kind: 'found', item: prefixed[0]! };
  const first = (item: T) => names(item)[0] ?? '';
  if (prefixed.length > 1) return { kind: 'ambiguous', candidates: prefixed.sort((a, b) => first(a).localeCompare(first(b))) };
  return { kind: 'not_found' };
}
