/**
 * Prolific participant ids: 24 hexadecimal characters (MongoDB ObjectIds).
 *
 * Researchers copy ids out of spreadsheets, exports and chat messages, so the
 * raw text often carries padding, quotes (including the typographic quotes
 * that word processors and Slack insert) or upper-case letters. Everything in
 * the app compares ids in one canonical form: trimmed and lower-case.
 */

/** The canonical (normalised) form of a participant id. */
export const PARTICIPANT_ID_PATTERN = /^[0-9a-f]{24}$/;

const PARTICIPANT_ID_LENGTH = 24;

/**
 * Characters stripped from both ends of a raw id: whitespace (including
 * non-breaking and zero-width spaces that come with copy-and-paste from web
 * pages), straight, typographic and angle quotes, and backticks (Slack code
 * formatting).
 */
function isPaddingCode(code: number): boolean {
  if (code <= 0x20) return true; // space and ASCII control characters (tab, CR, LF, ...)
  switch (code) {
    case 0x22: // "
    case 0x27: // '
    case 0x60: // `
    case 0x7f: // DEL
    case 0xa0: // no-break space
    case 0xab: // «
    case 0xbb: // »
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x2060: // word joiner
    case 0x3000:
    case 0xfeff: // byte order mark / zero-width no-break space
      return true;
    default:
      // U+2000–U+200D: typographic spaces and zero-width space/joiners;
      // U+2018–U+201F: ‘ ’ ‚ ‛ “ ” „ ‟; U+2039–U+203A: ‹ ›.
      return (
        (code >= 0x2000 && code <= 0x200d) ||
        (code >= 0x2018 && code <= 0x201f) ||
        code === 0x2039 ||
        code === 0x203a
      );
  }
}

function isHexCode(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x61 && code <= 0x66) || // a-f
    (code >= 0x41 && code <= 0x46) // A-F
  );
}

/**
 * The text between leading and trailing padding (see {@link isPaddingCode}).
 * Returns '' when the text is padding only.
 */
export function stripIdPadding(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && isPaddingCode(raw.charCodeAt(start))) start++;
  while (end > start && isPaddingCode(raw.charCodeAt(end - 1))) end--;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}

/**
 * The canonical form of a raw participant id, or null when the text is not
 * one. Surrounding whitespace and quotes are ignored; hex letters may be in
 * either case.
 *
 * Written without regular expressions because CSV import calls it once per
 * cell, often for hundreds of thousands of cells.
 */
export function normaliseParticipantId(raw: string): string | null {
  const inner = stripIdPadding(raw);
  if (inner.length !== PARTICIPANT_ID_LENGTH) return null;
  let hasUpper = false;
  for (let i = 0; i < PARTICIPANT_ID_LENGTH; i++) {
    const code = inner.charCodeAt(i);
    if (!isHexCode(code)) return null;
    if (code <= 0x46 && code >= 0x41) hasUpper = true;
  }
  return hasUpper ? inner.toLowerCase() : inner;
}

/** True when `s` is already a participant id in canonical form. */
export function isParticipantId(s: string): boolean {
  return PARTICIPANT_ID_PATTERN.test(s);
}

/** Ids typed or pasted into a Slack command or text box. */
export interface InlineIds {
  /** Normalised, de-duplicated, in the order first seen. */
  valid: string[];
  /** Tokens that are not ids, as typed, de-duplicated, in the order first seen. */
  invalid: string[];
  /** How many valid tokens repeated an id already seen (compared after normalisation). */
  duplicates: number;
}

// Backticks become separators so that `id`, ```id id``` and id`id all split cleanly.
const INLINE_SEPARATORS = /[\s,;`]+/;

/**
 * Splits pasted text into participant ids.
 *
 * Ids may be separated by spaces, commas, semicolons, tabs or newlines.
 * Slack formatting is tolerated: backticks (inline code and code blocks) are
 * ignored, and a token Slack wrapped in angle brackets (`<...>` or
 * `<...|label>`) is read from its label, or from its target when there is no
 * label. Invalid tokens are reported exactly as they appear between separators.
 */
export function parseInlineIds(text: string): InlineIds {
  const valid: string[] = [];
  const invalid: string[] = [];
  const seenValid = new Set<string>();
  const seenInvalid = new Set<string>();
  let duplicates = 0;

  for (const token of text.split(INLINE_SEPARATORS)) {
    if (token === '') continue;
    const id = normaliseParticipantId(unwrapSlackLink(token));
    if (id === null) {
      if (stripIdPadding(token) === '') continue; // a stray quote or invisible space, not a token
      if (!seenInvalid.has(token)) {
        seenInvalid.add(token);
        invalid.push(token);
      }
    } else if (seenValid.has(id)) {
      duplicates++;
    } else {
      seenValid.add(id);
      valid.push(id);
    }
  }
  return { valid, invalid, duplicates };
}

/** `<target|label>` → label, `<target>` → target; anything else unchanged. */
function unwrapSlackLink(token: string): string {
  if (token.length < 2 || !token.startsWith('<') || !token.endsWith('>')) return token;
  const inner = token.slice(1, -1);
  const bar = inner.lastIndexOf('|');
  return bar === -1 ? inner : inner.slice(bar + 1);
}
