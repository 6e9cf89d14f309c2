/**
 * Reads participant ids out of a CSV that a researcher uploaded.
 *
 * Uploads come from many places: Prolific's own exports (many columns, where
 * "Submission id" values are 24-hex too), Excel in several locales (semicolons,
 * BOM, CRLF), Google Sheets, hand-made one-column lists, and occasionally the
 * wrong file altogether (a sign-in page, an image). This module decides what
 * the file contains without writing anything, and returns the ids with enough
 * detail for a preview, a question for the researcher, or a refusal: facts
 * that src/slack/blocks/csvReading.ts words.
 *
 * Parsing is done by papaparse; this module only chooses the delimiter set,
 * the column and the header, and validates cells. A little past the usual
 * size: much of it is the types of what a file gives.
 */
import Papa from 'papaparse';
import type { SubmissionStatus } from '../prolific/studyTypes';
import { normaliseSubmissionStatus } from '../prolific/submissionStatus';
import { DEFAULT_EXPORT_STATUSES, type ExportStatuses, findStatusColumn, rowIsUsed, type StatusChoice, usedStatuses } from './exportStatuses';
import { type ColumnChoice, type ColumnScore, chooseColumn, displayText, looksLikeMistypedId, MIN_ID_SHARE } from './csvIdColumn';
import { readUploadText } from './csvText';
import { normaliseParticipantId, stripIdPadding } from './participantIds';
import { DistinctIds } from './idComparison';

export { MAX_DISPLAY_CHARS } from './csvIdColumn';

export const DEFAULT_MAX_CSV_BYTES = 10 * 1024 * 1024;

/** How many invalid values are kept for the preview; the rest are only counted. */
export const MAX_REPORTED_INVALID = 10;


export interface CsvExtractionOptions {
  /** Files larger than this are refused before parsing. Default 10 MB. */
  maxBytes?: number;
  /** In a Prolific export (a Status column), the rows to read. Default APPROVED only. */
  statuses?: StatusChoice;
  /** The id column the researcher chose when asked (0-based). */
  column?: number;
}

export interface CsvIdColumn {
  /** 0-based index of the column the ids were read from. */
  index: number;
  /** The column's header text (trimmed, at most 40 characters), or null when the file has no header row. */
  header: string | null;
  /**
   * 'header': a known header name; 'single': the only column of a one-column
   * file without a known header; 'values': its values look like ids (also
   * used for a one-line list of ids, read cell by cell from column 0 on);
   * 'asked': the researcher chose it when asked which column holds the ids.
   */
  chosenBy: 'header' | 'values' | 'single' | 'asked';
}

export interface CsvExtraction {
  ok: true;
  /** Normalised, de-duplicated, in file order. */
  ids: string[];
  /** The same ids, indexed as they were read, so that the plan need not index them again. */
  distinct: DistinctIds;
  column: CsvIdColumn;
  delimiter: string;
  hasHeader: boolean;
  /** Non-blank rows after the header. */
  dataRows: number;
  /**
   * The first 10 values that are not ids, with their 1-based physical line in
   * the file. `value` is the raw cell text, at most 40 characters; it comes
   * from the upload and must be escaped before it is shown in Slack.
   */
  invalid: { line: number; value: string }[];
  invalidCount: number;
  /** Repeated ids dropped (the first occurrence is kept). */
  duplicateCount: number;
  /**
   * Something the researcher should know about how the file was read, e.g.
   * which of several id-like columns was used. Its headers come from the
   * file, so they must be escaped before they are shown in Slack.
   */
  note: CsvReadNote | null;
  /** Set for a Prolific export with a Status column: rows by status, and which were read. */
  statuses: ExportStatuses | null;
}

/** Two columns hold ids and no header names participants: the researcher is asked which one. */
export interface CsvColumnQuestion {
  ok: false;
  reason: 'which_column';
  /** Each candidate column, with its header (when the file has one) and its first few ids. */
  columns: { index: number; header: string | null; sample: string[]; ids: number }[];
}

/** An export with a Status column has no row with the statuses asked for: the researcher chooses others. */
export interface CsvStatusQuestion {
  ok: false;
  reason: 'no_rows_with_status';
  statuses: ExportStatuses;
}

export type CsvQuestion = CsvColumnQuestion | CsvStatusQuestion;

export function isCsvQuestion(result: CsvExtraction | CsvRefusal | CsvQuestion): result is CsvQuestion {
  return !result.ok && (result.reason === 'which_column' || result.reason === 'no_rows_with_status');
}

