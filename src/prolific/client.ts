// The only code that talks HTTP to Prolific: requests, retries, paging, chunking and errors.

import { readGroup, readGroups } from './groupShape';
import pRetry from 'p-retry';
import { Agent, request } from 'undici';
import { describeErrorBody, ProlificError } from './errors';
import { decodeChunks, parseListAnswer } from './listAnswer';
import { scanMemberIds } from './memberIdsAnswer';
import { StudyRequests } from './studies';
import type {
  FilterSet,
  ListSubmissionsOptions,
  Project,
  Study,
  StudyParticipants,
  StudyStatus,
  StudySummary,
  Submission,
  SubmissionCounts,
  SubmissionStatus,
} from './studyTypes';
import { certainlyNotSent, parseRetryAfter, type RequestKind, type RetryLimits, retryDelayMs } from './retryPolicy';
import type {
  ChunkedResult,
  ChunkOptions,
  ChunkOutcome,
  CreateGroupInput,
  GroupMessageInput,
  GroupMember,
  ListGroupsOptions,
  LogLevel,
  Me,
  ParticipantGroup,
  ProlificClientOptions,
  ProlificLog,
  UpdateGroupInput,
  Workspace,
} from './types';

export const DEFAULT_BASE_URL = 'https://api.prolific.com';
/**
 * Ids per add/remove request. Every answer carries the group's whole membership, so each extra
 * chunk costs a full membership download: fewer, larger chunks are much faster and lighter
 * (docs/BENCHMARKS.md). 25,000 ids is a ~0.7 MB body, under the 1 MB request limit that proxies
 * commonly default to (nginx) with room to spare; Prolific's own limit is undocumented.
 */
export const DEFAULT_CHUNK_SIZE = 25_000;

const DEFAULTS = {
  maxAttempts: 4,
  connectTimeoutMs: 10_000,
  // A large overwrite can keep Prolific busy a while before it answers.
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 30_000,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
} as const;

/** Shorter tokens are not scrubbed from server text: replacing them would garble messages. */
const MIN_REDACTABLE_TOKEN_LENGTH = 8;
const REDACTED = '[redacted]';

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Call {
  method: HttpMethod;
  url: URL;
  kind: RequestKind;
  body?: string;
  /** Number of participant ids in the body, for the log (never the ids themselves). */
  idCount?: number;
  /** A 404 after an earlier attempt may have worked means the job is done (delete). */
  goneMeansDone?: boolean;
}

interface Answer {
  status: number;
  /** The body as received, not joined: list answers are parsed from the pieces (listAnswer.ts). */
  chunks: Buffer[];
}

interface Page {
  results?: unknown;
  _links?: { next?: { href?: unknown } | null } | null;
}

