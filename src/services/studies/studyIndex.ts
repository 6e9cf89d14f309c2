// Which studies use a participant group, and how: the facts behind "Used by" and the study
// warnings of risky previews. Slack-free; returns data, never sentences.
//
// Cost of a lookup: one list request per state looked at (ACTIVE, PAUSED, SCHEDULED, PUBLISHING,
// UNPUBLISHED), plus, for each study whose details are not cached, one study request and (shared
// by the studies that pin the same version) one filter-set request. A published study's filters
// and codes are frozen, so its details are cached for good; a draft's or scheduled study's only
// for draftTtlMs, and are read again as soon as its status changes. Requests run a few at a
// time; 429s are waited out by the client. When Prolific fails, the answer says the check could
// not be made (with whatever was found before the failure): never a silent "not used".
//
// Scoped to workspaces (the app's StudyScope: the request's channel's workspace): Prolific's study
// lists are account-wide, so each study's project (from its details, cached with them) is placed in
// a workspace (WorkspaceProjects), and only studies of the scope's workspaces are matched against
// the group: a study of another workspace is never reported, even when it names the group's id. A
// study whose details name no project cannot be placed, and is left out. Placing costs a project
// list per workspace the first time, and again only when a study names a project made since.
//
// Use:
//   const index = new StudyIndex(client, store);   // the ProlificClient; the Store (a StudyDetailsStore)
//   const check = await index.studiesUsingGroup(groupId);
//   if (check.checked) check.studies   // StudyUsage[]: live first, then drafts; [] when none uses it
//   else check.failure, check.found    // could not check: what failed, and what was seen before
// Each StudyUsage names the study (name, internalName), its status and phase (live or draft),
// places taken of total, and every way it uses the group (GroupUse: allowlist or blocklist via
// its filters or a filter set at a version, nested or not, with the other groups of the same
// filter; or a completion code that feeds or drains the group).

import { mapConcurrently } from '../../mapConcurrently';
import { ProlificError } from '../../prolific/errors';
import type { FilterSet, Study, StudyStatus, StudySummary } from '../../prolific/studyTypes';
import type { CachedStudyDetails, NewStudyDetails, StudyDetailsStore, StudyDetailsRecord } from '../../store/studyDetails';
import { type GroupCodeEffect, type GroupListKind, groupReferencesInCodes, groupReferencesInFilters } from './groupReferences';
import type { WorkspaceProjects } from './workspaceProjects';

/** Studies that run or may soon run: their filters decide who can take part now. */
export const LIVE_STUDY_STATES: readonly StudyStatus[] = ['ACTIVE', 'PAUSED', 'SCHEDULED', 'PUBLISHING'];
/** States looked at by a lookup, in this order: the live ones, then drafts. */
export const INDEXED_STUDY_STATES: readonly StudyStatus[] = [...LIVE_STUDY_STATES, 'UNPUBLISHED'];
/** Details of studies in these states may still change, so they are cached only briefly. */
const CHANGEABLE_STATES: ReadonlySet<string> = new Set<StudyStatus>(['UNPUBLISHED', 'SCHEDULED']);

export const DEFAULT_STUDY_CONCURRENCY = 4;
export const DEFAULT_DRAFT_TTL_MS = 60_000;

/** What the index needs of the Prolific client. */
export type StudyReader = {
  listStudies(state: StudyStatus): Promise<StudySummary[]>;
  getStudy(id: string): Promise<Study>;
  getFilterSet(id: string, version?: number): Promise<FilterSet>;
};

export type StudyPhase = 'live' | 'draft';

/** One way a study uses the group. */
export type GroupUse =
  | {
      kind: GroupListKind;
      /** Where the filter is: the study's own filters, or the filter set it uses. */
      via: 'filters' | 'filter_set';
      /** The filter set and the version read (the one the study pins); null via filters. */
      filterSet: { id: string; version: number | null } | null;
      /** Inside an and/or filter. */
      nested: boolean;
      /** Other groups in the same filter (any of them admits, or excludes, as well). */
      sharedWith: string[];
    }
  | {
      kind: GroupCodeEffect;
      code: string | null;
      codeType: string;
    };

export interface StudyUsage {
  studyId: string;
  name: string;
  internalName: string | null;
  status: StudyStatus;
  phase: StudyPhase;
  placesTaken: number;
  totalPlaces: number;
  /** At least one. */
  uses: GroupUse[];
}

export interface LookupCost {
  listRequests: number;
  studyRequests: number;
  filterSetRequests: number;
  /** Workspaces' project lists read to place studies in their workspace. */
  projectRequests: number;
  /** Studies whose details came from the cache. */
  cacheHits: number;
  /** The cache could not be read or written (the lookup went on without it). */
  cacheUnavailable: boolean;
}

export interface StudyCheckFailure {
  /** What was being read when Prolific failed. */
  during: 'list' | 'study' | 'filter_set' | 'projects';
  /** The study or filter set being read; null for a list (of studies or of a workspace's projects). */
  id: string | null;
  error: ProlificError;
}

