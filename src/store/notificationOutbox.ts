// The notification outbox: one row per applied change and channel that should hear of it, written
// in the same transaction as the change's applied status and audit entry (outcomes.ts), then
// delivered from here. Each row is claimed by one deliverer at a time (pending → sending), and its
// outcome kept: delivered, failed (Slack refused it: nothing was posted) or unknown (it may have
// been posted; it is not posted again).
import type { Queryable } from './database';
import { fromJson, isUuid, toDate, toJson } from './sqlValues';

export type NotificationStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'unknown';

export interface Notification {
  id: string;
  operationId: string;
  channelId: string;
  status: NotificationStatus;
  /** The facts the notification shows, as recorded with the change. */
  change: Record<string, unknown>;
  /** Why it failed or may not have been delivered (Slack's error code), if so. */
  error: string | null;
  attempts: number;
  messageTs: string | null;
  notBefore: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewNotifications {
  operationId: string;
  /** Channels that hear of every change (NOTIFY_CHANNEL). */
  channels: string[];
  /** Also the channels watching this group, as subscribed when the change is recorded. */
  watchersOf: string | null;
  change: Record<string, unknown>;
}

export interface NotificationOutboxStore {
  /**
   * Moves due notifications from pending to sending for this caller alone (of one change, or any),
   * oldest first, and counts the attempt. Two callers never claim the same row.
   */
  claimNotifications(filter: { operationId?: string; limit?: number }): Promise<Notification[]>;
  /** The outcome of a claimed notification; false when it was not 'sending' any more. */
  settleNotification(id: string, status: 'delivered' | 'failed' | 'unknown', detail?: { error?: string | null; messageTs?: string | null }): Promise<boolean>;
  /** Back to pending, due again in `afterMs` (by the database's clock): nothing was posted (rate-limited, or Slack unreachable). */
  deferNotification(id: string, afterMs: number, error: string): Promise<boolean>;
  /**
   * Notifications left 'sending' for longer than `olderThanMs`: their deliverer stopped mid-post,
   * so they may have been posted. They become 'unknown' (never posted again) and are returned.
   */
  abandonStaleSends(olderThanMs: number): Promise<Notification[]>;
  /** Every notification of these changes, for the history. */
  listNotifications(operationIds: string[]): Promise<Notification[]>;
}

interface NotificationRow {
  id: string;
  operation_id: string;
  channel_id: string;
  status: string;
  change: unknown;
  error: string | null;
  attempts: number;
  message_ts: string | null;
  not_before: unknown;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS = 'id, operation_id, channel_id, status, change, error, attempts, message_ts, not_before, created_at, updated_at';

function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    operationId: row.operation_id,
    channelId: row.channel_id,
    status: row.status as NotificationStatus,
    change: fromJson<Record<string, unknown>>(row.change) ?? {},
    error: row.error,
    attempts: row.attempts,
    messageTs: row.message_ts,
    notBefore: toDate(row.not_before),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/**
 * Records the notifications of one change: a row per channel of `channels` and, with `watchersOf`,
 * per channel watching that group (a broken subscription hears nothing until it is mended). Run inside the transaction that records the change (outcomes.ts).
 * A second call for the same change and channel adds nothing. Returns how many rows were added.
 */
export async function enqueueNotifications(db: Queryable, input: NewNotifications): Promise<number> {
  const rows = await db.query(
    `insert into notification_outbox (operation_id, channel_id, change)
     select $1::uuid, channel_id, $4::jsonb
     from (
       select unnest($2::text[]) as channel_id
       union
       select channel_id from subscriptions where $3::text is not null and group_id = $3::text and broken_at is null
     ) as hearing
     on conflict (operation_id, channel_id) do nothing
     returning 1`,
    [input.operationId, input.channels, input.watchersOf, toJson(input.change)],
  );
  return rows.length;
}

export function createNotificationOutboxStore(db: Queryable): NotificationOutboxStore {
  return {
    async claimNotifications(filter): Promise<Notification[]> {
      if (filter.operationId !== undefined && !isUuid(filter.operationId)) return [];
      // One statement: the rows are locked as they are picked (SKIP LOCKED), so a caller racing
      // another gets the rows the other did not take, never the same ones.
      const rows = await db.query<NotificationRow>(
        `update notification_outbox set status = 'sending', attempts = attempts + 1, updated_at = now()
         where id in (
           select id from notification_outbox
           where status = 'pending' and not_before <= now() and ($1::uuid is null or operation_id = $1::uuid)
           order by created_at, channel_id
           limit $2
           for update skip locked
         ) and status = 'pending'
         returning ${COLUMNS}`,
        [filter.operationId ?? null, filter.limit ?? 100],
      );
      return rows.map(toNotification).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.channelId.localeCompare(b.channelId));
    },

    async settleNotification(id, status, detail = {}): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update notification_outbox set status = $2::text, error = $3::text, message_ts = $4::text, updated_at = now()
         where id = $1 and status = 'sending'
         returning 1`,
        [id, status, detail.error ?? null, detail.messageTs ?? null],
      );
      return rows.length > 0;
    },

    async deferNotification(id, afterMs, error): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update notification_outbox
         set status = 'pending', not_before = now() + $2::double precision * interval '1 millisecond', error = $3::text, updated_at = now()
         where id = $1 and status = 'sending'
         returning 1`,
        [id, afterMs, error],
      );
      return rows.length > 0;
    },

    async abandonStaleSends(olderThanMs): Promise<Notification[]> {
      const rows = await db.query<NotificationRow>(
        `update notification_outbox set status = 'unknown', error = 'stopped_while_posting', updated_at = now()
         where status = 'sending' and updated_at < now() - $1::double precision * interval '1 millisecond'
         returning ${COLUMNS}`,
        [olderThanMs],
      );
      return rows.map(toNotification);
    },

    async listNotifications(operationIds): Promise<Notification[]> {
      const ids = operationIds.filter(isUuid);
      if (ids.length === 0) return [];
      const rows = await db.query<NotificationRow>(
        `select ${COLUMNS} from notification_outbox where operation_id = any($1::uuid[]) order by created_at, channel_id`,
        [ids],
      );
      return rows.map(toNotification);
    },
  };
}
