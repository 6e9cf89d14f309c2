// Reading studies, filter sets, projects and submissions: the requests behind ProlificClient's
// study methods. Requests go through the client's own GET (retries, 429 back-off, errors).
//
// Lists are read with page-number paging (`page`, `page_size`, as Prolific's CLI does) and ALWAYS
// with `ordering`: without it, pages were seen to repeat and skip rows. The first page's
// meta.count says how many pages follow; those are fetched a few at a time. When Prolific answers
// fewer rows than asked (its own cap), the pages are counted from what it answered. A list
// without meta.count is followed by its _links.next, one page after another; one with neither is
// taken as whole.

import { mapConcurrently } from '../mapConcurrently';
import { ProlificError } from './errors';
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
import { normaliseSubmissionStatus, submissionStatusFilterValue } from './submissionStatus';

/** Rows asked for per page. Prolific documents no maximum; a smaller cap is detected from its answer. */
export const STUDY_LIST_PAGE_SIZE = 500;
/** Pages of one list fetched at once once the count is known. */
export const PAGE_CONCURRENCY = 4;

/** What the study requests need from the client. */
export interface StudyTransport {
  url(path: string): URL;
  /** GET with the client's retries; the parsed JSON body, or a ProlificError. */
  getJson(url: URL): Promise<unknown>;
  /** A next-page link as a URL, refused (ProlificError) when it leaves Prolific's origin. */
  nextPageUrl(from: URL, href: string): URL;
}

interface PageAnswer<T> {
  url: URL;
  results: T[];
  count: number | null;
  next: string | null;
}

interface Paged<T> {
  items: T[];
  /** meta.count of the first page; null when the list does not say. */
  count: number | null;
  requests: number;
}

export class StudyRequests {
  readonly #transport: StudyTransport;

  constructor(transport: StudyTransport) {
    this.#transport = transport;
  }

  /** Studies of the account, one state a call (several in one call are undocumented). */
  listStudies(state?: StudyStatus): Promise<StudySummary[]> {
    return this.#completeList<StudySummary>('/api/v1/studies/', state ? { state } : {}, 'date_created');
  }

  async getStudy(id: string): Promise<Study> {
    const url = this.#transport.url(`/api/v1/studies/${segment('study id', id)}/`);
    const body = await this.#transport.getJson(url);
    if (!isObject(body) || typeof body['id'] !== 'string') throw invalidAnswer(url, 'a study without an id');
    return body as Study;
  }

  /** A filter set at a version (the latest when version is omitted). */
  async getFilterSet(id: string, version?: number): Promise<FilterSet> {
    const url = this.#transport.url(`/api/v1/filter-sets/${segment('filter set id', id)}/`);
    if (version !== undefined) url.searchParams.set('version_number', String(version));
    const body = await this.#transport.getJson(url);
    if (!isObject(body) || typeof body['id'] !== 'string' || !Array.isArray(body['filters'])) {
      throw invalidAnswer(url, 'a filter set without an id or filters');
    }
    return body as FilterSet;
  }

  listProjects(workspaceId: string): Promise<Project[]> {
    return this.#completeList<Project>(`/api/v1/workspaces/${segment('workspace id', workspaceId)}/projects/`, {}, 'title');
  }

  listProjectStudies(projectId: string): Promise<StudySummary[]> {
    return this.#completeList<StudySummary>(`/api/v1/projects/${segment('project id', projectId)}/studies/`, {}, 'date_created');
  }

  /** All of a study's submissions, each once. */
  listStudySubmissions(studyId: string): Promise<Submission[]> {
    return this.#completeList<Submission>(`/api/v1/studies/${segment('study id', studyId)}/submissions/`, {}, 'started_at');
  }

