import { csvRefusalText, describeCsvNote, fileSourceLabel } from '../../../src/slack/blocks/csvReading';

describe('the words for how a file was read', () => {
  it('a refusal names the file and says nothing was sent', () => {
    expect(csvRefusalText('wave2.csv', { ok: false, reason: 'too_large', size: 12 * 1024 * 1024, maxBytes: 10 * 1024 * 1024 })).toBe(
      'wave2.csv: This file is over 10 MB (it is 12 MB). Upload a CSV with only the participant id column, or split the list into smaller files. Nothing was sent to Prolific.',
    );
    expect(csvRefusalText('x.csv', { ok: false, reason: 'no_valid_ids', column: 0, invalidCount: 0 })).toContain('The participant id column (column 1) is empty.');
  });

  it('notes count columns in words up to ten and name a column by its 1-based number and header', () => {
    expect(describeCsvNote({ kind: 'several_id_columns', count: 2, used: { index: 1, header: 'Participant id' } })).toBe(
      'Two columns contain participant ids; used column 2 “Participant id”.',
    );
    expect(describeCsvNote({ kind: 'several_id_columns', count: 12, used: { index: 0, header: null } })).toBe('12 columns contain participant ids; used column 1.');
    expect(describeCsvNote({ kind: 'named_column_without_ids', named: { index: 0, header: 'id' }, used: { index: 1, header: 'worker' } })).toBe(
      'Column 1 “id” has no participant ids; used column 2 “worker” instead.',
    );
  });

  it('a file source names its column by header, or by number when the researcher chose it', () => {
    expect(fileSourceLabel('a.csv', { index: 2, header: 'PID', chosenBy: 'header' })).toBe('file a.csv, column “PID”');
    expect(fileSourceLabel('a.csv', { index: 2, header: null, chosenBy: 'asked' })).toBe('file a.csv, column 3');
    expect(fileSourceLabel('a.csv', { index: 0, header: null, chosenBy: 'single' })).toBe('file a.csv');
  });
});
