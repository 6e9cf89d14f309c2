// What the app says about how an uploaded file was read: why it gives no ids, and a note on how
// its columns were read. Headers come from the file: escaped where they are shown.
import type { CsvIdColumn, CsvNamedColumn, CsvReadNote, CsvRefusal } from '../../services/csvIds';

/** The refusal of one file, with what to do next; nothing was sent to Prolific. */
export function csvRefusalText(fileName: string, refusal: CsvRefusal): string {
  return `${fileName}: ${describeCsvRefusal(refusal)} Nothing was sent to Prolific.`;
}

export function describeCsvRefusal(refusal: CsvRefusal): string {
  switch (refusal.reason) {
    case 'too_large':
      return (
        `This file is over ${formatSize(refusal.maxBytes)} (it is ${formatSize(refusal.size)}). ` +
        'Upload a CSV with only the participant id column, or split the list into smaller files.'
      );
    case 'binary':
      return (
        "This doesn't look like a text file (it contains binary data). " +
        'Save the participant list as CSV (in Excel or Google Sheets: File › Download or Save as › CSV) and upload that file.'
      );
    case 'html':
      return 'This looks like a web page, not a CSV. If you downloaded it from a link, you may have been signed out; download it again.';
    case 'empty':
      return 'This file is empty. Export your participants again and upload the CSV.';
    case 'header_only':
      return 'This file has a header row but no participants. Export your participants again and upload the CSV.';
    case 'no_id_column':
      return 'No column of participant ids was found. Put the ids in a column headed participant_id, or in the first column.';
    case 'no_valid_ids':
      return refusal.invalidCount === 0
        ? `The participant id column (column ${refusal.column + 1}) is empty. Export your participants again and upload the CSV.`
        : `None of the ${refusal.invalidCount} values in column ${refusal.column + 1} is a participant id. ` +
            'Participant ids are 24 characters of 0–9 and a–f, like 5f8d0d55b54764421b7156c9. ' +
            'Check that you uploaded the right file.';
  }
}

/** The note on how the columns were read (plain text: the caller escapes it). */
export function describeCsvNote(note: CsvReadNote): string {
  switch (note.kind) {
    case 'one_line_list':
      return 'All the ids are on one line, so every value on that line was read as an id.';
    case 'several_id_columns':
      return `${countWord(note.count)} columns contain participant ids; used ${columnName(note.used)}.`;
    case 'named_column_without_ids':
      return `Column ${note.named.index + 1} “${note.named.header ?? ''}” has no participant ids; used ${columnName(note.used)} instead.`;
  }
}

/** How a preview names a file as its source. */
export function fileSourceLabel(fileName: string, column: CsvIdColumn): string {
  const named = column.header ? `, column “${column.header}”` : column.chosenBy === 'asked' ? `, column ${column.index + 1}` : '';
  return `file ${fileName}${named}`;
}

function columnName(column: CsvNamedColumn): string {
  return `column ${column.index + 1}${column.header === null ? '' : ` “${column.header}”`}`;
}

const COUNT_WORDS = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];

function countWord(n: number): string {
  return COUNT_WORDS[n] ?? String(n);
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
