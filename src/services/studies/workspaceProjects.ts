// Which projects belong to which workspace, as far as the study index needs it: a study counts for
// a workspace when its project (GET /api/v1/studies/{id}/ names it) is one of the workspace's
// (GET /api/v1/workspaces/{id}/projects/). Slack-free.
//
// A project never moves to another workspace, and a new project gets a new id, so what a list
// said stays true: a project it listed is the workspace's for good, and a project it did not list,
// although the project existed when the list was read, is not. A workspace's list is therefore
// read once, and again only when a study names a project that no list read since has placed (a
// project made after the last read). In a steady state a lookup makes no project request.

import type { Project } from '../../prolific/studyTypes';

/** What WorkspaceProjects needs of the Prolific client. */
export type ProjectLister = (workspaceId: string) => Promise<Project[]>;

interface Known {
  /** Projects the workspace's lists named. */
  mine: Set<string>;
  /** Projects seen in a study before a list of the workspace that did not name them. */
  notMine: Set<string>;
}

export class WorkspaceProjects {
  readonly #list: ProjectLister;
  /** By workspace id in lower case. */
  readonly #known = new Map<string, Known>();

  constructor(list: ProjectLister) {
    this.#list = list;
  }

  /**
   * Which of `projectIds` belong to one of `workspaceIds`, reading the list of a workspace only when
   * one of them is not placed yet. `requests`: the lists read. A failed read throws (the caller
   * cannot tell whose the studies are).
   */
  async belonging(workspaceIds: readonly string[], projectIds: Iterable<string>): Promise<{ mine: Set<string>; requests: number }> {
    const workspaces = [...new Map(workspaceIds.map((id) => [id.toLowerCase(), id])).values()];
    const wanted = [...new Set(projectIds)];
    const placed = (projectId: string, workspaceId: string): boolean => {
      const known = this.#known.get(workspaceId.toLowerCase());
      return Boolean(known && (known.mine.has(projectId) || known.notMine.has(projectId)));
    };
    // Each workspace that has not placed every project yet is read once, the reads at once.
    const toRead = workspaces.filter((workspaceId) => wanted.some((projectId) => !this.#isMine(projectId, workspaces) && !placed(projectId, workspaceId)));
    await Promise.all(
      toRead.map(async (workspaceId) => {
        // The projects were seen before this read starts: any the list leaves out is not the workspace's.
        const listed = new Set((await this.#list(workspaceId)).map((project) => project.id));
        const key = workspaceId.toLowerCase();
        const known = this.#known.get(key) ?? { mine: new Set<string>(), notMine: new Set<string>() };
        for (const id of listed) known.mine.add(id);
        for (const id of wanted) if (!listed.has(id)) known.notMine.add(id);
        this.#known.set(key, known);
      }),
    );
    return { mine: new Set(wanted.filter((projectId) => this.#isMine(projectId, workspaces))), requests: toRead.length };
  }

  #isMine(projectId: string, workspaces: readonly string[]): boolean {
    return workspaces.some((workspaceId) => this.#known.get(workspaceId.toLowerCase())?.mine.has(projectId) ?? false);
  }
}
