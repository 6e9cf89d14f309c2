// What happens once Slack says, twice, that the app cannot post in a channel (it was removed, the
// channel was archived or made private): every subscription of that channel is marked broken, so
// notifications stop trying it, and each person who set one up is told by DM; for NOTIFY_CHANNEL,
// the log and /healthz say so.
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Subscription, SubscriptionStore } from '../store/subscriptions';
import { renderWatchBroken } from './blocks/subscriptions';
import type { NotifyChannelStatus } from './notifyChannelStatus';
import { type OutgoingMark, slackErrorCode } from './replies';

export class LostChannels {
  constructor(
    private readonly client: WebClient,
    private readonly store: Pick<SubscriptionStore, 'markChannelBroken'>,
    private readonly notifyStatus: NotifyChannelStatus | null,
    private readonly logger: Logger,
    private readonly mark?: OutgoingMark,
  ) {}

  /** The channel refused a notification and its one retry with `error`. Returns the subscriptions newly marked broken. */
  async lost(channel: string, error: string): Promise<Subscription[]> {
    if (this.notifyStatus?.channel === channel) {
      this.notifyStatus.record(false, error);
      this.logger.warn(`NOTIFY_CHANNEL ${channel}: notifications cannot be posted there (${error}). Type /invite @pgroup in that channel.`);
    }
    const broken = await this.store.markChannelBroken(channel, error);
    if (broken.length === 0) return broken;
    this.logger.warn(`the app cannot post in ${channel} (${error}): ${broken.length} subscription(s) there marked broken; their subscribers are told`);
    const bySubscriber = new Map<string, Subscription[]>();
    for (const sub of broken) bySubscriber.set(sub.createdBy, [...(bySubscriber.get(sub.createdBy) ?? []), sub]);
    for (const [user, subs] of bySubscriber) {
      const rendered = renderWatchBroken(channel, error, subs);
      const message = this.mark ? this.mark(rendered) : rendered;
      try {
        await this.client.chat.postMessage({ channel: user, text: message.text, blocks: message.blocks, unfurl_links: false });
      } catch (err) {
        this.logger.warn(`could not tell ${user} that ${channel} no longer hears about its groups (${slackErrorCode(err)})`);
      }
    }
    return broken;
  }

  /** A post to the channel went through: NOTIFY_CHANNEL is fine again. */
  delivered(channel: string): void {
    if (this.notifyStatus?.channel === channel) this.notifyStatus.record(true, null);
  }
}
