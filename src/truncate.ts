// The one way the app shortens text to a limit. Slack counts its limits in UTF-16 code units, and a
// cut by units alone can leave half of an emoji (a lone surrogate), a letter without its accent, or
// half a flag. The cut lands between graphemes (user-perceived characters, as Intl.Segmenter finds
// them), so what is kept is whole characters and still fits the limit counted in UTF-16 units.

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Whether a grapheme boundary falls at a position depends on what comes before it and on the one
 * code point after it (Unicode's UAX #29 rules), so segmenting a little past the limit finds the same
 * boundaries as segmenting the whole text, at a cost that does not grow with the text.
 */
const LOOKAHEAD_UNITS = 16;

const ELLIPSIS = '…';

/** The longest prefix of `text` made of whole graphemes that is at most `maxUnits` UTF-16 units long. */
export function graphemePrefix(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  if (maxUnits <= 0) return '';
  // The grapheme holding the first unit past the limit starts at the last boundary within it.
  const holding = graphemes.segment(text.slice(0, maxUnits + LOOKAHEAD_UNITS)).containing(maxUnits);
  return text.slice(0, holding?.index ?? maxUnits);
}

/**
 * `text` when it fits in `max` UTF-16 units; otherwise the longest prefix of whole graphemes that
 * fits with a closing "…". `tidyCut` may shorten the kept prefix further (e.g. so it does not end
 * inside an escape), and must return a prefix of what it is given.
 */
export function truncate(text: string, max: number, tidyCut: (kept: string) => string = (kept) => kept): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  return `${tidyCut(graphemePrefix(text, max - ELLIPSIS.length))}${ELLIPSIS}`;
}
