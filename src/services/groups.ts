import { type ProlificClient, ProlificError } from '../prolific';
import type { GroupMember, ParticipantGroup } from '../prolific/types';
import type { AuditEntry, AuditStore } from '../store/audit';
import type { NotificationOutboxStore, NotificationStatus } from '../store/notificationOutbox';
import type { OperationStore } from '../store/operations';
import { type GroupMessage, groupMessageOf } from './groupMessages';
import type { Actor } from './actor';
import { type GroupResolution, normaliseGroupName, resolveGroup } from './groupResolution';
import { GroupInOtherWorkspaceError, GroupOutsideWorkspaceError, type ServedGroups } from './servedGroups';

/** Prolific does not document a limit; 255 is what its group names have been seen to accept. */
export const MAX_GROUP_NAME_LENGTH = 255;

/** What became of a change's notification to one channel. */
export interface NotificationFact {
  channelId: string;
  status: NotificationStatus;
  /** Slack's error code, or 'stopped_while_posting' (the app stopped mid-post), when not delivered. */
  error: string | null;
}

/** An entry of a group's history, with what became of its notifications. */
export interface HistoryEntry extends AuditEntry {
  notifications: NotificationFact[];
  /** For a message to the group's members: what was (or may have been) sent. */
  message?: GroupMessage;
}

/** Why a name cannot be a group's name (renderers word it). */
export type GroupNameProblem = { kind: 'empty' } | { kind: 'too_long'; length: number; max: number } | { kind: 'unchanged' };

/** Null when the name is acceptable, otherwise why not. */
export function groupNameProblem(name: string, currentName?: string): GroupNameProblem | null {
  const trimmed = name.trim();
  if (!trimmed) return { kind: 'empty' };
  if (trimmed.length > MAX_GROUP_NAME_LENGTH) return { kind: 'too_long', length: trimmed.length, max: MAX_GROUP_NAME_LENGTH };
  if (currentName !== undefined && trimmed === currentName.trim()) return { kind: 'unchanged' };
  return null;
}

/**
 * Reading the workspace's groups and the changes that need no preview (create). A group named by
 * id is read through ServedGroups, so one outside the workspace is never found.
 */
export class GroupDirectory {
  constructor(
    private readonly client: ProlificClient,
    private readonly served: ServedGroups,
    private readonly store: AuditStore & Pick<NotificationOutboxStore, 'listNotifications'> & Pick<OperationStore, 'getOperation'>,
    /** The workspace to work in: a fixed one, or the current request's (its channel's; see Workspaces). */
    private readonly workspace: string | (() => Promise<string>),
  ) {}

  /** The workspace this call works in. */
  workspaceId(): Promise<string> {
    return typeof this.workspace === 'string' ? Promise.resolve(this.workspace) : this.workspace();
  }

  /** The workspace's groups, by name, optionally filtered by text in the name or id. */
  /** The workspace's groups already called `name` (as names are compared: case and spacing aside), but `exceptId`. */
  async named(name: string, exceptId?: string): Promise<ParticipantGroup[]> {
    const wanted = normaliseGroupName(name);
    return (await this.list()).filter((g) => g.id !== exceptId && normaliseGroupName(g.name) === wanted);
  }

  async list(filter = ''): Promise<ParticipantGroup[]> {
    const groups = (await this.client.listGroups(await this.workspaceId())).filter((g) => !g.is_deleted);
    const wanted = normaliseGroupName(filter);
    return groups
      .filter((g) => !wanted || normaliseGroupName(g.name).includes(wanted) || g.id.toLowerCase().includes(wanted))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
  }

  async resolve(query: string): Promise<GroupResolution> {
    const trimmed = query.trim().toLowerCase();
    // An id names one group directly, even one outside the first page of a long list.
    if (/^[0-9a-f]{24}$/.test(trimmed)) {
      const group = await this.served.get(trimmed).catch((err: { status?: number }) => {
        // A group of another served workspace is not resolved either, but the reply says where it is.
        if (err instanceof GroupInOtherWorkspaceError) throw err;
        if (err?.status === 404 || err instanceof GroupOutsideWorkspaceError) return null;
        throw err;
      });
      if (group && !group.is_deleted) return { kind: 'found', group, match: 'id' };
    }
    return resolveGroup(query, await this.list());
  }