/** A column as a note names it: its 0-based index and its header (cut for display), if any. */
export interface CsvNamedColumn {
  index: number;
  header: string | null;
}

/** How the file was read, when the researcher should know (the renderer words it). */
export type CsvReadNote =
  /** A single line of ids: every value on it was read as an id. */
  | { kind: 'one_line_list' }
  /** Several columns hold ids (a header named one, or the most ids won). */
  | { kind: 'several_id_columns'; count: number; used: CsvNamedColumn }
  /** A column headed like the id column holds no ids; another was used. */
  | { kind: 'named_column_without_ids'; named: CsvNamedColumn; used: CsvNamedColumn };

/** Why a file gives no ids, as facts (the renderer says what to do). Holds no text from the file. */
export type CsvRefusal =
  | { ok: false; reason: 'too_large'; size: number; maxBytes: number }
  | { ok: false; reason: 'binary' | 'html' | 'empty' | 'header_only' | 'no_id_column' }
  /** The id column (0-based) holds no id: empty when `invalidCount` is 0. */
  | { ok: false; reason: 'no_valid_ids'; column: number; invalidCount: number };

export type CsvRefusalReason = CsvRefusal['reason'];


const DELIMITERS_TO_GUESS = [',', '\t', ';'];
const DEFAULT_DELIMITER = ',';

/** How much of the file the delimiter check looks at. */
const SNIFF_CHARS = 64 * 1024;
const GUESS_SAMPLE_CHARS = 64 * 1024;


const LINE_BREAKS = /\r\n?/g;


/**
 * Extracts participant ids from an uploaded CSV. Never throws: anything that
 * is not a usable list of ids comes back as a {@link CsvRefusal}.
 */
export function extractIdsFromCsv(
  data: Buffer | Uint8Array | string,
  opts: CsvExtractionOptions = {},
): CsvExtraction | CsvRefusal | CsvQuestion {
  const upload = readUploadText(data, opts.maxBytes ?? DEFAULT_MAX_CSV_BYTES);
  if (!upload.ok) return upload;
  let text = upload.text;

  // One line-break form for the whole file keeps line numbers right even in
  // files that mix CRLF, LF and lone CR (e.g. rows appended by another tool).
  if (text.includes('\r')) text = text.replace(LINE_BREAKS, '\n');

  const choice: ReadChoice = { statuses: opts.statuses ?? DEFAULT_EXPORT_STATUSES, column: opts.column ?? null };
  const guessed = guessDelimiter(text);
  if (guessed !== null) return readIds(text, guessed, choice);

  // Papaparse needs rows of a consistent width to detect a delimiter, so a
  // ragged file (e.g. a score filled in for only some participants) can go
  // undetected. Try each delimiter that occurs and keep the reading that
  // finds the most ids; a one-column file only contains the default one.
  let best = readIds(text, DEFAULT_DELIMITER, choice);
  const sample = text.slice(0, SNIFF_CHARS);
  for (const delimiter of DELIMITERS_TO_GUESS) {
    if (delimiter === DEFAULT_DELIMITER || !sample.includes(delimiter)) continue;
    const attempt = readIds(text, delimiter, choice);
    if (attempt.ok && (!best.ok || attempt.ids.length > best.ids.length)) best = attempt;
  }
  return best;
}

function refuse(reason: 'empty' | 'header_only' | 'no_id_column'): CsvRefusal {
  return { ok: false, reason };
}


/**
 * Papaparse's delimiter guess limited to comma, tab and semicolon, or null
 * when no delimiter gives rows of a consistent width (for instance a
 * one-column file). Blank lines are skipped for the guess only, because a
 * trailing newline would otherwise count as a one-field row.
 */
function guessDelimiter(text: string): string | null {
  // Papaparse looks at the first 10 rows only, but its unquoted fast path
  // splits the whole input first; a prefix of whole lines avoids that cost.
  const lastBreak = text.lastIndexOf('\n', GUESS_SAMPLE_CHARS);
  const sample = text.length <= GUESS_SAMPLE_CHARS || lastBreak <= 0 ? text : text.slice(0, lastBreak);
  const result = Papa.parse<string[]>(sample, {
    delimitersToGuess: DELIMITERS_TO_GUESS,
    newline: '\n',
    skipEmptyLines: 'greedy',
    preview: 1,
  });
  if (result.errors.some((error) => error.code === 'UndetectableDelimiter')) return null;
  return result.meta.delimiter;
}

