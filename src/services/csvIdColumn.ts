// Which column of an upload holds the participant ids: a known header first, then the values.
import { truncate } from '../truncate';
import type { CsvIdColumn, CsvReadNote } from './csvIds';
import { stripIdPadding } from './participantIds';

/**
 * Header names that mark the id column, after lower-casing and removing
 * spaces, underscores and hyphens. Earlier names win when several match.
 * "Participant id" is what Prolific's exports use; PROLIFIC_PID is the URL
 * parameter Prolific passes to surveys, so survey-tool exports carry it.
 */
const ID_HEADER_NAMES = ['participantid', 'prolificpid', 'prolificid', 'pid', 'id'] as const;

/**
 * A column qualifies by its values when at least this share of its non-empty
 * values (not counting a possible header) are ids. High enough that a column
 * of mixed notes never qualifies, low enough that a list with a few typos does.
 */
export const MIN_ID_SHARE = 0.8;

export interface ColumnScore {
  /** Valid ids in the column, the first row included when it is an id. */
  valid: number;
  /** Non-empty cells, the first row included only when it is an id (it may be a header). */
  nonEmpty: number;
}

export interface ColumnChoice {
  index: number;
  chosenBy: CsvIdColumn['chosenBy'];
  /** Set when several columns hold ids and no header names participants: the candidates, left to right. */
  ambiguous?: number[];
  /** The note for the researcher, given the chosen column's header text. */
  describe(header: string | null): CsvReadNote | null;
}

/**
 * Picks the id column.
 *
 * Candidates are columns with a known header name and at least one id, and
 * columns whose values qualify (at least 80% of non-empty values are ids).
 * Among candidates: a known header first (earlier name in
 * {@link ID_HEADER_NAMES} first), then the most ids, then the leftmost.
 *
 * Without candidates: a column with a known header name is still used (so the
 * refusal can say its values are not ids), then the only column of a
 * one-column file, then the first column if it holds any id at all; otherwise
 * there is no id column.
 */
export function chooseColumn(headerCells: string[], scores: ColumnScore[], width: number): ColumnChoice | null {
  const headerRank = (c: number): number => {
    const cell = headerCells[c];
    if (cell === undefined) return -1;
    return (ID_HEADER_NAMES as readonly string[]).indexOf(headerKey(cell));
  };

  const candidates: { index: number; rank: number; valid: number }[] = [];
  let namedWithoutIds = -1;
  let namedWithoutIdsRank = Number.POSITIVE_INFINITY;
  for (let c = 0; c < width; c++) {
    const rank = headerRank(c);
    const valid = scores[c]?.valid ?? 0;
    const nonEmpty = scores[c]?.nonEmpty ?? 0;
    const qualifies = valid > 0 && valid >= MIN_ID_SHARE * nonEmpty;
    if (rank !== -1 && valid > 0) candidates.push({ index: c, rank, valid });
    else if (qualifies) candidates.push({ index: c, rank: Number.POSITIVE_INFINITY, valid });
    else if (rank !== -1 && rank < namedWithoutIdsRank) {
      namedWithoutIds = c;
      namedWithoutIdsRank = rank;
    }
  }

  if (candidates.length > 0) {
    candidates.sort((a, b) => a.rank - b.rank || b.valid - a.valid || a.index - b.index);
    const best = candidates[0]!;
    const chosenBy = best.rank !== Number.POSITIVE_INFINITY ? 'header' : width === 1 ? 'single' : 'values';
    const ambiguous = chosenBy === 'values' && candidates.length > 1 ? candidates.map((c) => c.index).sort((a, b) => a - b) : undefined;
    return {
      index: best.index,
      chosenBy,
      ...(ambiguous ? { ambiguous } : {}),
      describe(header) {
        const used = { index: best.index, header };
        if (candidates.length > 1) return { kind: 'several_id_columns', count: candidates.length, used };
        if (namedWithoutIds !== -1) {
          return { kind: 'named_column_without_ids', named: { index: namedWithoutIds, header: displayText((headerCells[namedWithoutIds] ?? '').trim()) }, used };
        }
        return null;
      },
    };
  }

  const noNote = () => null;
  if (namedWithoutIds !== -1) return { index: namedWithoutIds, chosenBy: 'header', describe: noNote };
  if (width === 1) return { index: 0, chosenBy: 'single', describe: noNote };
  if ((scores[0]?.valid ?? 0) > 0) return { index: 0, chosenBy: 'values', describe: noNote };
  return null;
}

/** Header text compared case-insensitively, ignoring spaces, underscores, hyphens and quotes. */
function headerKey(cell: string): string {
  return stripIdPadding(cell)
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/**
 * Text that is probably a participant id with a typo (16–32 letters and
 * digits, at least one digit) rather than a column name. Such a first row is
 * treated as data so the typo is reported instead of silently skipped.
 */
export function looksLikeMistypedId(cell: string): boolean {
  const text = stripIdPadding(cell);
  return text.length >= 16 && text.length <= 32 && /^[0-9a-z]+$/i.test(text) && /[0-9]/.test(text);
}

/** Longest cell or header text returned for display. */
export const MAX_DISPLAY_CHARS = 40;

/** At most {@link MAX_DISPLAY_CHARS} UTF-16 units, ending in “…” when cut, cut between characters. */
export function displayText(text: string): string {
  return truncate(text, MAX_DISPLAY_CHARS);
}