export type StudyUsageCheck =
  | { checked: true; groupId: string; studies: StudyUsage[]; cost: LookupCost }
  /** Prolific failed: `found` holds only what was seen before; other studies may use the group too. */
  | { checked: false; groupId: string; failure: StudyCheckFailure; found: StudyUsage[]; cost: LookupCost };

export interface StudyIndexOptions {
  /** Study and filter-set requests under way at once. Default 4. */
  concurrency?: number;
  /** How long details of an UNPUBLISHED or SCHEDULED study are trusted. Default 60 s. */
  draftTtlMs?: number;
  /** The workspaces whose studies count; without it, every study the token can see does. */
  scope?: StudyScope;
}

/** Which workspaces' studies a lookup looks at, and where each project belongs. */
export interface StudyScope {
  /** The workspaces of the current lookup (the request's); null: every study the token can see. */
  workspaceIds(): Promise<readonly string[] | null>;
  projects: WorkspaceProjects;
}

interface Scan {
  summaries: StudySummary[];
  details: Map<string, StudyDetailsRecord>;
  /** The projects of the scope's workspaces; null when the lookup is not scoped. */
  projects: Set<string> | null;
  failure: StudyCheckFailure | null;
  cost: LookupCost;
}

export class StudyIndex {
  readonly #reader: StudyReader;
  readonly #cache: StudyDetailsStore;
  readonly #concurrency: number;
  readonly #draftTtlMs: number;
  readonly #scope: StudyScope | null;

  constructor(reader: StudyReader, cache: StudyDetailsStore, options: StudyIndexOptions = {}) {
    this.#reader = reader;
    this.#cache = cache;
    this.#concurrency = options.concurrency ?? DEFAULT_STUDY_CONCURRENCY;
    this.#draftTtlMs = options.draftTtlMs ?? DEFAULT_DRAFT_TTL_MS;
    this.#scope = options.scope ?? null;
  }

  /** The live and draft studies that use the group: live ones first, each with every way it uses it. */
  async studiesUsingGroup(groupId: string): Promise<StudyUsageCheck> {
    return (await this.studiesUsingGroups([groupId])).get(groupId)!;
  }

  /** The same for several groups from one scan of the studies (one lookup's cost in all). */
  async studiesUsingGroups(groupIds: readonly string[]): Promise<Map<string, StudyUsageCheck>> {
    const scan = await this.#scan();
    const checks = new Map<string, StudyUsageCheck>();
    for (const groupId of groupIds) {
      const usages = usagesOf(groupId, scan);
      checks.set(
        groupId,
        scan.failure
          ? { checked: false, groupId, failure: scan.failure, found: usages, cost: scan.cost }
          : { checked: true, groupId, studies: usages, cost: scan.cost },
      );
    }
    return checks;
  }

  async #scan(): Promise<Scan> {
    const cost: LookupCost = { listRequests: 0, studyRequests: 0, filterSetRequests: 0, projectRequests: 0, cacheHits: 0, cacheUnavailable: false };
    const details = new Map<string, StudyDetailsRecord>();
    // Asked first: a request whose channel has not chosen a workspace stops here, before any read.
    const workspaceIds = this.#scope ? await this.#scope.workspaceIds() : null;
    const scan: Scan = { summaries: [], details, projects: workspaceIds ? new Set() : null, failure: null, cost };
    const fail = (failure: StudyCheckFailure): void => {
      scan.failure ??= failure;
    };

