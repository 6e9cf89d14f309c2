// Subscriptions: which channels are told when a group changes.
import type { Queryable } from './database';
import { toDate } from './sqlValues';

export interface Subscription {
  teamId: string;
  channelId: string;
  groupId: string;
  groupName: string;
  createdBy: string;
  createdAt: Date;
}

export interface SubscriptionFilter {
  channelId?: string;
  groupId?: string;
  teamId?: string;
}

export interface SubscriptionStore {
  /** Returns false when the channel already watched the group. */
  subscribe(sub: Omit<Subscription, 'createdAt'>): Promise<boolean>;
  /** Returns false when there was nothing to remove. */
  unsubscribe(channelId: string, groupId: string): Promise<boolean>;
  listSubscriptions(filter: SubscriptionFilter): Promise<Subscription[]>;
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

export function createSubscriptionStore(db: Queryable): SubscriptionStore {
  return {
    async subscribe(sub: Omit<Subscription, 'createdAt'>): Promise<boolean> {
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

    async listSubscriptions(filter: SubscriptionFilter): Promise<Subscription[]> {
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
  };
}