export class ProlificClient {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly #token: string;
  readonly #origin: string;
  readonly #dispatcher: Agent;
  readonly #log: ProlificLog | undefined;
  readonly #retry: RetryLimits;
  readonly #chunkSize: number;
  readonly #timeouts: { connect: number; headers: number; body: number };
  readonly #studies = new StudyRequests({
    url: (path) => this.#url(path),
    getJson: (url) => this.#getJson(url),
    nextPageUrl: (from, href) => this.#nextPageUrl({ method: 'GET', url: from, kind: 'read' }, href),
  });

  constructor(options: ProlificClientOptions) {
    if (typeof options.token !== 'string' || options.token.trim() === '') {
      throw new TypeError('ProlificClient needs a non-empty API token');
    }
    const base = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new TypeError(`Prolific base URL must be http(s), got ${base.protocol}`);
    }
    this.baseUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.#origin = base.origin;
    this.#token = options.token;
    this.#log = options.log;
    this.#retry = {
      maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? DEFAULTS.maxAttempts),
      backoffBaseMs: options.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
      backoffMaxMs: options.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
    };
    this.#chunkSize = positiveInteger('chunkSize', options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.#timeouts = {
      connect: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      headers: options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
      body: options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs,
    };
    this.#dispatcher = new Agent({
      connect: { timeout: this.#timeouts.connect },
      headersTimeout: this.#timeouts.headers,
      bodyTimeout: this.#timeouts.body,
    });
  }

  /** A client from PROLIFIC_API_TOKEN and PROLIFIC_API_URL (optional); overrides win. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ProlificClientOptions> = {}): ProlificClient {
    const token = overrides.token ?? env['PROLIFIC_API_TOKEN'];
    if (!token) throw new Error('PROLIFIC_API_TOKEN is not set');
    const baseUrl = overrides.baseUrl ?? (env['PROLIFIC_API_URL'] || undefined);
    return new ProlificClient({ ...overrides, token, ...(baseUrl ? { baseUrl } : {}) });
  }

  // --- groups ---

  listGroups(workspaceId: string, opts: ListGroupsOptions = {}): Promise<ParticipantGroup[]> {
    const url = this.#url('/api/v1/participant-groups/');
    url.searchParams.set('workspace_id', requireId('workspaceId', workspaceId));
    if (opts.active !== undefined) url.searchParams.set('active', String(opts.active));
    return this.#listAll<unknown>(url).then((raw) => {
      const { groups, skipped } = readGroups(raw);
      if (skipped > 0) this.#emit('warn', 'prolific: participant groups without an id or a member count were left out', { skipped });
      return groups;
    });
  }

  async getGroup(id: string): Promise<ParticipantGroup> {
    const call: Call = { method: 'GET', url: this.#groupUrl(id), kind: 'read' };
    return this.#parseGroup(call, await this.#send(call));
  }

  /** Never repeated once it may have reached Prolific: on an ambiguous error, look for the group by name. */
  async createGroup(input: CreateGroupInput): Promise<ParticipantGroup> {
    const call: Call = {
      method: 'POST',
      url: this.#url('/api/v1/participant-groups/'),
      kind: 'create',
      body: JSON.stringify(input),
      idCount: input.participant_ids?.length ?? 0,
    };
    return this.#parseGroup(call, await this.#send(call));
  }

  /**
   * participant_ids, when given, REPLACES the whole membership, and such a PATCH is never repeated
   * once it may have reached Prolific: an ambiguous failure (5xx, lost answer, timeout) is thrown
   * with `ambiguous` set, for the caller to read the group before sending it again.
   */
  async updateGroup(id: string, input: UpdateGroupInput): Promise<ParticipantGroup> {
    const call: Call = {
      method: 'PATCH',
      url: this.#groupUrl(id),
      kind: input.participant_ids === undefined ? 'write' : 'overwrite',
      body: JSON.stringify(input),
      idCount: input.participant_ids?.length ?? 0,
    };
    return this.#parseGroup(call, await this.#send(call));
  }

  /**
   * How long to wait before sending again an overwrite that failed with `error` after `attempts`
   * sends, once the caller has read the group and found it unchanged (so the repeat cannot erase
   * anything): the wait an idempotent write would get. Undefined when it should not be sent again
   * (a 500, a Retry-After beyond the ceiling, the attempts used up).
   */
  overwriteRepeatDelayMs(error: ProlificError, attempts: number): number | undefined {
    return retryDelayMs(error, 'write', attempts, this.#retry);
  }

  async deleteGroup(id: string): Promise<void> {
    await this.#send({ method: 'DELETE', url: this.#groupUrl(id), kind: 'write', goneMeansDone: true });
  }

  // --- members ---

  listMembers(groupId: string): Promise<GroupMember[]> {
    return this.#listAll<GroupMember>(this.#membersUrl(groupId));
  }

  /**
   * The members' participant ids only, in Prolific's order: what a preview, a confirmation and
   * the watcher compare. Read without building the member objects (see memberIdsAnswer.ts).
   */
  listMemberIds(groupId: string): Promise<string[]> {
    return this.#listAll<string>(this.#membersUrl(groupId), (call, answer) => this.#parseIdPage(call, answer));
  }

  /** Adds ids in chunks; ids already in the group are ignored by Prolific. */
  addMembers(groupId: string, ids: string[], opts: ChunkOptions = {}): Promise<ChunkedResult> {
    return this.#sendChunked('POST', groupId, ids, opts);
  }

  /** Removes ids in chunks; ids not in the group are ignored by Prolific. */
  removeMembers(groupId: string, ids: string[], opts: ChunkOptions = {}): Promise<ChunkedResult> {
    return this.#sendChunked('DELETE', groupId, ids, opts);
  }

  // --- messages ---

  /**
   * Messages every member of a group (POST /api/v1/messages/participant-group/). Never repeated
   * once it may have reached Prolific: an ambiguous failure is thrown with `ambiguous` set, and the
   * caller reports that the message may have been sent. Returns the status Prolific answered: 204
   * is the only documented success, and the caller decides what any other 2xx means.
   */
  async sendGroupMessage(input: GroupMessageInput): Promise<{ status: number }> {
    const call: Call = { method: 'POST', url: this.#url('/api/v1/messages/participant-group/'), kind: 'send', body: JSON.stringify(input) };
    const answer = await this.#send(call);
    return { status: answer.status };
  }

  // --- account ---

  async me(): Promise<Me> {
    const call: Call = { method: 'GET', url: this.#url('/api/v1/users/me/'), kind: 'read' };
    const answer = await this.#send(call);
    const body = this.#parseJson(call, answer);
    if (!isObject(body) || typeof body['id'] !== 'string') throw this.#invalid(call, answer.status, 'a user without an id');
    return body as Me;
  }

  listWorkspaces(): Promise<Workspace[]> {
    return this.#listAll<Workspace>(this.#url('/api/v1/workspaces/'));
  }

  // --- studies and submissions (requests in studies.ts) ---

  /** Studies of the account in one state (all states when omitted): short objects, no filters. */
  listStudies(state?: StudyStatus): Promise<StudySummary[]> {
    return this.#studies.listStudies(state);
  }

  /** A study with its filters, filter set and completion codes. */
  getStudy(id: string): Promise<Study> {
    return this.#studies.getStudy(id);
  }

  /** A filter set at a version; the latest when version is omitted. */
  getFilterSet(id: string, version?: number): Promise<FilterSet> {
    return this.#studies.getFilterSet(id, version);
  }

  listProjects(workspaceId: string): Promise<Project[]> {
    return this.#studies.listProjects(workspaceId);
  }

  listProjectStudies(projectId: string): Promise<StudySummary[]> {
    return this.#studies.listProjectStudies(projectId);
  }

  listStudySubmissions(studyId: string): Promise<Submission[]> {
    return this.#studies.listStudySubmissions(studyId);
  }

  listSubmissions(opts: ListSubmissionsOptions = {}): Promise<Submission[]> {
    return this.#studies.listSubmissions(opts);
  }

  getSubmissionCounts(studyId: string): Promise<SubmissionCounts> {
    return this.#studies.getSubmissionCounts(studyId);
  }

  /** Participants (each once) of a study's submissions in these statuses (default APPROVED), checked against its counts. */
  studyParticipants(studyId: string, statuses?: readonly SubmissionStatus[]): Promise<StudyParticipants> {
    return this.#studies.studyParticipants(studyId, statuses);
  }

  /** Closing twice is harmless: the bot closes the client it was given, and the connection that made it does too. */
  async close(): Promise<void> {
    if (this.#dispatcher.closed || this.#dispatcher.destroyed) return;
    await this.#dispatcher.close();
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl };
  }

  // --- internals ---

  #url(path: string): URL {
    return new URL(`${this.baseUrl}${path}`);
  }

  #groupUrl(id: string): URL {
    return this.#url(`/api/v1/participant-groups/${encodeURIComponent(requireId('group id', id))}/`);
  }

  #membersUrl(id: string): URL {
    return this.#url(`/api/v1/participant-groups/${encodeURIComponent(requireId('group id', id))}/participants/`);
  }

  async #sendChunked(
    method: 'POST' | 'DELETE',
    groupId: string,
    ids: string[],
    opts: ChunkOptions,
  ): Promise<ChunkedResult> {
    const size = positiveInteger('chunkSize', opts.chunkSize ?? this.#chunkSize);
    const url = this.#membersUrl(groupId);
    const chunks: ChunkOutcome[] = [];
    for (let start = 0; start < ids.length; start += size) {
      chunks.push({ index: chunks.length, ids: ids.slice(start, start + size), status: 'not_sent' });
    }

    // Each answer holds the whole membership (10+ MB for a large group); only the last applied
    // one is kept, and parsed once, at the end.
    let lastApplied: { call: Call; answer: Answer } | null = null;
    for (const chunk of chunks) {
      const call: Call = {
        method,
        url,
        kind: 'write',
        body: JSON.stringify({ participant_ids: chunk.ids }),
        idCount: chunk.ids.length,
      };
      try {
        const answer = await this.#send(call);
        if (!startsLikeJsonObject(answer.chunks)) throw this.#invalid(call, answer.status, 'a body that is not JSON');
        chunk.status = 'applied';
        lastApplied = { call, answer };
      } catch (error) {
        if (!(error instanceof ProlificError)) throw error;
        chunk.status = 'failed';
        chunk.error = error;
        break;
      }
    }

    let members: GroupMember[] | null = null;
    if (lastApplied) {
      try {
        members = this.#parsePage<GroupMember>(lastApplied.call, lastApplied.answer).results;
      } catch (error) {
        // The chunk was applied (2xx); only its echo of the membership is unreadable.
        this.#emit('warn', 'prolific membership answer unreadable', {
          method,
          path: url.pathname,
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    }

    const appliedIds: string[] = [];
    const unappliedIds: string[] = [];
    for (const chunk of chunks) {
      const into = chunk.status === 'applied' ? appliedIds : unappliedIds;
      for (const id of chunk.ids) into.push(id);
    }
    return {
      chunks,
      complete: chunks.every((chunk) => chunk.status === 'applied'),
      appliedIds,
      unappliedIds,
      members,
    };
  }

  /** GETs a list, following _links.next.href (same origin only) when Prolific pages it. */
  async #listAll<T>(first: URL, parsePage = (call: Call, answer: Answer) => this.#parsePage<T>(call, answer)): Promise<T[]> {
    let url: URL | null = first;
    let all: T[] | null = null;
    const visited = new Set<string>();
    while (url) {
      visited.add(url.href);
      const call: Call = { method: 'GET', url, kind: 'read' };
      const answer = await this.#send(call);
      const page = parsePage(call, answer);
      if (all === null) all = page.results;
      else for (const item of page.results) all.push(item);

      url = page.nextHref ? this.#nextPageUrl(call, page.nextHref) : null;
      if (url && visited.has(url.href)) throw this.#invalid(call, answer.status, 'a next-page link to a page already read');
    }
    return all ?? [];
  }

  /** Study answers are a page of at most a few hundred rows: plain JSON.parse beats the batch parser. */
  async #getJson(url: URL): Promise<unknown> {
    const call: Call = { method: 'GET', url, kind: 'read' };
    return this.#parseJson(call, await this.#send(call));
  }

  #nextPageUrl(call: Call, href: string): URL {
    let next: URL;
    try {
      next = new URL(href, call.url);
    } catch {
      throw this.#invalid(call, 200, 'a next-page link that is not a URL');
    }
    // The token goes with every request: never send it to another host.
    if (next.origin !== this.#origin) {
      throw this.#invalid(call, 200, `a next-page link to another origin (${this.#redact(next.origin)}), not followed`);
    }
    return next;
  }

  #parseGroup(call: Call, answer: Answer): ParticipantGroup {
    const body = this.#parseJson(call, answer);
    const group = readGroup(body);
    if (!group) throw this.#invalid(call, answer.status, 'a participant group without an id or a member count');
    return group;
  }

  #parsePage<T>(call: Call, answer: Answer): { results: T[]; nextHref: string } {
    const body = this.#parseJson(call, answer, parseListAnswer);
    if (!isObject(body) || !Array.isArray(body['results'])) {
      throw this.#invalid(call, answer.status, 'a list without "results"');
    }
    const href = (body as Page)._links?.next?.href;
    return { results: body['results'] as T[], nextHref: typeof href === 'string' ? href : '' };
  }

  /** A members page as its ids: scanned when it has the plain shape, otherwise parsed whole. */
  #parseIdPage(call: Call, answer: Answer): { results: string[]; nextHref: string } {
    const scanned = scanMemberIds(answer.chunks);
    if (!scanned) {
      const page = this.#parsePage<GroupMember>(call, answer);
      return { results: page.results.map((member) => member.participant_id), nextHref: page.nextHref };
    }
    const href = (scanned.answer as Page)._links?.next?.href;
    return { results: scanned.ids, nextHref: typeof href === 'string' ? href : '' };
  }

  #parseJson(call: Call, answer: Answer, parse = parseAnswer): unknown {
    try {
      return parse(answer.chunks);
    } catch {
      const empty = answer.chunks.every((chunk) => chunk.toString('utf8').trim() === '');
      throw this.#invalid(call, answer.status, empty ? 'an empty body' : 'a body that is not JSON');
    }
  }

  #invalid(call: Call, status: number, what: string): ProlificError {
    return new ProlificError({
      kind: 'invalid_response',
      status,
      title: 'Invalid response',
      detail: `Prolific answered ${call.method} ${call.url.pathname} with ${what}`,
      method: call.method,
      path: call.url.pathname,
      // A write that got a 2xx took effect even if its answer is unreadable.
      ambiguous: call.kind !== 'read',
    });
  }

  /**
   * One request with retries. Resolves with any 2xx answer; throws ProlificError otherwise.
   * p-retry runs the attempts; whether and when to repeat one is the project's own rule
   * (retryPolicy.ts), waited for in onFailedAttempt, so p-retry's own pause is left at its 1 ms floor.
   */
  async #send(call: Call): Promise<Answer> {
    let mayHaveApplied = false;
    return pRetry(
      async (attempt) => {
        const started = performance.now();
        let failure: ProlificError;
        let status = 0;
        try {
          const response = await request(call.url, {
            dispatcher: this.#dispatcher,
            method: call.method,
            headers: this.#headers(call),
            body: call.body,
          });
          status = response.statusCode;
          const chunks: Buffer[] = [];
          for await (const chunk of response.body) chunks.push(chunk as Buffer);
          if (status >= 200 && status < 300) {
            this.#logAttempt(call.kind === 'read' ? 'debug' : 'info', call, { status, attempt, started });
            return { status, chunks };
          }
          failure = this.#httpFailure(call, status, response.headers, decodeChunks(chunks), attempt);
          if (status === 404 && call.goneMeansDone && mayHaveApplied) {
            this.#logAttempt('info', call, { status, attempt, started, note: 'already gone after an earlier attempt' });
            return { status, chunks: [] };
          }
        } catch (error) {
          failure = this.#transportFailure(call, error, status, attempt);
        }
        mayHaveApplied ||= failure.ambiguous;
        throw new FailedAttempt(failure, attempt, started);
      },
      {
        retries: this.#retry.maxAttempts - 1,
        minTimeout: 0,
        factor: 1,
        onFailedAttempt: async (error) => {
          // Anything else is a bug in the attempt above: not repeated.
          if (!(error instanceof FailedAttempt)) throw error;
          const { failure, attempt, started } = error;
          const delayMs = retryDelayMs(failure, call.kind, attempt, this.#retry);
          this.#logAttempt('warn', call, {
            status: failure.status,
            attempt,
            started,
            kind: failure.kind,
            code: failure.code,
            retryInMs: delayMs,
          });
          // Thrown from here, the failure itself is what the caller gets (never p-retry's pick).
          if (delayMs === undefined) throw failure;
          await sleep(delayMs);
        },
      },
    );
  }

  #headers(call: Call): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Token ${this.#token}`,
      accept: 'application/json',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    return headers;
  }

  #httpFailure(
    call: Call,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
    attempt: number,
  ): ProlificError {
    const contentType = headers['content-type'];
    const described = describeErrorBody(status, Array.isArray(contentType) ? contentType[0] : contentType, text);
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
    return new ProlificError({
      kind: 'http',
      status,
      title: this.#redact(described.title),
      detail: this.#redact(described.detail),
      errorCode: described.errorCode,
      method: call.method,
      path: call.url.pathname,
      ambiguous: call.kind !== 'read' && status >= 500,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      attempts: attempt,
    });
  }

  #transportFailure(call: Call, error: unknown, status: number, attempt: number): ProlificError {
    const code = errorCode(error);
    const described = describeTransportError(code, error, this.#timeouts);
    const notSent = certainlyNotSent(code) || code === 'ENOTFOUND' || isClosedClient(code);
    return new ProlificError({
      kind: described.kind,
      status,
      title: described.title,
      detail: this.#redact(described.detail),
      method: call.method,
      path: call.url.pathname,
      ambiguous: call.kind !== 'read' && !notSent,
      code,
      attempts: attempt,
    });
  }

  #redact(text: string): string {
    if (this.#token.length < MIN_REDACTABLE_TOKEN_LENGTH) return text;
    return text.split(this.#token).join(REDACTED);
  }

  #logAttempt(
    level: LogLevel,
    call: Call,
    facts: { status: number; attempt: number; started: number; [key: string]: unknown },
  ): void {
    const { started, ...rest } = facts;
    const fields: Record<string, unknown> = {
      method: call.method,
      path: call.url.pathname,
      ...rest,
      ms: Math.round(performance.now() - started),
    };
    if (call.idCount) fields['ids'] = call.idCount;
    for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
    this.#emit(level, 'prolific request', fields);
  }

  #emit(level: LogLevel, msg: string, fields: Record<string, unknown>): void {
    if (!this.#log) return;
    try {
      this.#log(level, msg, fields);
    } catch {
      // A failing logger must not fail the request.
    }
  }
}

