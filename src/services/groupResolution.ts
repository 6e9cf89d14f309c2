import type { ParticipantGroup } from '../prolific/types';

/**
 * How a name was matched, best first: its id, the whole name (any case), the start of the name,
 * the start of a word in it, anywhere in it.
 */
export type MatchKind = 'id' | 'exact' | 'prefix' | 'word' | 'substring';

const MATCH_ORDER: readonly Exclude<MatchKind, 'id'>[] = ['exact', 'prefix', 'word', 'substring'];

export type GroupResolution =
  | { kind: 'found'; group: ParticipantGroup; match: MatchKind }
  | { kind: 'ambiguous'; candidates: ParticipantGroup[] }
  /** `suggestions`: the closest names, for "did you mean …?" (none when nothing is close). */
  | { kind: 'not_found'; suggestions: ParticipantGroup[] };

/** Case, surrounding space and runs of spaces do not matter when naming a group. */
export function normaliseGroupName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The one resolver for groups, used by every command, button and form that names a group. */
export function resolveGroup(query: string, groups: ParticipantGroup[]): GroupResolution {
  const found = resolveNamed(
    query,
    groups.filter((g) => !g.is_deleted),
    (g) => [g.name],
  );
  switch (found.kind) {
    case 'found':
      return { kind: 'found', group: found.item, match: found.match };
    case 'ambiguous':
      return { kind: 'ambiguous', candidates: found.candidates };
    case 'not_found':
      return { kind: 'not_found', suggestions: found.suggestions };
  }
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

export type NamedResolution<T> =
  | { kind: 'found'; item: T; match: MatchKind }
  | { kind: 'ambiguous'; candidates: T[]; match: MatchKind }
  | { kind: 'not_found'; suggestions: T[] };

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** How well `name` (normalised) matches `wanted` (normalised), or null when it does not contain it. */
export function matchKind(name: string, wanted: string): Exclude<MatchKind, 'id'> | null {
  if (name === wanted) return 'exact';
  if (name.startsWith(wanted)) return 'prefix';
  let at = name.indexOf(wanted, 1);
  let inside = false;
  while (at > 0) {
    // A word starts where a letter or digit follows anything else ("wave 2" in "pilot wave 2", "2" in "wave-2").
    if (!WORD_CHAR.test(name[at - 1]!)) return 'word';
    inside = true;
    at = name.indexOf(wanted, at + 1);
  }
  return inside ? 'substring' : null;
}

/** The most suggestions an unknown name gets. */
export const MAX_SUGGESTIONS = 3;

/**
 * Finds what a user named among things with an id and names (a group has one name; a study a public
 * and an internal one): by id, then by the best kind of match (exact, then prefix, then the start of
 * a word, then anywhere), any case. A single best match wins; several equally good ones are
 * ambiguous and the user chooses; none gives the closest names as suggestions.
 */
export function resolveNamed<T extends { id: string }>(query: string, items: readonly T[], names: (item: T) => string[]): NamedResolution<T> {
  const wanted = normaliseGroupName(query);
  if (!wanted) return { kind: 'not_found', suggestions: [] };
  const byId = items.find((item) => item.id.toLowerCase() === wanted);
  if (byId) return { kind: 'found', item: byId, match: 'id' };
  const normalised = (item: T) => names(item).filter(Boolean).map(normaliseGroupName);
  const best = new Map<T, number>();
  for (const item of items) {
    let rank = MATCH_ORDER.length;
    for (const name of normalised(item)) {
      const kind = matchKind(name, wanted);
      if (kind) rank = Math.min(rank, MATCH_ORDER.indexOf(kind));
    }
    if (rank < MATCH_ORDER.length) best.set(item, rank);
  }
  if (!best.size) return { kind: 'not_found', suggestions: closest(wanted, items, normalised) };
  const top = Math.min(...best.values());
  const match = MATCH_ORDER[top]!;
  const first = (item: T) => names(item)[0] ?? '';
  const candidates = [...best].filter(([, rank]) => rank === top).map(([item]) => item);
  if (candidates.length === 1) return { kind: 'found', item: candidates[0]!, match };
  return { kind: 'ambiguous', candidates: candidates.sort((a, b) => first(a).localeCompare(first(b))), match };
}

/**
 * The names closest to what was typed, for "did you mean …?": by the fewest edits (a typo, a
 * missing, extra or swapped letter) to the whole name or to a stretch of it that starts a word, within
 * about one edit in three letters. Closest first, at most MAX_SUGGESTIONS.
 */
function closest<T>(wanted: string, items: readonly T[], normalised: (item: T) => string[]): T[] {
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  const scored: { item: T; distance: number; name: string }[] = [];
  for (const item of items) {
    let distance = Number.POSITIVE_INFINITY;
    let shown = '';
    for (const name of normalised(item)) {
      const d = nameDistance(wanted, name, allowed);
      if (d < distance) {
        distance = d;
        shown = name;
      }
    }
    if (distance <= allowed) scored.push({ item, distance, name: shown });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.item);
}

/** The fewest edits from `wanted` to `name`, or to a stretch of `name` starting at a word, of about the same length. */
function nameDistance(wanted: string, name: string, allowed: number): number {
  let best = editDistance(wanted, name);
  // A stretch of a name only for a query long enough that a near miss means something.
  for (let start = 0; wanted.length >= 4 && start < name.length; start++) {
    if (start > 0 && (WORD_CHAR.test(name[start - 1]!) || !WORD_CHAR.test(name[start]!))) continue;
    for (let length = wanted.length - allowed; length <= wanted.length + allowed; length++) {
      if (length <= 0 || start + length > name.length) continue;
      best = Math.min(best, editDistance(wanted, name.slice(start, start + length)));
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
