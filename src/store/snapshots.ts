// Snapshots: a group's name and membership as they were just before a write, for undo.
import type { Queryable } from './database';
import { countOf, firstRow, isUuid, packIds, toDate, unpackIds } from './sqlValues';

export interface NewSnapshot {
  groupId: string;
  name: string;
  memberIds: string[];
  operationId: string | null;
  /** Kept for a group about to be deleted, so that Recreate can make it again; otherwise left out. */
  description?: string | null;
  workspaceId?: string | null;
}

export interface Snapshot extends NewSnapshot {
  id: string;
  takenAt: Date;
  /** Participants forgotten since (participantErasure.ts): taken out of memberIds, so an undo cannot bring them back. */
  forgotten: number;
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
  /** member_ids_packed as hex (see packIds), or null when the list is in member_ids. */
  member_ids_hex: string | null;
  operation_id: string | null;
  description: string | null;
  workspace_id: string | null;
  taken_at: unknown;
  forgotten_count: number;
}

const SNAPSHOT_COLUMNS = "id, group_id, name, member_ids, encode(member_ids_packed, 'hex') as member_ids_hex, operation_id, description, workspace_id, taken_at, forgotten_count";

function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    id: row.id,
    groupId: row.group_id,
    name: row.name,
    memberIds: unpackIds(row.member_ids, row.member_ids_hex),
    operationId: row.operation_id,
    description: row.description,
    workspaceId: row.workspace_id,
    takenAt: toDate(row.taken_at),
    forgotten: Number(row.forgotten_count ?? 0),
  };
}

export function createSnapshotStore(db: Queryable): SnapshotStore {
  return {
    async saveSnapshot(snapshot: NewSnapshot): Promise<Snapshot> {
      const members = packIds(snapshot.memberIds);
      const row = await firstRow<{ id: string; taken_at: unknown }>(
        db,
        `insert into snapshots (group_id, name, member_ids, member_ids_packed, member_count, operation_id, description, workspace_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id, taken_at`,
        [
          snapshot.groupId,
          snapshot.name,
          members.text,
          members.bytes,
          snapshot.memberIds.length,
          snapshot.operationId,
          snapshot.description ?? null,
          snapshot.workspaceId ?? null,
        ],
      );
      return {
        id: row!.id,
        groupId: snapshot.groupId,
        name: snapshot.name,
        memberIds: [...snapshot.memberIds],
        operationId: snapshot.operationId,
        description: snapshot.description ?? null,
        workspaceId: snapshot.workspaceId ?? null,
        takenAt: toDate(row!.taken_at),
        forgotten: 0,
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
