// A local stand-in for Slack's Web API, served over real HTTP on loopback so the app's real
// @slack/web-api and Bolt clients talk to it unchanged (only `slackApiUrl` points here). It also
// serves what Slack serves beside the Web API: upload URLs, private file downloads and response_urls.
// State lives in memory: this is a double for end-to-end tests and the local playground.
//
// LocalSlack routes requests and gives tests one place to read from; LocalWebApi answers and records
// Web API calls, LocalFaults holds the faults tests inject. Each API family keeps its own state and
// methods: LocalConversations (auth, users, conversations), LocalChat (chat.*), LocalViews (views.*),
// LocalFiles (files.* and file hosting, with OtherFileHost: a second loopback port that is not
// Slack's, for redirects), ResponseUrls, LocalSocketMode (apps.connections.open and the Socket Mode
// WebSocket).

import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type HttpReply, listen, plainText, readBody, RouteTable, send } from '../http/loopbackHttp';
import { type BlockKitViolationRecord, BlockKitViolations } from './blockKitViolations';
import { LocalChat, type LocalMessage } from './localChat';
import { LocalConversations } from './localConversations';
import { type ApiFault, FILE_DOWNLOAD_REQUEST, FILE_UPLOAD_REQUEST, LocalFaults } from './localFaults';
import { type FunctionExecution, LocalFunctions } from './localFunctions';
import { type HostFileOptions, LocalFiles, type SlackFile, type UploadedFile } from './localFiles';
import { OtherFileHost } from './otherFileHost';
import type { LocalSlackEventMap } from './localSlackEvents';
import { type EnvelopeDelivery, type EnvelopeOutcome, type EnvelopeType, LocalSocketMode } from './localSocketMode';
import { type LocalView, LocalViews, type ViewSubmissionOutcome } from './localViews';
import { LocalWebApi, type RecordedCall } from './localWebApi';
import { ResponseUrls } from './responseUrls';
import type { SlackForDriver } from './slackForDriver';
import { type LocalEnterprise, type SlackIdentity, type SlackIdentityOptions, slackIdentity } from './slackIdentity';
import type { LocalChannel, LocalUser, NewLocalChannel, NewLocalUser } from './workspace';

export interface LocalSlackOptions extends SlackIdentityOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The only token the API accepts (`Authorization: Bearer …` or a `token` field). */
  botToken: string;
  /** The app-level token (xapp-…) that apps.connections.open accepts; without it there is no Socket Mode. */
  appToken?: string;
  /** How long the app has to ack a Socket Mode envelope; Slack's is 3 seconds. */
  ackTimeoutMs?: number;
  /** How long a trigger_id stays usable; Slack's is 3 seconds. */
  triggerTtlMs?: number;
  /** How long a response_url stays usable; Slack's is 30 minutes. */
  responseUrlTtlMs?: number;
}

export type { RecordedCall } from './localWebApi';
export { type ApiFault, FILE_DOWNLOAD_REQUEST, FILE_UPLOAD_REQUEST, THREAD_REPLY_REQUEST } from './localFaults';

interface SlackRequest {
  req: IncomingMessage;
  body: Buffer;
  url: URL;
  params: readonly (string | undefined)[];
}

export class LocalSlack implements SlackForDriver {
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
  /** The Enterprise Grid organisation of the workspace, or null. */
  readonly enterprise: LocalEnterprise | null;
  /** The app is installed for the whole organisation. */
  readonly enterpriseInstall: boolean;
  readonly triggerTtlMs: number;
  readonly responseUrlTtlMs: number;
  /** Every Web API call, in order. */
  readonly calls: RecordedCall[];
  /** Every payload that broke a Block Kit limit, accepted or not; a clean run leaves it empty. */
  readonly blockKitViolations: BlockKitViolationRecord[];
  /** Live changes, for a page that follows along (the playground's server-sent events). */
  readonly events = new EventEmitter<LocalSlackEventMap>();
  /** Socket Mode: connections, envelopes and their acks, and what went wrong with them. */
  readonly socketMode: LocalSocketMode;

