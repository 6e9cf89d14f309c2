import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SubscriptionStore } from '../store/subscriptions';
import type { SlackMessage } from './blocks/message';
import { slackErrorCode } from './replies';

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
  ) {}

  async channelsFor(groupId: string): Promise<string[]> {
    const subs = await this.store.listSubscriptions({ groupId });
    return [...new Set([...(this.notifyChannel ? [this.notifyChannel] : []), ...subs.map((s) => s.channelId)])];
  }

  async announce(groupId: string, message: SlackMessage, channels?: string[]): Promise<Delivery[]> {
    const targets = channels ?? (await this.channelsFor(groupId));
    return Promise.all(
      targets.map(async (channel): Promise<Delivery> => {
        try {
          await this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
          return { channel, ok: true };
        } catch (err) {
          const error = slackErrorCode(err);
          this.logger.warn(`notification to ${channel} failed (${error})`);
          return { channel, ok: false, error };
        }
      }),
    );
  }
}