  get(groupId: string): Promise<ParticipantGroup> {
    return this.served.get(groupId);
  }

  members(groupId: string): Promise<GroupMember[]> {
    return this.served.members(groupId);
  }

  /**
   * Creates a group in the workspace. The group exists once Prolific answers, so a database that
   * does not take its audit entry does not undo that: `recorded` is false, and the history lacks it.
   */
  async create(name: string, description: string | null, actor: Actor): Promise<{ group: ParticipantGroup; recorded: boolean }> {
    const before = new Set((await this.list()).map((g) => g.id));
    let group: ParticipantGroup;
    try {
      group = await this.client.createGroup({
        name: name.trim(),
        workspace_id: await this.workspaceId(),
        ...(description ? { description } : {}),
      });
    } catch (err) {
      // Create is never retried blindly (it could make a duplicate): when the answer was lost,
      // a new group with this name tells whether it was created after all.
      if (!(err instanceof ProlificError && err.ambiguous)) throw err;
      const created = (await this.list()).find((g) => !before.has(g.id) && normaliseGroupName(g.name) === normaliseGroupName(name));
      if (!created) throw err;
      group = created;
    }
    try {
      await this.store.appendAudit({
        slackUserId: actor.userId,
        slackTeamId: actor.teamId,
        action: 'create',
        groupId: group.id,
        groupName: group.name,
        beforeName: null,
        afterName: group.name,
        beforeCount: null,
        afterCount: group.participant_count,
        added: group.participant_count,
        removed: 0,
        outcome: 'applied',
        error: null,
        operationId: null,
        snapshotId: null,
      });
    } catch {
      return { group, recorded: false };
    }
    return { group, recorded: true };
  }

  /**
   * Records that someone was sent a group's member ids as a file (who, which group, when, how many).
   * False when the database did not take the entry: the file was sent, and the history lacks it.
   */
  async recordExport(group: ParticipantGroup, count: number, actor: Actor): Promise<boolean> {
    try {
      await this.store.appendAudit({
        slackUserId: actor.userId,
        slackTeamId: actor.teamId,
        action: 'export',
        groupId: group.id,
        groupName: group.name,
        beforeName: null,
        afterName: null,
        beforeCount: count,
        afterCount: count,
        added: 0,
        removed: 0,
        outcome: 'applied',
        error: null,
        operationId: null,
        snapshotId: null,
      });
      return true;
    } catch {
      return false;
    }
  }

  /** A page of the group's history, newest first (one entry more when there is a next page). */
  async history(groupId: string, page: number, pageSize: number): Promise<HistoryEntry[]> {
    const entries = await this.store.listAudit({ groupId, limit: pageSize + 1, offset: page * pageSize });
    // A message that may have been sent was announced too.
    const announced = (e: AuditEntry) => e.outcome === 'applied' || (e.action === 'message' && e.outcome === 'unknown');
    const ids = entries.flatMap((e) => (announced(e) && e.operationId ? [e.operationId] : []));
    const notifications = ids.length ? await this.store.listNotifications(ids) : [];
    // A message's entry shows its recipients and first line, kept on its operation.
    const messages = new Map<string, GroupMessage>();
    for (const e of entries) {
      if (e.action !== 'message' || !e.operationId) continue;
      const op = await this.store.getOperation(e.operationId);
      const message = op ? groupMessageOf(op) : null;
      if (message) messages.set(e.operationId, message);
    }
    return entries.map((entry) => {
      const message = entry.operationId ? messages.get(entry.operationId) : undefined;
      return {
        ...entry,
        notifications: notifications
          .filter((n) => announced(entry) && n.operationId === entry.operationId)
          .map((n) => ({ channelId: n.channelId, status: n.status, error: n.error })),
        ...(message ? { message } : {}),
      };
    });
  }
}
