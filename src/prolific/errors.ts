// The one error type the Prolific client throws, and the reading of Prolific's error bodies.

import { truncate } from '../truncate';

export type ProlificErrorKind = 'http' | 'timeout' | 'network' | 'invalid_response';

export interface ProlificErrorInit {
  kind: ProlificErrorKind;
  /** HTTP status; 0 when Prolific never answered. */
  status: number;
  title: string;
  detail: string;
  errorCode?: number | null;
  method: string;
  path: string;
  ambiguous: boolean;
  retryAfterMs?: number;
  /** Transport error code (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, ...) for timeouts and network errors. */
  code?: string;
  /** Attempts made, the failing one included. */
  attempts?: number;
}

export class ProlificError extends Error {
  override readonly name = 'ProlificError';
  readonly kind: ProlificErrorKind;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errorCode: number | null;
  readonly method: string;
  readonly path: string;
  /**
   * True when the request may have taken effect although it failed (a write that timed out
   * waiting for the answer, lost its connection after sending, or got a 5xx). Check the
   * group's state before repeating it.
   */
  readonly ambiguous: boolean;
  readonly retryAfterMs?: number;
  readonly code?: string;
  readonly attempts: number;

  constructor(init: ProlificErrorInit) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title);
    this.kind = init.kind;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.errorCode = init.errorCode ?? null;
    this.method = init.method;
    this.path = init.path;
    this.ambiguous = init.ambiguous;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.code !== undefined) this.code = init.code;
    this.attempts = init.attempts ?? 1;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      status: this.status,
      title: this.title,
      detail: this.detail,
      errorCode: this.errorCode,
      method: this.method,
      path: this.path,
      ambiguous: this.ambiguous,
      retryAfterMs: this.retryAfterMs,
      code: this.code,
      attempts: this.attempts,
    };
  }
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable entity',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 300 && status < 400 ? 'Redirect' : `HTTP ${status}`);
}

/**
 * Prolific's `detail` as one readable line: a string stays, a list is joined, a field map
 * becomes "name: This field is required.; workspace_id: ...".
 */
export function flattenDetail(detail: unknown, withinField = false): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'number' || typeof detail === 'boolean') return String(detail);
  if (Array.isArray(detail)) {
    return detail
      .map((part) => flattenDetail(part, withinField))
      .filter((part) => part !== '')
      .join(withinField ? ' ' : '; ');
  }
  if (typeof detail === 'object') {
    return Object.entries(detail as Record<string, unknown>)
      .map(([field, value]) => {
        const text = flattenDetail(value, true);
        return text ? `${field}: ${text}` : field;
      })
      .join('; ');
  }
  return '';
}

const TEXT_EXCERPT_CHARS = 200;

export interface DescribedErrorBody {
  title: string;
  detail: string;
  errorCode: number | null;
}

/** Title, detail and error code of a non-2xx answer, whatever its body looks like. */
export function describeErrorBody(status: number, contentType: string | undefined, text: string): DescribedErrorBody {
  const fallbackTitle = statusTitle(status);
  const trimmed = text.trim();
  if (trimmed === '') {
    return { title: fallbackTitle, detail: `Prolific answered with an empty body (status ${status})`, errorCode: null };
  }
  const looksHtml = /html/i.test(contentType ?? '') || trimmed.startsWith('<');
  if (looksHtml) {
    return {
      title: fallbackTitle,
      detail: `Prolific answered with an HTML page instead of JSON (status ${status})`,
      errorCode: null,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    const excerpt = truncate(trimmed.replace(/\s+/g, ' '), TEXT_EXCERPT_CHARS);
    return {
      title: fallbackTitle,
      detail: `Prolific answered with text instead of JSON (status ${status}): ${excerpt}`,
      errorCode: null,
    };
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const body = parsed as Record<string, unknown>;
    const inner = body['error'];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      const error = inner as Record<string, unknown>;
      const title = typeof error['title'] === 'string' && error['title'] ? error['title'] : fallbackTitle;
      let detail = flattenDetail(error['detail']);
      const extra = error['additional_information'];
      if (typeof extra === 'string' && extra) detail = detail ? `${detail} (${extra})` : extra;
      const errorCode = typeof error['error_code'] === 'number' ? error['error_code'] : null;
      return { title, detail, errorCode };
    }
    // Other JSON shapes seen behind frameworks and gateways: {"detail": ...}, {"message": ...}, {"error": "..."}.
    for (const key of ['detail', 'message', 'error']) {
      const detail = flattenDetail(body[key]);
      if (detail) return { title: fallbackTitle, detail, errorCode: null };
    }
  }
  return {
    title: fallbackTitle,
    detail: `Prolific answered with an unexpected JSON body (status ${status})`,
    errorCode: null,
  };
}
