import { describeCsvNote, describeCsvRefusal } from '../../src/slack/blocks/csvReading';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import {
  type CsvExtraction,
  type CsvExtractionOptions,
  type CsvQuestion,
  type CsvRefusal,
  DEFAULT_MAX_CSV_BYTES,
  extractIdsFromCsv,
  isCsvQuestion,
} from '../../src/services/csvIds';
import { FIXTURE_IDS } from '../fixtures/participantIds';

function fixture(name: string): Buffer {
  return readFileSync(join(__dirname, '..', 'fixtures', name));
}

function question(data: Buffer | string, opts?: CsvExtractionOptions): CsvQuestion {
  const result = extractIdsFromCsv(data, opts);
  if (!isCsvQuestion(result)) throw new Error(`expected a question, got ${result.ok ? `${result.ids.length} ids` : result.reason}`);
  return result;
}

/** The ids read, checked to come with the same ids indexed in the same order (which the plan reuses). */
function extracted(data: Buffer | string, opts?: CsvExtractionOptions): Omit<CsvExtraction, 'distinct'> {
  const result = extractIdsFromCsv(data, opts);
  if (!result.ok) throw new Error(`expected ids, got ${result.reason}`);
  const { distinct, ...rest } = result;
  expect(distinct.list).toEqual(result.ids);
  return rest;
}

function refused(data: Buffer | string, opts?: { maxBytes?: number }): CsvRefusal {
  const result = extractIdsFromCsv(data, opts);
  if (result.ok) throw new Error(`expected a refusal, got ${result.ids.length} ids`);
  if (isCsvQuestion(result)) throw new Error(`expected a refusal, got the question ${result.reason}`);
  return result;
}


const ID_A = '5f8d0d55b54764421b7156c9';
const ID_B = '60a7c0f2e4b0c81d2f9e3a11';
const ID_C = '6123456789abcdef01234567';

