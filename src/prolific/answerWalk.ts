// The walk over a list answer's bytes outside its "results" array ({"results": [...], ...}),
// shared by its two readers: listAnswer.ts (which parses the members in batches) and
// memberIdsAnswer.ts (which takes only their ids). They differ inside the array; outside it they
// must agree on where the array is and on when to leave the answer to JSON.parse.
//
// Strings are the readers' own (each skips them its own way): the walk is told when a string
// that may be a key of the answer ends. Bytes inside the array never reach it, so the readers'
// loops over the members stay as they were.

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const RESULTS_KEY = Buffer.from('results');

export function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

// What AnswerWalk.step found. Plain numbers, so the readers' loops compare small integers.
/** Nothing for the reader to do. */
export const STEP_ON = 0;
/** Not an answer the fast path reads: leave it to JSON.parse. */
export const STEP_FAIL = 1;
/** A string opens at this byte; when walk.depth is 1 it may be a key, and its end goes to keyRead. */
export const STEP_STRING = 2;
/** This byte is the results array's '['; what follows is the reader's until the array's ']'. */
export const STEP_RESULTS = 3;

export class AnswerWalk {
  /** Nesting outside the results array: 1 among the answer's own keys. */
  depth = 0;
  private started = false;
  private resultsSeen = false;
  private lastKeyIsResults = false;
  private afterResultsKey = false; // saw "results" then ':' at depth 1, waiting for the value

  /** Reads one byte outside strings and outside the results array. */
  step(byte: number): number {
    if (!this.started) {
      if (isBlank(byte)) return STEP_ON;
      if (byte !== OPEN_BRACE) return STEP_FAIL;
      this.started = true;
    }
    switch (byte) {
      case QUOTE:
        if (this.depth === 1) this.afterResultsKey = false;
        return STEP_STRING;
      case COLON:
        if (this.depth === 1) {
          this.afterResultsKey = this.lastKeyIsResults;
          this.lastKeyIsResults = false;
        }
        return STEP_ON;
      case OPEN_BRACKET:
      case OPEN_BRACE:
        if (this.depth === 1 && this.afterResultsKey && byte === OPEN_BRACKET) {
          if (this.resultsSeen) return STEP_FAIL; // a repeated key: leave it to JSON.parse
          this.resultsSeen = true;
          this.afterResultsKey = false;
          return STEP_RESULTS;
        }
        this.afterResultsKey = false;
        this.depth += 1;
        return STEP_ON;
      case CLOSE_BRACKET:
      case CLOSE_BRACE:
        this.depth -= 1;
        return this.depth < 0 ? STEP_FAIL : STEP_ON;
      case COMMA:
        if (this.depth === 1) this.afterResultsKey = false;
        return STEP_ON;
      default:
        if (this.depth === 1 && !isBlank(byte)) this.afterResultsKey = false;
        return STEP_ON;
    }
  }

  /** A string opened at depth 1 ended; isResults: it was exactly "results", unescaped. */
  keyRead(isResults: boolean): void {
    this.lastKeyIsResults = isResults;
  }

  /**
   * The answer without its results, from the text of everything but the array's content (its
   * "results" parsed as []); undefined when the walk did not end where such an answer ends, or
   * the text is not that answer.
   */
  answer(rest: () => string): Record<string, unknown> | undefined {
    if (!this.resultsSeen || this.depth !== 0) return undefined;
    let outer: unknown;
    try {
      outer = JSON.parse(rest());
    } catch {
      return undefined;
    }
    if (outer === null || typeof outer !== 'object' || Array.isArray(outer)) return undefined;
    const answer = outer as Record<string, unknown>;
    if (!Array.isArray(answer['results']) || answer['results'].length !== 0) return undefined;
    return answer;
  }
}
