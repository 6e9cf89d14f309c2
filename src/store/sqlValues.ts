// How the store's values cross the SQL boundary, shared by every aggregate: id lists as one
// newline-joined text value, jsonb as text, and timestamps as the server's text (both drivers
// return them unparsed, see TYPES_RETURNED_AS_TEXT in database.ts).
import parsePostgresDate from 'postgres-date';
import type { Queryable } from './database';

// Ids arrive from Slack buttons and commands; anything that is not a uuid cannot name a record,
// and sending it to a uuid column would only produce a database error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string): boolean => UUID.test(id);

/** Id lists are stored as one newline-joined text value (see migrations.ts). */
export function encodeIds(ids: readonly string[]): string {
  for (const id of ids) {
    // An empty id or one with a newline would not survive the round trip.
    if (id === '' || id.includes('\n')) throw new Error(`store: invalid id in list: ${JSON.stringify(id)}`);
  }
  return ids.join('\n');
}

export function decodeIds(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

/** The length of a Prolific participant id: 24 hexadecimal digits, 12 bytes. */
const PACKED_ID_DIGITS = 24;
const PACKED_ID_BYTES = 12;

/**
 * An id list as it is stored. A list of Prolific ids (24 lower-case hexadecimal digits each, as
 * every id the app reads or normalises is) goes as 12 bytes per id, a `bytea` parameter sent in
 * the protocol's binary format (both drivers send a Buffer so; PGlite is told to in
 * pgliteOptions), half the bytes of the text form and a third of the hex text once sent, and
 * nothing for the database to decode. Any other list keeps the newline-joined text form.
 * Exactly one of the two holds the list; `bytes` is null for text.
 */
export function packIds(ids: readonly string[]): { text: string; bytes: Buffer | null } {
  if (ids.length === 0) return { text: '', bytes: null };
  const bytes = idBytes(ids);
  return bytes ? { text: '', bytes } : { text: encodeIds(ids), bytes: null };
}

/**
 * The ids' bytes, each id's 24 digits read two at a time, or null at the first id that is not
 * 24 lower-case hexadecimal digits. Read here rather than joined and decoded by Buffer: that made
 * a 10 MB string of a 400,000-id list to check and decode, three passes instead of one.
 */
function idBytes(ids: readonly string[]): Buffer | null {
  const bytes = Buffer.allocUnsafe(ids.length * PACKED_ID_BYTES);
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id.length !== PACKED_ID_DIGITS) return null;
    for (let k = 0; k < PACKED_ID_DIGITS; k += 2) {
      const high = HEX_VALUE[id.charCodeAt(k)] ?? -1;
      const low = HEX_VALUE[id.charCodeAt(k + 1)] ?? -1;
      if ((high | low) < 0) return null;
      bytes[at++] = (high << 4) | low;
    }
  }
  return bytes;
}

/** Each character code's value as a lower-case hexadecimal digit, or -1 (past the table: undefined). */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, code) => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1));

/** How many ids packIds' value holds. */
export function packedCount(packed: { text: string; bytes: Buffer | null }): number {
  return packed.bytes ? packed.bytes.length / PACKED_ID_BYTES : decodeIds(packed.text).length;
}

/** The list packIds stored, from its text column and its bytea column read back as hex (`encode(…, 'hex')`). */
export function unpackIds(text: string, hex: string | null): string[] {
  if (hex === null) return decodeIds(text);
  const ids = new Array<string>(hex.length / PACKED_ID_DIGITS);
  for (let i = 0; i < ids.length; i++) ids[i] = hex.slice(i * PACKED_ID_DIGITS, (i + 1) * PACKED_ID_DIGITS);
  return ids;
}

/** A timestamptz as a Date, parsed by the same parser `pg` uses for the server's text. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const parsed = parsePostgresDate(value);
    // ±infinity comes back as a number; no column the store writes holds one. The Date is made
    // here, in this module's realm, so `instanceof Date` holds for callers (see database.ts).
    if (parsed !== null) return new Date(typeof parsed === 'number' ? parsed : parsed.getTime());
  }
  return new Date(value as string | number);
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** A jsonb value, parsed here from the server's text. */
export function fromJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A jsonb parameter: serialised here so both drivers send the same text. */
export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** The first row of a statement, or null. */
export async function firstRow<Row>(db: Queryable, sql: string, params: unknown[]): Promise<Row | null> {
  const rows = await db.query<Row>(sql, params);
  return rows[0] ?? null;
}

/** The `n` a counting statement returns (0 when it returns no row). */
export async function countOf(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  return (await firstRow<{ n: number }>(db, sql, params))?.n ?? 0;
}