describe('extractIdsFromCsv on the fixtures', () => {
  it('prolific-export.csv: the "Participant id" header wins over the 24-hex "Submission id" column; only APPROVED rows by default', () => {
    expect(extracted(fixture('prolific-export.csv'))).toEqual({
      ok: true,
      ids: [FIXTURE_IDS[1], FIXTURE_IDS[2], FIXTURE_IDS[7], FIXTURE_IDS[8]],
      column: { index: 1, header: 'Participant id', chosenBy: 'header' },
      delimiter: ',',
      hasHeader: true,
      dataRows: 8,
      invalid: [],
      invalidCount: 0,
      duplicateCount: 0,
      note: { kind: 'several_id_columns', count: 2, used: { index: 1, header: 'Participant id' } },
      statuses: { index: 2, byStatus: { APPROVED: 4, 'AWAITING REVIEW': 1, RETURNED: 1, 'TIMED-OUT': 1, REJECTED: 1 }, used: ['APPROVED'], allRows: false },
    });
  });

  it('prolific-export.csv: awaiting review included, or all rows, when chosen', () => {
    const withReview = extracted(fixture('prolific-export.csv'), { statuses: ['APPROVED', 'AWAITING REVIEW'] });
    expect(withReview.ids).toEqual([FIXTURE_IDS[1], FIXTURE_IDS[2], FIXTURE_IDS[3], FIXTURE_IDS[7], FIXTURE_IDS[8]]);
    expect(withReview.statuses?.used).toEqual(['APPROVED', 'AWAITING REVIEW']);
    const all = extracted(fixture('prolific-export.csv'), { statuses: 'all' });
    expect(all.ids).toHaveLength(8);
    expect(all.statuses).toMatchObject({ allRows: true, used: ['APPROVED', 'AWAITING REVIEW', 'RETURNED', 'TIMED-OUT', 'REJECTED'] });
  });

  it('an export with no APPROVED row asks which rows to use instead of choosing', () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'prolific-export.csv'), 'utf8').replace(/,APPROVED,/g, ',RETURNED,');
    expect(question(text)).toEqual({
      ok: false,
      reason: 'no_rows_with_status',
      statuses: { index: 2, byStatus: { RETURNED: 5, 'AWAITING REVIEW': 1, 'TIMED-OUT': 1, REJECTED: 1 }, used: ['APPROVED'], allRows: false },
    });
  });

  it('bom-crlf.csv: BOM and CRLF', () => {
    const result = extracted(fixture('bom-crlf.csv'));
    expect(result.ids).toEqual([FIXTURE_IDS[9], FIXTURE_IDS[10], FIXTURE_IDS[11], FIXTURE_IDS[12], FIXTURE_IDS[13]]);
    expect(result.column).toEqual({ index: 0, header: 'participant_id', chosenBy: 'header' });
    expect(result.hasHeader).toBe(true);
    expect(result.dataRows).toBe(5);
    expect(result.invalidCount).toBe(0);
    expect(result.note).toBeNull();
  });

  it('semicolons.csv: semicolon delimiter with decimal commas and a quoted semicolon', () => {
    const result = extracted(fixture('semicolons.csv'));
    expect(result.delimiter).toBe(';');
    expect(result.ids).toEqual([FIXTURE_IDS[14], FIXTURE_IDS[15], FIXTURE_IDS[16], FIXTURE_IDS[17], FIXTURE_IDS[18]]);
    expect(result.column).toEqual({ index: 0, header: 'participant_id', chosenBy: 'header' });
    expect(result.invalidCount).toBe(0);
  });

  it('quoted.csv: quoted fields with commas, escaped quotes and a line break keep line numbers right', () => {
    expect(extracted(fixture('quoted.csv'))).toEqual({
      ok: true,
      ids: [FIXTURE_IDS[19], FIXTURE_IDS[20], FIXTURE_IDS[29], FIXTURE_IDS[30]],
      column: { index: 0, header: 'participant_id', chosenBy: 'header' },
      delimiter: ',',
      hasHeader: true,
      dataRows: 5,
      invalid: [{ line: 6, value: 'not-an-id' }],
      invalidCount: 1,
      duplicateCount: 0,
      note: null,
      statuses: null,
    });
  });

  it('headerless.csv: one column, no header, a blank line skipped silently', () => {
    expect(extracted(fixture('headerless.csv'))).toEqual({
      ok: true,
      ids: [FIXTURE_IDS[31], FIXTURE_IDS[32], FIXTURE_IDS[33], FIXTURE_IDS[34], FIXTURE_IDS[35], FIXTURE_IDS[36]],
      column: { index: 0, header: null, chosenBy: 'single' },
      delimiter: ',',
      hasHeader: false,
      dataRows: 6,
      invalid: [],
      invalidCount: 0,
      duplicateCount: 0,
      note: null,
      statuses: null,
    });
  });

  it('tabs.tsv: tab delimiter even though a column holds commas', () => {
    const result = extracted(fixture('tabs.tsv'));
    expect(result.delimiter).toBe('\t');
    expect(result.ids).toEqual([FIXTURE_IDS[37], FIXTURE_IDS[38], FIXTURE_IDS[39], FIXTURE_IDS[40]]);
    expect(result.column).toEqual({ index: 0, header: 'Participant ID', chosenBy: 'header' });
  });

  it('mixed-invalid-duplicates.csv: exact ids, invalid lines and duplicate count', () => {
    expect(extracted(fixture('mixed-invalid-duplicates.csv'))).toEqual({
      ok: true,
      ids: [FIXTURE_IDS[1], FIXTURE_IDS[2], FIXTURE_IDS[3], FIXTURE_IDS[4], FIXTURE_IDS[5], FIXTURE_IDS[7], FIXTURE_IDS[8]],
      column: { index: 0, header: 'participant_id', chosenBy: 'header' },
      delimiter: ',',
      hasHeader: true,
      dataRows: 14,
      invalid: [
        { line: 7, value: '12345' },
        { line: 11, value: '01dc6054f16adcd6557fd92g' },
        { line: 13, value: 'N/A' },
        { line: 15, value: '01dc6054f16adcd6557fd926 x' },
      ],
      invalidCount: 4,
      duplicateCount: 2,
      note: null,
      statuses: null,
    });
  });

  it('two-id-columns.csv: no header names participants, so it asks which column, with a sample of each', () => {
    expect(question(fixture('two-id-columns.csv'))).toEqual({
      ok: false,
      reason: 'which_column',
      columns: [
        { index: 0, header: 'respondent', sample: ['4dc776a81b9ac9c85a9364a5', '4e90553f9801bdb5a4ffd95a', '8d26d2f8b050c0dab9a4626a'], ids: 3 },
        { index: 1, header: 'reference', sample: [FIXTURE_IDS[21], FIXTURE_IDS[22], FIXTURE_IDS[23]], ids: 4 },
      ],
    });
  });

  it('two-id-columns.csv: the column chosen when asked', () => {
    expect(extracted(fixture('two-id-columns.csv'), { column: 1 })).toEqual({
      ok: true,
      ids: [FIXTURE_IDS[21], FIXTURE_IDS[22], FIXTURE_IDS[23], FIXTURE_IDS[24]],
      column: { index: 1, header: 'reference', chosenBy: 'asked' },
      delimiter: ',',
      hasHeader: true,
      dataRows: 4,
      invalid: [],
      invalidCount: 0,
      duplicateCount: 0,
      note: null,
      statuses: null,
    });
  });

  it.each([
    ['empty.csv', 'empty', 'This file is empty. Export your participants again and upload the CSV.'],
    [
      'header-only.csv',
      'header_only',
      'This file has a header row but no participants. Export your participants again and upload the CSV.',
    ],
    ['binary.bin', 'binary', expect.stringContaining("doesn't look like a text file")],
    [
      'login-page.html',
      'html',
      'This looks like a web page, not a CSV. If you downloaded it from a link, you may have been signed out; download it again.',
    ],
    [
      'no-ids.csv',
      'no_id_column',
      'No column of participant ids was found. Put the ids in a column headed participant_id, or in the first column.',
    ],
  ])('%s is refused as %s', (name, reason, message) => {
    const result = refused(fixture(name));
    expect(result).toEqual({ ok: false, reason });
    expect(describeCsvRefusal(result)).toEqual(message);
  });

  it('gives the same answer for a string as for its bytes', () => {
    for (const name of ['prolific-export.csv', 'bom-crlf.csv', 'quoted.csv', 'mixed-invalid-duplicates.csv']) {
      const bytes = fixture(name);
      expect(extractIdsFromCsv(bytes.toString('utf8'))).toEqual(extractIdsFromCsv(bytes));
      expect(extractIdsFromCsv(new Uint8Array(bytes))).toEqual(extractIdsFromCsv(bytes));
    }
  });
});

