import type { ProlificClient } from '../prolific';
import type { GroupMember, ParticipantGroup } from '../prolific/types';

/**
 * Whether this app serves a Prolific workspace. Today that is the configured workspace; once a
 * channel can name its own, the answer grows, so it is a question rather than a constant.
 */
export type ServesWorkspace = (workspaceId: string | null) => boolean;

/** The workspaces in `ids`, and no other (an organisation-level group, with no workspace, included). */
export function servesWorkspaces(ids: Iterable<string>): ServesWorkspace {
  const served = new Set([...ids].map((id) => id.toLowerCase()));
  return (workspaceId) => workspaceId !== null && workspaceId !== undefined && served.has(workspaceId.toLowerCase());
}

/**
 * A group the token can read but that belongs to no workspace this app serves (an
 * organisation-level group, or another workspace's). To the user it is "not found in this
 * workspace"; nothing of it (name, members) is shown, and nothing is written to it.
 */
export class GroupOutsideWorkspaceError extends Error {
  constructor(readonly groupId: string) {
    super(`Group ${groupId} is not in a workspace this app serves.`);
    this.name = 'GroupOutsideWorkspaceError';
  }
}

/**
 * The one place a group is read by id, for every path (show, members, history, rename, upload,
 * delete, undo, watch, the confirmation of a preview): a group outside the workspaces this app
 * serves is refused here, so no path can skip the check.
 */
export class ServedGroups {
  constructor(
    private readonly client: ProlificClient,
    readonly serves: ServesWorkspace,
  ) {}

  /** The group, if it belongs to a served workspace; otherwise GroupOutsideWorkspaceError. */
  async get(groupId: string): Promise<ParticipantGroup> {
    const group = await this.client.getGroup(groupId);
    if (!this.serves(group.workspace_id ?? null)) throw new GroupOutsideWorkspaceError(groupId);
    return group;
  }

  /** The members of a group of a served workspace; the group is checked before its members are read. */
  async members(groupId: string): Promise<GroupMember[]> {
    await this.get(groupId);
    return this.client.listMembers(groupId);
  }

  /**
   * The members of a group from the workspace's list, which says already whose group it is: one
   * read instead of two when many groups are read at once (`/pgroup find`).
   */
  async listedMembers(group: ParticipantGroup): Promise<GroupMember[]> {
    if (!this.serves(group.workspace_id ?? null)) throw new GroupOutsideWorkspaceError(group.id);
    return this.client.listMembers(group.id);
  }

  /**
   * The group and its members' ids. The members are read only once the group is known to be
   * served (one short read before a long one), so a foreign group's members are never fetched.
   */
  async withMemberIds(groupId: string): Promise<{ group: ParticipantGroup; members: string[] }> {
    const group = await this.get(groupId);
    return { group, members: await this.client.listMemberIds(groupId) };
  }
}