// Cell classes, recorded per row while scoring the columns.
const EMPTY = 0;
const VALID = 1;
const INVALID = 2;


/** What the researcher chose: the rows of an export, and the id column when they were asked. */
interface ReadChoice {
  statuses: StatusChoice;
  column: number | null;
}

/** How many ids of each candidate column a column question shows. */
const QUESTION_SAMPLE = 3;

/** Parses the text with a known delimiter and reads the id column. */
function readIds(text: string, delimiter: string, asked: ReadChoice): CsvExtraction | CsvRefusal | CsvQuestion {
  const rows = Papa.parse<string[]>(text, { delimiter, newline: '\n', skipEmptyLines: false }).data;
  // Without quote characters no field can contain a line break, so row k is
  // line k + 1 and the per-field newline count can be skipped.
  const fieldsMayHoldLineBreaks = text.includes('"');

  const lines = new Int32Array(rows.length);
  const blank = new Uint8Array(rows.length);
  const scores: ColumnScore[] = [];
  let firstRow = -1;
  let nonBlankRows = 0;
  let line = 1;

  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] ?? [];
    lines[r] = line;
    line++;
    let rowHasContent = false;
    for (let c = 0; c < row.length; c++) {
      const cell = row[c] ?? '';
      if (fieldsMayHoldLineBreaks) line += countLineBreaks(cell);
      const cls = classify(cell);
      if (cls === EMPTY) continue;
      rowHasContent = true;
      if (firstRow === -1 && cls === INVALID) continue; // may be a header; judged later
      let score = scores[c];
      if (score === undefined) {
        for (let k = scores.length; k <= c; k++) scores.push({ valid: 0, nonEmpty: 0 });
        score = scores[c]!;
      }
      score.nonEmpty++;
      if (cls === VALID) score.valid++;
    }
    if (rowHasContent) {
      nonBlankRows++;
      if (firstRow === -1) firstRow = r;
    } else {
      blank[r] = 1;
    }
  }

  if (firstRow === -1) return refuse('empty');
  const headerCells = rows[firstRow] ?? [];
  const firstRowHasId = headerCells.some((cell) => classify(cell) === VALID);
  if (nonBlankRows === 1 && !firstRowHasId) {
    return refuse('header_only');
  }

  if (nonBlankRows === 1 && isIdList(headerCells)) return readLineAsList(headerCells, lines[firstRow] ?? 1, delimiter);

  const width = Math.max(scores.length, headerCells.length);
  const found = chooseColumn(headerCells, scores, width);
  if (found === null) {
    return refuse('no_id_column');
  }
  const askedColumn = asked.column !== null && asked.column >= 0 && asked.column < width ? asked.column : null;
  // Several columns of ids and no header naming participants: not guessed, the researcher is asked.
  if (found.ambiguous && askedColumn === null) {
    return { ok: false, reason: 'which_column', columns: found.ambiguous.map((c) => columnSample(rows, blank, firstRow, firstRowHasId, headerCells, scores, c)) };
  }
  const choice: ColumnChoice = askedColumn === null ? found : { index: askedColumn, chosenBy: 'asked', describe: () => null };
  const { index, chosenBy } = choice;

  const firstCell = headerCells[index] ?? '';
  const hasHeader = chosenBy === 'header' || (!firstRowHasId && (scores[index]?.valid ?? 0) > 0 && !looksLikeMistypedId(firstCell));
  const header = hasHeader ? displayText(firstCell.trim()) || null : null;

  const firstDataRow = hasHeader ? firstRow + 1 : firstRow;
  const statusColumn = hasHeader ? findStatusColumn(headerCells, rows.slice(firstDataRow)) : -1;
  const byStatus: Partial<Record<SubmissionStatus, number>> = {};
  const collected = new IdCollector(rows.length - firstDataRow);
  let dataRows = 0;
  for (let r = firstDataRow; r < rows.length; r++) {
    if (blank[r] === 1) continue;
    dataRows++;
    if (statusColumn >= 0) {
      const status = normaliseSubmissionStatus(rows[r]?.[statusColumn] ?? '');
      if (status) byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (!rowIsUsed(rows[r]?.[statusColumn], asked.statuses)) continue;
    }
    const cell = rows[r]?.[index];
    if (cell !== undefined) collected.add(cell, lines[r] ?? 0);
  }
  const statuses: ExportStatuses | null =
    statusColumn >= 0 ? { index: statusColumn, byStatus, used: usedStatuses(byStatus, asked.statuses), allRows: asked.statuses === 'all' } : null;
  // No row with the statuses asked for (e.g. nothing APPROVED yet): nothing is chosen silently.
  if (statuses && collected.ids.length === 0 && collected.invalidCount === 0 && Object.keys(byStatus).length > 0) {
    return { ok: false, reason: 'no_rows_with_status', statuses };
  }

  if (collected.ids.length === 0) {
    return { ok: false, reason: 'no_valid_ids', column: index, invalidCount: collected.invalidCount };
  }

  return {
    ok: true,
    ids: collected.ids,
    distinct: collected.distinct,
    column: { index, header, chosenBy },
    delimiter,
    hasHeader,
    dataRows,
    invalid: collected.invalid,
    invalidCount: collected.invalidCount,
    duplicateCount: collected.duplicateCount,
    note: choice.describe(header),
    statuses,
  };
}

