// The one connection to Prolific's API: the token, the keep-alive agent, timeouts, retries
// (p-retry, with the project's rules in retryPolicy.ts), errors as ProlificError and the request
// log. ProlificClient (client.ts) builds the typed calls on it; nothing else sends a request.
import pRetry from 'p-retry';
import { Agent, request } from 'undici';
import { describeErrorBody, ProlificError } from './errors';
import { decodeChunks } from './listAnswer';
import { certainlyNotSent, parseRetryAfter, type RequestKind, type RetryLimits, retryDelayMs } from './retryPolicy';
import type { LogLevel, ProlificClientOptions, ProlificLog } from './types';

export const DEFAULT_BASE_URL = 'https://api.prolific.com';

const DEFAULTS = {
  maxAttempts: 4,
  connectTimeoutMs: 10_000,
  // A large overwrite can keep Prolific busy a while before it answers.
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 30_000,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
} as const;

/** Shorter tokens are not scrubbed from server text: replacing them would garble messages. */
const MIN_REDACTABLE_TOKEN_LENGTH = 8;
const REDACTED = '[redacted]';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Call {
  method: HttpMethod;
  url: URL;
  kind: RequestKind;
  body?: string;
  /** Number of participant ids in the body, for the log (never the ids themselves). */
  idCount?: number;
  /** A 404 after an earlier attempt may have worked means the job is done (delete). */
  goneMeansDone?: boolean;
}

export interface Answer {
  status: number;
  /** The body as received, not joined: list answers are parsed from the pieces (listAnswer.ts). */
  chunks: Buffer[];
}

export interface Page {
  results?: unknown;
  _links?: { next?: { href?: unknown } | null } | null;
}

export class ProlificTransport {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly retryLimits: RetryLimits;
  readonly #token: string;
  readonly #origin: string;
  readonly #dispatcher: Agent;
  readonly #log: ProlificLog | undefined;
  readonly #timeouts: { connect: number; headers: number; body: number };

  constructor(options: ProlificClientOptions) {
    if (typeof options.token !== 'string' || options.token.trim() === '') {
      throw new TypeError('ProlificClient needs a non-empty API token');
    }
    const base = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new TypeError(`Prolific base URL must be http(s), got ${base.protocol}`);
    }
    this.baseUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.#origin = base.origin;
    this.#token = options.token;
    this.#log = options.log;
    this.retryLimits = {
      maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? DEFAULTS.maxAttempts),
      backoffBaseMs: options.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
      backoffMaxMs: options.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
    };
    this.#timeouts = {
      connect: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      headers: options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
      body: options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs,
    };
    this.#dispatcher = new Agent({
      connect: { timeout: this.#timeouts.connect },
      headersTimeout: this.#timeouts.headers,
      bodyTimeout: this.#timeouts.body,
    });
  }

  url(path: string): URL {
    return new URL(`${this.baseUrl}${path}`);
  }

  async close(): Promise<void> {
    if (this.#dispatcher.closed || this.#dispatcher.destroyed) return;
    await this.#dispatcher.close();
  }

  nextPageUrl(call: Call, href: string): URL {
    let next: URL;
    try {
      next = new URL(href, call.url);
    } catch {
      throw this.invalid(call, 200, 'a next-page link that is not a URL');
    }
    // The token goes with every request: never send it to another host.
    if (next.origin !== this.#origin) {
      throw this.invalid(call, 200, `a next-page link to another origin (${this.#redact(next.origin)}), not followed`);
    }
    return next;
  }

  parseJson(call: Call, answer: Answer, parse = parseAnswer): unknown {
    try {
      return parse(answer.chunks);
    } catch {
      const empty = answer.chunks.every((chunk) => chunk.toString('utf8').trim() === '');
      throw this.invalid(call, answer.status, empty ? 'an empty body' : 'a body that is not JSON');
    }
  }

  invalid(call: Call, status: number, what: string): ProlificError {
    return new ProlificError({
      kind: 'invalid_response',
      status,
      title: 'Invalid response',
      detail: `Prolific answered ${call.method} ${call.url.pathname} with ${what}`,
      method: call.method,
      path: call.url.pathname,
      // A write that got a 2xx took effect even if its answer is unreadable.
      ambiguous: call.kind !== 'read',
    });
  }

  /**
   * One request with retries. Resolves with any 2xx answer; throws ProlificError otherwise.
   * p-retry runs the attempts; whether and when to repeat one is the project's own rule
   * (retryPolicy.ts), waited for in onFailedAttempt, so p-retry's own pause is left at its 1 ms floor.
   */
  async send(call: Call): Promise<Answer> {
    let mayHaveApplied = false;
    return pRetry(
      async (attempt) => {
        const started = performance.now();
        let failure: ProlificError;
        let status = 0;
        try {
          const response = await request(call.url, {
            dispatcher: this.#dispatcher,
            method: call.method,
            headers: this.#headers(call),
            body: call.body,
          });
          status = response.statusCode;
          const chunks: Buffer[] = [];
          for await (const chunk of response.body) chunks.push(chunk as Buffer);
          if (status >= 200 && status < 300) {
            this.#logAttempt(call.kind === 'read' ? 'debug' : 'info', call, { status, attempt, started });
            return { status, chunks };
          }
          failure = this.#httpFailure(call, status, response.headers, decodeChunks(chunks), attempt);
          if (status === 404 && call.goneMeansDone && mayHaveApplied) {
            this.#logAttempt('info', call, { status, attempt, started, note: 'already gone after an earlier attempt' });
            return { status, chunks: [] };
          }
        } catch (error) {
          failure = this.#transportFailure(call, error, status, attempt);
        }
        mayHaveApplied ||= failure.ambiguous;
        throw new FailedAttempt(failure, attempt, started);
      },
      {
        retries: this.retryLimits.maxAttempts - 1,
        minTimeout: 0,
        factor: 1,
        onFailedAttempt: async (error) => {
          // Anything else is a bug in the attempt above: not repeated.
          if (!(error instanceof FailedAttempt)) throw error;
          const { failure, attempt, started } = error;
          const delayMs = retryDelayMs(failure, call.kind, attempt, this.retryLimits);
          this.#logAttempt('warn', call, {
            status: failure.status,
            attempt,
            started,
            kind: failure.kind,
            code: failure.code,
            retryInMs: delayMs,
          });
          // Thrown from here, the failure itself is what the caller gets (never p-retry's pick).
          if (delayMs === undefined) throw failure;
          await sleep(delayMs);
        },
      },
    );
  }

  #headers(call: Call): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Token ${this.#token}`,
      accept: 'application/json',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    return headers;
  }

  #httpFailure(
    call: Call,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
    attempt: number,
  ): ProlificError {
    const contentType = headers['content-type'];
    const described = describeErrorBody(status, Array.isArray(contentType) ? contentType[0] : contentType, text);
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
    return new ProlificError({
      kind: 'http',
      status,
      title: this.#redact(described.title),
      detail: this.#redact(described.detail),
      errorCode: described.errorCode,
      method: call.method,
      path: call.url.pathname,
      ambiguous: call.kind !== 'read' && status >= 500,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      attempts: attempt,
    });
  }

  #transportFailure(call: Call, error: unknown, status: number, attempt: number): ProlificError {
    const code = errorCode(error);
    const described = describeTransportError(code, error, this.#timeouts);
    const notSent = certainlyNotSent(code) || code === 'ENOTFOUND' || isClosedClient(code);
    return new ProlificError({
      kind: described.kind,
      status,
      title: described.title,
      detail: this.#redact(described.detail),
      method: call.method,
      path: call.url.pathname,
      ambiguous: call.kind !== 'read' && !notSent,
      code,
      attempts: attempt,
    });
  }

  #redact(text: string): string {
    if (this.#token.length < MIN_REDACTABLE_TOKEN_LENGTH) return text;
    return text.split(this.#token).join(REDACTED);
  }

  #logAttempt(
    level: LogLevel,
    call: Call,
    facts: { status: number; attempt: number; started: number; [key: string]: unknown },
  ): void {
    const { started, ...rest } = facts;
    const fields: Record<string, unknown> = {
      method: call.method,
      path: call.url.pathname,
      ...rest,
      ms: Math.round(performance.now() - started),
    };
    if (call.idCount) fields['ids'] = call.idCount;
    for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
    this.emit(level, 'prolific request', fields);
  }

  emit(level: LogLevel, msg: string, fields: Record<string, unknown>): void {
    if (!this.#log) return;
    try {
      this.#log(level, msg, fields);
    } catch {
      // A failing logger must not fail the request.
    }
  }
}