describe('extractIdsFromCsv size limit', () => {
  afterEach(() => jest.restoreAllMocks());

  it('refuses a file over 10 MB by its size, without parsing it', () => {
    const parse = jest.spyOn(Papa, 'parse');
    const big = Buffer.alloc(DEFAULT_MAX_CSV_BYTES + 1, `${ID_A}\n`);
    const result = refused(big);
    expect(result.reason).toBe('too_large');
    expect(describeCsvRefusal(result)).toMatch(/^This file is over 10 MB \(it is 10\.0 MB\)\./);
    expect(parse).not.toHaveBeenCalled();
  });

  it('measures strings in UTF-8 bytes', () => {
    const parse = jest.spyOn(Papa, 'parse');
    // 600 two-byte characters: 600 UTF-16 units but 1,200 bytes.
    expect(refused(`participant_id\n${'é'.repeat(600)}`, { maxBytes: 1024 }).reason).toBe('too_large');
    expect(describeCsvRefusal(refused('x'.repeat(2000), { maxBytes: 1024 }))).toMatch(/^This file is over 1 KB \(it is 2 KB\)/);
    expect(parse).not.toHaveBeenCalled();
  });

  it('accepts a file of exactly maxBytes', () => {
    const text = `${ID_A}\n${ID_B}\n`;
    expect(extracted(text, { maxBytes: Buffer.byteLength(text) }).ids).toEqual([ID_A, ID_B]);
  });
});

