// The playground's page and the small JSON API it uses. The page shows what LocalSlack holds (as
// the Slack client would show it to the chosen person) and turns clicks into SlackDriver requests,
// so the app receives exactly what Slack would send. Served on loopback only, with no framework.

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { LocalMessage, LocalSlack, SelectedOptionInput, SlackDriver, SlackFile, ViewChange, ViewValueInput } from '../slack';
import type { AppLogger } from '../../logging';

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

/** The one command installed in the local workspace. */
const COMMAND = '/pgroup';
/** Larger than the app's own 10 MB limit, so a too-large file reaches the app and gets its refusal. */
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
const MAX_JSON_BYTES = 256 * 1024;
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
// The page builds its DOM from text nodes; this policy is a second line against injected markup.
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

type Json = Record<string, unknown>;

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The page's folder, found from the package root so it works from src/ (ts-jest) and from dist/src/
 * (npm start): the .html/.js/.css files are not compiled, they stay in src/local/playground/public.
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

function asRecord(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(body: Json, field: string, options: { required?: boolean; max?: number; pattern?: RegExp } = {}): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    if (options.required) throw new RequestError(400, `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new RequestError(400, `${field} must be a string`);
  if (value.length > (options.max ?? 200)) throw new RequestError(400, `${field} is too long`);
  if (options.pattern && !options.pattern.test(value)) throw new RequestError(400, `${field} is malformed`);
  return value;
}

const VIEW_ID = /^V[A-Z0-9]{4,20}$/;
const MESSAGE_TS = /^\d{9,11}\.\d{6}$/;
const ELEMENT_ID = /^[\w:./-]{1,255}$/;

/** Slack's client escapes &, < and > in what a person types after a slash command. */
function escapeCommandText(raw: string): string {
  return raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class PageServer {
  private readonly streams = new Set<ServerResponse>();
  /** Files people chose in a file_input, by id: a submission names them, the server hands over Slack's objects. */
  private readonly hostedFiles = new Map<string, SlackFile>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly options: PageServerOptions,
    private readonly server: Server,
    private readonly page: Map<string, Buffer>,
    readonly port: number,
  ) {
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
    const dir = publicDirectory();
    const page = new Map(Object.values(STATIC_FILES).map(({ file }) => [file, readFileSync(join(dir, file))] as const));
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(`Port ${options.port} is already in use. Stop what runs there, or start the playground on another port with PORT=3001 npm start.`)
            : err,
        );
      });
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
    const pageServer = new PageServer(options, server, page, (server.address() as AddressInfo).port);
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
      const path = url.pathname;
      if (req.method === 'GET' || req.method === 'HEAD') {
        const file = STATIC_FILES[path];
        if (file) return this.send(res, 200, file.type, this.page.get(file.file)!);
        if (path === '/favicon.ico') return this.send(res, 204, 'text/plain', '');
        if (path === '/api/state') return this.sendJson(res, 200, this.snapshot(this.person(url.searchParams.get('user'))));
        if (path === '/api/events') return this.openStream(req, res);
        const download = /^\/api\/files\/(F[A-Z0-9]+)$/.exec(path);
        if (download) return this.sendFile(res, download[1]!);
        throw new RequestError(404, 'Not found');
      }
      if (req.method !== 'POST') throw new RequestError(405, 'Method not allowed');
      if (path === '/api/upload') return this.sendJson(res, 200, await this.upload(req, url));
      const body = await this.readJson(req);
      const user = this.person(body['user']);
      let answer: Json;
      switch (path) {
        case '/api/command':
          answer = await this.command(user, body);
          break;
        case '/api/click':
          answer = await this.click(user, body);
          break;
        case '/api/submit':
          answer = await this.submit(user, body);
          break;
        case '/api/close':
          answer = await this.closeView(user, body);
          break;
        case '/api/options':
          answer = await this.requestOptions(user, body);
          break;
        case '/api/home':
          answer = await this.openHome(user);
          break;
        default:
          throw new RequestError(404, 'Not found');
      }
      this.sendJson(res, 200, answer);
    } catch (err) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (err instanceof RequestError) {
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
    if (!allowed.has(req.headers.host ?? '')) throw new RequestError(403, 'The playground answers only on localhost.');
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && !allowed.has(origin.replace(/^http:\/\//, ''))) {
      throw new RequestError(403, 'The playground answers only its own page.');
    }
  }

  private person(value: unknown): string {
    if (typeof value !== 'string') throw new RequestError(400, 'user is required');
    const known = this.options.slack.user(value);
    if (!known || known.isBot || known.deleted) throw new RequestError(400, `unknown user ${value.slice(0, 40)}`);
    return known.id;
  }

  /** A conversation the person can see: any channel, or their own DM with the app. */
  private conversation(user: string, value: unknown): string {
    if (typeof value !== 'string') throw new RequestError(400, 'channel is required');
    if (!this.conversationsOf(user).some((c) => c.id === value)) throw new RequestError(400, `unknown channel ${value.slice(0, 40)}`);
    return value;
  }

  private conversationsOf(user: string) {
    const dm = this.options.slack.dmChannelFor(user);
    return this.options.slack.channels.filter((c) => (c.isIm ? c.id === dm : true));
  }

  // ---- What the page reads ---------------------------------------------------------------------

  private snapshot(user: string): Json {
    const { slack } = this.options;
    const channels = this.conversationsOf(user);
    const messages: Record<string, Json[]> = {};
    for (const channel of channels) {
      messages[channel.id] = slack
        .messages(channel.id)
        .filter((m) => !m.deleted && (m.ephemeralTo === undefined || m.ephemeralTo === user))
        .map((m) => {
          const shown = slack.slackMessageObject(m.channel, m.ts) ?? {};
          return {
            ts: m.ts,
            text: m.text,
            blocks: shown['blocks'] ?? [],
            ephemeral: m.ephemeralTo !== undefined,
            edited: m.updatedCount > 0,
            files: (m.files ?? []).map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.size, filetype: f.filetype })),
          };
        });
    }
    const modals = slack.openModals(user);
    const top = modals[modals.length - 1];
    const home = slack.homeView(user);
    const people = slack.users.filter((u) => !u.isBot && !u.deleted);
    return {
      workspace: slack.teamName,
      botName: slack.user(slack.botUserId)?.name ?? 'app',
      prolific: this.options.prolific,
      user,
      users: people.map((u) => ({
        id: u.id,
        name: u.displayName,
        realName: u.realName,
        external: u.teamId !== slack.teamId,
        mayChangeGroups: this.options.mayChangeGroups(u.id),
      })),
      channels: channels.map((c) => ({ id: c.id, name: c.isIm ? slack.user(slack.botUserId)?.name : c.name, dm: c.isIm })),
      names: {
        users: Object.fromEntries(slack.users.map((u) => [u.id, u.displayName])),
        channels: Object.fromEntries(slack.channels.filter((c) => !c.isIm).map((c) => [c.id, c.name])),
      },
      messages,
      modal: top ? { ...slack.slackViewObject(top.id), updatedCount: top.updatedCount } : null,
      home: home ? { ...slack.slackViewObject(home.id), updatedCount: home.updatedCount } : null,
    };
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
    if (!file) throw new RequestError(404, 'No such file');
    const name = file.name.replace(/[^\w.-]+/g, '_');
    this.send(res, 200, 'application/octet-stream', file.content, { 'content-disposition': `attachment; filename="${name}"` });
  }

  // ---- What the page does ----------------------------------------------------------------------

  private async command(user: string, body: Json): Promise<Json> {
    const channel = this.conversation(user, body['channel']);
    const typed = (text(body, 'text', { required: true, max: 4000 }) ?? '').trim();
    const match = /^(\/\S+)(?:\s+([\s\S]*))?$/.exec(typed);
    if (!match) {
      return { ok: false, note: `Only slash commands reach the app here. Try ${COMMAND} help.` };
    }
    if (match[1]!.toLowerCase() !== COMMAND) {
      return { ok: false, note: `${match[1]} is not a command in this workspace. The app's command is ${COMMAND}.` };
    }
    const answer = await this.options.driver.command(COMMAND, escapeCommandText(match[2] ?? ''), { user, channel });
    return answer.status === 200 ? { ok: true } : { ok: false, note: `The app answered HTTP ${answer.status}.` };
  }

  private async click(user: string, body: Json): Promise<Json> {
    const viewId = text(body, 'viewId', { pattern: VIEW_ID });
    const messageTs = text(body, 'messageTs', { pattern: MESSAGE_TS });
    const channel = body['channel'] === undefined ? undefined : this.conversation(user, body['channel']);
    if (!viewId && !(messageTs && channel)) throw new RequestError(400, 'a click needs a viewId, or a channel and messageTs');
    const selectedOption = this.selectedOption(body['selectedOption']);
    const stateValues = body['stateValues'] === undefined ? undefined : this.viewValues(user, body['stateValues']);
    const value = text(body, 'value', { max: 2000 });
    const blockId = text(body, 'blockId', { max: 255 });
    const answer = await this.options.driver.blockAction({
      user,
      actionId: text(body, 'actionId', { required: true, pattern: ELEMENT_ID })!,
      ...(viewId ? { viewId } : { channel: channel!, messageTs: messageTs! }),
      ...(blockId !== undefined ? { blockId } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(selectedOption !== undefined ? { selectedOption } : {}),
      ...(stateValues !== undefined ? { stateValues } : {}),
    });
    return answer.status === 200 ? { ok: true } : { ok: false, note: `The app answered HTTP ${answer.status}.` };
  }

  private async submit(user: string, body: Json): Promise<Json> {
    const viewId = text(body, 'viewId', { required: true, pattern: VIEW_ID })!;
    const values = this.viewValues(user, body['values']);
    const answer = await this.options.driver.viewSubmission({ user, viewId, values });
    return { ok: answer.status === 200, outcome: answer.outcome };
  }

  private async closeView(user: string, body: Json): Promise<Json> {
    const viewId = text(body, 'viewId', { required: true, pattern: VIEW_ID })!;
    const answer = await this.options.driver.viewClosed({ user, viewId });
    return { ok: !answer.sent || answer.status === 200 };
  }

  /** An external_select asking the app for options as the person types. */
  private async requestOptions(user: string, body: Json): Promise<Json> {
    const viewId = text(body, 'viewId', { required: true, pattern: VIEW_ID })!;
    const blockId = text(body, 'blockId', { max: 255 });
    const answer = await this.options.driver.optionsRequest({
      user,
      viewId,
      actionId: text(body, 'actionId', { required: true, pattern: ELEMENT_ID })!,
      ...(blockId !== undefined ? { blockId } : {}),
      value: text(body, 'value', { max: 200 }) ?? '',
    });
    const json = asRecord(answer.json) ?? {};
    return { ok: answer.status === 200, options: json['options'] ?? [], option_groups: json['option_groups'] ?? [] };
  }

  /** Opening the app's Home tab: Slack sends app_home_opened and the app publishes the view. */
  private async openHome(user: string): Promise<Json> {
    const answer = await this.options.driver.event({ type: 'app_home_opened', user });
    return { ok: answer.status === 200 };
  }

  /** A file chosen from disk for a file_input: hosted as Slack hosts a shared file, its object returned. */
  private async upload(req: IncomingMessage, url: URL): Promise<Json> {
    const user = this.person(url.searchParams.get('user'));
    // A custom header, so another site's form cannot post here without a preflight this server never grants.
    const rawName = req.headers['x-filename'];
    if (typeof rawName !== 'string' || rawName === '') throw new RequestError(400, 'X-Filename is required');
    let name: string;
    try {
      name = decodeURIComponent(rawName).replace(/[\\/]/g, '_').slice(0, 255);
    } catch {
      throw new RequestError(400, 'X-Filename is malformed');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BYTES) throw new RequestError(413, `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
    const content = await this.readBody(req, MAX_UPLOAD_BYTES);
    const file = this.options.slack.hostFile({ name, content, user });
    this.hostedFiles.set(file.id, file);
    return { ok: true, file };
  }

  private selectedOption(value: unknown): SelectedOptionInput | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.length <= 2000) return value;
    const record = asRecord(value);
    if (record && typeof record['value'] === 'string' && typeof record['text'] === 'string') {
      return { value: record['value'].slice(0, 2000), text: record['text'].slice(0, 200) };
    }
    throw new RequestError(400, 'selectedOption must be a value or {text, value}');
  }

  /** What the person entered in a view, checked input by input; files are named by id and must be theirs. */
  private viewValues(user: string, value: unknown): Record<string, ViewValueInput> {
    const record = asRecord(value);
    if (!record) throw new RequestError(400, 'values must be an object');
    const out: Record<string, ViewValueInput> = {};
    for (const [key, entry] of Object.entries(record)) {
      if (!ELEMENT_ID.test(key)) throw new RequestError(400, `values has a malformed key`);
      if (entry === null || typeof entry === 'string') {
        if (typeof entry === 'string' && entry.length > 10_000) throw new RequestError(400, `${key} is too long`);
        out[key] = entry;
      } else if (Array.isArray(entry) && entry.every((v) => typeof v === 'string' && v.length <= 2000) && entry.length <= 100) {
        out[key] = entry as string[];
      } else if (asRecord(entry) && typeof (entry as Json)['selected'] === 'string') {
        const chosen = entry as Json;
        out[key] = {
          selected: String(chosen['selected']).slice(0, 2000),
          ...(typeof chosen['text'] === 'string' ? { text: chosen['text'].slice(0, 200) } : {}),
        };
      } else if (asRecord(entry) && Array.isArray((entry as Json)['files'])) {
        const files = ((entry as Json)['files'] as unknown[]).slice(0, 10).map((f) => {
          const id = typeof f === 'string' ? f : asRecord(f)?.['id'];
          const hosted = typeof id === 'string' ? this.hostedFiles.get(id) : undefined;
          if (!hosted || hosted.user !== user) throw new RequestError(400, `${key}: upload the file first`);
          return hosted;
        });
        out[key] = { files };
      } else {
        throw new RequestError(400, `${key} has a value of an unknown shape`);
      }
    }
    return out;
  }

  // ---- HTTP plumbing ---------------------------------------------------------------------------

  private async readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new RequestError(413, 'The request is too large.');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async readJson(req: IncomingMessage): Promise<Json> {
    // JSON only: a cross-site form cannot send it without a preflight, which this server never grants.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new RequestError(415, 'Send JSON.');
    const raw = await this.readBody(req, MAX_JSON_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new RequestError(400, 'The body is not valid JSON.');
    }
    const record = asRecord(parsed);
    if (!record) throw new RequestError(400, 'The body must be a JSON object.');
    return record;
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    this.send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  }

  private send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      ...extra,
    });
    res.end(body);
  }
}
