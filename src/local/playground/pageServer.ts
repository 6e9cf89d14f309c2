// The playground's page and the small JSON API it uses. The page shows what LocalSlack holds (as
// the Slack client would show it to the chosen person) and turns clicks into SlackDriver requests,
// so the app receives exactly what Slack would send. Served on loopback only, with no framework.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import type { AppLogger } from '../../logging';
import { asRecord, HttpError, listen, readBody, RouteTable, send } from '../http/loopbackHttp';
import type { LocalMessage, LocalSlack, SlackDriver, ViewChange } from '../slack';
import { PageActions } from './pageActions';
import { pageSnapshot } from './pageSnapshot';

export interface PageServerOptions {
  slack: LocalSlack;
  driver: SlackDriver;
  logger: AppLogger;
  /** 0 picks a free port. */
  port: number;
  /** Which Prolific the bot talks to, for the page's banner. */
  prolific: 'sandbox' | 'real';
  /** Shown beside each person in the user switcher. */
  mayChangeGroups(userId: string): boolean;
}

const MAX_JSON_BYTES = 256 * 1024;
/** What the page's folder serves, by extension: the HTML, its ES modules and its styles, and nothing else. */
const PAGE_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
// The page builds its DOM from text nodes; this policy is a second line against injected markup.
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

type Json = Record<string, unknown>;
type PageFile = { type: string; content: Buffer };
type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL, params: readonly (string | undefined)[]) => void | Promise<void>;
/** A JSON POST from the page, on behalf of the person it names. */
type PostHandler = (user: string, body: Json) => Promise<Json>;

/**
 * The page's folder, found from the package root so it works from src/ (ts-jest) and from dist/src/
 * (npm start): the page's .html/.js/.css files are not compiled, they stay in src/local/playground/public.
 */
export function publicDirectory(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'src', 'local', 'playground', 'public');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('The playground page (src/local/playground/public) was not found next to package.json.');
    dir = parent;
  }
}

/** The page's files by the path they are served at, read once at start; '/' is index.html. */
function readPage(dir: string): Map<string, PageFile> {
  const page = new Map<string, PageFile>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const type = PAGE_TYPES[extname(entry.name)];
    if (entry.isFile() && type) page.set(`/${entry.name}`, { type, content: readFileSync(join(dir, entry.name)) });
  }
  const index = page.get('/index.html');
  if (index) page.set('/', index);
  return page;
}

export class PageServer {
  private readonly streams = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly actions: PageActions;
  private readonly routes: RouteTable<RouteHandler>;
  private readonly posts: ReadonlyMap<string, PostHandler>;