function describeTransportError(
  code: string,
  error: unknown,
  timeouts: { connect: number; headers: number; body: number },
): { kind: 'timeout' | 'network'; title: string; detail: string } {
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'timeout', title: 'Timed out', detail: `Could not connect to Prolific within ${timeouts.connect} ms` };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { kind: 'timeout', title: 'Timed out', detail: `Prolific did not answer within ${timeouts.headers} ms` };
    case 'UND_ERR_BODY_TIMEOUT':
      return {
        kind: 'timeout',
        title: 'Timed out',
        detail: `Prolific stopped sending its answer for ${timeouts.body} ms`,
      };
    case 'ETIMEDOUT':
      return { kind: 'timeout', title: 'Timed out', detail: 'The connection to Prolific timed out (ETIMEDOUT)' };
    case 'ECONNREFUSED':
      return { kind: 'network', title: 'Network error', detail: 'Prolific refused the connection (ECONNREFUSED)' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'network', title: 'Network error', detail: `Could not resolve Prolific's host name (${code})` };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return {
        kind: 'network',
        title: 'Network error',
        detail: `The connection to Prolific closed before it answered (${code})`,
      };
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return { kind: 'network', title: 'Network error', detail: 'The Prolific client has been closed' };
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'network', title: 'Network error', detail: `${message} (${code})` };
    }
  }
}

function errorCode(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'UNKNOWN';
}

export function parseAnswer(chunks: Buffer[]): unknown {
  return JSON.parse(decodeChunks(chunks));
}

/** First non-blank byte is "{": enough to tell a JSON answer from an HTML or text page. */
export function startsLikeJsonObject(chunks: Buffer[]): boolean {
  for (const chunk of chunks) {
    for (const byte of chunk) {
      if (byte === 0x7b) return true;
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
    }
  }
  return false;
}

function isClosedClient(code: string): boolean {
  return code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED';
}

export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** One failed attempt, as p-retry sees it: p-retry adds its counters to this, not to the ProlificError. */
class FailedAttempt extends Error {
  constructor(
    readonly failure: ProlificError,
    readonly attempt: number,
    readonly started: number,
  ) {
    super(failure.message);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

