// Parsing of list answers ({"results": [...], ...}) straight from the received chunks.
//
// A 200,000-member answer is ~18 MB of JSON. JSON.parse needs it as one string, which costs the
// string plus its decoding garbage on top of the objects (~40 MB more peak RSS). Here the
// results array is cut, at element boundaries, into batches of ~256 KB that are parsed one by
// one, so no large string is ever built. Anything unexpected falls back to plain JSON.parse,
// so the outcome (value or SyntaxError) is always JSON.parse's.
//
// Hand-written on purpose: a maintained streaming parser (@streamparser/json 0.0.26) put in its
// place was slower on bench:client (listing 200,000 members: median 2.4x the bare GET and
// JSON.parse, against 1.4x here), used no less memory, and took the add of 100,000 ids over the
// 200 MB aim (docs/BENCHMARKS.md, 2026-12-01).

import { StringDecoder } from 'node:string_decoder';
import {
  AnswerWalk,
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  RESULTS_KEY,
  STEP_FAIL,
  STEP_RESULTS,
  STEP_STRING,
} from './answerWalk';

const BATCH_BYTES = 256 * 1024;

/** UTF-8 text of a body, without first joining the chunks into one more large buffer. */
export function decodeChunks(chunks: Buffer[]): string {
  const decoder = new StringDecoder('utf8');
  const parts = chunks.map((chunk) => decoder.write(chunk));
  parts.push(decoder.end());
  return parts.join('');
}

/** What JSON.parse would make of the concatenated chunks. */
export function parseListAnswer(chunks: Buffer[], batchBytes = BATCH_BYTES): unknown {
  return parseInBatches(chunks, batchBytes) ?? JSON.parse(decodeChunks(chunks));
}

/** The parsed answer, or undefined when the fast path does not apply. */
function parseInBatches(chunks: Buffer[], batchBytes: number): Record<string, unknown> | undefined {
  const rest: Buffer[] = []; // everything but the results array's content
  const results: unknown[] = [];
  let batch: Buffer[] = [];
  let pending = 0; // bytes in batch

  const walk = new AnswerWalk();
  let depth = 0; // inside the results array: 1 between members
  let inString = false;
  let escaped = false;
  // Matching a depth-1 string against "results": index into RESULTS_KEY, -1 once it differs.
  let keyIndex = -1;
  let inResults = false;

  const flushBatch = (): boolean => {
    if (pending === 0) return true;
    let parsed: unknown;
    try {
      parsed = JSON.parse(`[${decodeChunks(batch)}]`);
    } catch {
      return false;
    }
    for (const item of parsed as unknown[]) results.push(item);
    batch = [];
    pending = 0;
    return true;
  };

  for (const chunk of chunks) {
    // Start of the part of this chunk not yet assigned to rest or to a batch.
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (inString) {
        if (escaped) {
          escaped = false;
          keyIndex = -1;
        } else if (byte === BACKSLASH) {
          escaped = true;
          keyIndex = -1;
        } else if (byte === QUOTE) {
          inString = false;
          if (!inResults && walk.depth === 1) walk.keyRead(keyIndex === RESULTS_KEY.length);
        } else if (keyIndex >= 0) {
          keyIndex = keyIndex < RESULTS_KEY.length && RESULTS_KEY[keyIndex] === byte ? keyIndex + 1 : -1;
        }
        continue;
      }
      if (!inResults) {
        const step = walk.step(byte);
        if (step === STEP_STRING) {
          inString = true;
          keyIndex = walk.depth === 1 ? 0 : -1;
        } else if (step === STEP_RESULTS) {
          inResults = true;
          depth = 1;
          rest.push(chunk.subarray(from, i + 1));
          from = i + 1;
        } else if (step === STEP_FAIL) {
          return undefined;
        }
        continue;
      }
      switch (byte) {
        case QUOTE:
          inString = true;
          keyIndex = -1;
          break;
        case OPEN_BRACKET:
        case OPEN_BRACE:
          depth += 1;
          break;
        case CLOSE_BRACKET:
        case CLOSE_BRACE:
          depth -= 1;
          if (depth === 0) {
            inResults = false;
            batch.push(chunk.subarray(from, i));
            pending += i - from;
            if (!flushBatch()) return undefined;
            from = i;
          }
          break;
        case COMMA:
          if (depth === 1 && pending + (i - from) >= batchBytes) {
            batch.push(chunk.subarray(from, i));
            pending += i - from;
            if (!flushBatch()) return undefined;
            from = i + 1;
          }
          break;
      }
    }
    if (from < chunk.length) {
      if (inResults) {
        batch.push(chunk.subarray(from));
        pending += chunk.length - from;
      } else {
        rest.push(chunk.subarray(from));
      }
    }
  }
  if (inResults || inString) return undefined;
  const answer = walk.answer(() => decodeChunks(rest));
  if (answer === undefined) return undefined;
  answer['results'] = results;
  return answer;
}
