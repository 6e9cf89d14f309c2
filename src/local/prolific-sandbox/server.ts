// A local Prolific API over real HTTP, for tests, benchmarks and trying the bot without an account.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { listen, readBody, send } from '../http/loopbackHttp';
import { errorReply, parseBody, type Reply, SandboxApi, statusTitle } from './api';
import { type FaultAction, FaultInjector } from './faults';
import { SEED_WORKSPACE_ID, seedState } from './seed';
import { studyRoutes } from './studies';
import { seedStudies } from './studySeed';
import type { SandboxState } from './state';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a random token. */
  token?: string;
  /** Members of the seeded "Benchmark panel"; 0 (default) leaves the group out. */
  largeGroupSize?: number;
  /** Adds 200 studies and a 10,000-submission study (studySeed.ts); off by default. */
  benchmarkStudies?: boolean;
  /** When set, lists answer in pages of this size with _links.next and meta.count. */
  pageSize?: number;
  /** The most members a group may have to be messaged (default 4,000); above it, 400 and nothing sent. */
  messageRecipientCap?: number;
  /** Keep every request in `requests` (default true; a long-running sandbox can turn it off). */
  recordRequests?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  /** Status answered; 0 when the connection was dropped or the request hung. */
  status: number;
  at: Date;
}

export interface Sandbox {
  /** http://HOST:PORT, no trailing slash. */
  url: string;
  token: string;
  workspaceId: string;
  state: SandboxState;
  requests: RecordedRequest[];
  clearRequests(): void;
  faults: FaultInjector;
  close(): Promise<void>;
}

export async function createSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const token = opts.token ?? randomBytes(20).toString('hex');
  const state = seedState(opts.largeGroupSize ?? 0);
  seedStudies(state, { benchmark: opts.benchmarkStudies ?? false });
  const pageSize = opts.pageSize && opts.pageSize > 0 ? opts.pageSize : undefined;
  const api = new SandboxApi({
    state,
    token,
    ...(pageSize ? { pageSize } : {}),
    routes: studyRoutes(state, pageSize),
    ...(opts.messageRecipientCap ? { messageRecipientCap: opts.messageRecipientCap } : {}),
  });
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const record = opts.recordRequests ?? true;
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    serve(req, res).catch(() => {
      // The socket is gone or the answer failed mid-way; nothing left to tell the client.
      req.socket.destroy();
    });
  });

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = new Date();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const bodyText = (await readBody(req)).toString('utf8');
    const body = parseBody(bodyText);
    const entry: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req.headers),
      body: body.ok ? body.value : bodyText,
      status: 0,
      at,
    };
    if (record) requests.push(entry);

    const fault = faults.take(method, url.pathname);
    if (fault && 'hang' in fault) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault?.latencyMs) {
      await sleep(fault.latencyMs);
      if (res.destroyed) return;
    }
    if (fault && 'drop' in fault && fault.drop === 'before') {
      req.socket.destroy();
      return;
    }
    if (fault && 'status' in fault) {
      entry.status = fault.status;
      send(res, faultReply(fault));
      return;
    }

    let reply: Reply;
    try {
      reply = api.handle({
        method,
        url,
        origin: `http://${req.headers.host ?? 'localhost'}`,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        bodyText,
        body,
      });
    } catch (error) {
      reply = errorReply(500, `Sandbox error: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (fault && 'drop' in fault) {
      // drop: 'after' — the change is applied, the answer never arrives.
      req.socket.destroy();
      return;
    }
    entry.status = reply.status;
    send(res, reply);
  }

  const { origin } = await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1');

  return {
    url: origin,
    token,
    workspaceId: SEED_WORKSPACE_ID,
    state,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    faults,
    close: async () => {
      for (const res of hanging) res.socket?.destroy();
      hanging.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function faultReply(fault: Extract<FaultAction, { status: number }>): Reply {
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.body !== undefined) {
    headers['content-type'] = fault.contentType ?? 'text/plain; charset=utf-8';
    return { status: fault.status, body: fault.body, headers };
  }
  const reply = errorReply(fault.status, `Simulated ${statusTitle(fault.status).toLowerCase()}.`);
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The seeded sandbox the bot uses when no PROLIFIC_API_TOKEN is set: a loopback port, no request log. */
export async function startEmbeddedSandbox(logger: { addSecret(secret: string): void; info(message: string): void }): Promise<Sandbox> {
  const sandbox = await createSandbox({ port: 0, recordRequests: false });
  logger.addSecret(sandbox.token);
  logger.info(`PROLIFIC_API_TOKEN is not set: using the embedded Prolific sandbox at ${sandbox.url} (seeded demo groups; nothing reaches Prolific).`);
  return sandbox;
}
