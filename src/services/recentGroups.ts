import type { ParticipantGroup } from '../prolific/types';
import type { AuditStore } from '../store/types';

/** A group a person changed, newest first, under its name now. */
export interface RecentGroup {
  groupId: string;
  groupName: string;
  at: Date;
}

/** How far back the history is read for a person's recent groups. */
const RECENT_ENTRIES_READ = 100;

/** The groups this person changed last (newest first, each once), among `groups`, the groups there are now. */
export async function recentGroups(store: Pick<AuditStore, 'listAudit'>, userId: string, groups: ParticipantGroup[]): Promise<RecentGroup[]> {
  const entries = await store.listAudit({ userId, limit: RECENT_ENTRIES_READ, offset: 0 });
  const current = new Map(groups.map((g) => [g.id, g]));
  const seen = new Set<string>();
  const recent: RecentGroup[] = [];
  for (const entry of entries) {
    const group = current.get(entry.groupId);
    if (!group || seen.has(entry.groupId)) continue;
    seen.add(entry.groupId);
    recent.push({ groupId: group.id, groupName: group.name, at: entry.at });
  }
  return recent;
}
