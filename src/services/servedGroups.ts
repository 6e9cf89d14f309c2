import type { ProlificClient } from '../prolific';
import type { GroupMember, ParticipantGroup } from '../prolific/types';

/**
 * Whether this app serves a Prolific workspace: the token's workspaces, limited by WORKSPACE_IDS.
 * Each request is further scoped to its channel's workspace (WorkspaceScope).
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

/** A workspace as a reply names it. */
export interface NamedWorkspace {
  id: string;
  title: string;
}

/**
 * A group of another workspace the app serves, read in a request scoped to the channel's
 * workspace. Like any group outside the workspace it is not shown or changed here; unlike a
 * foreign one, the reply may name its workspace, so that the person knows where to switch.
 */
export class GroupInOtherWorkspaceError extends GroupOutsideWorkspaceError {
  constructor(
    groupId: string,
    readonly workspace: NamedWorkspace,
    readonly current: NamedWorkspace,
    /** Whose workspace `current` is: the channel's, or (a request with no channel) the one chosen in the Home tab. */
    readonly where: 'channel' | 'home' = 'channel',
  ) {
    super(groupId);
    this.name = 'GroupInOtherWorkspaceError';
  }
}

/** The workspace the current request works in (null: no request, every served workspace), and a served workspace by id. */
export interface WorkspaceScope {
  current(): Promise<NamedWorkspace | null>;
  /** Whether the current request's workspace is its channel's or, with no channel, its person's Home tab choice. */
  currentSource?(): Promise<'channel' | 'home'>;
  get(workspaceId: string | null | undefined): NamedWorkspace | null;
}

/**
 * The one place a group is read by id, for every path (show, members, history, rename, upload,
 * delete, undo, watch, the confirmation of a preview): a group outside the workspaces this app
 * serves is refused here, so no path can skip the check.
 */
export class ServedGroups {
  /** The workspace of each served group read so far, for notifications that name it. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly client: ProlificClient,
    readonly serves: ServesWorkspace,
    /** The request's workspace: a group of another served workspace is refused in it. */
    private readonly scope?: WorkspaceScope,
  ) {}

  /**
   * The group, if it belongs to a served workspace and, within a request, to the workspace of its
   * channel; otherwise GroupOutsideWorkspaceError (GroupInOtherWorkspaceError for another served one).
   */
  async get(groupId: string): Promise<ParticipantGroup> {
    const group = await this.client.getGroup(groupId);
    const workspaceId = group.workspace_id ?? null;
    if (!this.serves(workspaceId)) throw new GroupOutsideWorkspaceError(groupId);
    this.seen.set(group.id, workspaceId!);
    const current = await this.scope?.current();
    if (current && current.id.toLowerCase() !== workspaceId!.toLowerCase()) {
      const where = (await this.scope?.currentSource?.()) ?? 'channel';
      throw new GroupInOtherWorkspaceError(groupId, this.scope?.get(workspaceId) ?? { id: workspaceId!, title: workspaceId! }, current, where);
    }
    return group;
  }

  /** The workspace of a served group this instance has read, or null when it has not read it. */
  workspaceOf(groupId: string): string | null {
    return this.seen.get(groupId) ?? null;
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
