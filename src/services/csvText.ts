// The text of an upload, or why it has none: too large, binary, a web page or blank. Decided
// before any parsing, so a wrong file costs no more than a look at its start.
import { isBinaryFileSync } from 'isbinaryfile';
import type { CsvRefusal } from './csvIds';

/** What isbinaryfile is shown: it judges the first 512 bytes, these chars are at least that. */
const BINARY_SNIFF_CHARS = 1024;
const HTML_SNIFF_CHARS = 4 * 1024;

const utf8Decoder = new TextDecoder('utf-8');
const utf16leDecoder = new TextDecoder('utf-16le');

/** Nothing but whitespace, delimiters and quotes: a file saved from an empty sheet. */
const BLANK_FILE = /^[\s,;"']*$/;

/** UTF-8 size of a string, without encoding it when it is clearly over the limit. */
function utf8Size(text: string, maxBytes: number): number {
  // Every UTF-16 code unit takes at least one byte in UTF-8.
  if (text.length > maxBytes) return text.length;
  return Buffer.byteLength(text, 'utf8');
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

/** The upload's text (byte order mark removed), or the refusal of a file that holds none. */
export function readUploadText(data: Buffer | Uint8Array | string, maxBytes: number): { ok: true; text: string } | CsvRefusal {
  const size = typeof data === 'string' ? utf8Size(data, maxBytes) : data.byteLength;
  if (size > maxBytes) return { ok: false, reason: 'too_large', size, maxBytes };
  let text = typeof data === 'string' ? data : decode(data);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (looksBinary(text)) return { ok: false, reason: 'binary' };
  if (looksLikeHtml(text)) return { ok: false, reason: 'html' };
  if (BLANK_FILE.test(text)) return { ok: false, reason: 'empty' };
  return { ok: true, text };
}
