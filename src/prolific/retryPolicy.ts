// When a failed request to Prolific is repeated, and after how long.

import type { ProlificError } from './errors';

/**
 * read: no effect on the server (GET).
 * write: repeating it gives the same end state (a PATCH of the name, DELETE, add/remove members,
 *   which ignore ids already present/absent).
 * overwrite: a PATCH with participant_ids, which replaces the whole membership; repeating it
 *   after it may have worked erases whoever joined in between (a feeder study), so the caller
 *   re-reads the group and decides.
 * create: POST to the groups list; repeating it after it may have worked makes a second group.
 * send: a message to participants; repeating it after it may have worked sends it twice.
 */
export type RequestKind = 'read' | 'write' | 'overwrite' | 'create' | 'send';

/** Kinds repeated only when the failed attempt certainly had no effect (a 429, or never sent). */
const NOT_REPEATED_ONCE_SENT: ReadonlySet<RequestKind> = new Set(['overwrite', 'create', 'send']);

/** Failed before anything reached Prolific: safe to repeat even a create. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** The connection broke or went silent after the request may have been sent. */
const BROKEN_AFTER_SEND_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const RETRYABLE_GATEWAY_STATUSES = new Set([502, 503, 504]);

/** Retry-After longer than this is not waited for in-process: the error is reported with retryAfterMs. */
export const RETRY_AFTER_CEILING_MS = 60_000;

/** Whether the request certainly never reached Prolific. */
export function certainlyNotSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

export function shouldRetry(error: ProlificError, kind: RequestKind): boolean {
  if (error.kind === 'http') {
    // 429 means Prolific refused the request without acting on it: safe for every kind.
    if (error.status === 429) return true;
    // 500 is a server bug, not congestion: repeating it rarely helps, so it is reported.
    return !NOT_REPEATED_ONCE_SENT.has(kind) && RETRYABLE_GATEWAY_STATUSES.has(error.status);
  }
  if (error.kind === 'timeout' || error.kind === 'network') {
    if (certainlyNotSent(error.code)) return true;
    return !NOT_REPEATED_ONCE_SENT.has(kind) && error.code !== undefined && BROKEN_AFTER_SEND_CODES.has(error.code);
  }
  return false;
}

export interface RetryLimits {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * How long to wait before repeating a failed attempt, or undefined when it is not repeated: the
 * attempts are used up, the failure is not one to repeat for this kind of request, or Prolific
 * asked for a pause longer than RETRY_AFTER_CEILING_MS (reported with retryAfterMs instead).
 * A Retry-After is waited for as given; otherwise the wait is full jitter.
 */
export function retryDelayMs(
  failure: ProlificError,
  kind: RequestKind,
  attempt: number,
  limits: RetryLimits,
  random = Math.random,
): number | undefined {
  if (attempt >= limits.maxAttempts || !shouldRetry(failure, kind)) return undefined;
  if (failure.retryAfterMs === undefined) return backoffDelayMs(attempt, limits.backoffBaseMs, limits.backoffMaxMs, random);
  return failure.retryAfterMs <= RETRY_AFTER_CEILING_MS ? failure.retryAfterMs : undefined;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds: delay-seconds (fractions accepted) or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
