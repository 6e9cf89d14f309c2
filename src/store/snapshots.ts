// Snapshots: a group's name and membership as they were just before a write, for undo.
import type { Queryable } from './database';
import { countOf, decodeIds, encodeIds, firstRow, isUuid, toDate } from './sqlValues';

export interface NewSnapshot {
  groupId: string;
  name: string;
  memberIds: string[];
  operationId: string | null;
}

export interface Snapshot extends NewSnapshot {
  id: string;
  takenAt: Date;
}

export interface SnapshotStore {
  saveSnapshot(snapshot: NewSnapshot): Promise<Snapshot>;
  getSnapshot(id: string): Promise<Snapshot | null>;
  /** The snapshot taken just before an operation's write, if it got that far. */
  getSnapshotForOperation(operationId: string): Promise<Snapshot | null>;
  /** Deletes snapshots older than the given number of days; returns how many. */
  pruneSnapshots(olderThanDays: number, now?: Date): Promise<number>;
}

interface SnapshotRow {
  id: string;
  group_id: string;
  name: string;
  member_ids: string;
  operation_id: string | null;
  taken_at: unknown;
}

const SNAPSHOT_COLUMNS = 'id, group_id, name, member_ids, operation_id, taken_at';

function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    id: row.id,
    groupId: row.group_id,
    name: row.name,
    memberIds: decodeIds(row.member_ids),
    operationId: row.operation_id,
    takenAt: toDate(row.taken_at),
  };
}

export function createSnapshotStore(db: Queryable): SnapshotStore {
  return {
    async saveSnapshot(snapshot: NewSnapshot): Promise<Snapshot> {
      const row = await firstRow<{ id: string; taken_at: unknown }>(
        db,
        `insert into snapshots (group_id, name, member_ids, member_count, operation_id)
         values ($1, $2, $3, $4, $5) returning id, taken_at`,
        [
          snapshot.groupId,
          snapshot.name,
          encodeIds(snapshot.memberIds),
          snapshot.memberIds.length,
          snapshot.operationId,
        ],
      );
      return {
        id: row!.id,
        groupId: snapshot.groupId,
        name: snapshot.name,
        memberIds: [...snapshot.memberIds],
        operationId: snapshot.operationId,
        takenAt: toDate(row!.taken_at),
      };
    },

    async getSnapshot(id: string): Promise<Snapshot | null> {
      if (!isUuid(id)) return null;
      const row = await firstRow<SnapshotRow>(db, `select ${SNAPSHOT_COLUMNS} from snapshots where id = $1`, [id]);
      return row ? toSnapshot(row) : null;
    },

    async getSnapshotForOperation(operationId: string): Promise<Snapshot | null> {
      if (!isUuid(operationId)) return null;
      const row = await firstRow<SnapshotRow>(
        db,
        `select ${SNAPSHOT_COLUMNS} from snapshots where operation_id = $1 order by taken_at desc limit 1`,
        [operationId],
      );
      return row ? toSnapshot(row) : null;
    },

    pruneSnapshots: (olderThanDays: number, now?: Date) =>
      countOf(
        db,
        `with pruned as (
           delete from snapshots
           where taken_at < coalesce($2::timestamptz, now()) - $1::double precision * interval '1 day'
           returning 1
         ) select count(*)::int as n from pruned`,
        [olderThanDays, now ?? null],
      ),
  };
}
