// Prolific's API as typed calls: groups, members (chunked adds and removes, each chunk reported),
// workspaces, messages and studies, with paging. Every request goes through ProlificTransport
// (transport.ts), the one connection to Prolific.

import { readGroup, readGroups } from './groupShape';
import { ProlificError } from './errors';
import { parseListAnswer } from './listAnswer';
import { scanMemberIds } from './memberIdsAnswer';
import { StudyRequests } from './studies';
import { type Answer, type Call, type Page, ProlificTransport, positiveInteger, startsLikeJsonObject } from './transport';

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
import { retryDelayMs } from './retryPolicy';
import type {
  ChunkedResult,
  ChunkOptions,
  ChunkOutcome,
  CreateGroupInput,
  GroupMessageInput,
  GroupMember,
  ListGroupsOptions,
  Me,
  ParticipantGroup,
  ProlificClientOptions,
  UpdateGroupInput,
  Workspace,
} from './types';

export { DEFAULT_BASE_URL } from './transport';

/**
 * Ids per add/remove request. Every answer carries the group's whole membership, so each extra
 * chunk costs a full membership download: fewer, larger chunks are much faster and lighter
 * (docs/BENCHMARKS.md). 25,000 ids is a ~0.7 MB body, under the 1 MB request limit that proxies
 * commonly default to (nginx) with room to spare; Prolific's own limit is undocumented.
 */
export const DEFAULT_CHUNK_SIZE = 25_000;

export class ProlificClient {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly #transport: ProlificTransport;
  readonly #chunkSize: number;
  readonly #studies = new StudyRequests({
    url: (path) => this.#transport.url(path),
    getJson: (url) => this.#getJson(url),
    nextPageUrl: (from, href) => this.#transport.nextPageUrl({ method: 'GET', url: from, kind: 'read' }, href),
  });

  constructor(options: ProlificClientOptions) {
    this.#transport = new ProlificTransport(options);
    this.baseUrl = this.#transport.baseUrl;
    this.#chunkSize = positiveInteger('chunkSize', options.chunkSize ?? DEFAULT_CHUNK_SIZE);
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
    const url = this.#transport.url('/api/v1/participant-groups/');
    url.searchParams.set('workspace_id', requireId('workspaceId', workspaceId));
    if (opts.active !== undefined) url.searchParams.set('active', String(opts.active));
    return this.#listAll<unknown>(url).then((raw) => {
      const { groups, skipped } = readGroups(raw);
      if (skipped > 0) this.#transport.emit('warn', 'prolific: participant groups without an id or a member count were left out', { skipped });
      return groups;
    });
  }

  async getGroup(id: string): Promise<ParticipantGroup> {
    const call: Call = { method: 'GET', url: this.#groupUrl(id), kind: 'read' };
    return this.#parseGroup(call, await this.#transport.send(call));
  }

  /** Never repeated once it may have reached Prolific: on an ambiguous error, look for the group by name. */
  async createGroup(input: CreateGroupInput): Promise<ParticipantGroup> {
    const call: Call = {
      method: 'POST',
      url: this.#transport.url('/api/v1/participant-groups/'),
      kind: 'create',
      body: JSON.stringify(input),
      idCount: input.participant_ids?.length ?? 0,
    };
    return this.#parseGroup(call, await this.#transport.send(call));
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
    return this.#parseGroup(call, await this.#transport.send(call));
  }

  /**
   * How long to wait before sending again an overwrite that failed with `error` after `attempts`
   * sends, once the caller has read the group and found it unchanged (so the repeat cannot erase
   * anything): the wait an idempotent write would get. Undefined when it should not be sent again
   * (a 500, a Retry-After beyond the ceiling, the attempts used up).
   */
  overwriteRepeatDelayMs(error: ProlificError, attempts: number): number | undefined {
    return retryDelayMs(error, 'write', attempts, this.#transport.retryLimits);
  }

  async deleteGroup(id: string): Promise<void> {
    await this.#transport.send({ method: 'DELETE', url: this.#groupUrl(id), kind: 'write', goneMeansDone: true });
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
    const call: Call = { method: 'POST', url: this.#transport.url('/api/v1/messages/participant-group/'), kind: 'send', body: JSON.stringify(input) };
    const answer = await this.#transport.send(call);
    return { status: answer.status };
  }

  // --- account ---

  async me(): Promise<Me> {
    const call: Call = { method: 'GET', url: this.#transport.url('/api/v1/users/me/'), kind: 'read' };
    const answer = await this.#transport.send(call);
    const body = this.#transport.parseJson(call, answer);
    if (!isObject(body) || typeof body['id'] !== 'string') throw this.#transport.invalid(call, answer.status, 'a user without an id');
    return body as Me;
  }

  listWorkspaces(): Promise<Workspace[]> {
    return this.#listAll<Workspace>(this.#transport.url('/api/v1/workspaces/'));
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
  close(): Promise<void> {
    return this.#transport.close();
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl };
  }

  // --- internals ---

  #groupUrl(id: string): URL {
    return this.#transport.url(`/api/v1/participant-groups/${encodeURIComponent(requireId('group id', id))}/`);
  }

  #membersUrl(id: string): URL {
    return this.#transport.url(`/api/v1/participant-groups/${encodeURIComponent(requireId('group id', id))}/participants/`);
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
        const answer = await this.#transport.send(call);
        if (!startsLikeJsonObject(answer.chunks)) throw this.#transport.invalid(call, answer.status, 'a body that is not JSON');
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
        this.#transport.emit('warn', 'prolific membership answer unreadable', {
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
      const answer = await this.#transport.send(call);
      const page = parsePage(call, answer);
      if (all === null) all = page.results;
      else for (const item of page.results) all.push(item);

      url = page.nextHref ? this.#transport.nextPageUrl(call, page.nextHref) : null;
      if (url && visited.has(url.href)) throw this.#transport.invalid(call, answer.status, 'a next-page link to a page already read');
    }
    return all ?? [];
  }

  /** Study answers are a page of at most a few hundred rows: plain JSON.parse beats the batch parser. */
  async #getJson(url: URL): Promise<unknown> {
    const call: Call = { method: 'GET', url, kind: 'read' };
    return this.#transport.parseJson(call, await this.#transport.send(call));
  }

  #parseGroup(call: Call, answer: Answer): ParticipantGroup {
    const body = this.#transport.parseJson(call, answer);
    const group = readGroup(body);
    if (!group) throw this.#transport.invalid(call, answer.status, 'a participant group without an id or a member count');
    return group;
  }

  #parsePage<T>(call: Call, answer: Answer): { results: T[]; nextHref: string } {
    const body = this.#transport.parseJson(call, answer, parseListAnswer);
    if (!isObject(body) || !Array.isArray(body['results'])) {
      throw this.#transport.invalid(call, answer.status, 'a list without "results"');
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
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function requireId(name: string, id: string): string {
  if (typeof id !== 'string' || id === '') throw new TypeError(`${name} must be a non-empty string`);
  return id;
}