  private readonly server: Server;
  private readonly blockKit = new BlockKitViolations();
  private readonly conversations: LocalConversations;
  private readonly chat: LocalChat;
  private readonly viewStore: LocalViews;
  private readonly fileStore: LocalFiles;
  /** A host that is not Slack's, on a second loopback port: where a file can be redirected (hostFile's `redirects`, `at`). */
  readonly otherHost: OtherFileHost;
  private readonly responseUrls: ResponseUrls;
  /** Workflow Builder's runs of the app's custom steps. */
  private readonly functions = new LocalFunctions();
  private readonly webApi: LocalWebApi;
  private readonly faults = new LocalFaults();
  private readonly routes = new RouteTable<(request: SlackRequest) => HttpReply | Promise<HttpReply>>([
    { path: /^\/api\/(.*)$/, methods: '*', handler: ({ req, params, body, url }) => this.webApi.answer(req, params[0] ?? '', body, url.searchParams) },
    { path: /^\/upload\/v1\/(F[A-Z0-9]+)$/, methods: ['POST'], handler: ({ req, params, body }) => this.answerUpload(req, params[0] ?? '', body) },
    {
      path: /^\/files-pri\/.+-(F[A-Z0-9]+)\/(download\/)?[^/]+$/,
      methods: ['GET', 'HEAD'],
      handler: ({ req, params }) => this.answerDownload(req, params[0] ?? '', params[1] !== undefined),
    },
    {
      path: /^\/files-edge\/(F[A-Z0-9]+)\/(\d+)\/[^/]+$/,
      methods: ['GET', 'HEAD'],
      handler: ({ req, params }) =>
        this.fileStore.hop(params[0] ?? '', Number(params[1]), { host: 'slack', authorization: req.headers.authorization, head: req.method === 'HEAD' }),
    },
    {
      path: /^\/response\/([A-Z0-9]+)$/,
      methods: ['POST'],
      handler: async ({ req, params, body }) => {
        const held = this.faults.responseUrlWait();
        if (held) await held;
        return this.responseUrls.post(params[0] ?? '', req.headers['content-type'] ?? '', body);
      },
    },
  ]);

  static async start(options: LocalSlackOptions): Promise<LocalSlack> {
    const server = createServer();
    const host = options.host ?? '127.0.0.1';
    const { origin } = await listen(server, options.port ?? 0, host);
    let slack: LocalSlack | undefined;
    const otherHost = await OtherFileHost.start(host, () => (req, path) => slack!.answerOtherHost(req, path));
    slack = new LocalSlack(options, server, slackIdentity(options, `${origin}/`), otherHost);
    server.on('request', (req, res) => {
      void slack.handleRequest(req, res);
    });
    server.on('upgrade', (req, socket, head) => slack.socketMode.handleUpgrade(req, socket, head));
    return slack;
  }

  private constructor(options: LocalSlackOptions, server: Server, identity: SlackIdentity, otherHost: OtherFileHost) {
    this.server = server;
    this.otherHost = otherHost;
    this.url = identity.url;
    this.apiUrl = `${identity.url}api/`;
    this.botToken = options.botToken;
    ({ teamId: this.teamId, teamDomain: this.teamDomain, teamName: this.teamName } = identity);
    ({ botUserId: this.botUserId, botId: this.botId, appId: this.appId, enterprise: this.enterprise, enterpriseInstall: this.enterpriseInstall } = identity);
    this.triggerTtlMs = options.triggerTtlMs ?? 3000;
    this.responseUrlTtlMs = options.responseUrlTtlMs ?? 30 * 60 * 1000;
    this.blockKitViolations = this.blockKit.records;
    this.conversations = new LocalConversations(identity);
    this.chat = new LocalChat(identity, this.conversations, this.blockKit, this.events);
    this.viewStore = new LocalViews(identity, this.conversations, this.blockKit, this.events, this.triggerTtlMs);
    this.fileStore = new LocalFiles(identity, this.conversations, this.chat, this.blockKit, this.botToken, otherHost.url);
    this.responseUrls = new ResponseUrls(identity, this.conversations, this.chat, this.blockKit, this.responseUrlTtlMs);
    this.socketMode = new LocalSocketMode(identity, { appToken: options.appToken ?? null, ackTimeoutMs: options.ackTimeoutMs ?? 3000 });
    const methods = new Map(
      [this.conversations, this.chat, this.viewStore, this.fileStore, this.socketMode, this.functions].flatMap((family) => Object.entries(family.methods)),
    );
    this.webApi = new LocalWebApi(this.botToken, methods, this.faults, this.socketMode, this.functions, this.events);
    this.calls = this.webApi.calls;
  }

