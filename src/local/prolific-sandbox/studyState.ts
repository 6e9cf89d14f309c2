// The sandbox's studies, filter sets, projects and submissions, in memory, and their answer shapes.
// A study's completion codes that add to or remove from a group are mirrored in that group's
// feeder_studies, so the group and the study never disagree (the HTTP API has no study writes;
// tests and the seed change studies through this class).

import type {
  CompletionCode,
  FilterSet,
  Project,
  Study,
  StudyFilter,
  StudyStatus,
  StudySummary,
  Submission,
  SubmissionStatus,
} from '../../prolific/studyTypes';
import type { FeederAction, FeederStudy } from '../../prolific/types';
import type { GroupRecord } from './state';

export interface ProjectRecord {
  id: string;
  title: string;
  description: string;
  workspace_id: string;
  owner: string;
}

export interface FilterSetRecord {
  id: string;
  name: string;
  workspace_id: string | null;
  organisation_id: string | null;
  is_locked: boolean;
  is_deleted: boolean;
  /** versions[n - 1] holds version n's filters; the last is the latest. */
  versions: StudyFilter[][];
}

export interface SubmissionRecord {
  id: string;
  participant_id: string;
  status: SubmissionStatus;
  started_at: string;
  completed_at: string | null;
  study_code: string | null;
  return_requested: string | null;
}

export interface StudyRecord {
  id: string;
  name: string;
  internal_name: string | null;
  description: string;
  status: StudyStatus;
  project_id: string;
  total_available_places: number;
  reward: number;
  estimated_completion_time: number;
  date_created: string;
  published_at: string | null;
  publish_at: string | null;
  filters: StudyFilter[];
  filter_set_id: string | null;
  filter_set_version: number | null;
  completion_codes: CompletionCode[];
  max_submissions_per_participant: number;
  submissions: SubmissionRecord[];
  /** Places taken when the study has no submission records (seeded figures). */
  places_taken: number | null;
}

export type NewStudy = Pick<StudyRecord, 'name' | 'status' | 'project_id' | 'total_available_places'> &
  Partial<Omit<StudyRecord, 'submissions'>> & { submissions?: SubmissionRecord[] };

/** Statuses that do not take a place (OpenAPI StudyShort.places_taken). */
const PLACE_FREE: ReadonlySet<SubmissionStatus> = new Set(['TIMED-OUT', 'RETURNED']);
const GROUP_ACTIONS: ReadonlySet<string> = new Set<FeederAction>(['ADD_TO_PARTICIPANT_GROUP', 'REMOVE_FROM_PARTICIPANT_GROUP']);

interface GroupRecords {
  activeRecord(id: string): GroupRecord | undefined;
}

export class SandboxStudies {
  readonly #groups: GroupRecords;
  readonly #studies = new Map<string, StudyRecord>();
  readonly #filterSets = new Map<string, FilterSetRecord>();
  readonly #projects = new Map<string, ProjectRecord>();
  #created = 0;

  constructor(groups: GroupRecords) {
    this.#groups = groups;
  }

  addProject(project: ProjectRecord): void {
    this.#projects.set(project.id, project);
  }

  project(id: string): ProjectRecord | undefined {
    return this.#projects.get(id);
  }

