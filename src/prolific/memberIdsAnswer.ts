// The participant ids of a members answer ({"results": [{"participant_id": "…", …}, …], …}),
// read straight from the received chunks without building the member objects.
//
// Most callers (a preview, a confirmation's re-read, the watcher) need only the ids. Parsing a
// 419,429-member answer (~37 MB) into objects made 419,429 objects and as many date strings the
// caller dropped at once: about a sixth of a large preview's time, and the garbage collection
// after it. Here one pass over the bytes takes each member's participant_id and nothing else;
// a string that ends in the same chunk with no backslash before its end is skipped whole
// (found with Buffer#indexOf), so most bytes are never looked at one by one.
//
// The pass checks the answer's structure (an object whose "results" array holds only objects,
// each with exactly one "participant_id" whose value is a plain string), not every token inside
// a member: the rest of the answer (outside "results") goes through JSON.parse. Anything else
// (an escaped id, a member that is not an object, a repeated key) returns undefined, and the
// caller parses the answer whole, so the ids are always those JSON.parse would give.

import {
  AnswerWalk,
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isBlank,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  RESULTS_KEY,
  STEP_FAIL,
  STEP_RESULTS,
  STEP_STRING,
} from './answerWalk';

const ID_KEY = Buffer.from('participant_id');

/** Whether chunk[from, end) holds exactly `key`'s bytes. */
function sameBytes(chunk: Buffer, from: number, end: number, key: Buffer): boolean {
  if (end - from !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (chunk[from + k] !== key[k]) return false;
  return true;
}

// What a string that is being read is: a key to match, the id to take, or a value to skip.
// Plain numbers, so the loop over every byte compares small integers.
const OTHER = 0;
const RESULTS_KEY_ROLE = 1; // a key of the answer (depth 1), matched against "results"
const MEMBER_KEY = 2; // a key of a member (depth 3), matched against "participant_id"
const ID = 3; // the value of a member's participant_id

/** The answer without its results (as parsed) and the members' ids in order; undefined when the fast path does not apply. */
export function scanMemberIds(chunks: Buffer[]): { answer: Record<string, unknown>; ids: string[] } | undefined {
  const rest: Buffer[] = []; // everything but the results array's content
  const ids: string[] = [];

  const walk = new AnswerWalk();
  let depth = 0; // inside the results array: 2 between members, 3 in a member
  let inResults = false;
  // Inside a member (depth 3): where a key may start, whether the next value is the id, and
  // how many ids this member has.
  let expectKey = false;
  let lastKeyIsId = false;
  let idValueNext = false;
  let idsInMember = 0;

  // A string read byte by byte (it crosses a chunk boundary or holds a backslash).
  let inString = false;
  let escaped = false;
  let role: number = OTHER;
  let pieces: Buffer[] = []; // its bytes in earlier chunks, when its role needs them
  let pieceStart = 0; // where its bytes start in the current chunk

  /** A string's bytes are complete (joined in `text`, or chunk[from, end)): act on them by its role. */
  const finish = (text: Buffer | null, chunk: Buffer, from: number, end: number): void => {
    switch (role) {
      case ID:
        ids.push(text ? text.toString('utf8') : chunk.toString('utf8', from, end));
        idsInMember += 1;
        break;
      case RESULTS_KEY_ROLE:
        walk.keyRead(text ? text.equals(RESULTS_KEY) : sameBytes(chunk, from, end, RESULTS_KEY));
        break;
      case MEMBER_KEY:
        lastKeyIsId = text ? text.equals(ID_KEY) : sameBytes(chunk, from, end, ID_KEY);
        break;
    }
    role = OTHER;
  };

  for (const chunk of chunks) {
    let from = 0; // start of the part of this chunk not yet assigned to rest
    let nextBackslash = chunk.indexOf(BACKSLASH); // -1: none in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (inString) {
        // The slow path: a string that began in an earlier chunk or holds a backslash.
        if (escaped) {
          escaped = false;
        } else if (byte === BACKSLASH) {
          // An escape: an id or a member's key with one is left to JSON.parse; in anything else it is skipped.
          if (role === ID || role === MEMBER_KEY) return undefined;
          role = OTHER;
          escaped = true;
        } else if (byte === QUOTE) {
          inString = false;
          if (role !== OTHER) {
            pieces.push(chunk.subarray(pieceStart, i));
            finish(Buffer.concat(pieces), chunk, 0, 0);
            pieces = [];
          }
        }
        continue;
      }
      if (!inResults) {
        const step = walk.step(byte);
        if (step === STEP_RESULTS) {
          inResults = true;
          rest.push(chunk.subarray(from, i + 1));
          depth = 2;
          continue;
        }
        if (step === STEP_FAIL) return undefined;
        if (step !== STEP_STRING) continue;
        role = walk.depth === 1 ? RESULTS_KEY_ROLE : OTHER;
      } else if (byte === QUOTE) {
        // A string opens in the results: what it is for depends on where it is.
        if (depth === 2) return undefined; // a member that is not an object
        if (depth === 3) {
          role = idValueNext ? ID : expectKey ? MEMBER_KEY : OTHER;
          idValueNext = false;
          expectKey = false;
        } else {
          role = OTHER;
        }
      } else if (depth === 2) {
        // Between members: only objects, commas and blanks.
        if (byte === OPEN_BRACE) {
          depth = 3;
          expectKey = true;
          idValueNext = false;
          lastKeyIsId = false;
          idsInMember = 0;
        } else if (byte === CLOSE_BRACKET) {
          inResults = false;
          from = i;
        } else if (byte !== COMMA && !isBlank(byte)) {
          return undefined;
        }
        continue;
      } else if (depth === 3) {
        switch (byte) {
          case COLON:
            idValueNext = lastKeyIsId;
            lastKeyIsId = false;
            break;
          case COMMA:
            expectKey = true;
            break;
          case CLOSE_BRACE:
            if (idsInMember !== 1) return undefined;
            depth = 2;
            break;
          case OPEN_BRACE:
          case OPEN_BRACKET:
            if (idValueNext) return undefined; // the id is not a string
            depth += 1;
            break;
          default:
            if (idValueNext && !isBlank(byte)) return undefined; // a number, null, true or false
        }
        continue;
      } else {
        // Inside a value of a member.
        if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth -= 1;
        continue;
      }
      // A string opens at i, its role set.
      const end = chunk.indexOf(QUOTE, i + 1);
      if (nextBackslash !== -1 && nextBackslash <= i) nextBackslash = chunk.indexOf(BACKSLASH, i + 1);
      if (end !== -1 && (nextBackslash === -1 || nextBackslash > end)) {
        finish(null, chunk, i + 1, end); // the whole string is here, unescaped
        i = end;
        continue;
      }
      // A backslash before the first quote, or no quote left in this chunk: read byte by byte.
      if (end !== -1 && (role === ID || role === MEMBER_KEY)) return undefined; // an escaped id or key: JSON.parse's to read
      if (end !== -1 && role === RESULTS_KEY_ROLE) role = OTHER; // an escaped key of the answer is not a plain "results"
      inString = true;
      escaped = false;
      pieces = [];
      pieceStart = i + 1;
    }
    if (inString && role !== OTHER) pieces.push(chunk.subarray(pieceStart));
    pieceStart = 0;
    if (!inResults && from < chunk.length) rest.push(chunk.subarray(from));
  }
  if (inResults || inString) return undefined;
  const answer = walk.answer(() => Buffer.concat(rest).toString('utf8'));
  if (answer === undefined) return undefined;
  return { answer, ids };
}