  /** Submissions, optionally of one study and one status, each once. */
  async listSubmissions(opts: ListSubmissionsOptions = {}): Promise<Submission[]> {
    return (await this.#submissions(opts)).items;
  }

  /** Submissions of a study by status, keys in the answer spelling, and TOTAL. */
  async getSubmissionCounts(studyId: string): Promise<SubmissionCounts> {
    const url = this.#transport.url(`/api/v1/studies/${segment('study id', studyId)}/submissions/counts/`);
    const body = await this.#transport.getJson(url);
    if (!isObject(body)) throw invalidAnswer(url, 'counts that are not an object');
    const counts: Partial<Record<SubmissionStatus, number>> = {};
    let sum = 0;
    for (const [key, value] of Object.entries(body)) {
      const status = normaliseSubmissionStatus(key);
      if (!status || typeof value !== 'number') continue;
      counts[status] = (counts[status] ?? 0) + value;
      sum += value;
    }
    const total = body['TOTAL'];
    return { ...counts, TOTAL: typeof total === 'number' ? total : sum };
  }

  /**
   * The participants whose submissions to a study have one of these statuses, each once, with
   * the submissions counted and checked against the study's counts. One pass per status (a
   * status the counts say is empty costs no request); rows of other statuses are left out even
   * if Prolific ignored the filter.
   */
  async studyParticipants(studyId: string, statuses: readonly SubmissionStatus[] = ['APPROVED']): Promise<StudyParticipants> {
    const wanted = [...new Set(statuses)];
    if (wanted.length === 0) throw new TypeError('studyParticipants needs at least one status');
    const counts = await this.getSubmissionCounts(studyId);
    let requests = 1;
    const participants = new Set<string>();
    const fetched: Partial<Record<SubmissionStatus, number>> = {};
    for (const status of wanted) {
      fetched[status] = 0;
      if ((counts[status] ?? 0) === 0) continue;
      const page = await this.#submissions({ study: studyId, status });
      requests += page.requests;
      for (const submission of page.items) {
        if (normaliseSubmissionStatus(String(submission.status)) !== status) continue;
        fetched[status] = (fetched[status] ?? 0) + 1;
        participants.add(submission.participant_id);
      }
    }
    const expected = wanted.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
    return {
      studyId,
      statuses: wanted,
      participantIds: [...participants],
      fetched,
      counts,
      expected,
      matchesCounts: wanted.every((status) => fetched[status] === (counts[status] ?? 0)),
      requests,
    };
  }

  #submissions(opts: ListSubmissionsOptions): Promise<Paged<Submission>> {
    const query: Record<string, string> = {};
    if (opts.study !== undefined) query['study'] = requireText('study id', opts.study);
    if (opts.status !== undefined) query['status'] = submissionStatusFilterValue(opts.status);
    return this.#pagedList<Submission>('/api/v1/submissions/', query, opts.ordering ?? 'started_at');
  }

  /** A paged list that must hold every row its count promised (a shorter one would hide rows). */
  async #completeList<T extends { id: string }>(path: string, query: Record<string, string>, ordering: string): Promise<T[]> {
    const list = await this.#pagedList<T>(path, query, ordering);
    if (list.count !== null && list.items.length < list.count) {
      throw invalidAnswer(this.#transport.url(path), `${list.items.length} distinct rows of the ${list.count} it counted`);
    }
    return list.items;
  }

  async #pagedList<T extends { id: string }>(path: string, query: Record<string, string>, ordering: string): Promise<Paged<T>> {
    const pageUrl = (page: number): URL => {
      const url = this.#transport.url(path);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      url.searchParams.set('ordering', ordering);
      url.searchParams.set('page', String(page));
      url.searchParams.set('page_size', String(STUDY_LIST_PAGE_SIZE));
      return url;
    };
    const first = await this.#page<T>(pageUrl(1));
    const pages: T[][] = [first.results];
    let requests = 1;
    if (first.count !== null && first.count > first.results.length) {
      const perPage = first.results.length;
      if (perPage === 0) throw invalidAnswer(first.url, `an empty first page of a list of ${first.count}`);
      const rest = Array.from({ length: Math.ceil(first.count / perPage) - 1 }, (_, i) => i + 2);
      const answers = await mapConcurrently(rest, PAGE_CONCURRENCY, (page) => this.#page<T>(pageUrl(page)));
      requests += answers.length;
      for (const answer of answers) pages.push(answer.results);
    } else if (first.count === null && first.next) {
      const visited = new Set([first.url.href]);
      for (let next: URL | null = this.#transport.nextPageUrl(first.url, first.next); next; ) {
        if (visited.has(next.href)) throw invalidAnswer(next, 'a next-page link to a page already read');
        visited.add(next.href);
        const answer: PageAnswer<T> = await this.#page<T>(next);
        requests += 1;
        pages.push(answer.results);
        next = answer.next ? this.#transport.nextPageUrl(next, answer.next) : null;
      }
    }
    // A row that moved between pages while they were read is seen twice: keep its first sighting.
    const seen = new Set<string>();
    const items: T[] = [];
    for (const page of pages) {
      for (const item of page) {
        if (seen.has(item.id)) continue;
        seen.add(item.id);
        items.push(item);
      }
    }
    return { items, count: first.count, requests };
  }

  async #page<T>(url: URL): Promise<PageAnswer<T>> {
    const body = await this.#transport.getJson(url);
    if (!isObject(body) || !Array.isArray(body['results'])) throw invalidAnswer(url, 'a list without "results"');
    for (const item of body['results']) {
      if (!isObject(item) || typeof item['id'] !== 'string') throw invalidAnswer(url, 'a list row without an id');
    }
    const meta = body['meta'];
    const count = isObject(meta) && typeof meta['count'] === 'number' ? meta['count'] : null;
    const links = body['_links'];
    const nextLink = isObject(links) && isObject(links['next']) ? links['next']['href'] : null;
    return { url, results: body['results'] as T[], count, next: typeof nextLink === 'string' && nextLink !== '' ? nextLink : null };
  }
}

function invalidAnswer(url: URL, what: string): ProlificError {
  return new ProlificError({
    kind: 'invalid_response',
    status: 200,
    title: 'Invalid response',
    detail: `Prolific answered GET ${url.pathname} with ${what}`,
    method: 'GET',
    path: url.pathname,
    ambiguous: false,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function requireText(name: string, value: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

function segment(name: string, value: string): string {
  return encodeURIComponent(requireText(name, value));
}
