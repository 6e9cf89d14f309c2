// A local stand-in for Slack's Web API, served over real HTTP on loopback so the app's real
// @slack/web-api and Bolt clients talk to it unchanged (only `slackApiUrl` points here). It also
// serves what Slack serves beside the Web API: upload URLs, private file downloads and response_urls.
// State lives in memory: this is a double for end-to-end tests and the local playground.

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { asRecord, listen, readBody, RouteTable, send } from '../http/loopbackHttp';
import { type BlockKitSurface, checkBlockKitLimits } from './blockKitLimits';
import {
  channelObject,
  completeChannel,
  completeUser,
  dmChannelId,
  type LocalChannel,
  type LocalUser,
  type NewLocalChannel,
  type NewLocalUser,
  seededChannels,
  seededUsers,
  userObject,
} from './workspace';

export interface LocalSlackOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The only token the API accepts (`Authorization: Bearer …` or a `token` field). */
  botToken: string;
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** How long a trigger_id stays usable; Slack's is 3 seconds. */
  triggerTtlMs?: number;
  /** How long a response_url stays usable; Slack's is 30 minutes. */
  responseUrlTtlMs?: number;
}

export interface RecordedCall {
  method: string;
  /** The arguments as the app sent them, JSON-string fields (blocks, view, files, …) decoded; the token removed. */
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
  /** The HTTP status answered: 200, or the status of an injected fault. */
  status: number;
  at: Date;
}

/** 'ack': the body of the app's acknowledgement of a slash command, which Slack shows as a message. */
export type MessageSource = 'api' | 'response_url' | 'ack';

export interface LocalMessage {
  /** Always a conversation id: a DM posted to a user id is stored under the DM's 'D…' id. */
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** Files shared with the message (files.completeUploadExternal). */
  files?: SlackFile[];
  metadata?: unknown;
  /** The poster: the bot user. */
  user: string;
  /** Set for chat.postEphemeral and ephemeral response_url / ack replies: only this user sees it. */
  ephemeralTo?: string;
  threadTs?: string;
  updatedCount: number;
  deleted: boolean;
  source: MessageSource;
}

export type ViewType = 'modal' | 'home';

export interface LocalView {
  id: string;
  hash: string;
  type: ViewType;
  /** The user the view is shown to. */
  user: string;
  /** The view object as the app sent it (latest version). */
  view: Record<string, unknown>;
  stack: 'root' | 'pushed';
  rootViewId: string;
  previousViewId: string | null;
  externalId?: string;
  closed: boolean;
  updatedCount: number;
}

export interface ViewChange {
  change: 'opened' | 'pushed' | 'updated' | 'published' | 'closed';
  view: LocalView;
}

/** Slack's file object, as files.info and file_input state give it. */
export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  user_team: string;
  editable: boolean;
  size: number;
  mode: string;
  is_external: boolean;
  external_type: string;
  is_public: boolean;
  public_url_shared: boolean;
  display_as_bot: boolean;
  username: string;
  url_private: string;
  url_private_download: string;
  permalink: string;
  channels: string[];
  groups: string[];
  ims: string[];
  comments_count: number;
}

export interface UploadedFile {
  id: string;
  /** The filename given to files.getUploadURLExternal. */
  name: string;
  title: string;
  content: Buffer;
  /** The `length` the app declared; compare with content.length to catch a wrong declaration. */
  declaredLength: number;
  channel_id?: string;
  initial_comment?: string;
  thread_ts?: string;
  /** files.completeUploadExternal has been called for it. */
  completed: boolean;
  file: SlackFile;
}

export interface HostFileOptions {
  name: string;
  content: Buffer | string;
  /** The uploader. */
  user: string;
  title?: string;
  /** Guessed from the name's extension when left out ('people.csv' → text/csv, csv). */
  mimetype?: string;
  filetype?: string;
  /** The Content-Type the download answers with, when it should differ from `mimetype`. */
  servedContentType?: string;
}

export type ApiFault = { error: string } | { status: 429; retryAfterSeconds: number } | { status: number };

/**
 * Pseudo-methods that failNext also accepts, for the two requests that are not Web API calls:
 * the POST to an upload_url and the GET of a url_private(_download).
 */
export const FILE_UPLOAD_REQUEST = 'file_upload';
export const FILE_DOWNLOAD_REQUEST = 'file_download';

export interface BlockKitViolationRecord {
  /** What carried the payload: a Web API method, 'response_url', 'command_ack', 'view_submission_response'. */
  source: string;
  kind: BlockKitSurface;
  violations: string[];
  at: Date;
}

/**
 * 'message': a new message (any source). 'message_changed': a message updated in place (chat.update,
 * replace_original) or deleted (deleted: true). 'view': a view opened, pushed, updated, published or closed.
 * 'call': a Web API call answered. Every payload is a snapshot.
 */
export type LocalSlackEventMap = {
  message: [LocalMessage];
  message_changed: [LocalMessage];
  view: [ViewChange];
  call: [RecordedCall];
};

/** What Slack did with the app's answer to a view_submission. */
export type ViewSubmissionOutcome =
  | { outcome: 'closed' | 'cleared' | 'updated' | 'pushed'; viewId: string }
  | { outcome: 'errors'; errors: Record<string, string> }
  | { outcome: 'kept_open'; reason: string }
  | { outcome: 'rejected'; violations: string[] };

type ApiArgs = Record<string, unknown>;

interface SlackRequest {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  url: URL;
  params: readonly (string | undefined)[];
}
type ApiAnswer = { ok: boolean; error?: string } & Record<string, unknown>;

interface StoredFile {
  file: SlackFile;
  content: Buffer | undefined;
  servedContentType: string;
  origin: 'hosted' | 'upload';
  upload?: {
    declaredLength: number;
    completed: boolean;
    channel_id?: string;
    initial_comment?: string;
    thread_ts?: string;
  };
}

interface TriggerRecord {
  user: string;
  expiresAt: number;
  used: boolean;
}

interface ResponseUrlRecord {
  channel: string;
  user: string;
  /** The message whose interaction produced the URL: what replace_original/delete_original act on. */
  messageTs?: string;
  posts: number;
  expiresAt: number;
}

/** Fields Slack takes as JSON-encoded strings in form bodies. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'file_uploads', 'unfurls']);

/** chat.postMessage's text limit: "truncated … at 40,000 characters" → msg_too_long. */
const MESSAGE_TEXT_LIMIT = 40000;
/** A response_url "can be used up to 5 times within 30 minutes". */
const RESPONSE_URL_MAX_POSTS = 5;
/** "A view stack can hold up to 3 views": the root and two pushed above it → push_limit_reached. */
const VIEW_STACK_MAX_PUSHED = 2;

