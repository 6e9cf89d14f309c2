// Whether the app can post in NOTIFY_CHANNEL, for the log and /healthz: checked at startup with
// conversations.info, then kept up to date by what each notification posted there met.
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { channelMembership } from './channelMembership';

export interface NotifyChannelHealth {
  channel: string;
  /** Null until known (the startup check could not tell). */
  ok: boolean | null;
  /** Why not: not_in_channel, channel_not_found, or Slack's error when it could not tell. */
  problem: string | null;
  at: string;
}

export class NotifyChannelStatus {
  private state: NotifyChannelHealth;

  constructor(readonly channel: string) {
    this.state = { channel, ok: null, problem: null, at: new Date().toISOString() };
  }

  get current(): NotifyChannelHealth {
    return { ...this.state };
  }

  /** Asks Slack whether the bot is in the channel, and warns in the log when it is not (or Slack cannot say). */
  async check(client: WebClient, logger: Logger): Promise<NotifyChannelHealth> {
    const membership = await channelMembership(client, this.channel);
    switch (membership.kind) {
      case 'member':
        this.record(true, null);
        break;
      case 'not_member':
        this.record(false, 'not_in_channel');
        logger.warn(`NOTIFY_CHANNEL ${this.channel}: the app is not a member of this channel, so change notifications cannot be posted there. Type /invite @pgroup in that channel.`);
        break;
      case 'not_visible':
        this.record(false, 'channel_not_found');
        logger.warn(`NOTIFY_CHANNEL ${this.channel}: Slack shows the app no such channel (a private channel it is not in, or a wrong id), so change notifications cannot be posted there. Type /invite @pgroup in that channel, or correct NOTIFY_CHANNEL.`);
        break;
      case 'unknown':
        this.record(null, membership.error);
        logger.warn(`NOTIFY_CHANNEL ${this.channel}: could not check whether the app is in this channel (${membership.error}).`);
        break;
    }
    return this.current;
  }

  /** What a post to the channel met: success, or Slack's error that means the app cannot post there. */
  record(ok: boolean | null, problem: string | null): void {
    this.state = { channel: this.channel, ok, problem, at: new Date().toISOString() };
  }
}