describe('extractIdsFromCsv line endings and line numbers', () => {
  const rows = ['participant_id', ID_A, 'bad-1', ID_B, 'bad-2'];

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['lone CR', '\r'],
  ])('%s', (_label, newline) => {
    const result = extracted(rows.join(newline) + newline);
    expect(result.ids).toEqual([ID_A, ID_B]);
    expect(result.invalid).toEqual([
      { line: 3, value: 'bad-1' },
      { line: 5, value: 'bad-2' },
    ]);
  });

  it('mixed line endings', () => {
    const result = extracted(`participant_id\r\n${ID_A}\nbad-1\r${ID_B}\r\nbad-2`);
    expect(result.ids).toEqual([ID_A, ID_B]);
    expect(result.invalid.map((entry) => entry.line)).toEqual([3, 5]);
  });

  it('counts lines inside quoted fields, including CRLF inside quotes', () => {
    const text = `id,note\r\n${ID_A},"two\r\nlines"\r\nbad-1,"three\r\nmore\r\nlines"\r\nbad-2,x\r\n`;
    const result = extracted(text);
    expect(result.invalid).toEqual([
      { line: 4, value: 'bad-1' },
      { line: 7, value: 'bad-2' },
    ]);
  });

  it('numbers blank lines too', () => {
    expect(extracted(`\n\nparticipant_id\n\n${ID_A}\n\nbad\n`).invalid).toEqual([{ line: 7, value: 'bad' }]);
  });
});

