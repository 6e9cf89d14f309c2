import type { Logger, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { MessageRef } from '../store/types';
import type { SlackMessage } from './blocks/message';

/** Where a reply to one person goes. */
export interface ReplyTarget {
  userId: string;
  channelId: string | null;
  /** Bolt's respond for the request's response_url, when the request carried one. */
  respond?: RespondFn;
  /** The message the request came from, when it can be updated in place (not ephemeral). */
  message?: { channel: string; ts: string } | null;
}

export interface ReplyOptions {
  /** Replace the message the request came from (e.g. a preview by its outcome). */
  replaceOriginal?: boolean;
}

/** A reply bound to one person and one request; resolves to where it landed, or null when no route worked. */
export type Reply = (message: SlackMessage, options?: ReplyOptions) => Promise<MessageRef | null>;

/** What every message passes through before it is sent: the demo-data mark, or nothing. */
export type OutgoingMark = (message: SlackMessage) => SlackMessage;

/** A Reply that goes to `target` by replyTo's routes, each message marked by `mark` first. */
export function bindReply(client: WebClient, logger: Logger, target: ReplyTarget, mark?: OutgoingMark): Reply {
  return (message, options) => replyTo(client, logger, target, mark ? mark(message) : message, options);
}

/** Errors from Slack carry a short code (`expired_trigger_id`); it is safe to show and log. */
export function slackErrorCode(err: unknown): string {
  const e = err as { data?: { error?: string }; code?: string; statusCode?: number; message?: string };
  return e?.data?.error ?? (e?.statusCode ? `http_${e.statusCode}` : (e?.code ?? 'unknown_error'));
}

/**
 * Replies to the person who asked, privately. Slack can refuse any one route (a response_url
 * that expired or answers 404, a channel the bot is not in), so each reply falls back to the
 * next: the response_url, then an ephemeral message in the channel, then a direct message.
 * Returns where the reply landed, or null when every route failed (it is logged).
 */
export async function replyTo(client: WebClient, logger: Logger, target: ReplyTarget, message: SlackMessage, options: ReplyOptions = {}): Promise<MessageRef | null> {
  if (target.respond) {
    try {
      await target.respond({
        text: message.text,
        blocks: message.blocks,
        response_type: 'ephemeral',
        replace_original: Boolean(options.replaceOriginal),
      });
      return { channel: target.channelId ?? target.userId };
    } catch (err) {
      logger.warn(`reply through response_url failed (${slackErrorCode(err)}); trying another route`);
    }
  }
  if (options.replaceOriginal && target.message) {
    try {
      await client.chat.update({ channel: target.message.channel, ts: target.message.ts, text: message.text, blocks: message.blocks });
      return { channel: target.message.channel, ts: target.message.ts };
    } catch (err) {
      logger.warn(`chat.update failed (${slackErrorCode(err)}); sending a new message instead`);
    }
  }
  if (target.channelId && !target.channelId.startsWith('D')) {
    try {
      const res = await client.chat.postEphemeral({ channel: target.channelId, user: target.userId, text: message.text, blocks: message.blocks });
      return { channel: target.channelId, ts: res.message_ts };
    } catch (err) {
      logger.warn(`chat.postEphemeral failed (${slackErrorCode(err)}); sending a direct message instead`);
    }
  }
  try {
    const res = await client.chat.postMessage({ channel: target.userId, text: message.text, blocks: message.blocks });
    return { channel: res.channel ?? target.userId, ts: res.ts };
  } catch (err) {
    logger.error(`could not reach user ${target.userId} by any route (${slackErrorCode(err)})`);
    return null;
  }
}
