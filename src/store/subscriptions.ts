// Subscriptions: which channels are told when a group changes. A subscription whose channel the app
// can no longer post in (it was removed from it) is marked broken: notifications skip it, the
// channel's watch list shows it, and watching the group again from the channel mends it.
import type { Queryable } from './database';
import { toDate } from './sqlValues';

/** Why and since when a channel no longer hears about its group. */
export interface SubscriptionBreak {
  at: Date;
  /** Slack's error when posting there: not_in_channel, channel_not_found, is_archived… */
  reason: string;
}

export interface Subscription {
  teamId: string;
  channelId: string;
  groupId: string;
  groupName: string;
  createdBy: string;
  createdAt: Date;
  /** Null while notifications reach the channel. */
  broken: SubscriptionBreak | null;
}

export interface SubscriptionFilter {
  channelId?: string;
  groupId?: string;
  teamId?: string;
  /** Broken subscriptions are left out unless asked for (they get no notifications). */
  includeBroken?: boolean;
}

export interface SubscriptionStore {
  /**
   * Returns false when the channel already watched the group. Watching a group whose subscription is
   * broken mends it (and returns true): the channel hears about it again, and its subscriber is whoever asked now.
   */
  subscribe(sub: Omit<Subscription, 'createdAt' | 'broken'>): Promise<boolean>;
  /** Returns false when there was nothing to remove. */
  unsubscribe(channelId: string, groupId: string): Promise<boolean>;
  listSubscriptions(filter: SubscriptionFilter): Promise<Subscription[]>;
  /** Marks every working subscription of a channel broken; returns those it marked (none when already broken). */
  markChannelBroken(channelId: string, reason: string): Promise<Subscription[]>;
}

interface SubscriptionRow {
  team_id: string;
  channel_id: string;
  group_id: string;
  group_name: string;
  created_by: string;
  created_at: unknown;
  broken_at: unknown;
  broken_reason: string | null;
}

const COLUMNS = 'team_id, channel_id, group_id, group_name, created_by, created_at, broken_at, broken_reason';

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    teamId: row.team_id,
    channelId: row.channel_id,
    groupId: row.group_id,
    groupName: row.group_name,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    broken: row.broken_at === null || row.broken_at === undefined ? null : { at: toDate(row.broken_at), reason: row.broken_reason ?? 'unknown' },
  };
}

export function createSubscriptionStore(db: Queryable): SubscriptionStore {
  return {
    async subscribe(sub) {
      const rows = await db.query(
        `insert into subscriptions (team_id, channel_id, group_id, group_name, created_by)
         values ($1, $2, $3, $4, $5)
         on conflict (channel_id, group_id) do update
           set team_id = excluded.team_id, group_name = excluded.group_name, created_by = excluded.created_by,
               broken_at = null, broken_reason = null
           where subscriptions.broken_at is not null
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

    async listSubscriptions(filter: SubscriptionFilter): Promise<Subscription[]> {
      const rows = await db.query<SubscriptionRow>(
        `select ${COLUMNS} from subscriptions
         where ($1::text is null or channel_id = $1::text)
           and ($2::text is null or group_id = $2::text)
           and ($3::text is null or team_id = $3::text)
           and ($4::boolean or broken_at is null)
         order by created_at, channel_id, group_id`,
        [filter.channelId ?? null, filter.groupId ?? null, filter.teamId ?? null, filter.includeBroken ?? false],
      );
      return rows.map(toSubscription);
    },

    async markChannelBroken(channelId: string, reason: string): Promise<Subscription[]> {
      const rows = await db.query<SubscriptionRow>(
        `update subscriptions set broken_at = now(), broken_reason = $2
         where channel_id = $1 and broken_at is null
         returning ${COLUMNS}`,
        [channelId, reason],
      );
      return rows.map(toSubscription);
    },
  };
}