describe('extractIdsFromCsv id column and header rules', () => {
  it.each([
    'participant_id',
    'Participant id',
    'PARTICIPANT-ID',
    'participantId',
    'PROLIFIC_PID',
    'prolific_id',
    'pid',
    'ID',
  ])('recognises the header %s', (header) => {
    const result = extracted(`score,${header}\n3,${ID_A}\n4,${ID_B}\n`);
    expect(result.column).toEqual({ index: 1, header, chosenBy: 'header' });
    expect(result.ids).toEqual([ID_A, ID_B]);
  });

  it('prefers the earlier header name when several match', () => {
    const result = extracted(`id,pid,participant_id\n${ID_A},${ID_B},${ID_C}\n`);
    expect(result.column).toEqual({ index: 2, header: 'participant_id', chosenBy: 'header' });
    expect(result.ids).toEqual([ID_C]);
    expect(describeCsvNote(result.note!)).toBe('Three columns contain participant ids; used column 3 “participant_id”.');
  });

  it('uses a header-named column even when most of its values are invalid', () => {
    const result = extracted(`participant_id,score\n${ID_A},1\nbad,2\nworse,3\n`);
    expect(result.column.chosenBy).toBe('header');
    expect(result.ids).toEqual([ID_A]);
    expect(result.invalidCount).toBe(2);
  });

  it('skips a header-named column without ids in favour of a column of ids, and says so', () => {
    const result = extracted(`id,worker\n1,${ID_A}\n2,${ID_B}\n`);
    expect(result.column).toEqual({ index: 1, header: 'worker', chosenBy: 'values' });
    expect(result.ids).toEqual([ID_A, ID_B]);
    expect(describeCsvNote(result.note!)).toBe('Column 1 “id” has no participant ids; used column 2 “worker” instead.');
  });

  it('refuses a header-named column that has no ids when nothing else has any', () => {
    const result = refused('participant_id,score\nabc,1\ndef,2\n');
    expect(result.reason).toBe('no_valid_ids');
    expect(describeCsvRefusal(result)).toBe(
      'None of the 2 values in column 1 is a participant id. Participant ids are 24 characters of 0–9 and a–f, like 5f8d0d55b54764421b7156c9. Check that you uploaded the right file.',
    );
  });

  it('refuses a header-named column that is empty', () => {
    const result = refused('score,participant_id\n1,\n2,\n');
    expect(result.reason).toBe('no_valid_ids');
    expect(describeCsvRefusal(result)).toMatch(/^The participant id column \(column 2\) is empty\./);
  });

  it('refuses a one-column file without ids', () => {
    expect(refused('apple\npear\nplum\n').reason).toBe('no_valid_ids');
  });

  it('asks rather than choosing between two equally good id columns, and reads the one chosen', () => {
    expect(question(`${ID_A},${ID_B}\n${ID_B},${ID_C}\n`)).toEqual({
      ok: false,
      reason: 'which_column',
      columns: [
        { index: 0, header: null, sample: [ID_A, ID_B], ids: 2 },
        { index: 1, header: null, sample: [ID_B, ID_C], ids: 2 },
      ],
    });
    const result = extracted(`${ID_A},${ID_B}\n${ID_B},${ID_C}\n`, { column: 0 });
    expect(result.column).toEqual({ index: 0, header: null, chosenBy: 'asked' });
    expect(result.hasHeader).toBe(false);
    expect(result.ids).toEqual([ID_A, ID_B]);
  });

  it('qualifies a column by values when at least 80% of its values are ids', () => {
    const fourOfFive = `name,code\na,${ID_A}\nb,${ID_B}\nc,${ID_C}\nd,aaaaaaaaaaaaaaaaaaaaaaaa\ne,oops\n`;
    expect(extracted(fourOfFive).column).toEqual({ index: 1, header: 'code', chosenBy: 'values' });
    const threeOfFive = `name,code\na,${ID_A}\nb,${ID_B}\nc,${ID_C}\nd,nope\ne,oops\n`;
    expect(refused(threeOfFive).reason).toBe('no_id_column');
  });

  it('falls back to the first column when it holds some ids', () => {
    const result = extracted(`${ID_A},x\nnope,y\nmaybe,z\n`);
    expect(result.column).toEqual({ index: 0, header: null, chosenBy: 'values' });
    expect(result.ids).toEqual([ID_A]);
    expect(result.invalid).toEqual([
      { line: 2, value: 'nope' },
      { line: 3, value: 'maybe' },
    ]);
  });

  it('detects an unknown header above a single column of ids', () => {
    const result = extracted(`Prolific IDs\n${ID_A}\n${ID_B}\n`);
    expect(result.hasHeader).toBe(true);
    expect(result.column).toEqual({ index: 0, header: 'Prolific IDs', chosenBy: 'single' });
    expect(result.invalidCount).toBe(0);
  });

  it('reports a mistyped first id instead of taking it for a header', () => {
    const typo = '5f8d0d55b54764421b7156cz';
    const result = extracted(`${typo}\n${ID_B}\n${ID_C}\n`);
    expect(result.hasHeader).toBe(false);
    expect(result.invalid).toEqual([{ line: 1, value: typo }]);
  });

  it('treats a first row holding an id as data even when the chosen cell is not an id', () => {
    // Both columns hold ids, so the researcher is asked first.
    expect(question(`bad,${ID_A}\n${ID_B},${ID_C}\n${ID_A},${ID_B}\n`).reason).toBe('which_column');
    const result = extracted(`bad,${ID_A}\n${ID_B},${ID_C}\n${ID_A},${ID_B}\n`, { column: 1 });
    expect(result.hasHeader).toBe(false);
    expect(result.column.index).toBe(1);
    expect(result.ids).toEqual([ID_A, ID_C, ID_B]);
  });

  it('handles rows of different widths', () => {
    const result = extracted(`participant_id,score,comment\n${ID_A}\n${ID_B},3\n,4,no id\n${ID_C},5,fine,extra\n`);
    expect(result.ids).toEqual([ID_A, ID_B, ID_C]);
    expect(result.dataRows).toBe(4);
    expect(result.invalidCount).toBe(0);
  });

  it('finds the delimiter of a ragged semicolon file papaparse cannot detect', () => {
    const text = `participant_id;score\n${ID_A};3,5\n${ID_B}\n${ID_C};4,0\n`;
    const result = extracted(text);
    expect(result.delimiter).toBe(';');
    expect(result.ids).toEqual([ID_A, ID_B, ID_C]);
    expect(result.invalidCount).toBe(0);
  });

  it('reads a one-line list of ids as a list', () => {
    expect(extracted(`${ID_A}, ${ID_B},${ID_A.toUpperCase()}, nope ,${ID_C}\n`)).toEqual({
      ok: true,
      ids: [ID_A, ID_B, ID_C],
      column: { index: 0, header: null, chosenBy: 'values' },
      delimiter: ',',
      hasHeader: false,
      dataRows: 1,
      invalid: [{ line: 1, value: ' nope ' }],
      invalidCount: 1,
      duplicateCount: 1,
      note: { kind: 'one_line_list' },
      statuses: null,
    });
  });

  it('reads a single export row with two id columns as a row, not a list: it asks which column', () => {
    const asked = question(`${ID_A},${ID_B},APPROVED,2024-05-02,758,34,Female\n`);
    expect(asked.reason === 'which_column' && asked.columns.map((c) => c.sample)).toEqual([[ID_A], [ID_B]]);
    expect(extracted(`${ID_A},${ID_B},APPROVED,2024-05-02,758,34,Female\n`, { column: 1 }).ids).toEqual([ID_B]);
  });

  it('does not pick a delimiter from inside the ids of a one-column file', () => {
    const result = extracted(`${ID_A}\n${ID_B}\n`);
    expect(result.delimiter).toBe(',');
    expect(result.column.chosenBy).toBe('single');
  });
});

