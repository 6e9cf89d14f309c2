// What the three local servers (the Prolific sandbox, the local Slack and the playground page)
// share: listening on a loopback port, reading a body under a size limit, sending a reply, a route
// table, and narrowing parsed JSON to an object. Plain node:http, so each server keeps full control
// of its status codes, headers and error shapes, which are part of what it stands in for.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON object, or undefined for anything else (arrays and null included). */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A refusal with its HTTP status; each server decides how to show it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The whole body; past `limitBytes` it stops reading and throws HttpError 413. */
export async function readBody(req: IncomingMessage, limitBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new HttpError(413, 'The request is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A short text/plain answer, such as Slack's 'not_found'. */
export function plainText(status: number, body: string): HttpReply {
  return { status, headers: { 'content-type': 'text/plain' }, body };
}

/** Statuses that carry no body, so no Content-Length either. */
const BODYLESS = new Set([204, 304]);

/** Writes the reply with its Content-Length; nothing when the client has already gone. */
export function send(res: ServerResponse, reply: HttpReply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (reply.body !== undefined && !hasLength && !BODYLESS.has(reply.status)) {
    headers['content-length'] = String(Buffer.byteLength(reply.body));
  }
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

export interface Route<H> {
  /** Methods in upper case; '*' takes any. */
  methods: readonly string[] | '*';
  /** An exact path, or a pattern (anchor it) whose groups become the params. */
  path: string | RegExp;
  handler: H;
}

export type RouteLookup<H> =
  | { kind: 'found'; handler: H; params: readonly (string | undefined)[] }
  /** The path is served, not with this method: `allow` lists the methods that are, in table order. */
  | { kind: 'wrong_method'; allow: string[] }
  | { kind: 'none' };

/** Routes in order; the first whose path and method both match wins. */
export class RouteTable<H> {
  constructor(private readonly routes: readonly Route<H>[]) {}

  find(method: string, pathname: string): RouteLookup<H> {
    const allow: string[] = [];
    for (const route of this.routes) {
      const params = matchPath(route.path, pathname);
      if (!params) continue;
      if (route.methods === '*' || route.methods.includes(method)) return { kind: 'found', handler: route.handler, params };
      for (const allowed of route.methods) if (!allow.includes(allowed)) allow.push(allowed);
    }
    return allow.length > 0 ? { kind: 'wrong_method', allow } : { kind: 'none' };
  }
}

function matchPath(path: string | RegExp, pathname: string): (string | undefined)[] | undefined {
  if (typeof path === 'string') return path === pathname ? [] : undefined;
  const match = path.exec(pathname);
  return match ? match.slice(1) : undefined;
}

/** Listens on `host:port` (0 picks a free port) and gives the port and the origin, e.g. 'http://127.0.0.1:4010'. */
export async function listen(server: Server, port: number, host: string): Promise<{ port: number; origin: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, origin: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}
