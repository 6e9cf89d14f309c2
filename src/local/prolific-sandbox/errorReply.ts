// The sandbox's error answers: {"error": {status, error_code, title, detail}}, detail a sentence,
// a list or a field map. error_code values are the sandbox's own (140000 + status).

import type { HttpReply } from '../http/loopbackHttp';

export type FieldErrors = Record<string, string[]>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  415: 'Unsupported media type',
  422: 'Unprocessable entity',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? `HTTP ${status}`;
}

export function errorReply(status: number, detail: string | string[] | FieldErrors, title = statusTitle(status)): HttpReply {
  return json(status, { error: { status, error_code: 140_000 + status, title, detail } });
}

export function json(status: number, value: unknown): HttpReply {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } };
}