const FILE_TYPES: Record<string, [mimetype: string, filetype: string]> = {
  csv: ['text/csv', 'csv'],
  tsv: ['text/tab-separated-values', 'tsv'],
  txt: ['text/plain', 'text'],
  json: ['application/json', 'json'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  pdf: ['application/pdf', 'pdf'],
  png: ['image/png', 'png'],
};

const SIGN_IN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in | Slack</title></head>
<body><h1>Sign in to your workspace</h1><p>Enter your workspace's Slack URL.</p>
<form action="/signin" method="post"><input name="domain"><button>Continue</button></form></body></html>
`;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

function stringArg(args: ApiArgs, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function fail(error: string, extra: Record<string, unknown> = {}): ApiAnswer {
  return { ok: false, error, ...extra };
}

function fileTypeOf(name: string): [mimetype: string, filetype: string] {
  const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  return FILE_TYPES[extension] ?? ['application/octet-stream', 'binary'];
}

/** Form fields of a multipart body, files as Buffers (their first one also under '__file'). */
async function parseMultipart(body: Buffer, contentType: string): Promise<Record<string, unknown>> {
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

async function parseApiArgs(req: IncomingMessage, body: Buffer, query: URLSearchParams): Promise<ApiArgs> {
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

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Slack fills in block_id and action_id that the app left out; ours are stable so state keys match. */
function withSlackIds(blocks: unknown[]): unknown[] {
  return blocks.map((value, blockIndex) => {
    const block = asRecord(value);
    if (!block) return value;
    const filled: Record<string, unknown> = { ...block, block_id: block['block_id'] ?? `gen-${blockIndex}` };
    const fillElement = (element: unknown, elementIndex: number): unknown => {
      const record = asRecord(element);
      if (!record || record['type'] === 'image' || record['type'] === 'plain_text' || record['type'] === 'mrkdwn') {
        return element;
      }
      return { ...record, action_id: record['action_id'] ?? `gen-${blockIndex}-${elementIndex}` };
    };
    if (block['type'] === 'actions' && Array.isArray(block['elements'])) {
      filled['elements'] = block['elements'].map(fillElement);
    }
    if (block['type'] === 'input' && block['element'] !== undefined) filled['element'] = fillElement(block['element'], 0);
    if (block['type'] === 'section' && block['accessory'] !== undefined) {
      filled['accessory'] = fillElement(block['accessory'], 0);
    }
    return filled;
  });
}

export class LocalSlack {
  /** 'http://127.0.0.1:PORT/' */
  readonly url: string;
  /** 'http://127.0.0.1:PORT/api/': what the app passes as `slackApiUrl`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly triggerTtlMs: number;
  readonly responseUrlTtlMs: number;
  /** Every Web API call, in order. */
  readonly calls: RecordedCall[] = [];
  /** Every payload that broke a Block Kit limit, accepted or not; a clean run leaves it empty. */
  readonly blockKitViolations: BlockKitViolationRecord[] = [];
  /** Live changes, for a page that follows along (the playground's server-sent events). */
  readonly events = new EventEmitter<LocalSlackEventMap>();

  private readonly server: Server;
  private readonly userMap = new Map<string, LocalUser>();
  private readonly channelMap = new Map<string, LocalChannel>();
  private messageList: LocalMessage[] = [];
  private viewList: LocalView[] = [];
  private readonly fileStore = new Map<string, StoredFile>();
  private readonly triggers = new Map<string, TriggerRecord>();
  private readonly responseUrls = new Map<string, ResponseUrlRecord>();
  private readonly faults = new Map<string, ApiFault[]>();
  private responseUrlFaultStatus: number | undefined;
  private lastTsMicros = 0;
  private triggerCount = 0;
  private readonly methods: ReadonlyMap<string, (args: ApiArgs) => ApiAnswer>;
  private readonly routes = new RouteTable<(request: SlackRequest) => void | Promise<void>>([
    {
      path: /^\/api\/(.*)$/,
      methods: '*',
      handler: ({ req, res, params, body, url }) => this.handleApiCall(req, res, params[0] ?? '', body, url.searchParams),
    },
    { path: /^\/upload\/v1\/(F[A-Z0-9]+)$/, methods: ['POST'], handler: ({ req, res, params, body }) => this.handleUpload(req, res, params[0] ?? '', body) },
    {
      path: /^\/files-pri\/.+-(F[A-Z0-9]+)\/(download\/)?[^/]+$/,
      methods: ['GET', 'HEAD'],
      handler: ({ req, res, params }) => this.handleDownload(req, res, params[0] ?? '', params[1] !== undefined),
    },
    { path: /^\/response\/([A-Z0-9]+)$/, methods: ['POST'], handler: ({ req, res, params, body }) => this.handleResponseUrl(req, res, params[0] ?? '', body) },
  ]);

  static async start(options: LocalSlackOptions): Promise<LocalSlack> {
    const server = createServer();
    const { origin } = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    const slack = new LocalSlack(options, server, `${origin}/`);
    server.on('request', (req, res) => {
      void slack.handleRequest(req, res);
    });
    return slack;
  }

  private constructor(options: LocalSlackOptions, server: Server, url: string) {
    this.server = server;
    this.url = url;
    this.apiUrl = `${url}api/`;
    this.botToken = options.botToken;
    this.teamId = options.teamId ?? 'T0LOCAL';
    this.teamDomain = options.teamDomain ?? 'local-workspace';
    this.teamName = options.teamName ?? 'Local Workspace';
    this.botUserId = options.botUserId ?? 'U0LOCALBOT';
    this.botId = options.botId ?? 'B0LOCALBOT';
    this.appId = options.appId ?? 'A0LOCALAPP';
    this.triggerTtlMs = options.triggerTtlMs ?? 3000;
    this.responseUrlTtlMs = options.responseUrlTtlMs ?? 30 * 60 * 1000;
    for (const user of seededUsers(this.teamId)) this.userMap.set(user.id, user);
    this.userMap.set(
      this.botUserId,
      completeUser({ id: this.botUserId, name: 'pgroup', realName: 'pgroup', isBot: true }, this.teamId),
    );
    for (const channel of seededChannels()) this.channelMap.set(channel.id, channel);
    this.methods = new Map<string, (args: ApiArgs) => ApiAnswer>([
      ['auth.test', () => this.authTest()],
      ['chat.postMessage', (args) => this.chatPostMessage(args)],
      ['chat.postEphemeral', (args) => this.chatPostEphemeral(args)],
      ['chat.update', (args) => this.chatUpdate(args)],
      ['chat.delete', (args) => this.chatDelete(args)],
      ['views.open', (args) => this.viewsOpen(args)],
      ['views.push', (args) => this.viewsPush(args)],
      ['views.update', (args) => this.viewsUpdate(args)],
      ['views.publish', (args) => this.viewsPublish(args)],
      ['files.info', (args) => this.filesInfo(args)],
      ['files.getUploadURLExternal', (args) => this.filesGetUploadUrlExternal(args)],
      ['files.completeUploadExternal', (args) => this.filesCompleteUploadExternal(args)],
      ['users.info', (args) => this.usersInfo(args)],
      ['conversations.info', (args) => this.conversationsInfo(args)],
      ['conversations.open', (args) => this.conversationsOpen(args)],
    ]);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
    });
  }

  /** Forgets calls, messages, views, files, trigger ids, response_urls, violations and faults; keeps people and channels. */
  reset(): void {
    this.calls.length = 0;
    this.blockKitViolations.length = 0;
    this.messageList = [];
    this.viewList = [];
    this.fileStore.clear();
    this.triggers.clear();
    this.responseUrls.clear();
    this.clearFaults();
  }

  // ---- What tests and the playground read ------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Messages in the order they were posted (deleted ones included, flagged); `channel` may be a user id for the DM. */
  messages(channel?: string): LocalMessage[] {
    const id = channel === undefined ? undefined : (this.resolveConversation(channel)?.id ?? channel);
    return this.messageList.filter((m) => id === undefined || m.channel === id).map((m) => structuredClone(m));
  }

  message(channel: string, ts: string): LocalMessage | undefined {
    const found = this.findMessage(channel, ts);
    return found && structuredClone(found);
  }

  views(): LocalView[] {
    return this.viewList.map((v) => structuredClone(v));
  }

  view(viewId: string): LocalView | undefined {
    const found = this.viewList.find((v) => v.id === viewId);
    return found && structuredClone(found);
  }

  /** The user's open modals, the top of the stack last. */
  openModals(user: string): LocalView[] {
    return this.viewList.filter((v) => v.type === 'modal' && v.user === user && !v.closed).map((v) => structuredClone(v));
  }

  homeView(user: string): LocalView | undefined {
    const found = this.viewList.find((v) => v.type === 'home' && v.user === user);
    return found && structuredClone(found);
  }

  /** Files uploaded through files.getUploadURLExternal + upload_url (+ files.completeUploadExternal). */
  get files(): UploadedFile[] {
    const uploads: UploadedFile[] = [];
    for (const stored of this.fileStore.values()) {
      if (stored.origin !== 'upload' || !stored.upload || !stored.content) continue;
      uploads.push({
        id: stored.file.id,
        name: stored.file.name,
        title: stored.file.title,
        content: Buffer.from(stored.content),
        declaredLength: stored.upload.declaredLength,
        ...(stored.upload.channel_id === undefined ? {} : { channel_id: stored.upload.channel_id }),
        ...(stored.upload.initial_comment === undefined ? {} : { initial_comment: stored.upload.initial_comment }),
        ...(stored.upload.thread_ts === undefined ? {} : { thread_ts: stored.upload.thread_ts }),
        completed: stored.upload.completed,
        file: structuredClone(stored.file),
      });
    }
    return uploads;
  }

  get users(): LocalUser[] {
    return [...this.userMap.values()].map((u) => ({ ...u }));
  }

  get channels(): LocalChannel[] {
    return [...this.channelMap.values()].map((c) => ({ ...c }));
  }

  user(id: string): LocalUser | undefined {
    const found = this.userMap.get(id);
    return found && { ...found };
  }

  /** A channel by id or name, or a user id's DM (created on first use, as Slack does). */
  channel(idOrName: string): LocalChannel | undefined {
    const found = this.resolveConversation(idOrName);
    return found && { ...found };
  }

  addUser(user: NewLocalUser): LocalUser {
    const complete = completeUser(user, this.teamId);
    this.userMap.set(complete.id, complete);
    return { ...complete };
  }

  addChannel(channel: NewLocalChannel): LocalChannel {
    const complete = completeChannel(channel);
    this.channelMap.set(complete.id, complete);
    return { ...complete };
  }

  /** The DM conversation id between the app and `user`. */
  dmChannelFor(user: string): string {
    return this.dmFor(user).id;
  }

  // ---- What a user's interaction hands out -----------------------------------------------------

  /** A trigger_id for `user`: single use, usable for triggerTtlMs. */
  issueTriggerId(user: string): string {
    this.triggerCount += 1;
    const triggerId = `${this.triggerCount}.${Date.now()}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(triggerId, { user, expiresAt: Date.now() + this.triggerTtlMs, used: false });
    return triggerId;
  }

  /**
   * A response_url for an interaction by `user` in `channel` (a user id means their DM). `messageTs` names the
   * message the interaction came from: replace_original and delete_original act on it; without it,
   * replace_original posts a new message and delete_original answers 404.
   */
  createResponseUrl(options: { channel: string; user: string; messageTs?: string }): string {
    const id = randomId(24);
    this.responseUrls.set(id, {
      channel: this.resolveConversation(options.channel)?.id ?? options.channel,
      user: options.user,
      ...(options.messageTs === undefined ? {} : { messageTs: options.messageTs }),
      posts: 0,
      expiresAt: Date.now() + this.responseUrlTtlMs,
    });
    return `${this.url}response/${id}`;
  }

  /** A file as Slack holds it after a user shared it (e.g. through a modal's file_input). */
  hostFile(options: HostFileOptions): SlackFile {
    const [guessedMimetype, guessedFiletype] = fileTypeOf(options.name);
    const content = typeof options.content === 'string' ? Buffer.from(options.content, 'utf8') : options.content;
    const mimetype = options.mimetype ?? guessedMimetype;
    const file = this.buildFile({
      name: options.name,
      title: options.title ?? options.name,
      mimetype,
      filetype: options.filetype ?? guessedFiletype,
      user: options.user,
      size: content.length,
    });
    this.fileStore.set(file.id, {
      file,
      content: Buffer.from(content),
      servedContentType: options.servedContentType ?? mimetype,
      origin: 'hosted',
    });
    return structuredClone(file);
  }

  // ---- Faults --------------------------------------------------------------------------------

  /**
   * The next `times` calls of `method` fail: `{ error }` answers 200 `{ ok: false, error }`; `{ status: 429,
   * retryAfterSeconds }` answers 429 with Retry-After; `{ status }` answers that HTTP status.
   * `method` may also be FILE_UPLOAD_REQUEST or FILE_DOWNLOAD_REQUEST.
   */
  failNext(method: string, fault: ApiFault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** Every response_url answers `status` until clearFaults(). */
  failResponseUrls(status = 404): void {
    this.responseUrlFaultStatus = status;
  }

  clearFaults(): void {
    this.faults.clear();
    this.responseUrlFaultStatus = undefined;
  }

  // ---- Used by SlackDriver to act as Slack's client ---------------------------------------------

  /** Checks a payload against Block Kit limits and records any violation under `source`. */
  checkBlockKit(source: string, kind: BlockKitSurface, payload: { blocks?: unknown[]; view?: unknown }): string[] {
    const violations = checkBlockKitLimits(kind, payload);
    if (violations.length > 0) {
      this.blockKitViolations.push({ source, kind, violations, at: new Date() });
    }
    return violations;
  }

  /** A message as Slack puts it in interaction payloads, with Slack's generated block and action ids. */
  slackMessageObject(channel: string, ts: string): Record<string, unknown> | undefined {
    const found = this.findMessage(channel, ts);
    return found && this.messageObject(found);
  }

  /** A view as Slack returns it and puts it in payloads (`state.values` empty), or undefined. */
  slackViewObject(viewId: string): Record<string, unknown> | undefined {
    const found = this.viewList.find((v) => v.id === viewId);
    return found && this.viewObject(found);
  }

  /** Closes a view and any pushed above it; `clearStack` closes its whole stack (response_action clear, clear_on_close). */
  closeView(viewId: string, options: { clearStack?: boolean } = {}): void {
    const view = this.viewList.find((v) => v.id === viewId);
    if (!view) return;
    const stack = this.viewList.filter((v) => v.rootViewId === view.rootViewId && v.type === view.type);
    const from = options.clearStack ? 0 : stack.indexOf(view);
    for (const closing of stack.slice(from)) {
      if (closing.closed) continue;
      closing.closed = true;
      this.emitView('closed', closing);
    }
  }

  /**
   * Applies the app's answer to a view_submission the way Slack does: an empty 200 closes the view;
   * response_action errors keeps it open; update replaces it; push stacks a new one; clear closes them all.
   */
  applyViewSubmissionAnswer(
    viewId: string,
    answer: { status: number; body: string; json?: unknown },
  ): ViewSubmissionOutcome {
    const view = this.viewList.find((v) => v.id === viewId);
    if (!view) return { outcome: 'kept_open', reason: `no view ${viewId}` };
    if (answer.status !== 200) {
      return { outcome: 'kept_open', reason: `the app answered HTTP ${answer.status}; Slack shows a connection error` };
    }
    const json = asRecord(answer.json);
    const action = json?.['response_action'];
    if (answer.body.trim() === '' || json === undefined || action === undefined) {
      this.closeView(viewId);
      return { outcome: 'closed', viewId };
    }
    switch (action) {
      case 'errors': {
        const errors = asRecord(json['errors']) ?? {};
        const inputBlockIds = new Set(
          withSlackIds(Array.isArray(view.view['blocks']) ? view.view['blocks'] : [])
            .map(asRecord)
            .filter((b) => b?.['type'] === 'input')
            .map((b) => b?.['block_id']),
        );
        const unknown = Object.keys(errors).filter((blockId) => !inputBlockIds.has(blockId));
        if (unknown.length > 0) {
          const violations = unknown.map((id) => `errors.${id}: not the block_id of an input block in the view`);
          this.blockKitViolations.push({ source: 'view_submission_response', kind: 'modal', violations, at: new Date() });
          return { outcome: 'rejected', violations };
        }
        return { outcome: 'errors', errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)])) };
      }
      case 'update':
      case 'push': {
        const next = asRecord(json['view']);
        const violations = this.checkBlockKit('view_submission_response', 'modal', { view: next });
        if (!next || violations.length > 0) return { outcome: 'rejected', violations };
        if (action === 'update') {
          this.replaceView(view, next);
          return { outcome: 'updated', viewId: view.id };
        }
        const pushedAlready = this.viewList.filter((v) => v.rootViewId === view.rootViewId && !v.closed && v.stack === 'pushed');
        if (pushedAlready.length >= VIEW_STACK_MAX_PUSHED) {
          return { outcome: 'rejected', violations: ['response_action push: the view stack already holds 3 views'] };
        }
        const pushed = this.createView({
          type: 'modal',
          user: view.user,
          view: next,
          stack: 'pushed',
          rootViewId: view.rootViewId,
          previousViewId: view.id,
        });
        this.emitView('pushed', pushed);
        return { outcome: 'pushed', viewId: pushed.id };
      }
      case 'clear':
        this.closeView(viewId, { clearStack: true });
        return { outcome: 'cleared', viewId };
      default:
        return { outcome: 'rejected', violations: [`response_action: unknown value ${JSON.stringify(action)}`] };
    }
  }

  /**
   * Shows the body of the app's acknowledgement of a slash command as Slack does: nothing for an empty body,
   * otherwise a message (ephemeral to the user unless response_type is in_channel).
   */
  recordCommandAck(options: { channel: string; user: string; body: string; json?: unknown }): LocalMessage | undefined {
    if (options.body.trim() === '') return undefined;
    const json = asRecord(options.json);
    const text = json ? (typeof json['text'] === 'string' ? json['text'] : '') : options.body;
    const blocks = json && Array.isArray(json['blocks']) ? json['blocks'] : undefined;
    if (blocks && this.checkBlockKit('command_ack', 'message', { blocks }).length > 0) return undefined;
    if (text === '' && !blocks) return undefined;
    const channel = this.resolveConversation(options.channel)?.id ?? options.channel;
    return this.addMessage({
      channel,
      text,
      ...(blocks ? { blocks } : {}),
      ...(json?.['response_type'] === 'in_channel' ? {} : { ephemeralTo: options.user }),
      source: 'ack',
    });
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.url);
      const body = await readBody(req);
      const route = this.routes.find(req.method ?? 'GET', url.pathname);
      if (route.kind !== 'found') {
        this.send(res, 404, 'text/plain', 'not_found');
        return;
      }
      await route.handler({ req, res, body, url, params: route.params });
    } catch (error) {
      if (!res.headersSent) this.send(res, 500, 'text/plain', `local slack error: ${String(error)}`);
    }
  }

  private send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers = {}): void {
    send(res, { status, headers: { 'Content-Type': contentType, ...headers }, body });
  }

  private async handleApiCall(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    body: Buffer,
    query: URLSearchParams,
  ): Promise<void> {
    let args: ApiArgs;
    try {
      args = await parseApiArgs(req, body, query);
    } catch {
      this.answerApi(res, method, {}, 200, fail('invalid_form_data'));
      return;
    }
    const token = bearerToken(req.headers.authorization) ?? stringArg(args, 'token');
    delete args['token'];
    const fault = this.takeFault(method);
    if (fault) {
      if ('error' in fault) {
        this.answerApi(res, method, args, 200, fail(fault.error));
      } else if ('retryAfterSeconds' in fault) {
        this.answerApi(res, method, args, 429, fail('ratelimited'), { 'Retry-After': String(fault.retryAfterSeconds) });
      } else {
        this.recordCall(method, args, false, `http_${fault.status}`, fault.status);
        this.send(res, fault.status, 'text/plain', `local slack fault: HTTP ${fault.status}`);
      }
      return;
    }
    const handler = this.methods.get(method);
    let answer: ApiAnswer;
    if (!handler) {
      answer = fail('unknown_method');
    } else if (token !== this.botToken) {
      answer = fail('invalid_auth');
    } else {
      answer = handler(args);
    }
    this.answerApi(res, method, args, 200, answer);
  }

  private answerApi(
    res: ServerResponse,
    method: string,
    args: ApiArgs,
    status: number,
    answer: ApiAnswer,
    headers: Record<string, string> = {},
  ): void {
    this.recordCall(method, args, answer.ok, answer.error, status);
    this.send(res, status, 'application/json; charset=utf-8', JSON.stringify(answer), headers);
  }

  private recordCall(method: string, args: ApiArgs, ok: boolean, error: string | undefined, status: number): void {
    const call: RecordedCall = { method, args, ok, ...(ok || error === undefined ? {} : { error }), status, at: new Date() };
    this.calls.push(call);
    this.events.emit('call', call);
  }

  private takeFault(method: string): ApiFault | undefined {
    const queue = this.faults.get(method);
    const fault = queue?.shift();
    if (queue && queue.length === 0) this.faults.delete(method);
    return fault;
  }

  private async handleUpload(req: IncomingMessage, res: ServerResponse, fileId: string, body: Buffer): Promise<void> {
    const fault = this.takeFault(FILE_UPLOAD_REQUEST);
    if (fault) {
      this.send(res, 'status' in fault ? fault.status : 500, 'text/plain', 'error');
      return;
    }
    const stored = this.fileStore.get(fileId);
    if (stored?.origin !== 'upload' || stored.upload?.completed) {
      this.send(res, 404, 'text/plain', 'not_found');
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    let content = body;
    if (contentType.startsWith('multipart/form-data')) {
      const fields = await parseMultipart(body, contentType);
      const file = fields['__file'];
      content = Buffer.isBuffer(file) ? file : Buffer.from(String(fields['body'] ?? fields['file'] ?? ''), 'utf8');
    }
    stored.content = Buffer.from(content);
    stored.file.size = content.length;
    this.send(res, 200, 'text/plain', `OK - ${content.length}`);
  }

  private handleDownload(req: IncomingMessage, res: ServerResponse, fileId: string, asDownload: boolean): void {
    const fault = this.takeFault(FILE_DOWNLOAD_REQUEST);
    if (fault) {
      this.send(res, 'status' in fault ? fault.status : 500, 'text/plain', 'error');
      return;
    }
    const stored = this.fileStore.get(fileId);
    if (bearerToken(req.headers.authorization) !== this.botToken) {
      // Slack answers an unauthenticated file URL with its sign-in page, not an error status.
      this.send(res, 200, 'text/html; charset=utf-8', SIGN_IN_PAGE);
      return;
    }
    if (!stored?.content) {
      this.send(res, 404, 'text/plain', 'file_not_found');
      return;
    }
    const headers: Record<string, string> = { 'Content-Length': String(stored.content.length) };
    if (asDownload) headers['Content-Disposition'] = `attachment; filename="${encodeURIComponent(stored.file.name)}"`;
    res.writeHead(200, { 'Content-Type': stored.servedContentType, ...headers });
    res.end(req.method === 'HEAD' ? undefined : stored.content);
  }

  private handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string, body: Buffer): void {
    if (this.responseUrlFaultStatus !== undefined) {
      this.send(res, this.responseUrlFaultStatus, 'text/plain', 'fault');
      return;
    }
    const record = this.responseUrls.get(id);
    if (!record || Date.now() > record.expiresAt) {
      this.send(res, 404, 'text/plain', 'expired_url');
      return;
    }
    if (record.posts >= RESPONSE_URL_MAX_POSTS) {
      this.send(res, 404, 'text/plain', 'used_url');
      return;
    }
    let payload: Record<string, unknown> | undefined;
    try {
      const text = body.toString('utf8');
      const contentType = req.headers['content-type'] ?? '';
      const json = contentType.startsWith('application/x-www-form-urlencoded')
        ? (new URLSearchParams(text).get('payload') ?? '')
        : text;
      payload = asRecord(JSON.parse(json));
    } catch {
      payload = undefined;
    }
    if (!payload) {
      this.send(res, 400, 'text/plain', 'invalid_payload');
      return;
    }
    record.posts += 1;
    const original = record.messageTs === undefined ? undefined : this.findMessage(record.channel, record.messageTs);
    if (truthy(payload['delete_original'])) {
      if (!original || original.deleted) {
        this.send(res, 404, 'text/plain', 'message_not_found');
        return;
      }
      original.deleted = true;
      this.events.emit('message_changed', structuredClone(original));
      this.send(res, 200, 'text/plain', 'ok');
      return;
    }
    const text = typeof payload['text'] === 'string' ? payload['text'] : '';
    const blocks = payload['blocks'];
    if (blocks !== undefined && !Array.isArray(blocks)) {
      this.send(res, 400, 'text/plain', 'invalid_blocks_format');
      return;
    }
    if (blocks && this.checkBlockKit('response_url', 'message', { blocks }).length > 0) {
      this.send(res, 400, 'text/plain', 'invalid_blocks');
      return;
    }
    if (text === '' && !blocks) {
      this.send(res, 400, 'text/plain', 'no_text');
      return;
    }
    if (truthy(payload['replace_original']) && original && !original.deleted) {
      original.text = text;
      if (blocks) original.blocks = blocks;
      else delete original.blocks;
      original.updatedCount += 1;
      this.events.emit('message_changed', structuredClone(original));
    } else {
      const threadTs = typeof payload['thread_ts'] === 'string' ? payload['thread_ts'] : undefined;
      this.addMessage({
        channel: record.channel,
        text,
        ...(blocks ? { blocks } : {}),
        ...(payload['response_type'] === 'in_channel' ? {} : { ephemeralTo: record.user }),
        ...(threadTs === undefined ? {} : { threadTs }),
        source: 'response_url',
      });
    }
    this.send(res, 200, 'text/plain', 'ok');
  }

  // ---- Web API methods ---------------------------------------------------------------------

  private authTest(): ApiAnswer {
    return {
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamName,
      user: 'pgroup',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    };
  }

  private chatPostMessage(args: ApiArgs): ApiAnswer {
    const channel = this.resolveConversation(args['channel']);
    if (!channel) return fail('channel_not_found');
    const content = this.messageContent('chat.postMessage', args, true);
    if ('error' in content) return content.error;
    const threadTs = stringArg(args, 'thread_ts');
    const message = this.addMessage({
      channel: channel.id,
      ...content,
      ...(threadTs === undefined ? {} : { threadTs }),
      ...(args['metadata'] === undefined ? {} : { metadata: args['metadata'] }),
      source: 'api',
    });
    return { ok: true, channel: channel.id, ts: message.ts, message: this.messageObject(message) };
  }

  private chatPostEphemeral(args: ApiArgs): ApiAnswer {
    const channel = this.resolveConversation(args['channel']);
    if (!channel) return fail('channel_not_found');
    const user = stringArg(args, 'user');
    if (!user || !this.userMap.has(user)) return fail('user_not_found');
    const content = this.messageContent('chat.postEphemeral', args, true);
    if ('error' in content) return content.error;
    const threadTs = stringArg(args, 'thread_ts');
    const message = this.addMessage({
      channel: channel.id,
      ...content,
      ephemeralTo: user,
      ...(threadTs === undefined ? {} : { threadTs }),
      source: 'api',
    });
    return { ok: true, message_ts: message.ts };
  }

  private chatUpdate(args: ApiArgs): ApiAnswer {
    const channel = this.resolveConversation(args['channel']);
    if (!channel) return fail('channel_not_found');
    const ts = stringArg(args, 'ts') ?? '';
    const message = this.findMessage(channel.id, ts);
    // Ephemeral messages cannot be updated through chat.update, only through their response_url.
    if (!message || message.deleted || message.ephemeralTo !== undefined) return fail('message_not_found');
    if (message.user !== this.botUserId) return fail('cant_update_message');
    if (args['text'] === undefined && args['blocks'] === undefined && args['attachments'] === undefined) {
      return fail('no_text');
    }
    const content = this.messageContent('chat.update', args, false);
    if ('error' in content) return content.error;
    // Slack keeps blocks and attachments that chat.update leaves out; an empty array removes them.
    if (args['text'] !== undefined) message.text = content.text;
    if (content.blocks !== undefined) {
      if (content.blocks.length > 0) message.blocks = content.blocks;
      else delete message.blocks;
    }
    if (content.attachments !== undefined) {
      if (content.attachments.length > 0) message.attachments = content.attachments;
      else delete message.attachments;
    }
    message.updatedCount += 1;
    this.events.emit('message_changed', structuredClone(message));
    return { ok: true, channel: channel.id, ts, text: message.text, message: this.messageObject(message) };
  }

  private chatDelete(args: ApiArgs): ApiAnswer {
    const channel = this.resolveConversation(args['channel']);
    if (!channel) return fail('channel_not_found');
    const ts = stringArg(args, 'ts') ?? '';
    const message = this.findMessage(channel.id, ts);
    if (!message || message.deleted || message.ephemeralTo !== undefined) return fail('message_not_found');
    message.deleted = true;
    this.events.emit('message_changed', structuredClone(message));
    return { ok: true, channel: channel.id, ts };
  }

  private viewsOpen(args: ApiArgs): ApiAnswer {
    const trigger = this.checkTrigger(args);
    if ('error' in trigger) return trigger.error;
    const view = this.checkView('views.open', args, 'modal');
    if ('error' in view) return view.error;
    trigger.record.used = true;
    const opened = this.createView({
      type: 'modal',
      user: trigger.record.user,
      view: view.view,
      stack: 'root',
      previousViewId: null,
    });
    this.emitView('opened', opened);
    return { ok: true, view: this.viewObject(opened) };
  }

  private viewsPush(args: ApiArgs): ApiAnswer {
    const trigger = this.checkTrigger(args);
    if ('error' in trigger) return trigger.error;
    const view = this.checkView('views.push', args, 'modal');
    if ('error' in view) return view.error;
    const open = this.viewList.filter((v) => v.type === 'modal' && v.user === trigger.record.user && !v.closed);
    const top = open[open.length - 1];
    if (!top) return fail('not_found');
    if (open.filter((v) => v.rootViewId === top.rootViewId && v.stack === 'pushed').length >= VIEW_STACK_MAX_PUSHED) {
      return fail('push_limit_reached');
    }
    trigger.record.used = true;
    const pushed = this.createView({
      type: 'modal',
      user: top.user,
      view: view.view,
      stack: 'pushed',
      rootViewId: top.rootViewId,
      previousViewId: top.id,
    });
    this.emitView('pushed', pushed);
    return { ok: true, view: this.viewObject(pushed) };
  }

  private viewsUpdate(args: ApiArgs): ApiAnswer {
    const viewId = stringArg(args, 'view_id');
    const externalId = stringArg(args, 'external_id');
    if (!viewId && !externalId) {
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view_id or external_id is required'] } });
    }
    const existing = this.viewList.find((v) =>
      viewId ? v.id === viewId : v.externalId !== undefined && v.externalId === externalId,
    );
    if (!existing || existing.closed) return fail('not_found');
    const hash = stringArg(args, 'hash');
    if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
    const view = this.checkView('views.update', args, existing.type, existing.id);
    if ('error' in view) return view.error;
    this.replaceView(existing, view.view);
    return { ok: true, view: this.viewObject(existing) };
  }

  private viewsPublish(args: ApiArgs): ApiAnswer {
    const user = stringArg(args, 'user_id');
    if (!user || !this.userMap.has(user)) return fail('user_not_found');
    const existing = this.viewList.find((v) => v.type === 'home' && v.user === user);
    const view = this.checkView('views.publish', args, 'home', existing?.id);
    if ('error' in view) return view.error;
    const hash = stringArg(args, 'hash');
    if (existing) {
      if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
      existing.view = view.view;
      existing.hash = this.newHash();
      existing.updatedCount += 1;
      this.emitView('published', existing);
      return { ok: true, view: this.viewObject(existing) };
    }
    const published = this.createView({ type: 'home', user, view: view.view, stack: 'root', previousViewId: null });
    this.emitView('published', published);
    return { ok: true, view: this.viewObject(published) };
  }

  private filesInfo(args: ApiArgs): ApiAnswer {
    const stored = this.fileStore.get(stringArg(args, 'file') ?? '');
    if (!stored || (stored.origin === 'upload' && !stored.upload?.completed)) return fail('file_not_found');
    return { ok: true, file: structuredClone(stored.file), comments: [], response_metadata: { next_cursor: '' } };
  }

  private filesGetUploadUrlExternal(args: ApiArgs): ApiAnswer {
    const filename = stringArg(args, 'filename');
    const length = Number(stringArg(args, 'length'));
    if (!filename || !Number.isInteger(length) || length < 0) {
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] filename and length are required'] } });
    }
    const [mimetype, filetype] = fileTypeOf(filename);
    const file = this.buildFile({ name: filename, title: filename, mimetype, filetype, user: this.botUserId, size: length });
    this.fileStore.set(file.id, {
      file,
      content: undefined,
      servedContentType: mimetype,
      origin: 'upload',
      upload: { declaredLength: length, completed: false },
    });
    return { ok: true, upload_url: `${this.url}upload/v1/${file.id}`, file_id: file.id };
  }

  private filesCompleteUploadExternal(args: ApiArgs): ApiAnswer {
    const files = args['files'];
    if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments');
    const entries: { stored: StoredFile; title?: string }[] = [];
    for (const entry of files) {
      const record = asRecord(entry);
      const stored = this.fileStore.get(typeof record?.['id'] === 'string' ? record['id'] : '');
      if (!stored?.upload || stored.content === undefined || stored.upload.completed) return fail('file_not_found');
      entries.push({ stored, ...(typeof record?.['title'] === 'string' ? { title: record['title'] } : {}) });
    }
    const channelArg = stringArg(args, 'channel_id') ?? stringArg(args, 'channels');
    const channel = channelArg === undefined ? undefined : this.resolveConversation(channelArg);
    if (channelArg !== undefined && !channel) return fail('channel_not_found');
    const initialComment = stringArg(args, 'initial_comment');
    const threadTs = stringArg(args, 'thread_ts');
    for (const { stored, title } of entries) {
      const upload = stored.upload!;
      upload.completed = true;
      if (title) stored.file.title = title;
      if (channel) {
        upload.channel_id = channel.id;
        stored.file.channels = [channel.id];
      }
      if (initialComment !== undefined) upload.initial_comment = initialComment;
      if (threadTs !== undefined) upload.thread_ts = threadTs;
    }
    if (channel) {
      // Slack shares the files in the conversation as one message carrying them, the comment as its text.
      const blocks = Array.isArray(args['blocks']) ? args['blocks'] : undefined;
      if (blocks && this.checkBlockKit('files.completeUploadExternal', 'message', { blocks }).length > 0) {
        return fail('invalid_blocks');
      }
      this.addMessage({
        channel: channel.id,
        text: initialComment ?? '',
        ...(blocks ? { blocks } : {}),
        files: entries.map((e) => structuredClone(e.stored.file)),
        ...(threadTs === undefined ? {} : { threadTs }),
        source: 'api',
      });
    }
    return { ok: true, files: entries.map((e) => ({ id: e.stored.file.id, title: e.stored.file.title })) };
  }

  private usersInfo(args: ApiArgs): ApiAnswer {
    const user = this.userMap.get(stringArg(args, 'user') ?? '');
    if (!user) return fail('user_not_found');
    return { ok: true, user: userObject(user) };
  }

  private conversationsInfo(args: ApiArgs): ApiAnswer {
    const id = stringArg(args, 'channel') ?? '';
    const channel = this.channelMap.get(id);
    if (!channel) return fail('channel_not_found');
    return { ok: true, channel: channelObject(channel, this.teamId) };
  }

  private conversationsOpen(args: ApiArgs): ApiAnswer {
    const channelArg = stringArg(args, 'channel');
    const users = (stringArg(args, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    let channel: LocalChannel | undefined;
    if (channelArg) {
      channel = this.channelMap.get(channelArg);
      if (!channel) return fail('channel_not_found');
    } else if (users.length === 1 && users[0]) {
      if (!this.userMap.has(users[0])) return fail('user_not_found');
      channel = this.dmFor(users[0]);
    } else if (users.length === 0) {
      return fail('users_list_not_supplied');
    } else {
      return fail('not_supported', { detail: 'the local Slack opens one-to-one DMs only' });
    }
    return {
      ok: true,
      channel: truthy(args['return_im']) ? channelObject(channel, this.teamId) : { id: channel.id },
    };
  }

  // ---- Internals ---------------------------------------------------------------------------

  private resolveConversation(ref: unknown): LocalChannel | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    const direct = this.channelMap.get(ref);
    if (direct) return direct;
    if (/^[UW]/.test(ref) && this.userMap.has(ref)) return this.dmFor(ref);
    const name = ref.replace(/^#/, '');
    return [...this.channelMap.values()].find((c) => !c.isIm && c.name === name);
  }

  private dmFor(user: string): LocalChannel {
    const id = dmChannelId(user);
    const existing = this.channelMap.get(id);
    if (existing) return existing;
    const dm = completeChannel({ id, name: '', isIm: true, isPrivate: true, user });
    this.channelMap.set(id, dm);
    return dm;
  }

  private findMessage(channel: string, ts: string): LocalMessage | undefined {
    const id = this.resolveConversation(channel)?.id ?? channel;
    return this.messageList.find((m) => m.channel === id && m.ts === ts);
  }

  /** text/blocks/attachments of a chat.* call, or the error Slack answers for them. */
  private messageContent(
    method: string,
    args: ApiArgs,
    requireSome: boolean,
  ): { text: string; blocks?: unknown[]; attachments?: unknown[] } | { error: ApiAnswer } {
    const text = stringArg(args, 'text') ?? '';
    const blocks = args['blocks'];
    const attachments = args['attachments'];
    if (blocks !== undefined && !Array.isArray(blocks)) return { error: fail('invalid_blocks_format') };
    if (attachments !== undefined && !Array.isArray(attachments)) return { error: fail('invalid_attachments') };
    if (requireSome && text === '' && !(blocks && blocks.length > 0) && !(attachments && attachments.length > 0)) {
      return { error: fail('no_text') };
    }
    if (text.length > MESSAGE_TEXT_LIMIT) return { error: fail('msg_too_long') };
    if (blocks) {
      const violations = this.checkBlockKit(method, 'message', { blocks });
      if (violations.length > 0) {
        return {
          error: fail('invalid_blocks', {
            errors: violations,
            response_metadata: { messages: violations.map((v) => `[ERROR] ${v}`) },
          }),
        };
      }
    }
    return { text, ...(blocks ? { blocks } : {}), ...(attachments ? { attachments } : {}) };
  }

  private addMessage(
    fields: Omit<LocalMessage, 'ts' | 'user' | 'updatedCount' | 'deleted'> & Partial<Pick<LocalMessage, 'user'>>,
  ): LocalMessage {
    const message: LocalMessage = { user: this.botUserId, ...fields, ts: this.nextTs(), updatedCount: 0, deleted: false };
    this.messageList.push(message);
    this.events.emit('message', structuredClone(message));
    return message;
  }

  private messageObject(message: LocalMessage): Record<string, unknown> {
    return {
      type: 'message',
      text: message.text,
      user: message.user,
      bot_id: this.botId,
      app_id: this.appId,
      ts: message.ts,
      team: this.teamId,
      ...(message.blocks ? { blocks: withSlackIds(message.blocks) } : {}),
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(message.files ? { files: message.files, upload: true } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      ...(message.updatedCount > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
      bot_profile: { id: this.botId, app_id: this.appId, name: 'pgroup', team_id: this.teamId, deleted: false },
    };
  }

  /** Slack's timestamps: unique within a channel and increasing, 'seconds.micros'. */
  private nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  private checkTrigger(args: ApiArgs): { record: TriggerRecord } | { error: ApiAnswer } {
    const triggerId = stringArg(args, 'trigger_id');
    if (!triggerId) return { error: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing trigger_id'] } }) };
    const record = this.triggers.get(triggerId);
    // Unknown ids get invalid_trigger_id; expired and already-exchanged ones get expired_trigger_id.
    if (!record) return { error: fail('invalid_trigger_id') };
    if (record.used || Date.now() > record.expiresAt) return { error: fail('expired_trigger_id') };
    return { record };
  }

  private checkView(
    method: string,
    args: ApiArgs,
    kind: ViewType,
    exceptViewId?: string,
  ): { view: Record<string, unknown> } | { error: ApiAnswer } {
    const view = asRecord(args['view']);
    if (!view) {
      return { error: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view must be a JSON object'] } }) };
    }
    const violations = this.checkBlockKit(method, kind, { view });
    if (violations.length > 0) {
      return {
        error: fail('invalid_arguments', { response_metadata: { messages: violations.map((v) => `[ERROR] ${v}`) } }),
      };
    }
    // "It must be unique for all views on a team."
    const externalId = typeof view['external_id'] === 'string' ? view['external_id'] : undefined;
    if (externalId && this.viewList.some((v) => v.externalId === externalId && v.id !== exceptViewId && !v.closed)) {
      return { error: fail('duplicate_external_id') };
    }
    return { view };
  }

  private createView(fields: {
    type: ViewType;
    user: string;
    view: Record<string, unknown>;
    stack: 'root' | 'pushed';
    rootViewId?: string;
    previousViewId: string | null;
  }): LocalView {
    const id = `V${randomId(10)}`;
    const externalId = typeof fields.view['external_id'] === 'string' ? fields.view['external_id'] : undefined;
    const view: LocalView = {
      id,
      hash: this.newHash(),
      type: fields.type,
      user: fields.user,
      view: fields.view,
      stack: fields.stack,
      rootViewId: fields.rootViewId ?? id,
      previousViewId: fields.previousViewId,
      ...(externalId ? { externalId } : {}),
      closed: false,
      updatedCount: 0,
    };
    this.viewList.push(view);
    return view;
  }

  private replaceView(view: LocalView, next: Record<string, unknown>): void {
    view.view = next;
    view.hash = this.newHash();
    view.updatedCount += 1;
    if (typeof next['external_id'] === 'string' && next['external_id'] !== '') view.externalId = next['external_id'];
    this.emitView('updated', view);
  }

  private newHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  private emitView(change: ViewChange['change'], view: LocalView): void {
    this.events.emit('view', { change, view: structuredClone(view) });
  }

  private viewObject(view: LocalView): Record<string, unknown> {
    const source = view.view;
    const blocks = Array.isArray(source['blocks']) ? withSlackIds(source['blocks']) : [];
    return {
      id: view.id,
      team_id: this.teamId,
      type: view.type,
      ...(view.type === 'modal'
        ? { title: source['title'], submit: source['submit'] ?? null, close: source['close'] ?? null }
        : {}),
      blocks,
      private_metadata: typeof source['private_metadata'] === 'string' ? source['private_metadata'] : '',
      callback_id: typeof source['callback_id'] === 'string' ? source['callback_id'] : '',
      state: { values: {} },
      hash: view.hash,
      clear_on_close: source['clear_on_close'] === true,
      notify_on_close: source['notify_on_close'] === true,
      root_view_id: view.rootViewId,
      previous_view_id: view.previousViewId,
      app_id: this.appId,
      external_id: view.externalId ?? '',
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
  }

  private buildFile(fields: {
    name: string;
    title: string;
    mimetype: string;
    filetype: string;
    user: string;
    size: number;
  }): SlackFile {
    const id = `F${randomId(10)}`;
    const created = Math.floor(Date.now() / 1000);
    const base = `${this.url}files-pri/${this.teamId}-${id}/`;
    const encodedName = encodeURIComponent(fields.name);
    return {
      id,
      created,
      timestamp: created,
      name: fields.name,
      title: fields.title,
      mimetype: fields.mimetype,
      filetype: fields.filetype,
      pretty_type: fields.filetype.toUpperCase(),
      user: fields.user,
      user_team: this.teamId,
      editable: false,
      size: fields.size,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: false,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `${base}${encodedName}`,
      url_private_download: `${base}download/${encodedName}`,
      permalink: `https://${this.teamDomain}.slack.com/files/${fields.user}/${id}/${encodedName}`,
      channels: [],
      groups: [],
      ims: [],
      comments_count: 0,
    };
  }
}