function describeTransportError(
  code: string,
  error: unknown,
  timeouts: { connect: number; headers: number; body: number },
): { kind: 'timeout' | 'network'; title: string; detail: string } {
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'timeout', title: 'Timed out', detail: `Could not connect to Prolific within ${timeouts.connect} ms` };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { kind: 'timeout', title: 'Timed out', detail: `Prolific did not answer within ${timeouts.headers} ms` };
    case 'UND_ERR_BODY_TIMEOUT':
      return {
        kind: 'timeout',
        title: 'Timed out',
        detail: `Prolific stopped sending its answer for ${timeouts.body} ms`,
      };
    case 'ETIMEDOUT':
      return { kind: 'timeout', title: 'Timed out', detail: 'The connection to Prolific timed out (ETIMEDOUT)' };
    case 'ECONNREFUSED':
      return { kind: 'network', title: 'Network error', detail: 'Prolific refused the connection (ECONNREFUSED)' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'network', title: 'Network error', detail: `Could not resolve Prolific's host name (${code})` };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return {
        kind: 'network',
        title: 'Network error',
        detail: `The connection to Prolific closed before it answered (${code})`,
      };
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return { kind: 'network', title: 'Network error', detail: 'The Prolific client has been closed' };
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'network', title: 'Network error', detail: `${message} (${code})` };
    }
  }
}

function errorCode(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'UNKNOWN';
}

function parseAnswer(chunks: Buffer[]): unknown {
  return JSON.parse(decodeChunks(chunks));
}

/** First non-blank byte is "{": enough to tell a JSON answer from an HTML or text page. */
function startsLikeJsonObject(chunks: Buffer[]): boolean {
  for (const chunk of chunks) {
    for (const byte of chunk) {
      if (byte === 0x7b) return true;
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
    }
  }
  return false;
}

function isClosedClient(code: string): boolean {
  return code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** One failed attempt, as p-retry sees it: p-retry adds its counters to this, not to the ProlificError. */
class FailedAttempt extends Error {
  constructor(
    readonly failure: ProlificError,
    readonly attempt: number,
    readonly started: number,
  ) {
    super(failure.message);
  }
}

function requireId(name: string, id: string): string {
  if (typeof id !== 'string' || id === '') throw new TypeError(`${name} must be a non-empty string`);
  return id;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
