/**
 * Reads participant ids out of a CSV that a researcher uploaded.
 *
 * Uploads come from many places: Prolific's own exports (many columns, where
 * "Submission id" values are 24-hex too), Excel in several locales (semicolons,
 * BOM, CRLF), Google Sheets, hand-made one-column lists, and occasionally the
 * wrong file altogether (a sign-in page, an image). This module decides what
 * the file contains without writing anything, and either returns the ids with
 * enough detail for a preview, or a refusal whose message tells the researcher
 * what to do next.
 *
 * Parsing is done by papaparse; this module only chooses the delimiter set,
 * the column and the header, and validates cells.
 */
import { isBinaryFileSync } from 'isbinaryfile';
import Papa from 'papaparse';
import { truncate } from '../truncate';
import type { SubmissionStatus } from '../prolific/studyTypes';
import { normaliseSubmissionStatus } from '../prolific/submissionStatus';
import { DEFAULT_EXPORT_STATUSES, type ExportStatuses, findStatusColumn, rowIsUsed, type StatusChoice, usedStatuses } from './exportStatuses';
import { normaliseParticipantId, stripIdPadding } from './participantIds';

export const DEFAULT_MAX_CSV_BYTES = 10 * 1024 * 1024;

/** How many invalid values are kept for the preview; the rest are only counted. */
export const MAX_REPORTED_INVALID = 10;

/** Longest cell or header text returned for display. */
export const MAX_DISPLAY_CHARS = 40;

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
  /** The same ids as a Set, in the same order: built while reading, so a plan need not build it again. */
  idSet: ReadonlySet<string>;
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
   * which of several id-like columns was used. May quote a header from the
   * file, so it must be escaped before it is shown in Slack.
   */
  note: string | null;
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

export type CsvRefusalReason =
  | 'too_large'
  | 'binary'
  | 'html'
  | 'empty'
  | 'header_only'
  | 'no_id_column'
  | 'no_valid_ids';

export interface CsvRefusal {
  ok: false;
  reason: CsvRefusalReason;
  /** Plain words for the researcher: what was wrong and what to do. Contains no text from the file. */
  message: string;
}

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
const MIN_ID_SHARE = 0.8;

const DELIMITERS_TO_GUESS = [',', '\t', ';'];
const DEFAULT_DELIMITER = ',';

/** How much of the file the delimiter check looks at. */
const SNIFF_CHARS = 64 * 1024;
/** What isbinaryfile is shown: it judges the first 512 bytes, these chars are at least that. */
const BINARY_SNIFF_CHARS = 1024;
const HTML_SNIFF_CHARS = 4 * 1024;
const GUESS_SAMPLE_CHARS = 64 * 1024;

const utf8Decoder = new TextDecoder('utf-8');
const utf16leDecoder = new TextDecoder('utf-16le');

const LINE_BREAKS = /\r\n?/g;

