import type { GroupMember, ParticipantGroup } from '../prolific/types';

/** How long a group's member list read for a lookup is trusted. */
export const DEFAULT_MEMBERS_TTL_MS = 60_000;

interface Entry {
  readAt: number;
  members: Promise<GroupMember[]>;
}

/**
 * Member lists read recently, shared by the lookups that read many groups at once (`/pgroup find`,
 * the preview of `/pgroup forget`), so that a second lookup within a minute costs no reads. A
 * group the app changes is dropped at once (invalidate), and a forgotten participant is taken out
 * of every list kept (purge). Previews and confirmations of changes never read from here: they
 * read the group itself, as their stale check must.
 */
export class GroupMembersCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(
    /** Reads a listed group's members (checked to be served first). */
    private readonly read: (group: ParticipantGroup) => Promise<GroupMember[]>,
    options: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_MEMBERS_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The group's members, from a read made within the TTL (or under way) when there is one. */
  members(group: ParticipantGroup): Promise<GroupMember[]> {
    const now = this.#now();
    const kept = this.#entries.get(group.id);
    if (kept && now - kept.readAt < this.#ttlMs) return kept.members;
    const members = this.read(group);
    const entry = { readAt: now, members };
    this.#entries.set(group.id, entry);
    // A failed read is not kept: the next lookup reads again.
    members.catch(() => {
      if (this.#entries.get(group.id) === entry) this.#entries.delete(group.id);
    });
    return members;
  }

  /** The group changed (through the app): its list is read again next time. */
  invalidate(groupId: string): void {
    this.#entries.delete(groupId);
  }

  /** Takes a participant out of every list kept. */
  purge(participantId: string): void {
    for (const [groupId, entry] of this.#entries) {
      const members = entry.members.then((list) => list.filter((m) => m.participant_id !== participantId));
      members.catch(() => undefined);
      this.#entries.set(groupId, { readAt: entry.readAt, members });
    }
  }

  /** How many groups' lists are kept (for tests and /healthz-like checks). */
  get size(): number {
    return this.#entries.size;
  }
}
