// The workspace's studies, as the study picker and `--from-study` see them, and the participants
// a group is built from. Slack-free; returns facts.

import type { Project, StudyParticipants, StudySummary, SubmissionStatus } from '../../prolific/studyTypes';
import { type NamedResolution, normaliseGroupName, resolveNamed } from '../groupResolution';

/** What the directory needs of the Prolific client. */
export interface StudyDirectoryReader {
  listProjects(workspaceId: string): Promise<Project[]>;
  listProjectStudies(projectId: string): Promise<StudySummary[]>;
  studyParticipants(studyId: string, statuses?: readonly SubmissionStatus[]): Promise<StudyParticipants>;
}

/** How long the list of the workspace's studies is reused: the picker asks at every keystroke. */
export const STUDY_LIST_TTL_MS = 30_000;

export class StudyDirectory {
  /** The short reuse of each workspace's list. */
  readonly #cached = new Map<string, { at: number; studies: Promise<StudySummary[]> }>();

  constructor(
    private readonly reader: StudyDirectoryReader,
    /** The workspace to work in: a fixed one, or the current request's (its channel's; see Workspaces). */
    private readonly workspace: string | (() => Promise<string>),
    private readonly now: () => number = Date.now,
  ) {}

  /** The workspace's studies (every project's), newest first, optionally those whose name, internal name or id contains `filter`. */
  async list(filter = ''): Promise<StudySummary[]> {
    const wanted = normaliseGroupName(filter);
    const studies = await this.#all();
    return studies.filter(
      (s) => !wanted || normaliseGroupName(s.name).includes(wanted) || normaliseGroupName(s.internal_name ?? '').includes(wanted) || s.id.toLowerCase().includes(wanted),
    );
  }

  /** A study named as a group is (id, exact name, unique start of a name), by its public or internal name. */
  async resolve(query: string): Promise<NamedResolution<StudySummary>> {
    return resolveNamed(query, await this.#all(true), (s) => [s.name, s.internal_name ?? '']);
  }

  /** The participants (each once) of the study's submissions in these statuses, checked against its counts. */
  participants(studyId: string, statuses: readonly SubmissionStatus[]): Promise<StudyParticipants> {
    return this.reader.studyParticipants(studyId, statuses);
  }

  /** Every study of the workspace's projects; `fresh` skips the short reuse (a command names a study once). */
  async #all(fresh = false): Promise<StudySummary[]> {
    const workspaceId = typeof this.workspace === 'string' ? this.workspace : await this.workspace();
    const at = this.now();
    const cached = this.#cached.get(workspaceId);
    if (!fresh && cached && at - cached.at < STUDY_LIST_TTL_MS) return cached.studies;
    const studies = this.#read(workspaceId);
    this.#cached.set(workspaceId, { at, studies });
    // A failed read is not reused.
    studies.catch(() => {
      if (this.#cached.get(workspaceId)?.studies === studies) this.#cached.delete(workspaceId);
    });
    return studies;
  }

  async #read(workspaceId: string): Promise<StudySummary[]> {
    const projects = await this.reader.listProjects(workspaceId);
    const lists = await Promise.all(projects.map((p) => this.reader.listProjectStudies(p.id)));
    const byId = new Map<string, StudySummary>();
    for (const study of lists.flat()) if (!byId.has(study.id)) byId.set(study.id, study);
    return [...byId.values()].sort((a, b) => (b.date_created ?? '').localeCompare(a.date_created ?? ''));
  }
}
