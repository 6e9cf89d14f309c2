import type { Database } from './database';
import type {
  AuditEntry,
  AuditOutcome,
  MessageRef,
  NewAuditEntry,
  NewOperation,
  NewSnapshot,
  Operation,
  OperationKind,
  OperationPatch,
  OperationStatus,
  Snapshot,
  Store,
  StoreHealth,
  Subscription,
  WatchState,
} from './types';

// Ids arrive from Slack buttons and commands; anything that is not a uuid cannot name a record,
// and sending it to a uuid column would only produce a database error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Id lists are stored as one newline-joined text value (see migrations.ts). */
function encodeIds(ids: readonly string[]): string {
  for (const id of ids) {
    // An empty id or one with a newline would not survive the round trip.
    if (id === '' || id.includes('\n')) throw new Error(`store: invalid id in list: ${JSON.stringify(id)}`);
  }
  return ids.join('\n');
}

function decodeIds(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

const PG_TIMESTAMP = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(?:([+-]\d\d)(?::?(\d\d))?)?$/;

/** A timestamp as a Date; the drivers return the server's text (see TYPES_RETURNED_AS_TEXT). */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const m = PG_TIMESTAMP.exec(value);
    if (m) return new Date(`${m[1]}T${m[2]}${m[3] ? `${m[3]}:${m[4] ?? '00'}` : 'Z'}`);
  }
  return new Date(value as string | number);
}

function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** A jsonb value, parsed here from the server's text. */
function fromJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A jsonb parameter: serialised here so both drivers send the same text. */
function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
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
  baseline_ids: string;
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
  participant_ids, baseline_ids, baseline_name, new_name, snapshot_id, details, result, error, message,
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
    participantIds: decodeIds(row.participant_ids),
    baselineIds: decodeIds(row.baseline_ids),
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

interface AuditRow {
  id: string;
  at: unknown;
  slack_user_id: string;
  slack_team_id: string;
  action: string;
  group_id: string;
  group_name: string;
  before_name: string | null;
  after_name: string | null;
  before_count: number | null;
  after_count: number | null;
  added: number;
  removed: number;
  outcome: string;
  error: string | null;
  operation_id: string | null;
  snapshot_id: string | null;
}

const AUDIT_COLUMNS = `id, at, slack_user_id, slack_team_id, action, group_id, group_name, before_name, after_name,
  before_count, after_count, added, removed, outcome, error, operation_id, snapshot_id`;

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: toDate(row.at),
    slackUserId: row.slack_user_id,
    slackTeamId: row.slack_team_id,
    action: row.action,
    groupId: row.group_id,
    groupName: row.group_name,
    beforeName: row.before_name,
    afterName: row.after_name,
    beforeCount: row.before_count,
    afterCount: row.after_count,
    added: row.added,
    removed: row.removed,
    outcome: row.outcome as AuditOutcome,
    error: row.error,
    operationId: row.operation_id,
    snapshotId: row.snapshot_id,
  };
}

interface SubscriptionRow {
  team_id: string;
  channel_id: string;
  group_id: string;
  group_name: string;
  created_by: string;
  created_at: unknown;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    teamId: row.team_id,
    channelId: row.channel_id,
    groupId: row.group_id,
    groupName: row.group_name,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
  };
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

