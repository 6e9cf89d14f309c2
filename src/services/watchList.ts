import type { AuditEntry, AuditStore } from '../store/audit';
import type { Subscription, SubscriptionFilter, SubscriptionStore } from '../store/subscriptions';
import type { WatchState, WatchStateStore } from '../store/watchState';

/** A channel's subscription to a group, with the group as the watcher last saw it (null before its first read). */
export interface WatchedGroupSummary {
  subscription: Subscription;
  state: WatchState | null;
}

/** What a team's App Home shows: the groups its channels watch, and its latest changes. */
export interface HomeSummary {
  watched: WatchedGroupSummary[];
  recentChanges: AuditEntry[];
}

const HOME_RECENT_CHANGES = 10;

/** Reading what channels watch, for `/pgroup watching` and App Home. */
export class WatchList {
  constructor(private readonly store: Pick<SubscriptionStore, 'listSubscriptions'> & Pick<WatchStateStore, 'getWatchState'> & Pick<AuditStore, 'listAudit'>) {}

  /** The subscriptions that match, broken ones included, each with its group's watch state. */
  async watched(filter: SubscriptionFilter): Promise<WatchedGroupSummary[]> {
    const subs = await this.store.listSubscriptions({ ...filter, includeBroken: true });
    const groupIds = [...new Set(subs.map((s) => s.groupId))];
    const states = new Map(await Promise.all(groupIds.map(async (id) => [id, await this.store.getWatchState(id)] as const)));
    return subs.map((subscription) => ({ subscription, state: states.get(subscription.groupId) ?? null }));
  }

  /** Whether the channel (or a person's DM with the app) hears about the group's changes: a watch that is not broken. */
  async channelWatches(channelId: string, groupId: string): Promise<boolean> {
    return (await this.store.listSubscriptions({ channelId, groupId })).length > 0;
  }

  async home(teamId: string): Promise<HomeSummary> {
    const [watched, recentChanges] = await Promise.all([this.watched({ teamId }), this.store.listAudit({ teamId, limit: HOME_RECENT_CHANGES, offset: 0 })]);
    return { watched, recentChanges };
  }
}
