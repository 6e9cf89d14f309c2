import { describeCsvRefusal } from '../../src/slack/blocks/csvReading';
import fc from 'fast-check';
import Papa from 'papaparse';
import { type CsvExtraction, type CsvQuestion, type CsvRefusal, extractIdsFromCsv } from '../../src/services/csvIds';

const REFUSAL_REASONS: CsvRefusal['reason'][] = [
  'too_large',
  'binary',
  'html',
  'empty',
  'header_only',
  'no_id_column',
  'no_valid_ids',
];

/**
 * Per-run guard against pathological slowness. fast-check's `timeout` only
 * fires when the predicate yields, and extraction is synchronous, so each run
 * also checks its own elapsed time against the same bound.
 */
const RUN_TIME_LIMIT_MS = 5000;

function extractWithinLimit(data: Uint8Array | string): CsvExtraction | CsvRefusal | CsvQuestion {
  const started = performance.now();
  const result = extractIdsFromCsv(data);
  expect(performance.now() - started).toBeLessThan(RUN_TIME_LIMIT_MS);
  return result;
}

function expectWellFormed(result: CsvExtraction | CsvRefusal | CsvQuestion): void {
  if (result.ok) {
    expect(result.ids.length).toBeGreaterThan(0);
    expect(result.ids.every((id) => /^[0-9a-f]{24}$/.test(id))).toBe(true);
    expect(new Set(result.ids).size).toBe(result.ids.length);
    expect(result.invalid.length).toBeLessThanOrEqual(10);
    expect(result.invalidCount).toBeGreaterThanOrEqual(result.invalid.length);
    for (const entry of result.invalid) {
      expect(Number.isInteger(entry.line) && entry.line >= 1).toBe(true);
      expect(entry.value.length).toBeLessThanOrEqual(40);
    }
    expect([',', ';', '\t']).toContain(result.delimiter);
  } else if (result.reason === 'which_column') {
    // A question lists at least two candidate columns, each with ids to show.
    expect(result.columns.length).toBeGreaterThanOrEqual(2);
    for (const column of result.columns) expect(column.sample.every((id) => /^[0-9a-f]{24}$/.test(id))).toBe(true);
  } else if (result.reason === 'no_rows_with_status') {
    expect(Object.values(result.statuses.byStatus).some((n) => (n ?? 0) > 0)).toBe(true);
  } else {
    expect(REFUSAL_REASONS).toContain(result.reason);
    expect(describeCsvRefusal(result)).toMatch(/\w/);
  }
}

function checkNeverThrows<T extends Uint8Array | string>(arbitrary: fc.Arbitrary<T>, numRuns: number): Promise<void> {
  return fc.assert(
    fc.asyncProperty(arbitrary, async (data) => {
      expectWellFormed(extractWithinLimit(data));
    }),
    { numRuns, timeout: RUN_TIME_LIMIT_MS },
  );
}

const hexId = fc.stringMatching(/^[0-9a-f]{24}$/);

/** An id as it might appear in a spreadsheet: any case, padded, quoted. */
const decoratedId = fc
  .tuple(
    fc.constantFrom('', ' ', '  ', '"', "'", '“', '\u00a0', ' "'),
    hexId,
    fc.integer({ min: 0, max: 2 ** 24 - 1 }),
    fc.constantFrom('', ' ', '"', "'", '”', '\u00a0', '" '),
  )
  .map(([left, id, upperMask, right]) => left + withCaseMask(id, upperMask) + right);

function withCaseMask(id: string, upperMask: number): string {
  let out = '';
  for (let i = 0; i < id.length; i++) {
    const ch = id[i] ?? '';
    out += (upperMask >> i) & 1 ? ch.toUpperCase() : ch;
  }
  return out;
}