/** The Store, as SQL over either driver. */
export function createSqlStore(db: Database): Store {
  const one = async <Row>(sql: string, params: unknown[]): Promise<Row | null> => {
    const rows = await db.query<Row>(sql, params);
    return rows[0] ?? null;
  };
  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await one<{ n: number }>(sql, params))?.n ?? 0;

  return {
    driver: db.driver,

    async health(): Promise<StoreHealth> {
      try {
        await db.query('select 1');
        return { ok: true, driver: db.driver };
      } catch (err) {
        // The drivers redact connection passwords from their errors.
        const message = (err as { message?: unknown } | null)?.message;
        return { ok: false, driver: db.driver, error: typeof message === 'string' ? message : String(err) };
      }
    },

    close: () => db.close(),

    async createOperation(input: NewOperation): Promise<Operation> {
      const details = toJson(input.details ?? {});
      const message = toJson(input.message);
      // The id lists are not read back: returning megabytes just written would double the cost.
      const row = await one<{ id: string; status: string; created_at: unknown; updated_at: unknown; expires_at: unknown }>(
        `insert into operations (kind, group_id, group_name, slack_user_id, slack_team_id, channel_id,
           participant_ids, participant_count, baseline_ids, baseline_count, baseline_name, new_name, snapshot_id,
           details, message, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb,
           now() + $16::double precision * interval '1 millisecond')
         returning id, status, created_at, updated_at, expires_at`,
        [
          input.kind,
          input.groupId,
          input.groupName,
          input.slackUserId,
          input.slackTeamId,
          input.channelId,
          encodeIds(input.participantIds),
          input.participantIds.length,
          encodeIds(input.baselineIds),
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
        participantIds: [...input.participantIds],
        baselineIds: [...input.baselineIds],
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
      if (!UUID.test(id)) return null;
      const row = await one<OperationRow>(`select ${OPERATION_COLUMNS} from operations where id = $1`, [id]);
      return row ? toOperation(row) : null;
    },

    async listOperations(filter): Promise<Operation[]> {
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
      if (!UUID.test(id)) return null;
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
      const row = await one<OperationRow>(
        `update operations set ${sets.join(', ')}
         where id = $1 and status = any($2::text[])
           and (status <> 'pending' or expires_at > now() or $3::text = 'expired')
         returning ${OPERATION_COLUMNS}`,
        params,
      );
      return row ? toOperation(row) : null;
    },

    async setOperationMessage(id: string, message: MessageRef): Promise<void> {
      if (!UUID.test(id)) return;
      await db.query('update operations set message = $2::jsonb, updated_at = now() where id = $1', [
        id,
        toJson(message),
      ]);
    },


    expireOperations: (now?: Date) =>
      count(
        `with expired as (
           update operations set status = 'expired', updated_at = now()
           where status = 'pending' and expires_at <= coalesce($1::timestamptz, now())
           returning 1
         ) select count(*)::int as n from expired`,
        [now ?? null],
      ),

    async saveSnapshot(snapshot: NewSnapshot): Promise<Snapshot> {
      const row = await one<{ id: string; taken_at: unknown }>(
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
      if (!UUID.test(id)) return null;
      const row = await one<SnapshotRow>(`select ${SNAPSHOT_COLUMNS} from snapshots where id = $1`, [id]);
      return row ? toSnapshot(row) : null;
    },

    async getSnapshotForOperation(operationId: string): Promise<Snapshot | null> {
      if (!UUID.test(operationId)) return null;
      const row = await one<SnapshotRow>(
        `select ${SNAPSHOT_COLUMNS} from snapshots where operation_id = $1 order by taken_at desc limit 1`,
        [operationId],
      );
      return row ? toSnapshot(row) : null;
    },

    pruneSnapshots: (olderThanDays: number, now?: Date) =>
      count(
        `with pruned as (
           delete from snapshots
           where taken_at < coalesce($2::timestamptz, now()) - $1::double precision * interval '1 day'
           returning 1
         ) select count(*)::int as n from pruned`,
        [olderThanDays, now ?? null],
      ),

    async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
      const row = await one<AuditRow>(
        `insert into audit_log (slack_user_id, slack_team_id, action, group_id, group_name, before_name, after_name,
           before_count, after_count, added, removed, outcome, error, operation_id, snapshot_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         returning ${AUDIT_COLUMNS}`,
        [
          entry.slackUserId,
          entry.slackTeamId,
          entry.action,
          entry.groupId,
          entry.groupName,
          entry.beforeName,
          entry.afterName,
          entry.beforeCount,
          entry.afterCount,
          entry.added,
          entry.removed,
          entry.outcome,
          entry.error,
          entry.operationId,
          entry.snapshotId,
        ],
      );
      return toAuditEntry(row!);
    },

    async listAudit(filter): Promise<AuditEntry[]> {
      const rows = await db.query<AuditRow>(
        `select ${AUDIT_COLUMNS} from audit_log
         where ($1::text is null or group_id = $1::text) and ($2::text is null or slack_team_id = $2::text)
         order by seq desc
         limit $3 offset $4`,
        [filter.groupId ?? null, filter.teamId ?? null, filter.limit, filter.offset],
      );
      return rows.map(toAuditEntry);
    },

    async subscribe(sub): Promise<boolean> {
      const rows = await db.query(
        `insert into subscriptions (team_id, channel_id, group_id, group_name, created_by)
         values ($1, $2, $3, $4, $5)
         on conflict (channel_id, group_id) do nothing
         returning 1`,
        [sub.teamId, sub.channelId, sub.groupId, sub.groupName, sub.createdBy],
      );
      return rows.length > 0;
    },

    async unsubscribe(channelId: string, groupId: string): Promise<boolean> {
      const rows = await db.query('delete from subscriptions where channel_id = $1 and group_id = $2 returning 1', [
        channelId,
        groupId,
      ]);
      return rows.length > 0;
    },

    async listSubscriptions(filter): Promise<Subscription[]> {
      const rows = await db.query<SubscriptionRow>(
        `select team_id, channel_id, group_id, group_name, created_by, created_at from subscriptions
         where ($1::text is null or channel_id = $1::text)
           and ($2::text is null or group_id = $2::text)
           and ($3::text is null or team_id = $3::text)
         order by created_at, channel_id, group_id`,
        [filter.channelId ?? null, filter.groupId ?? null, filter.teamId ?? null],
      );
      return rows.map(toSubscription);
    },

    async getWatchState(groupId: string): Promise<WatchState | null> {
      const row = await one<WatchStateRow>(
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

    async tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
      // One statement: a free name is inserted; a taken one is overwritten only by its own
      // holder (a renewal) or once it has expired (its holder is presumed gone).
      const rows = await db.query(
        `insert into leases (name, holder, expires_at)
         values ($1, $2, now() + $3::double precision * interval '1 millisecond')
         on conflict (name) do update set
           holder = excluded.holder,
           expires_at = excluded.expires_at,
           acquired_at = case when leases.holder = excluded.holder then leases.acquired_at else now() end
         where leases.holder = excluded.holder or leases.expires_at <= now()
         returning 1`,
        [name, holder, ttlMs],
      );
      return rows.length > 0;
    },

    async releaseLease(name: string, holder: string): Promise<void> {
      await db.query('delete from leases where name = $1 and holder = $2', [name, holder]);
    },
  };
}