  projects(workspaceId: string): ProjectRecord[] {
    return [...this.#projects.values()].filter((project) => project.workspace_id === workspaceId);
  }

  addFilterSet(record: FilterSetRecord): void {
    if (record.versions.length === 0) throw new Error(`Filter set ${record.id} needs at least one version`);
    this.#filterSets.set(record.id, record);
  }

  /** Saves new filters as the next version; studies pinned to older versions keep theirs. */
  addFilterSetVersion(id: string, filters: StudyFilter[]): number {
    const record = this.#filterSets.get(id);
    if (!record) throw new Error(`No filter set ${id}`);
    record.versions.push(structuredClone(filters));
    return record.versions.length;
  }

  filterSetRecord(id: string): FilterSetRecord | undefined {
    return this.#filterSets.get(id);
  }

  addStudy(input: NewStudy): StudyRecord {
    const id = input.id ?? `6650bead${(0x1000_0000 + ++this.#created).toString(16).padStart(16, '0')}`;
    if (this.#studies.has(id)) throw new Error(`Study ${id} already exists`);
    if (input.filter_set_id && !this.#filterSets.has(input.filter_set_id)) {
      throw new Error(`Study ${id} uses unknown filter set ${input.filter_set_id}`);
    }
    const record: StudyRecord = {
      internal_name: null,
      description: `${input.name} (sandbox study)`,
      reward: 150,
      estimated_completion_time: 10,
      date_created: new Date().toISOString(),
      published_at: null,
      publish_at: null,
      filters: [],
      filter_set_id: null,
      filter_set_version: null,
      completion_codes: [],
      max_submissions_per_participant: 1,
      places_taken: null,
      ...structuredClone(input),
      id,
      submissions: input.submissions ?? [],
    };
    // Applying a filter set without a version pins the latest, as Prolific documents.
    if (record.filter_set_id && record.filter_set_version === null) {
      record.filter_set_version = this.#filterSets.get(record.filter_set_id)!.versions.length;
    }
    this.#studies.set(id, record);
    this.#mirrorFeeders(record, []);
    return record;
  }

  /** Changes a study as Prolific's web app would (filters of drafts, status, names). */
  updateStudy(id: string, patch: Partial<Omit<StudyRecord, 'id' | 'submissions'>>): StudyRecord {
    const record = this.#required(id);
    const feedsBefore = groupsActedOn(record.completion_codes);
    Object.assign(record, structuredClone(patch));
    this.#mirrorFeeders(record, feedsBefore);
    return record;
  }

  addSubmissions(studyId: string, submissions: SubmissionRecord[]): void {
    const record = this.#required(studyId);
    for (const submission of submissions) record.submissions.push(submission);
  }

  studyRecord(id: string): StudyRecord | undefined {
    return this.#studies.get(id);
  }

  /** Every study, in creation order. */
  studyRecords(): StudyRecord[] {
    return [...this.#studies.values()];
  }

  summary(record: StudyRecord): StudySummary {
    const counted = record.submissions.length > 0 || record.places_taken === null;
    return {
      id: record.id,
      name: record.name,
      internal_name: record.internal_name,
      status: record.status,
      study_type: 'SINGLE',
      total_available_places: record.total_available_places,
      places_taken: counted
        ? record.submissions.filter((submission) => !PLACE_FREE.has(submission.status)).length
        : (record.places_taken ?? 0),
      number_of_submissions: counted ? record.submissions.length : (record.places_taken ?? 0),
      reward: record.reward,
      total_cost: Math.round(record.reward * record.total_available_places * 1.33),
      published_at: record.published_at,
      publish_at: record.publish_at,
      date_created: record.date_created,
    };
  }

  study(record: StudyRecord): Study {
    return {
      ...this.summary(record),
      description: record.description,
      external_study_url: `https://survey.example/${record.id}?PROLIFIC_PID={{%PROLIFIC_PID%}}`,
      prolific_id_option: 'url_parameters',
      estimated_completion_time: record.estimated_completion_time,
      maximum_allowed_time: record.estimated_completion_time * 4 + 2,
      device_compatibility: ['desktop', 'tablet', 'mobile'],
      peripheral_requirements: [],
      is_custom_screening: false,
      project: record.project_id,
      submissions_config: { max_submissions_per_participant: record.max_submissions_per_participant, max_concurrent_submissions: -1 },
      // A study with a filter set carries no filters of its own (the two are never combined).
      filters: record.filter_set_id ? [] : structuredClone(record.filters),
      filter_set_id: record.filter_set_id,
      filter_set_version: record.filter_set_version,
      completion_codes: structuredClone(record.completion_codes),
    };
  }

  /** A version of a filter set (the latest when version is undefined); undefined when there is none. */
  filterSet(id: string, version?: number): FilterSet | undefined {
    const record = this.#filterSets.get(id);
    if (!record || record.is_deleted) return undefined;
    const number = version ?? record.versions.length;
    const filters = record.versions[number - 1];
    if (!filters) return undefined;
    return {
      id: record.id,
      version: number,
      name: record.name,
      workspace_id: record.workspace_id,
      organisation_id: record.organisation_id,
      is_deleted: false,
      is_locked: record.is_locked,
      filters: structuredClone(filters),
      // Prolific obscures counts under 25; the sandbox has no eligibility model.
      eligible_participant_count: 0,
    };
  }

  toProject(record: ProjectRecord): Project {
    return { id: record.id, title: record.title, description: record.description, owner: record.owner, users: [], naivety_distribution_rate: null };
  }

  /** A submission as lists answer it; has_siblings from the participant's other submissions in the study. */
  submission(study: StudyRecord, record: SubmissionRecord, siblings: ReadonlyMap<string, number>): Submission {
    return {
      id: record.id,
      participant_id: record.participant_id,
      status: record.status,
      started_at: record.started_at,
      completed_at: record.completed_at,
      has_siblings: (siblings.get(record.participant_id) ?? 0) > 1,
      study_code: record.study_code,
      return_requested: record.return_requested,
      study_id: study.id,
    };
  }

  /** Submissions per participant in a study, for has_siblings. */
  submissionsPerParticipant(study: StudyRecord): Map<string, number> {
    const counts = new Map<string, number>();
    for (const submission of study.submissions) counts.set(submission.participant_id, (counts.get(submission.participant_id) ?? 0) + 1);
    return counts;
  }

  #required(id: string): StudyRecord {
    const record = this.#studies.get(id);
    if (!record) throw new Error(`No study ${id}`);
    return record;
  }

  /** Writes this study's entry in the feeder_studies of every group its codes act on, and drops stale ones. */
  #mirrorFeeders(record: StudyRecord, groupsBefore: string[]): void {
    const now = groupsActedOn(record.completion_codes);
    for (const groupId of new Set([...groupsBefore, ...now])) {
      const group = this.#groups.activeRecord(groupId);
      if (!group) continue;
      const others = group.feeder_studies.filter((feeder) => feeder.id !== record.id);
      group.feeder_studies = now.includes(groupId) ? [...others, feederEntry(record, groupId)] : others;
    }
  }
}

function groupsActedOn(codes: CompletionCode[]): string[] {
  const ids = new Set<string>();
  for (const code of codes) {
    for (const action of code.actions) {
      if (GROUP_ACTIONS.has(action.action) && typeof action.participant_group === 'string') ids.add(action.participant_group);
    }
  }
  return [...ids];
}

function feederEntry(record: StudyRecord, groupId: string): FeederStudy {
  const codes: FeederStudy['feeder_completion_codes'] = [];
  for (const code of record.completion_codes) {
    for (const action of code.actions) {
      if (GROUP_ACTIONS.has(action.action) && action.participant_group === groupId) {
        codes.push({ code: code.code ?? '', code_type: code.code_type, action: action.action as FeederAction });
      }
    }
  }
  return {
    id: record.id,
    name: record.name,
    internal_name: record.internal_name ?? '',
    status: record.status,
    feeder_completion_codes: codes,
  };
}
