import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SubscriptionStore } from '../store/subscriptions';
import type { SlackMessage } from './blocks/message';
import { CHANNEL_LOST_ERRORS } from './channelMembership';
import type { LostChannels } from './lostChannels';
import { type OutgoingMark, slackErrorCode } from './replies';

export interface Delivery {
  channel: string;
  ok: boolean;
  error?: string;
}

/** Posts change notifications to every channel that should hear about a group: NOTIFY_CHANNEL and the channels watching it. */
export class Announcer {
  constructor(
    private readonly client: WebClient,
    private readonly store: Pick<SubscriptionStore, 'listSubscriptions'>,
    private readonly notifyChannel: string | null,
    private readonly logger: Logger,
    /** Marks each notification before it is posted (the demo-data line), when given. */
    private readonly mark?: OutgoingMark,
    /** Told when a channel refuses the app for good (subscriptions marked broken, NOTIFY_CHANNEL's status). */
    private readonly lostChannels?: LostChannels,
  ) {}

  /** NOTIFY_CHANNEL and the channels whose subscription to the group works (broken ones are skipped). */
  async channelsFor(groupId: string): Promise<string[]> {
    const subs = await this.store.listSubscriptions({ groupId });
    return [...new Set([...(this.notifyChannel ? [this.notifyChannel] : []), ...subs.map((s) => s.channelId)])];
  }

  async announce(groupId: string, original: SlackMessage, channels?: string[]): Promise<Delivery[]> {
    const targets = channels ?? (await this.channelsFor(groupId));
    const message = this.mark ? this.mark(original) : original;
    return Promise.all(
      targets.map(async (channel): Promise<Delivery> => {
        let delivery = await this.post(channel, message);
        // Slack says the app cannot post there: tried once more, then the channel is given up.
        if (delivery.error && CHANNEL_LOST_ERRORS.has(delivery.error)) {
          delivery = await this.post(channel, message);
          if (delivery.error && CHANNEL_LOST_ERRORS.has(delivery.error)) await this.lostChannels?.lost(channel, delivery.error);
        }
        if (delivery.ok) this.lostChannels?.delivered(channel);
        return delivery;
      }),
    );
  }

  private async post(channel: string, message: SlackMessage): Promise<Delivery> {
    try {
      await this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      return { channel, ok: true };
    } catch (err) {
      const error = slackErrorCode(err);
      this.logger.warn(`notification to ${channel} failed (${error})`);
      return { channel, ok: false, error };
    }
  }
}
