// The sandbox's study routes: studies, filter sets, projects, submissions and their counts.
//
// Behaviour the public documents leave open, as chosen here:
// - Studies are read-only over HTTP (no create, PATCH or transition): tests and the seed change
//   them through state.studies (studyState.ts). Every route here answers GET only (405 otherwise).
// - GET /api/v1/studies/ lists every study of the account (all workspaces); `state` takes exactly
//   one of UNPUBLISHED, SCHEDULED, PUBLISHING, ACTIVE, PAUSED, AWAITING REVIEW, COMPLETED, spelled
//   as the document's enum (upper case, "AWAITING REVIEW" with a space). Anything else, several
//   states included ("ACTIVE,PAUSED"), answers 400 with a field map: one call per state.
// - Lists answer short objects (StudyShort); places_taken counts submissions that are not
//   TIMED-OUT or RETURNED, as the document defines it (seeded studies without submission records
//   carry a fixed figure instead).
// - A study that uses a filter set answers `filters: []` and the set's id and version; the filters
//   are only in GET /api/v1/filter-sets/{id}/. A filter set applied without a version pins the
//   latest at that time (as the document says), so every study answers a number, never null.
// - GET /api/v1/filter-sets/{id}/ answers the latest version; `version_number=N` answers version
//   N. An unknown id or version answers 404; a version_number that is not a positive integer 400.
// - Nested filters use Prolific's newer shape {"filter_id": "and" | "or", "selected_filters": [...]}.
// - Page-number paging (Prolific's CLI's `page`, `page_size`): study lists, project lists and a
//   study's submissions answer everything at once, unless the query has `page` or `page_size` or
//   the sandbox was created with pageSize; GET /api/v1/submissions/ always pages (100 a page by
//   default). page_size is capped at 500, and at the sandbox's pageSize when that is set. A paged
//   answer adds "meta": {"count"} and "_links": {"self", "next", "previous"} with absolute
//   page-number hrefs (next.href null on the last page). A page past the end answers 404
//   ("Invalid page.", as Django REST framework does); page 1 of an empty list is an empty page.
// - `ordering` takes one or more comma-separated fields, each optionally prefixed with "-":
//   studies by date_created, published_at, name or id; projects by title or id; submissions by
//   started_at, completed_at, id or participant_id. An unknown field answers 400 (stricter than Django, which ignores it).
//   A PAGED request WITHOUT ordering gets its rows in a different order on every request, so
//   pages repeat and skip rows, as was seen on Prolific: a client must always order.
// - GET /api/v1/submissions/ takes `study` (unknown study: an empty list) and `status`, one status,
//   in the filter spelling (AWAITING_REVIEW, TIMED-OUT) or the answer spelling (AWAITING REVIEW);
//   an unknown status answers 400. Submissions carry study_id besides the documented fields.
// - GET /api/v1/studies/{id}/submissions/counts/ answers every status, zeros included, spelled as
//   in answers ("AWAITING REVIEW", "TIMED-OUT"), and "TOTAL".
// - GET /api/v1/workspaces/{id}/projects/ answers 404 for an unknown workspace;
//   GET /api/v1/projects/{id}/studies/ 404 for an unknown project.

import { STUDY_STATUSES, type StudyStatus } from '../../prolific/studyTypes';
import { normaliseSubmissionStatus, SUBMISSION_STATUSES } from '../../prolific/submissionStatus';
import { errorReply, json, type Reply, type Route, type RouteContext } from './api';
import type { SandboxState } from './state';
import type { ProjectRecord, StudyRecord, SubmissionRecord } from './studyState';

export const MAX_PAGE_SIZE = 500;
const SUBMISSIONS_PAGE_SIZE = 100;

type SortKey<T> = (item: T) => string | number;

const STUDY_ORDERINGS: Record<string, SortKey<StudyRecord>> = {
  date_created: (study) => study.date_created,
  published_at: (study) => study.published_at ?? '',
  name: (study) => study.name,
  id: (study) => study.id,
};

const PROJECT_ORDERINGS: Record<string, SortKey<ProjectRecord>> = {
  title: (project) => project.title,
  id: (project) => project.id,
};

const SUBMISSION_ORDERINGS: Record<string, SortKey<SubmissionRecord>> = {
  started_at: (submission) => submission.started_at,
  completed_at: (submission) => submission.completed_at ?? '',
  id: (submission) => submission.id,
  participant_id: (submission) => submission.participant_id,
};

