// Operations: a previewed change from preview to outcome, with the one atomic status change
// that makes each confirmation write at most once.
import type { Queryable } from './database';
import { countOf, firstRow, fromJson, isUuid, packIds, toDate, toJson, unpackIds } from './sqlValues';

export type OperationKind = 'replace' | 'add' | 'remove' | 'rename' | 'undo' | 'delete' | 'message' | 'recreate';
export type OperationStatus = 'pending' | 'applying' | 'applied' | 'failed' | 'cancelled' | 'expired';

/** Where the confirmation message lives, so the outcome can replace it in place. */
export interface MessageRef {
  channel: string;
  ts?: string;
  responseUrl?: string;
}

export interface NewOperation {
  kind: OperationKind;
  groupId: string;
  groupName: string;
  slackUserId: string;
  slackTeamId: string;
  channelId: string | null;
  /** The full id list: the target membership for replace/undo, the delta for add/remove. */
  participantIds: string[];
  /** The membership the preview was computed against. */
  baselineIds: string[];
  baselineName: string;
  /** Target name for rename (and for undo of a rename). */
  newName: string | null;
  /** For undo: the snapshot being restored. */
  snapshotId: string | null;
  /** Free-form facts the preview showed (counts, invalid rows, file name), for rendering the outcome. */
  details: Record<string, unknown>;
  message: MessageRef | null;
  ttlMs: number;
}

