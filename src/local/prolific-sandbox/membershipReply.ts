// The list answers of the groups API: {"results": [...]} plus the paging members when paging is on.

import type { HttpReply } from '../http/loopbackHttp';

// A membership answer can hold 200,000 members and is sent once per chunk, so it is written
// straight into one buffer: the fixed-width record is stamped over the whole buffer with one
// fill(), then only each id and join time is written in place. No per-member strings, little GC.
const RECORD_HEAD = '{"participant_id":"';
const RECORD_MID = '","datetime_created":"';
const ID_WIDTH = 24; // validated: 24 hex characters
const TIME_WIDTH = 24; // toISOString(): 2026-09-01T09:00:00.000Z
const RECORD = Buffer.from(`${RECORD_HEAD}${' '.repeat(ID_WIDTH)}${RECORD_MID}${' '.repeat(TIME_WIDTH)}"},`, 'latin1');
const ID_AT = RECORD_HEAD.length;
const TIME_AT = ID_AT + ID_WIDTH + RECORD_MID.length;

/** {"results": [members start..end]} plus the paging members in extra. */
export function membershipReply(members: Map<string, string>, start: number, end: number, extra: string): HttpReply {
  const open = Buffer.from('{"results":[', 'latin1');
  const close = Buffer.from(`]${extra}}`, 'latin1');
  const count = Math.max(0, end - start);
  const body = Buffer.allocUnsafe(open.length + count * RECORD.length + close.length);
  open.copy(body, 0);
  if (count > 0) body.fill(RECORD, open.length, open.length + count * RECORD.length);
  let offset = open.length;
  let index = 0;
  for (const [id, joinedAt] of members) {
    if (index >= end) break;
    if (index >= start) {
      if (id.length !== ID_WIDTH || joinedAt.length !== TIME_WIDTH) return slowMembershipReply(members, start, end, extra);
      body.write(id, offset + ID_AT, 'latin1');
      body.write(joinedAt, offset + TIME_AT, 'latin1');
      offset += RECORD.length;
    }
    index += 1;
  }
  // The last record's trailing comma is overwritten by the closing bracket.
  const closeAt = count > 0 ? offset - 1 : offset;
  close.copy(body, closeAt);
  return { status: 200, body: body.subarray(0, closeAt + close.length), headers: { 'content-type': 'application/json' } };
}

/** Same answer for members whose values do not fit the fixed-width record (not produced by the sandbox). */
function slowMembershipReply(members: Map<string, string>, start: number, end: number, extra: string): HttpReply {
  const parts: string[] = [];
  let index = 0;
  for (const [participant_id, datetime_created] of members) {
    if (index >= end) break;
    if (index >= start) parts.push(JSON.stringify({ participant_id, datetime_created }));
    index += 1;
  }
  return listReply(parts.join(','), extra);
}

export function listReply(itemsJson: string, extra: string): HttpReply {
  const body = `{"results":[${itemsJson}]${extra}}`;
  return { status: 200, body, headers: { 'content-type': 'application/json' } };
}