  async close(): Promise<void> {
    this.faults.releaseResponseUrls();
    this.events.removeAllListeners();
    this.socketMode.close();
    await this.otherHost.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
    });
  }

  /** Forgets calls, messages, views, files, trigger ids, response_urls, violations and faults; keeps people, channels and connections. */
  reset(): void {
    this.calls.length = 0;
    this.socketMode.reset();
    this.blockKitViolations.length = 0;
    this.chat.reset();
    this.viewStore.reset();
    this.fileStore.reset();
    this.otherHost.reset();
    this.responseUrls.reset();
    this.functions.reset();
    this.clearFaults();
  }

  // ---- What tests and the playground read ------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Messages in the order they were posted (deleted ones included, flagged); `channel` may be a user id for the DM. */
  messages(channel?: string): LocalMessage[] {
    return this.chat.messages(channel);
  }

  /** The top-level messages of `channel`, as its history shows them: thread replies are in their threads (`replies`). */
  posts(channel: string): LocalMessage[] {
    return this.chat.messages(channel).filter((m) => !m.threadTs);
  }

  /** The replies in the thread of the message `ts` of `channel`, oldest first (deleted ones included, flagged). */
  replies(channel: string, ts: string): LocalMessage[] {
    return this.chat.threadReplies(channel, ts);
  }

  message(channel: string, ts: string): LocalMessage | undefined {
    const found = this.chat.find(channel, ts);
    return found && structuredClone(found);
  }

  views(): LocalView[] {
    return this.viewStore.views();
  }

  view(viewId: string): LocalView | undefined {
    return this.viewStore.view(viewId);
  }

  /** The user's open modals, the top of the stack last. */
  openModals(user: string): LocalView[] {
    return this.viewStore.openModals(user);
  }

  homeView(user: string): LocalView | undefined {
    return this.viewStore.homeView(user);
  }

  /** Files uploaded through files.getUploadURLExternal + upload_url (+ files.completeUploadExternal). */
  get files(): UploadedFile[] {
    return this.fileStore.uploads;
  }

  get users(): LocalUser[] {
    return this.conversations.users;
  }

  get channels(): LocalChannel[] {
    return this.conversations.channels;
  }

  user(id: string): LocalUser | undefined {
    return this.conversations.user(id);
  }

  /** A channel by id or name, or a user id's DM (created on first use, as Slack does). */
  channel(idOrName: string): LocalChannel | undefined {
    const found = this.conversations.resolve(idOrName);
    return found && { ...found };
  }

  addUser(user: NewLocalUser): LocalUser {
    return this.conversations.addUser(user);
  }

  addChannel(channel: NewLocalChannel): LocalChannel {
    return this.conversations.addChannel(channel);
  }

  /** Someone types `/invite @pgroup` in the channel: the bot becomes a member. */
  inviteBot(channel: string): void {
    if (!this.conversations.setBotMembership(channel, true)) throw new Error(`no channel ${channel} to invite the bot to`);
  }

  /** Someone removes the bot from the channel (or it leaves): it may no longer post there. */
  removeBot(channel: string): void {
    if (!this.conversations.setBotMembership(channel, false)) throw new Error(`no channel ${channel} to remove the bot from`);
  }

  /** The DM conversation id between the app and `user`. */
  dmChannelFor(user: string): string {
    return this.conversations.dmFor(user).id;
  }

  /** A message as Slack puts it in interaction payloads, with Slack's generated block and action ids. */
  slackMessageObject(channel: string, ts: string): Record<string, unknown> | undefined {
    const found = this.chat.find(channel, ts);
    return found && this.chat.messageObject(found);
  }

  /** A view as Slack returns it and puts it in payloads (`state.values` empty), or undefined. */
  slackViewObject(viewId: string): Record<string, unknown> | undefined {
    return this.viewStore.viewPayload(viewId);
  }

  // ---- What a user's interaction hands out and causes (SlackForDriver) --------------------------

  /** A trigger_id for `user`: single use, usable for triggerTtlMs. */
  issueTriggerId(user: string): string {
    return this.viewStore.issueTriggerId(user);
  }

  /**
   * A response_url for an interaction by `user` in `channel` (a user id means their DM). `messageTs` names the
   * message the interaction came from: replace_original and delete_original act on it; without it,
   * replace_original posts a new message and delete_original answers 404.
   */
  createResponseUrl(options: { channel: string; user: string; messageTs?: string }): string {
    return this.responseUrls.create(options);
  }

  /** A file as Slack holds it after a user shared it (e.g. through a modal's file_input). */
  hostFile(options: HostFileOptions): SlackFile {
    return this.fileStore.hostFile(options);
  }

  /** Workflow Builder starting a run of the app's custom step `callbackId` (SlackForDriver). */
  startFunction(callbackId: string, inputs: Record<string, unknown>): FunctionExecution {
    return this.functions.start(callbackId, inputs);
  }

  /** A run of a custom step, with what the app ended it with (null while it runs). */
  functionExecution(executionId: string): FunctionExecution | undefined {
    return this.functions.execution(executionId);
  }

  /** A person posting a message in a channel, with files shared with it (hosted as `hostFile` does). */
  postAsUser(options: { channel: string; user: string; text: string; files?: (Omit<HostFileOptions, 'user'> | SlackFile)[] }): LocalMessage {
    const channel = this.conversations.resolve(options.channel);
    if (!channel) throw new Error(`no channel ${options.channel}`);
    // A file already hosted (chosen from disk in the playground) is shared as it is.
    const files = (options.files ?? []).map((file) => ('id' in file ? file : this.fileStore.hostFile({ ...file, user: options.user })));
    const message = this.chat.add({ channel: channel.id, user: options.user, text: options.text, ...(files.length ? { files } : {}), source: 'api' });
    return structuredClone(message);
  }

  /**
   * Shows the body of the app's acknowledgement of a slash command as Slack does: nothing for an empty body,
   * otherwise a message (ephemeral to the user unless response_type is in_channel).
   */
  recordCommandAck(options: { channel: string; user: string; body: string; json?: unknown }): LocalMessage | undefined {
    return this.chat.recordCommandAck(options);
  }

  /**
   * Applies the app's answer to a view_submission the way Slack does: an empty 200 closes the view;
   * response_action errors keeps it open; update replaces it; push stacks a new one; clear closes them all.
   */
  applyViewSubmissionAnswer(viewId: string, answer: { status: number; body: string; json?: unknown }): ViewSubmissionOutcome {
    return this.viewStore.applyViewSubmissionAnswer(viewId, answer);
  }

  /** Closes a view and any pushed above it; `clearStack` closes its whole stack (response_action clear, clear_on_close). */
  closeView(viewId: string, options: { clearStack?: boolean } = {}): void {
    this.viewStore.closeView(viewId, options);
  }

  /** Socket Mode: hands the app an envelope over its connection (held until one opens) and waits for the ack. */
  sendEnvelope(type: EnvelopeType, payload: Record<string, unknown>, delivery?: EnvelopeDelivery): Promise<EnvelopeOutcome> {
    return this.socketMode.send(type, payload, delivery);
  }

  // ---- Faults --------------------------------------------------------------------------------

  /**
   * The next `times` calls of `method` fail: `{ error }` answers 200 `{ ok: false, error }`; `{ status: 429,
   * retryAfterSeconds }` answers 429 with Retry-After; `{ status }` answers that HTTP status; `{ status,
   * afterApplying: true }` carries the call out first (e.g. posts the message), then answers that status.
   * `method` may also be FILE_UPLOAD_REQUEST or FILE_DOWNLOAD_REQUEST, or THREAD_REPLY_REQUEST (only
   * chat.postMessage calls that reply in a thread).
   */
  failNext(method: string, fault: ApiFault, times = 1): void {
    this.faults.failNext(method, fault, times);
  }

  /**
   * Every response_url post from now on waits, unanswered and not carried out, until `release()`
   * (or clearFaults()): an app replying on one is stuck there, e.g. to be killed at that point.
   * `held()` counts the posts waiting.
   */
  holdResponseUrls(): { held(): number; release(): void } {
    return this.faults.holdResponseUrls();
  }

  /**
   * Every download of a shared file from now on waits, unanswered, until `release()` (or
   * clearFaults()): a file that takes long to arrive. `held()` counts the downloads waiting.
   */
  holdFileDownloads(): { held(): number; release(): void } {
    return this.faults.holdFileDownloads();
  }

  /** Every response_url answers `status` until clearFaults(). */
  failResponseUrls(status = 404): void {
    this.responseUrls.failWith(status);
  }

  clearFaults(): void {
    this.faults.clear();
    this.responseUrls.failWith(undefined);
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.url);
      const body = await readBody(req);
      const route = this.routes.find(req.method ?? 'GET', url.pathname);
      send(res, route.kind === 'found' ? await route.handler({ req, body, url, params: route.params }) : plainText(404, 'not_found'));
    } catch (error) {
      if (!res.headersSent) send(res, plainText(500, `local slack error: ${String(error)}`));
    }
  }

  private answerUpload(req: IncomingMessage, fileId: string, body: Buffer): Promise<HttpReply> | HttpReply {
    const fault = this.faults.take(FILE_UPLOAD_REQUEST);
    if (fault) return plainText('status' in fault ? fault.status : 500, 'error');
    return this.fileStore.receiveUpload(fileId, req.headers['content-type'] ?? '', body);
  }

  /** What the other host serves: the files that name it, and the redirect hops that lead there. */
  private answerOtherHost(req: IncomingMessage, path: string): HttpReply {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plainText(405, 'method_not_allowed');
    const head = req.method === 'HEAD';
    const direct = /^\/files-pri\/.+-(F[A-Z0-9]+)\/(download\/)?[^/]+$/.exec(path);
    if (direct) return this.fileStore.download(direct[1] ?? '', { host: 'other', authorization: req.headers.authorization, asDownload: direct[2] !== undefined, head });
    const hop = /^\/files-edge\/(F[A-Z0-9]+)\/(\d+)\/[^/]+$/.exec(path);
    if (hop) return this.fileStore.hop(hop[1] ?? '', Number(hop[2]), { host: 'other', authorization: req.headers.authorization, head });
    return plainText(404, 'not_found');
  }

  private async answerDownload(req: IncomingMessage, fileId: string, asDownload: boolean): Promise<HttpReply> {
    const held = this.faults.downloadWait();
    if (held) await held;
    const fault = this.faults.take(FILE_DOWNLOAD_REQUEST);
    if (fault) return plainText('status' in fault ? fault.status : 500, 'error');
    return this.fileStore.download(fileId, { authorization: req.headers.authorization, asDownload, head: req.method === 'HEAD' });
  }
}