export interface Operation extends Omit<NewOperation, 'ttlMs'> {
  id: string;
  status: OperationStatus;
  result: Record<string, unknown> | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

export interface OperationPatch {
  result?: Record<string, unknown> | null;
  error?: string | null;
  message?: MessageRef | null;
}

export interface OperationFilter {
  status: OperationStatus[];
  groupId?: string;
  updatedSince?: Date;
  updatedBefore?: Date;
  limit?: number;
  order?: 'oldest' | 'newest';
}

export interface OperationStore {
  createOperation(input: NewOperation): Promise<Operation>;
  getOperation(id: string): Promise<Operation | null>;
  /**
   * Operations in these statuses, optionally of one group and last changed in a time window:
   * what the bot is writing or wrote lately (for the watcher), or confirmations left 'applying'
   * when the database or the process went away (for recovery). Default: oldest change first.
   */
  listOperations(filter: OperationFilter): Promise<Operation[]>;
  /**
   * The one atomic status change: moves the operation to `to` only if its status is one of
   * `from` (and, when leaving `pending`, it has not expired). Returns the updated operation,
   * or null when another caller got there first or the conditions do not hold.
   */
  transitionOperation(
    id: string,
    from: OperationStatus[],
    to: OperationStatus,
    patch?: OperationPatch,
  ): Promise<Operation | null>;
  setOperationMessage(id: string, message: MessageRef): Promise<void>;
  /** Marks pending operations past their expiry as expired; returns how many. */
  expireOperations(now?: Date): Promise<number>;
}

interface OperationRow {
  id: string;
  kind: string;
  status: string;
  group_id: string;
  group_name: string;
  slack_user_id: string;
  slack_team_id: string;
  channel_id: string | null;
  participant_ids: string;
  /** participant_ids_packed as hex (see packIds), or null when the list is in participant_ids. */
  participant_ids_hex: string | null;
  baseline_ids: string;
  baseline_ids_hex: string | null;
  baseline_name: string;
  new_name: string | null;
  snapshot_id: string | null;
  details: unknown;
  result: unknown;
  error: string | null;
  message: unknown;
  created_at: unknown;
  updated_at: unknown;
  expires_at: unknown;
}

const OPERATION_COLUMNS = `id, kind, status, group_id, group_name, slack_user_id, slack_team_id, channel_id,
  participant_ids, encode(participant_ids_packed, 'hex') as participant_ids_hex, baseline_ids,
  encode(baseline_ids_packed, 'hex') as baseline_ids_hex, baseline_name, new_name, snapshot_id, details, result, error, message,
  created_at, updated_at, expires_at`;

function toOperation(row: OperationRow): Operation {
  return {
    id: row.id,
    kind: row.kind as OperationKind,
    status: row.status as OperationStatus,
    groupId: row.group_id,
    groupName: row.group_name,
    slackUserId: row.slack_user_id,
    slackTeamId: row.slack_team_id,
    channelId: row.channel_id,
    participantIds: unpackIds(row.participant_ids, row.participant_ids_hex),
    baselineIds: unpackIds(row.baseline_ids, row.baseline_ids_hex),
    baselineName: row.baseline_name,
    newName: row.new_name,
    snapshotId: row.snapshot_id,
    details: fromJson<Record<string, unknown>>(row.details) ?? {},
    result: fromJson<Record<string, unknown>>(row.result),
    error: row.error,
    message: fromJson<MessageRef>(row.message),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    expiresAt: toDate(row.expires_at),
  };
}

export function createOperationStore(db: Queryable): OperationStore {
  return {
    async createOperation(input: NewOperation): Promise<Operation> {
      const details = toJson(input.details ?? {});
      const message = toJson(input.message);
      const participants = packIds(input.participantIds);
      const baseline = packIds(input.baselineIds);
      // The id lists are not read back: returning megabytes just written would double the cost.
      const row = await firstRow<{ id: string; status: string; created_at: unknown; updated_at: unknown; expires_at: unknown }>(
        db,
        `insert into operations (kind, group_id, group_name, slack_user_id, slack_team_id, channel_id,
           participant_ids, participant_ids_packed, participant_count, baseline_ids, baseline_ids_packed, baseline_count,
           baseline_name, new_name, snapshot_id, details, message, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
           $16::jsonb, $17::jsonb, now() + $18::double precision * interval '1 millisecond')
         returning id, status, created_at, updated_at, expires_at`,
        [
          input.kind,
          input.groupId,
          input.groupName,
          input.slackUserId,
          input.slackTeamId,
          input.channelId,
          participants.text,
          participants.bytes,
          input.participantIds.length,
          baseline.text,
          baseline.bytes,
          input.baselineIds.length,
          input.baselineName,
          input.newName,
          input.snapshotId,
          details,
          message,
          input.ttlMs,
        ],
      );
      return {
        id: row!.id,
        kind: input.kind,
        status: row!.status as OperationStatus,
        groupId: input.groupId,
        groupName: input.groupName,
        slackUserId: input.slackUserId,
        slackTeamId: input.slackTeamId,
        channelId: input.channelId,
        // The caller's lists, not copies: nothing changes a list once it is in an operation.
        participantIds: input.participantIds,
        baselineIds: input.baselineIds,
        baselineName: input.baselineName,
        newName: input.newName,
        snapshotId: input.snapshotId,
        // Through JSON, exactly as a later read will return them.
        details: fromJson<Record<string, unknown>>(details) ?? {},
        result: null,
        error: null,
        message: fromJson<MessageRef>(message),
        createdAt: toDate(row!.created_at),
        updatedAt: toDate(row!.updated_at),
        expiresAt: toDate(row!.expires_at),
      };
    },

    async getOperation(id: string): Promise<Operation | null> {
      if (!isUuid(id)) return null;
      const row = await firstRow<OperationRow>(db, `select ${OPERATION_COLUMNS} from operations where id = $1`, [id]);
      return row ? toOperation(row) : null;
    },

    async listOperations(filter: OperationFilter): Promise<Operation[]> {
      const rows = await db.query<OperationRow>(
        `select ${OPERATION_COLUMNS} from operations
         where status = any($1::text[])
           and ($2::text is null or group_id = $2)
           and ($3::timestamptz is null or updated_at >= $3::timestamptz)
           and ($4::timestamptz is null or updated_at < $4::timestamptz)
         order by updated_at ${filter.order === 'newest' ? 'desc' : 'asc'}
         limit $5`,
        [filter.status, filter.groupId ?? null, filter.updatedSince ?? null, filter.updatedBefore ?? null, filter.limit ?? 100],
      );
      return rows.map(toOperation);
    },

    async transitionOperation(
      id: string,
      from: OperationStatus[],
      to: OperationStatus,
      patch: OperationPatch = {},
    ): Promise<Operation | null> {
      if (!isUuid(id)) return null;
      const params: unknown[] = [id, from, to];
      const sets = ['status = $3::text', 'updated_at = now()'];
      if (patch.result !== undefined) {
        params.push(toJson(patch.result));
        sets.push(`result = $${params.length}::jsonb`);
      }
      if (patch.error !== undefined) {
        params.push(patch.error);
        sets.push(`error = $${params.length}::text`);
      }
      if (patch.message !== undefined) {
        params.push(toJson(patch.message));
        sets.push(`message = $${params.length}::jsonb`);
      }
      // One statement, so concurrent callers race on the row lock: the first commits, and the
      // rest re-check the WHERE against the new status and match nothing. An expired pending
      // operation may only move to 'expired'.
      const row = await firstRow<OperationRow>(
        db,
        `update operations set ${sets.join(', ')}
         where id = $1 and status = any($2::text[])
           and (status <> 'pending' or expires_at > now() or $3::text = 'expired')
         returning ${OPERATION_COLUMNS}`,
        params,
      );
      return row ? toOperation(row) : null;
    },

    async setOperationMessage(id: string, message: MessageRef): Promise<void> {
      if (!isUuid(id)) return;
      await db.query('update operations set message = $2::jsonb, updated_at = now() where id = $1', [
        id,
        toJson(message),
      ]);
    },

    expireOperations: (now?: Date) =>
      countOf(
        db,
        `with expired as (
           update operations set status = 'expired', updated_at = now()
           where status = 'pending' and expires_at <= coalesce($1::timestamptz, now())
           returning 1
         ) select count(*)::int as n from expired`,
        [now ?? null],
      ),
  };
}