/** Nothing but whitespace, delimiters and quotes: a file saved from an empty sheet. */
const BLANK_FILE = /^[\s,;"']*$/;

/**
 * Extracts participant ids from an uploaded CSV. Never throws: anything that
 * is not a usable list of ids comes back as a {@link CsvRefusal}.
 */
export function extractIdsFromCsv(
  data: Buffer | Uint8Array | string,
  opts: CsvExtractionOptions = {},
): CsvExtraction | CsvRefusal | CsvQuestion {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_CSV_BYTES;
  const size = typeof data === 'string' ? utf8Size(data, maxBytes) : data.byteLength;
  if (size > maxBytes) {
    return refuse(
      'too_large',
      `This file is over ${formatSize(maxBytes)} (it is ${formatSize(size)}). ` +
        'Upload a CSV with only the participant id column, or split the list into smaller files.',
    );
  }

  let text = typeof data === 'string' ? data : decode(data);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  if (looksBinary(text)) {
    return refuse(
      'binary',
      "This doesn't look like a text file (it contains binary data). " +
        'Save the participant list as CSV (in Excel or Google Sheets: File › Download or Save as › CSV) and upload that file.',
    );
  }
  if (looksLikeHtml(text)) {
    return refuse(
      'html',
      'This looks like a web page, not a CSV. If you downloaded it from a link, you may have been signed out; download it again.',
    );
  }
  if (BLANK_FILE.test(text)) return refuse('empty', EMPTY_MESSAGE);

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

const EMPTY_MESSAGE = 'This file is empty. Export your participants again and upload the CSV.';

function refuse(reason: CsvRefusalReason, message: string): CsvRefusal {
  return { ok: false, reason, message };
}

/** UTF-8 size of a string, without encoding it when it is clearly over the limit. */
function utf8Size(text: string, maxBytes: number): number {
  // Every UTF-16 code unit takes at least one byte in UTF-8.
  if (text.length > maxBytes) return text.length;
  return Buffer.byteLength(text, 'utf8');
}

function formatSize(bytes: number): string {
  const mb = 1024 * 1024;
  if (bytes >= mb) {
    const value = bytes / mb;
    return `${Number.isInteger(value) ? value : value.toFixed(1)} MB`;
  }
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * UTF-8 (undecodable bytes become U+FFFD, which {@link looksBinary} takes for
 * text: the ids are ASCII whatever the encoding). A UTF-16LE byte order mark is honoured because Excel's
 * "Unicode Text" export writes UTF-16LE.
 */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16leDecoder.decode(bytes);
  return utf8Decoder.decode(bytes);
}

/**
 * Binary as isbinaryfile judges the start of the decoded text, written out as UTF-8: NUL bytes,
 * or more control characters than text has. It is shown the decoded text, not the raw bytes,
 * so that a file in a legacy encoding (Windows-1252 accented names decode to U+FFFD) is not
 * taken for binary, as isbinaryfile alone takes a short one for protobuf, and a UTF-16LE file
 * with its byte order mark is judged as the text it is.
 */
function looksBinary(text: string): boolean {
  const head = Buffer.from(text.slice(0, BINARY_SNIFF_CHARS), 'utf8');
  return isBinaryFileSync(head, head.length);
}

const HTML_MARKERS = ['<html', '<head', '<body', '<!doctype html', '<script', '<title', '<meta'];

/**
 * HTML when the text starts (after whitespace) with `<!doctype html` or
 * `<html`, or starts with `<` and has a typical HTML tag in its first 4 KB.
 * A CSV never starts with a tag, so the second rule catches pages that begin
 * with a comment or an XML declaration.
 */
function looksLikeHtml(text: string): boolean {
  const start = text.search(/\S/);
  if (start === -1 || text[start] !== '<') return false;
  const head = text.slice(start, start + HTML_SNIFF_CHARS).toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return true;
  return HTML_MARKERS.some((marker) => head.includes(marker));
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

interface ColumnScore {
  /** Valid ids in the column, the first row included when it is an id. */
  valid: number;
  /** Non-empty cells, the first row included only when it is an id (it may be a header). */
  nonEmpty: number;
}

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

  if (firstRow === -1) return refuse('empty', EMPTY_MESSAGE);
  const headerCells = rows[firstRow] ?? [];
  const firstRowHasId = headerCells.some((cell) => classify(cell) === VALID);
  if (nonBlankRows === 1 && !firstRowHasId) {
    return refuse(
      'header_only',
      'This file has a header row but no participants. Export your participants again and upload the CSV.',
    );
  }

  if (nonBlankRows === 1 && isIdList(headerCells)) return readLineAsList(headerCells, lines[firstRow] ?? 1, delimiter);

  const width = Math.max(scores.length, headerCells.length);
  const found = chooseColumn(headerCells, scores, width);
  if (found === null) {
    return refuse(
      'no_id_column',
      'No column of participant ids was found. Put the ids in a column headed participant_id, or in the first column.',
    );
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
  const collected = new IdCollector();
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
    const { invalidCount } = collected;
    const column = `column ${index + 1}`;
    return refuse(
      'no_valid_ids',
      invalidCount === 0
        ? `The participant id column (${column}) is empty. Export your participants again and upload the CSV.`
        : `None of the ${invalidCount} values in ${column} is a participant id. ` +
            'Participant ids are 24 characters of 0–9 and a–f, like 5f8d0d55b54764421b7156c9. ' +
            'Check that you uploaded the right file.',
    );
  }

  return {
    ok: true,
    ids: collected.ids,
    idSet: collected.seen,
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
  readonly ids: string[] = [];
  readonly invalid: { line: number; value: string }[] = [];
  invalidCount = 0;
  duplicateCount = 0;
  /** The ids collected so far, as a Set (insertion order is `ids`' order). */
  readonly seen = new Set<string>();

  add(cell: string, line: number): void {
    const id = normaliseParticipantId(cell);
    if (id === null) {
      if (stripIdPadding(cell) === '') return; // empty cells are skipped silently
      this.invalidCount++;
      if (this.invalid.length < MAX_REPORTED_INVALID) this.invalid.push({ line, value: displayText(cell) });
    } else if (this.seen.has(id)) {
      this.duplicateCount++;
    } else {
      this.seen.add(id);
      this.ids.push(id);
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
  const collected = new IdCollector();
  for (const cell of cells) collected.add(cell, line);
  return {
    ok: true,
    ids: collected.ids,
    idSet: collected.seen,
    column: { index: 0, header: null, chosenBy: 'values' },
    delimiter,
    hasHeader: false,
    dataRows: 1,
    invalid: collected.invalid,
    invalidCount: collected.invalidCount,
    duplicateCount: collected.duplicateCount,
    note: 'All the ids are on one line, so every value on that line was read as an id.',
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

interface ColumnChoice {
  index: number;
  chosenBy: CsvIdColumn['chosenBy'];
  /** Set when several columns hold ids and no header names participants: the candidates, left to right. */
  ambiguous?: number[];
  /** The note for the researcher, given the chosen column's header text. */
  describe(header: string | null): string | null;
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
function chooseColumn(headerCells: string[], scores: ColumnScore[], width: number): ColumnChoice | null {
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
        const used = `used column ${best.index + 1}${header === null ? '' : ` “${header}”`}`;
        if (candidates.length > 1) {
          return `${countWord(candidates.length)} columns contain participant ids; ${used}.`;
        }
        if (namedWithoutIds !== -1) {
          const namedHeader = displayText((headerCells[namedWithoutIds] ?? '').trim());
          return `Column ${namedWithoutIds + 1} “${namedHeader}” has no participant ids; ${used} instead.`;
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
function looksLikeMistypedId(cell: string): boolean {
  const text = stripIdPadding(cell);
  return text.length >= 16 && text.length <= 32 && /^[0-9a-z]+$/i.test(text) && /[0-9]/.test(text);
}

const COUNT_WORDS = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];

function countWord(n: number): string {
  return COUNT_WORDS[n] ?? String(n);
}

/** At most {@link MAX_DISPLAY_CHARS} UTF-16 units, ending in “…” when cut, cut between characters. */
function displayText(text: string): string {
  return truncate(text, MAX_DISPLAY_CHARS);
}
