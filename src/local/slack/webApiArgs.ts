// How a Web API call arrives and is answered: its arguments from the query string and a form,
// multipart or JSON body (JSON-string fields decoded), the bearer token, and Slack's
// `{ ok, error }` answer.

import type { IncomingMessage } from 'node:http';
import { asRecord } from '../http/loopbackHttp';

export type ApiArgs = Record<string, unknown>;
export type ApiAnswer = { ok: boolean; error?: string } & Record<string, unknown>;
/** One Web API method: its arguments in, Slack's answer out. */
export type ApiMethod = (args: ApiArgs) => ApiAnswer;

/** Fields Slack takes as JSON-encoded strings in form bodies. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'file_uploads', 'unfurls']);

export function fail(error: string, extra: Record<string, unknown> = {}): ApiAnswer {
  return { ok: false, error, ...extra };
}

export function stringArg(args: ApiArgs, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A boolean argument as forms and JSON send it. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Form fields of a multipart body, files as Buffers (their first one also under '__file'). */
export async function parseMultipart(body: Buffer, contentType: string): Promise<Record<string, unknown>> {
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, key) => {
    entries.push([key, value]);
  });
  const fields: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (typeof value === 'string') {
      fields[key] = value;
    } else {
      const content = Buffer.from(await value.arrayBuffer());
      fields[key] = content;
      fields['__file'] ??= content;
    }
  }
  return fields;
}

export async function parseApiArgs(req: IncomingMessage, body: Buffer, query: URLSearchParams): Promise<ApiArgs> {
  const args: ApiArgs = Object.fromEntries(query.entries());
  const contentType = req.headers['content-type'] ?? '';
  if (body.length > 0) {
    if (contentType.startsWith('application/json')) {
      Object.assign(args, asRecord(JSON.parse(body.toString('utf8'))) ?? {});
    } else if (contentType.startsWith('multipart/form-data')) {
      const fields = await parseMultipart(body, contentType);
      delete fields['__file'];
      Object.assign(args, fields);
    } else {
      Object.assign(args, Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries()));
    }
  }
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        args[field] = JSON.parse(value);
      } catch {
        // Left as the string: the method answers invalid_*_format for it.
      }
    }
  }
  return args;
}