describe('extractIdsFromCsv reporting', () => {
  it('keeps the first 10 invalid values and counts the rest', () => {
    const bad = Array.from({ length: 25 }, (_, i) => `bad-${i}`);
    const result = extracted(['participant_id', ID_A, ...bad].join('\n'));
    expect(result.invalidCount).toBe(25);
    expect(result.invalid).toHaveLength(10);
    expect(result.invalid[0]).toEqual({ line: 3, value: 'bad-0' });
    expect(result.invalid[9]).toEqual({ line: 12, value: 'bad-9' });
  });

  it('truncates long invalid values to 40 characters', () => {
    const long = 'x'.repeat(100);
    const [entry] = extracted(`participant_id\n${ID_A}\n${long}\n`).invalid;
    expect(entry?.value).toHaveLength(40);
    expect(entry?.value).toBe(`${'x'.repeat(39)}…`);
  });

  it('does not split a surrogate pair when truncating', () => {
    // The 39th UTF-16 unit is the first half of an emoji.
    const long = `${'x'.repeat(38)}😀😀😀`;
    const [entry] = extracted(`participant_id\n${ID_A}\n${long}\n`).invalid;
    expect(entry?.value).toBe(`${'x'.repeat(38)}…`);
  });

  it('returns invalid values raw, leaving escaping to the caller', () => {
    const [entry] = extracted(`participant_id\n${ID_A}\n<!channel> *hi*\n`).invalid;
    expect(entry?.value).toBe('<!channel> *hi*');
  });

  it('skips empty cells and cells holding only quotes or spaces', () => {
    const result = extracted(`participant_id,x\n${ID_A},1\n,2\n" ",3\n'',4\n`);
    expect(result.invalidCount).toBe(0);
    expect(result.dataRows).toBe(4);
  });
});