/** The study routes, for SandboxApi's table. pageSize: the sandbox's paging option. */
export function studyRoutes(state: SandboxState, pageSize: number | undefined): Route[] {
  const studies = state.studies;
  let unorderedRequests = 0;

  /** Orders (or, on a paged request without ordering, scrambles) items; a Reply for a bad ordering. */
  const order = <T extends { id: string }>(ctx: RouteContext, items: T[], fields: Record<string, SortKey<T>>, paged: boolean): T[] | Reply => {
    const ordering = ctx.query.get('ordering');
    if (ordering === null || ordering.trim() === '') {
      if (!paged) return items;
      const seed = ++unorderedRequests;
      return [...items].sort((a, b) => scramble(a.id, seed) - scramble(b.id, seed));
    }
    const keys: Array<{ key: SortKey<T>; sign: number }> = [];
    for (const part of ordering.split(',')) {
      const name = part.trim().replace(/^-/, '');
      const key = fields[name];
      if (!key) return errorReply(400, { ordering: [`Cannot order by "${clip(part)}". Choose from ${Object.keys(fields).join(', ')}.`] });
      keys.push({ key, sign: part.trim().startsWith('-') ? -1 : 1 });
    }
    return [...items].sort((a, b) => {
      for (const { key, sign } of keys) {
        const x = key(a);
        const y = key(b);
        if (x !== y) return x < y ? -sign : sign;
      }
      return 0;
    });
  };

  const isPaged = (ctx: RouteContext, always: boolean): boolean =>
    always || pageSize !== undefined || ctx.query.has('page') || ctx.query.has('page_size');

  /** The requested page of items as a list answer (with meta and _links when paged). */
  const listPage = <T>(ctx: RouteContext, items: T[], paged: boolean, defaultSize: number, toJson: (item: T) => unknown): Reply => {
    if (!paged) return json(200, { results: items.map(toJson) });
    const asked = positiveInteger(ctx.query.get('page_size'));
    const size = Math.min(asked ?? pageSize ?? defaultSize, MAX_PAGE_SIZE, pageSize ?? MAX_PAGE_SIZE);
    const pageText = ctx.query.get('page');
    const page = pageText === null ? 1 : positiveInteger(pageText);
    if (page === undefined) return errorReply(404, 'Invalid page.');
    const start = (page - 1) * size;
    if (page > 1 && start >= items.length) return errorReply(404, 'Invalid page.');
    const end = Math.min(start + size, items.length);
    const link = (at: number): string => {
      const url = new URL(ctx.url.pathname + ctx.url.search, ctx.origin);
      url.searchParams.set('page', String(at));
      url.searchParams.set('page_size', String(size));
      return url.href;
    };
    return json(200, {
      results: items.slice(start, end).map(toJson),
      meta: { count: items.length },
      _links: {
        self: { href: link(page) },
        next: { href: end < items.length ? link(page + 1) : null },
        previous: { href: page > 1 ? link(page - 1) : null },
      },
    });
  };

  const studyList = (ctx: RouteContext, records: StudyRecord[]): Reply => {
    const paged = isPaged(ctx, false);
    const ordered = order(ctx, records, STUDY_ORDERINGS, paged);
    if (!Array.isArray(ordered)) return ordered;
    return listPage(ctx, ordered, paged, MAX_PAGE_SIZE, (record) => studies.summary(record));
  };

  const submissionList = (ctx: RouteContext, rows: Array<{ study: StudyRecord; submission: SubmissionRecord }>, always: boolean): Reply => {
    const paged = isPaged(ctx, always);
    const byId = rows.map((row) => ({ ...row, id: row.submission.id }));
    const fields = Object.fromEntries(
      Object.entries(SUBMISSION_ORDERINGS).map(([name, key]) => [name, (row: (typeof byId)[number]) => key(row.submission)]),
    );
    const ordered = order(ctx, byId, fields, paged);
    if (!Array.isArray(ordered)) return ordered;
    const siblings = new Map<StudyRecord, Map<string, number>>();
    return listPage(ctx, ordered, paged, SUBMISSIONS_PAGE_SIZE, ({ study, submission }) => {
      let counts = siblings.get(study);
      if (!counts) {
        counts = studies.submissionsPerParticipant(study);
        siblings.set(study, counts);
      }
      return studies.submission(study, submission, counts);
    });
  };

  const withStudy = (handler: (ctx: RouteContext, study: StudyRecord) => Reply) => (ctx: RouteContext): Reply => {
    const study = studies.studyRecord(ctx.params[0]!);
    return study ? handler(ctx, study) : errorReply(404, 'Study not found.');
  };

  return [
    {
      pattern: /^\/api\/v1\/studies\/$/,
      handlers: {
        GET: (ctx) => {
          const state = ctx.query.get('state');
          if (state !== null && !STUDY_STATUSES.includes(state as StudyStatus)) {
            return errorReply(400, { state: [`Select a valid choice. "${clip(state)}" is not one of ${STUDY_STATUSES.join(', ')}.`] });
          }
          return studyList(ctx, studies.studyRecords().filter((study) => state === null || study.status === state));
        },
      },
    },
    {
      pattern: /^\/api\/v1\/studies\/([^/]+)\/$/,
      handlers: { GET: withStudy((_ctx, study) => json(200, studies.study(study))) },
    },
    {
      pattern: /^\/api\/v1\/studies\/([^/]+)\/submissions\/$/,
      handlers: {
        GET: withStudy((ctx, study) => submissionList(ctx, study.submissions.map((submission) => ({ study, submission })), false)),
      },
    },
    {
      pattern: /^\/api\/v1\/studies\/([^/]+)\/submissions\/counts\/$/,
      handlers: {
        GET: withStudy((_ctx, study) => {
          const counts: Record<string, number> = Object.fromEntries(SUBMISSION_STATUSES.map((status) => [status, 0]));
          for (const submission of study.submissions) counts[submission.status] = (counts[submission.status] ?? 0) + 1;
          counts['TOTAL'] = study.submissions.length;
          return json(200, counts);
        }),
      },
    },
    {
      pattern: /^\/api\/v1\/submissions\/$/,
      handlers: {
        GET: (ctx) => {
          const studyId = ctx.query.get('study');
          const statusText = ctx.query.get('status');
          const status = statusText === null ? null : normaliseSubmissionStatus(statusText);
          if (statusText !== null && status === null) {
            return errorReply(400, { status: [`Select a valid choice. "${clip(statusText)}" is not a submission status.`] });
          }
          const rows: Array<{ study: StudyRecord; submission: SubmissionRecord }> = [];
          for (const study of studyId === null ? studies.studyRecords() : [studies.studyRecord(studyId)]) {
            if (!study) continue;
            for (const submission of study.submissions) if (status === null || submission.status === status) rows.push({ study, submission });
          }
          return submissionList(ctx, rows, true);
        },
      },
    },
    {
      pattern: /^\/api\/v1\/filter-sets\/([^/]+)\/$/,
      handlers: {
        GET: (ctx) => {
          const versionText = ctx.query.get('version_number');
          const version = versionText === null ? undefined : positiveInteger(versionText);
          if (versionText !== null && version === undefined) {
            return errorReply(400, { version_number: ['A valid integer is required.'] });
          }
          const filterSet = studies.filterSet(ctx.params[0]!, version);
          return filterSet ? json(200, filterSet) : errorReply(404, 'Filter set not found.');
        },
      },
    },
    {
      pattern: /^\/api\/v1\/workspaces\/([^/]+)\/projects\/$/,
      handlers: {
        GET: (ctx) => {
          const workspaceId = ctx.params[0]!;
          if (!state.workspaces.some((workspace) => workspace.id === workspaceId)) return errorReply(404, 'Workspace not found.');
          const paged = isPaged(ctx, false);
          const projects = order(ctx, studies.projects(workspaceId), PROJECT_ORDERINGS, paged);
          if (!Array.isArray(projects)) return projects;
          return listPage(ctx, projects, paged, MAX_PAGE_SIZE, (project) => studies.toProject(project));
        },
      },
    },
    {
      pattern: /^\/api\/v1\/projects\/([^/]+)\/studies\/$/,
      handlers: {
        GET: (ctx) => {
          const projectId = ctx.params[0]!;
          if (!studies.project(projectId)) return errorReply(404, 'Project not found.');
          return studyList(ctx, studies.studyRecords().filter((study) => study.project_id === projectId));
        },
      },
    },
  ];
}

/** A number that orders ids differently for every seed (FNV-1a over seed and id). */
function scramble(id: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function positiveInteger(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 ? value : undefined;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