    // One list per state; a study seen in two states (it moved between calls) counts once.
    const lists = await mapConcurrently(INDEXED_STUDY_STATES, this.#concurrency, async (state) => {
      if (scan.failure) return [];
      cost.listRequests += 1;
      try {
        return await this.#reader.listStudies(state);
      } catch (error) {
        fail({ during: 'list', id: null, error: asProlificError(error) });
        return [];
      }
    });
    if (scan.failure) return scan;
    const byId = new Map<string, StudySummary>();
    for (const summary of lists.flat()) if (!byId.has(summary.id)) byId.set(summary.id, summary);
    scan.summaries = [...byId.values()];

    let cached = new Map<string, CachedStudyDetails>();
    try {
      cached = await this.#cache.getStudyDetails([...byId.keys()]);
    } catch {
      cost.cacheUnavailable = true;
    }
    const toRead: StudySummary[] = [];
    for (const summary of scan.summaries) {
      const entry = cached.get(summary.id);
      // A draft's entry is only good while the study is still in the state it was read in; an entry
      // saved before studies were placed in workspaces has no project, and is read again.
      if (entry && (!CHANGEABLE_STATES.has(entry.status) || entry.status === summary.status) && (!workspaceIds || entry.details.projectId !== undefined)) {
        details.set(summary.id, entry.details);
        cost.cacheHits += 1;
      } else {
        toRead.push(summary);
      }
    }

    const filterSets = new Map<string, Promise<FilterSet>>();
    const readFilterSet = (id: string, version: number | null): Promise<FilterSet> => {
      const key = `${id}@${version ?? 'latest'}`;
      let pending = filterSets.get(key);
      if (!pending) {
        cost.filterSetRequests += 1;
        pending = this.#reader.getFilterSet(id, version ?? undefined);
        filterSets.set(key, pending);
      }
      return pending;
    };

    const fresh: NewStudyDetails[] = [];
    await mapConcurrently(toRead, this.#concurrency, async (summary) => {
      // After a failure no further request is made: the answer is "could not check" anyway.
      if (scan.failure) return;
      let study: Study;
      try {
        cost.studyRequests += 1;
        study = await this.#reader.getStudy(summary.id);
      } catch (error) {
        fail({ during: 'study', id: summary.id, error: asProlificError(error) });
        return;
      }
      let filterSet: StudyDetailsRecord['filterSet'] = null;
      if (typeof study.filter_set_id === 'string' && study.filter_set_id !== '') {
        const version = typeof study.filter_set_version === 'number' ? study.filter_set_version : null;
        try {
          const set = await readFilterSet(study.filter_set_id, version);
          filterSet = { id: study.filter_set_id, version: typeof set.version === 'number' ? set.version : version, filters: set.filters };
        } catch (error) {
          fail({ during: 'filter_set', id: study.filter_set_id, error: asProlificError(error) });
          return;
        }
      }
      const record: StudyDetailsRecord = {
        filters: study.filters ?? [],
        filterSet,
        completionCodes: study.completion_codes ?? [],
        projectId: typeof study.project === 'string' && study.project !== '' ? study.project : null,
      };
      details.set(summary.id, record);
      // Frozen only once published, and only with a pinned filter-set version ("latest" can move).
      const frozen = !CHANGEABLE_STATES.has(study.status) && (filterSet === null || typeof study.filter_set_version === 'number');
      fresh.push({ studyId: summary.id, status: study.status, details: record, ttlMs: frozen ? null : this.#draftTtlMs });
    });

    if (fresh.length > 0 && !cost.cacheUnavailable) {
      try {
        await this.#cache.saveStudyDetails(fresh);
      } catch {
        cost.cacheUnavailable = true;
      }
    }
    // Also after a failure: what was found before it is shown, and must be placed too.
    if (workspaceIds) {
      const projectIds = new Set<string>();
      for (const record of details.values()) if (record.projectId) projectIds.add(record.projectId);
      try {
        const placed = await this.#scope!.projects.belonging(workspaceIds, projectIds);
        cost.projectRequests += placed.requests;
        scan.projects = placed.mine;
      } catch (error) {
        fail({ during: 'projects', id: null, error: asProlificError(error) });
      }
    }
    return scan;
  }
}

const STATE_ORDER = new Map<string, number>(['ACTIVE', 'PUBLISHING', 'PAUSED', 'SCHEDULED', 'UNPUBLISHED'].map((state, i) => [state, i]));

function usagesOf(groupId: string, scan: Scan): StudyUsage[] {
  const usages: StudyUsage[] = [];
  for (const summary of scan.summaries) {
    const record = scan.details.get(summary.id);
    if (!record) continue;
    // Scoped: only the studies of the scope's workspaces (none when their projects could not be read).
    if (scan.projects && !(record.projectId && scan.projects.has(record.projectId))) continue;
    const uses = groupUses(groupId, record);
    if (uses.length === 0) continue;
    usages.push({
      studyId: summary.id,
      name: summary.name,
      internalName: summary.internal_name ?? null,
      status: summary.status,
      phase: LIVE_STUDY_STATES.includes(summary.status) ? 'live' : 'draft',
      placesTaken: summary.places_taken ?? 0,
      totalPlaces: summary.total_available_places ?? 0,
      uses,
    });
  }
  return usages.sort(
    (a, b) => (STATE_ORDER.get(a.status) ?? 9) - (STATE_ORDER.get(b.status) ?? 9) || a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }),
  );
}

/** Every way a study's details use the group: its own filters, its filter set's, its codes. */
export function groupUses(groupId: string, record: StudyDetailsRecord): GroupUse[] {
  const uses: GroupUse[] = [];
  const fromFilters = (filters: unknown, filterSet: { id: string; version: number | null } | null): void => {
    for (const ref of groupReferencesInFilters(filters)) {
      if (ref.groupId !== groupId) continue;
      uses.push({ kind: ref.list, via: filterSet ? 'filter_set' : 'filters', filterSet, nested: ref.depth > 0, sharedWith: ref.sharedWith });
    }
  };
  // Prolific never combines the two, but a study answering both is read in full.
  fromFilters(record.filters, null);
  if (record.filterSet) fromFilters(record.filterSet.filters, { id: record.filterSet.id, version: record.filterSet.version });
  for (const ref of groupReferencesInCodes(record.completionCodes)) {
    if (ref.groupId === groupId) uses.push({ kind: ref.effect, code: ref.code, codeType: ref.codeType });
  }
  return uses;
}

function asProlificError(error: unknown): ProlificError {
  if (error instanceof ProlificError) return error;
  // Anything else from the client is a bug or a broken answer, not a reason to say "not used".
  return new ProlificError({
    kind: 'invalid_response',
    status: 0,
    title: 'Unexpected error',
    detail: error instanceof Error ? error.message : String(error),
    method: 'GET',
    path: '',
    ambiguous: false,
  });
}