describe('extractIdsFromCsv refusals', () => {
  it.each([
    ['whitespace only', ' \n\t\r\n  '],
    ['a byte order mark only', '\ufeff'],
    ['delimiters only', ',,,\n,,\n,\n'],
    ['semicolons only', ';;;\r\n;;\r\n'],
    ['empty quoted cells only', '"",""\n""\n'],
  ])('%s is empty', (_label, text) => {
    expect(refused(text).reason).toBe('empty');
  });

  it.each([
    ['a doctype after whitespace and a BOM', '\ufeff  \n<!DOCTYPE html><html><body>x</body></html>'],
    ['an html tag', '<HTML><body>Sign in</body></HTML>'],
    ['a comment before the document', '<!-- page --><head><title>Sign in</title></head>'],
  ])('%s is html', (_label, text) => {
    expect(refused(text).reason).toBe('html');
  });

  it('does not take a CSV whose first cell starts with < for html', () => {
    expect(extracted(`<participant list>\n${ID_A}\n`).ids).toEqual([ID_A]);
  });

  it('refuses text with NUL bytes, such as UTF-16 without a byte order mark', () => {
    expect(refused(Buffer.from(`participant_id\n${ID_A}\n`, 'utf16le')).reason).toBe('binary');
    expect(refused(`participant_id\n${ID_A}\u0000\n`).reason).toBe('binary');
  });

  it('refuses text full of control characters', () => {
    const controls = Buffer.alloc(200);
    for (let i = 0; i < controls.length; i++) controls[i] = 1 + (i % 8);
    expect(refused(Buffer.concat([Buffer.from(`${ID_A}\n`), controls])).reason).toBe('binary');
  });

  it('refuses a spreadsheet saved as .xlsx and a PDF, even one with no NUL near its start', () => {
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from('[Content_Types].xml')]);
    expect(refused(xlsx).reason).toBe('binary');
    const pdf = Buffer.from(`%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n${ID_A}\n`, 'latin1');
    expect(refused(pdf).reason).toBe('binary');
  });

  it('header_only for a single row without ids, not for a single row with one', () => {
    expect(refused('"Submission id","Participant id","Status"\r\n').reason).toBe('header_only');
    expect(extracted(`${ID_A}\n`).ids).toEqual([ID_A]);
  });
});

describe('extractIdsFromCsv encodings', () => {
  it('reads UTF-16LE with a byte order mark (Excel "Unicode Text")', () => {
    const text = `\ufeffParticipant id\tName\r\n${ID_A}\tZoë\r\n${ID_B}\tJosé\r\n`;
    const result = extracted(Buffer.from(text, 'utf16le'));
    expect(result.delimiter).toBe('\t');
    expect(result.ids).toEqual([ID_A, ID_B]);
  });

  it('reads a Windows-1252 file with accented names', () => {
    const latin1 = Buffer.from(`participant_id,name\n${ID_A},Zo\xeb\n${ID_B},Jos\xe9\n`, 'latin1');
    expect(extracted(latin1).ids).toEqual([ID_A, ID_B]);
  });

  it('strips a BOM from a string', () => {
    expect(extracted(`\ufeffparticipant_id\n${ID_A}\n`).column.header).toBe('participant_id');
  });
});

describe('extractIdsFromCsv at scale', () => {
  it('reads a 100,000-row Prolific-style export', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => i.toString(16).padStart(24, '0'));
    const lines = ['"Submission id","Participant id","Status","Started at","Completed at","Time taken","Age","Sex"'];
    for (let i = 0; i < ids.length; i++) {
      const submission = (i + 1_000_000).toString(16).padStart(24, 'f');
      lines.push(`${submission},${ids[i]},APPROVED,2024-05-02T09:14:03Z,2024-05-02T09:26:41Z,758,34,Female`);
    }
    // About 11 MB: over the default limit, which is about the upload, not the parser.
    const result = extracted(lines.join('\r\n'), { maxBytes: 20 * 1024 * 1024 });
    expect(result.ids).toHaveLength(100_000);
    expect(result.ids[99_999]).toBe(ids[99_999]);
    expect(result.column).toEqual({ index: 1, header: 'Participant id', chosenBy: 'header' });
  });
});