/** A candidate id column as the column question shows it: its header and its first few ids. */
function columnSample(
  rows: string[][],
  blank: Uint8Array,
  firstRow: number,
  firstRowHasId: boolean,
  headerCells: string[],
  scores: ColumnScore[],
  index: number,
): CsvColumnQuestion['columns'][number] {
  const sample: string[] = [];
  for (let r = firstRowHasId ? firstRow : firstRow + 1; r < rows.length && sample.length < QUESTION_SAMPLE; r++) {
    if (blank[r] === 1) continue;
    const id = normaliseParticipantId(rows[r]?.[index] ?? '');
    if (id) sample.push(id);
  }
  const header = firstRowHasId ? null : displayText((headerCells[index] ?? '').trim()) || null;
  return { index, header, sample, ids: scores[index]?.valid ?? 0 };
}

/** Accumulates the cells of the id column: ids in order, duplicates and invalid values counted. */
class IdCollector {
  /** The ids collected so far, indexed as they come (what the plan compares with the group). */
  readonly distinct: DistinctIds;
  readonly ids: string[];
  readonly invalid: { line: number; value: string }[] = [];
  invalidCount = 0;
  duplicateCount = 0;

  /** `cells`: how many cells may come, so that the index of ids is sized once. */
  constructor(cells: number) {
    this.distinct = new DistinctIds(cells);
    this.ids = this.distinct.list;
  }

  add(cell: string, line: number): void {
    const id = normaliseParticipantId(cell);
    if (id === null) {
      if (stripIdPadding(cell) === '') return; // empty cells are skipped silently
      this.invalidCount++;
      if (this.invalid.length < MAX_REPORTED_INVALID) this.invalid.push({ line, value: displayText(cell) });
    } else if (!this.distinct.add(id)) {
      this.duplicateCount++;
    }
  }
}

/**
 * A file of a single line holding two or more ids, and mostly ids (at least
 * 80% of its non-empty cells), is a list saved on one line, e.g. ids copied
 * as "id1, id2, id3" into a file. Reading one column of it would silently
 * drop all but one id.
 */
function isIdList(cells: string[]): boolean {
  let valid = 0;
  let nonEmpty = 0;
  for (const cell of cells) {
    const cls = classify(cell);
    if (cls !== EMPTY) nonEmpty++;
    if (cls === VALID) valid++;
  }
  return valid >= 2 && valid >= MIN_ID_SHARE * nonEmpty;
}

function readLineAsList(cells: string[], line: number, delimiter: string): CsvExtraction {
  const collected = new IdCollector(cells.length);
  for (const cell of cells) collected.add(cell, line);
  return {
    ok: true,
    ids: collected.ids,
    distinct: collected.distinct,
    column: { index: 0, header: null, chosenBy: 'values' },
    delimiter,
    hasHeader: false,
    dataRows: 1,
    invalid: collected.invalid,
    invalidCount: collected.invalidCount,
    duplicateCount: collected.duplicateCount,
    note: { kind: 'one_line_list' },
    statuses: null,
  };
}

function classify(cell: string): typeof EMPTY | typeof VALID | typeof INVALID {
  if (cell.length === 0) return EMPTY; // the common case of an unfilled cell, without any scanning
  if (normaliseParticipantId(cell) !== null) return VALID;
  return stripIdPadding(cell) === '' ? EMPTY : INVALID;
}

function countLineBreaks(cell: string): number {
  let count = 0;
  let at = cell.indexOf('\n');
  while (at !== -1) {
    count++;
    at = cell.indexOf('\n', at + 1);
  }
  return count;
}


