// Watch state: what the watcher last saw of each group, so a restart or another instance
// carries on from it instead of announcing the whole membership again.
import type { Queryable } from './database';
import { decodeIds, encodeIds, firstRow, toDateOrNull } from './sqlValues';

/** What the watcher last saw of a group. */
export interface WatchState {
  groupId: string;
  name: string;
  participantCount: number;
  isDeleted: boolean;
  /** The membership as last read in full (sorted), or null when only the count is known. */
  memberIds: string[] | null;
  round: number;
  lastPolledAt: Date | null;
  lastChangeAt: Date | null;
  lastChangeSummary: string | null;
  backoffUntil: Date | null;
}

export interface WatchStateStore {
  getWatchState(groupId: string): Promise<WatchState | null>;
  saveWatchState(state: WatchState): Promise<void>;
  deleteWatchState(groupId: string): Promise<void>;
}

interface WatchStateRow {
  group_id: string;
  name: string;
  participant_count: number;
  is_deleted: boolean;
  member_ids: string | null;
  round: number;
  last_polled_at: unknown;
  last_change_at: unknown;
  last_change_summary: string | null;
  backoff_until: unknown;
}

function toWatchState(row: WatchStateRow): WatchState {
  return {
    groupId: row.group_id,
    name: row.name,
    participantCount: row.participant_count,
    isDeleted: row.is_deleted,
    memberIds: row.member_ids === null ? null : decodeIds(row.member_ids),
    round: row.round,
    lastPolledAt: toDateOrNull(row.last_polled_at),
    lastChangeAt: toDateOrNull(row.last_change_at),
    lastChangeSummary: row.last_change_summary,
    backoffUntil: toDateOrNull(row.backoff_until),
  };
}

export function createWatchStateStore(db: Queryable): WatchStateStore {
  return {
    async getWatchState(groupId: string): Promise<WatchState | null> {
      const row = await firstRow<WatchStateRow>(
        db,
        `select group_id, name, participant_count, is_deleted, member_ids, round, last_polled_at, last_change_at,
           last_change_summary, backoff_until
         from watch_state where group_id = $1`,
        [groupId],
      );
      return row ? toWatchState(row) : null;
    },

    async saveWatchState(state: WatchState): Promise<void> {
      await db.query(
        `insert into watch_state (group_id, name, participant_count, is_deleted, member_ids, round, last_polled_at,
           last_change_at, last_change_summary, backoff_until)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (group_id) do update set
           name = excluded.name,
           participant_count = excluded.participant_count,
           is_deleted = excluded.is_deleted,
           member_ids = excluded.member_ids,
           round = excluded.round,
           last_polled_at = excluded.last_polled_at,
           last_change_at = excluded.last_change_at,
           last_change_summary = excluded.last_change_summary,
           backoff_until = excluded.backoff_until,
           updated_at = now()`,
        [
          state.groupId,
          state.name,
          state.participantCount,
          state.isDeleted,
          state.memberIds === null ? null : encodeIds(state.memberIds),
          state.round,
          state.lastPolledAt,
          state.lastChangeAt,
          state.lastChangeSummary,
          state.backoffUntil,
        ],
      );
    },

    async deleteWatchState(groupId: string): Promise<void> {
      await db.query('delete from watch_state where group_id = $1', [groupId]);
    },
  };
}