const csvLikeCell = fc.oneof(
  decoratedId,
  fc.constantFrom(
    '',
    ' ',
    '"',
    '""',
    '"a,b"',
    '"x\ny"',
    ',',
    ';',
    '\t',
    '\n',
    '\r\n',
    '\r',
    'participant_id',
    'Participant id',
    'PROLIFIC_PID',
    'id',
    'N/A',
    '<html>',
    '<!doctype html>',
    '\ufeff',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

const csvLikeText = fc
  .tuple(
    fc.array(fc.array(csvLikeCell, { maxLength: 6 }), { maxLength: 40 }),
    fc.constantFrom(',', ';', '\t', '|'),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
  )
  .map(([rows, delimiter, newline, quoteAll]) =>
    rows
      .map((row) => row.map((cell) => (quoteAll ? `"${cell.replaceAll('"', '""')}"` : cell)).join(delimiter))
      .join(newline),
  );

describe('extractIdsFromCsv never throws and always answers well-formed', () => {
  it('on arbitrary bytes', () => checkNeverThrows(fc.uint8Array({ maxLength: 4096 }), 300));

  it('on arbitrary bytes after a UTF-8 or UTF-16 byte order mark', () =>
    checkNeverThrows(
      fc
        .tuple(fc.constantFrom([0xef, 0xbb, 0xbf], [0xff, 0xfe]), fc.uint8Array({ maxLength: 2048 }))
        .map(([bom, rest]) => Uint8Array.from([...bom, ...rest])),
      100,
    ));

  it('on arbitrary strings', () => checkNeverThrows(fc.string({ unit: 'binary', maxLength: 2000 }), 300));

  it('on arbitrary grapheme strings', () => checkNeverThrows(fc.string({ unit: 'grapheme', maxLength: 500 }), 200));

  it('on CSV-like text mixing ids, junk, quotes, delimiters and newlines', () => checkNeverThrows(csvLikeText, 400));

  it('on CSV-like text as bytes', () =>
    checkNeverThrows(
      csvLikeText.map((text) => new TextEncoder().encode(text)),
      100,
    ));
});

describe('extractIdsFromCsv round-trips generated files', () => {
  const EXTRA_HEADERS = ['score', 'note', 'Age', 'Status'];
  const extraValue = fc.stringMatching(/^[A-Za-z0-9 .:'"-]{0,12}$/);

  const generatedFile = fc
    .record({
      ids: fc.uniqueArray(hexId, { minLength: 1, maxLength: 60 }),
      repeats: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
      decorations: fc.array(
        fc.record({
          left: fc.constantFrom('', ' ', '  ', '"', "'", '“', '\u00a0'),
          right: fc.constantFrom('', ' ', '"', "'", '”', '\u00a0'),
          upperMask: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
        }),
        { minLength: 1, maxLength: 20 },
      ),
      header: fc.option(fc.constantFrom('participant_id', 'Participant id', 'PROLIFIC_PID', 'id', 'pid')),
      extraColumns: fc.integer({ min: 0, max: 4 }),
      idColumn: fc.nat(),
      extraValues: fc.array(extraValue, { minLength: 1, maxLength: 30 }),
      delimiter: fc.constantFrom(',', ';', '\t'),
      newline: fc.constantFrom('\n', '\r\n', '\r'),
      trailingNewline: fc.boolean(),
    })
    .map((spec) => {
      // Every id once in order, then repeats spliced in at arbitrary places.
      const occurrences = [...spec.ids];
      for (const [which, where] of spec.repeats) {
        occurrences.splice(where % (occurrences.length + 1), 0, spec.ids[which % spec.ids.length] ?? '');
      }
      const width = spec.extraColumns + 1;
      const idColumn = spec.idColumn % width;
      const rows: string[][] = occurrences.map((id, r) => {
        const decoration = spec.decorations[r % spec.decorations.length]!;
        const row: string[] = [];
        for (let c = 0; c < width; c++) {
          row.push(
            c === idColumn
              ? decoration.left + withCaseMask(id, decoration.upperMask) + decoration.right
              : (spec.extraValues[(r * width + c) % spec.extraValues.length] ?? ''),
          );
        }
        return row;
      });
      if (spec.header !== null) {
        rows.unshift(
          Array.from({ length: width }, (_, c) =>
            c === idColumn ? spec.header! : (EXTRA_HEADERS[c % EXTRA_HEADERS.length] ?? ''),
          ),
        );
      }
      const text =
        Papa.unparse(rows, { delimiter: spec.delimiter, newline: spec.newline }) +
        (spec.trailingNewline ? spec.newline : '');
      const firstSeen = [...new Set(occurrences)];
      return { text, firstSeen, occurrences: occurrences.length, hasHeader: spec.header !== null, idColumn };
    });

  it('to exactly the unique normalised ids, in first-seen order', () =>
    fc.assert(
      fc.asyncProperty(generatedFile, async (file) => {
        const result = extractWithinLimit(file.text);
        if (!result.ok) throw new Error(`refused: ${result.reason}`);
        expect(result.ids).toEqual(file.firstSeen);
        expect(result.duplicateCount).toBe(file.occurrences - file.firstSeen.length);
        expect(result.invalidCount).toBe(0);
        expect(result.hasHeader).toBe(file.hasHeader);
        expect(result.column.index).toBe(file.idColumn);
        expect(result.dataRows).toBe(file.occurrences);
      }),
      { numRuns: 300, timeout: RUN_TIME_LIMIT_MS },
    ));
});

describe('extractIdsFromCsv line numbers', () => {
  /** A last valid row so that a file of only bad rows is still read, not refused. */
  const ID_FOR_EVERY_FILE = '5f8d0d55b54764421b7156c9,last';
  const lineBreak = fc.constantFrom('\n', '\r\n', '\r');
  const note = fc.oneof(
    fc.constantFrom('plain', '', '"with, comma"', '"say ""hi"""'),
    fc.array(lineBreak, { minLength: 1, maxLength: 3 }).map((breaks) => `"spans${breaks.join('more')}lines"`),
  );
  const row = fc.record({ valid: fc.boolean(), id: hexId, note, blankLinesBefore: fc.nat(2) });

  it('are the physical lines where bad rows start, across quoted line breaks and blank lines', () =>
    fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), lineBreak, async (rows, newline) => {
        let text = `participant_id,note${newline}`;
        let line = 2;
        const expected: { line: number; value: string }[] = [];
        rows.forEach((r, i) => {
          text += newline.repeat(r.blankLinesBefore);
          line += r.blankLinesBefore;
          const value = r.valid ? r.id : `bad-${i}`;
          if (!r.valid) expected.push({ line, value });
          text += `${value},${r.note}${newline}`;
          line += 1 + (r.note.match(/\r\n|\r|\n/g)?.length ?? 0);
        });
        text += ID_FOR_EVERY_FILE;
        const result = extractWithinLimit(text);
        if (!result.ok) throw new Error(`refused: ${result.reason}`);
        expect(result.invalid).toEqual(expected.slice(0, 10));
        expect(result.invalidCount).toBe(expected.length);
      }),
      { numRuns: 300, timeout: RUN_TIME_LIMIT_MS },
    ));
});