  private constructor(
    private readonly options: PageServerOptions,
    private readonly server: Server,
    page: ReadonlyMap<string, PageFile>,
    readonly port: number,
  ) {
    this.actions = new PageActions(options.slack, options.driver);
    const act = this.actions;
    this.posts = new Map<string, PostHandler>([
      ['/api/command', (user, body) => act.command(user, body)],
      ['/api/click', (user, body) => act.click(user, body)],
      ['/api/submit', (user, body) => act.submit(user, body)],
      ['/api/close', (user, body) => act.closeView(user, body)],
      ['/api/options', (user, body) => act.requestOptions(user, body)],
      ['/api/home', (user) => act.openHome(user)],
      ['/api/post', (user, body) => act.postMessage(user, body)],
      ['/api/shortcut', (user, body) => act.shortcut(user, body)],
      ['/api/workflow', (user, body) => act.runWorkflowStep(user, body)],
    ]);
    const read = ['GET', 'HEAD'];
    this.routes = new RouteTable<RouteHandler>([
      ...[...page].map(([path, file]) => ({
        path,
        methods: read,
        handler: (_req: IncomingMessage, res: ServerResponse) => this.send(res, 200, file.type, file.content),
      })),
      { path: '/favicon.ico', methods: read, handler: (_req, res) => this.send(res, 204, 'text/plain', '') },
      {
        path: '/api/state',
        methods: read,
        handler: (_req, res, url) => this.sendJson(res, 200, pageSnapshot(options, act.person(url.searchParams.get('user')))),
      },
      { path: '/api/events', methods: read, handler: (req, res) => this.openStream(req, res) },
      { path: /^\/api\/files\/(F[A-Z0-9]+)$/, methods: read, handler: (_req, res, _url, params) => this.sendFile(res, params[0] ?? '') },
      { path: '/api/upload', methods: ['POST'], handler: async (req, res, url) => this.sendJson(res, 200, await act.upload(req, url)) },
    ]);
    const { events } = options.slack;
    const onMessage = (m: LocalMessage) => this.broadcast('message', { channel: m.channel, ts: m.ts });
    const onChanged = (m: LocalMessage) => this.broadcast('message_changed', { channel: m.channel, ts: m.ts });
    const onView = (c: ViewChange) => this.broadcast('view', { change: c.change, user: c.view.user, viewId: c.view.id });
    events.on('message', onMessage);
    events.on('message_changed', onChanged);
    events.on('view', onView);
    this.unsubscribe = () => {
      events.off('message', onMessage);
      events.off('message_changed', onChanged);
      events.off('view', onView);
    };
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) stream.write(': keep-alive\n\n');
    }, 20_000);
    this.heartbeat.unref();
  }

  static async start(options: PageServerOptions): Promise<PageServer> {
    const page = readPage(publicDirectory());
    const server = createServer();
    const { port } = await listen(server, options.port, '127.0.0.1').catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EADDRINUSE'
        ? new Error(`Port ${options.port} is already in use. Stop what runs there, or start the playground on another port with PORT=3001 npm start.`)
        : err;
    });
    const pageServer = new PageServer(options, server, page, port);
    server.on('request', (req, res) => {
      void pageServer.handle(req, res);
    });
    return pageServer;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const stream of this.streams) stream.end();
    this.streams.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private broadcast(kind: string, detail: Json): void {
    const frame = `event: change\ndata: ${JSON.stringify({ kind, ...detail })}\n\n`;
    for (const stream of this.streams) stream.write(frame);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.checkOrigin(req);
      const url = new URL(req.url ?? '/', `http://localhost:${this.port}`);
      const route = this.routes.find(req.method ?? 'GET', url.pathname);
      if (route.kind === 'found') return await route.handler(req, res, url, route.params);
      if (req.method === 'GET' || req.method === 'HEAD') throw new HttpError(404, 'Not found');
      if (req.method !== 'POST') throw new HttpError(405, 'Method not allowed');
      // The body is read and its person checked before the path, as every JSON POST needs both.
      const body = await this.readJson(req);
      const user = this.actions.person(body['user']);
      const post = this.posts.get(url.pathname);
      if (!post) throw new HttpError(404, 'Not found');
      this.sendJson(res, 200, await post(user, body));
    } catch (err) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (err instanceof HttpError) {
        this.sendJson(res, err.status, { error: err.message });
        return;
      }
      // The driver refuses what Slack's client could not send (an element that is not there, a closed view).
      const message = err instanceof Error ? err.message : String(err);
      this.options.logger.warn(`playground: ${req.method} ${req.url?.split('?')[0]} failed: ${message}`);
      this.sendJson(res, 409, { error: message });
    }
  }

  /**
   * The API answers only the page itself: the Host must be this loopback server (a DNS-rebinding
   * page would send its own name) and a cross-site Origin is refused.
   */
  private checkOrigin(req: IncomingMessage): void {
    const allowed = new Set([`localhost:${this.port}`, `127.0.0.1:${this.port}`]);
    if (!allowed.has(req.headers.host ?? '')) throw new HttpError(403, 'The playground answers only on localhost.');
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && !allowed.has(origin.replace(/^http:\/\//, ''))) {
      throw new HttpError(403, 'The playground answers only its own page.');
    }
  }

  private openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
  }

  /** A file the app shared (e.g. the members export), for the page's download link. */
  private sendFile(res: ServerResponse, fileId: string): void {
    const file = this.options.slack.files.find((f) => f.id === fileId);
    if (!file) throw new HttpError(404, 'No such file');
    const name = file.name.replace(/[^\w.-]+/g, '_');
    this.send(res, 200, 'application/octet-stream', file.content, { 'content-disposition': `attachment; filename="${name}"` });
  }

  // ---- HTTP plumbing ---------------------------------------------------------------------------

  private async readJson(req: IncomingMessage): Promise<Json> {
    // JSON only: a cross-site form cannot send it without a preflight, which this server never grants.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'Send JSON.');
    const raw = await readBody(req, MAX_JSON_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'The body is not valid JSON.');
    }
    const record = asRecord(parsed);
    if (!record) throw new HttpError(400, 'The body must be a JSON object.');
    return record;
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    this.send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  }

  private send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
    send(res, {
      status,
      headers: {
        'content-type': type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        ...extra,
      },
      body,
    });
  }
}
