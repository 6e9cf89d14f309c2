// Whether the app can post in a channel, asked of conversations.info (channels:read, groups:read),
// never found out by trying a post: with chat:write alone Slack refuses a post where the bot is not
// a member, and the channel's people should see the app join before it speaks there.
import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from './replies';

export type ChannelMembership =
  /** The bot is in the channel, or it is the app's own DM with someone. */
  | { kind: 'member' }
  /** A channel the bot is not in: `/invite @pgroup` there. */
  | { kind: 'not_member' }
  /** A private channel the bot is not in (or no channel at all): Slack does not show it to the app. */
  | { kind: 'not_visible' }
  /** Slack did not say (rate limit, outage, a conversation the app's scopes cannot read). */
  | { kind: 'unknown'; error: string };

/** What conversations.info says of the bot's membership of `channelId`. */
export async function channelMembership(client: WebClient, channelId: string): Promise<ChannelMembership> {
  // The app's DMs need im:read to be looked up; the app can always post in them.
  if (channelId.startsWith('D')) return { kind: 'member' };
  try {
    const res = await client.conversations.info({ channel: channelId });
    if (res.channel?.is_im) return { kind: 'member' };
    return res.channel?.is_member ? { kind: 'member' } : { kind: 'not_member' };
  } catch (err) {
    const error = slackErrorCode(err);
    return error === 'channel_not_found' ? { kind: 'not_visible' } : { kind: 'unknown', error };
  }
}

/** Slack's answers to a post that mean the app cannot post in that channel at all. */
export const CHANNEL_LOST_ERRORS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);
