// response_urls: what an interaction hands the app to answer on, and what Slack does with each
// POST to one (an ephemeral or in_channel reply, replace_original, delete_original), with Slack's
// limits of five posts within thirty minutes.

import { asRecord, type HttpReply, plainText } from '../http/loopbackHttp';
import type { BlockKitViolations } from './blockKitViolations';
import type { LocalChat } from './localChat';
import type { LocalConversations } from './localConversations';
import type { SlackIdentity } from './slackIdentity';
import { randomId } from './slackIds';
import { truthy } from './webApiArgs';

interface ResponseUrlRecord {
  channel: string;
  user: string;
  /** The message whose interaction produced the URL: what replace_original/delete_original act on. */
  messageTs?: string;
  /** The last message posted through this URL: a slash command's replace_original acts on it. */
  lastPostedTs?: string;
  posts: number;
  expiresAt: number;
}

/** A response_url "can be used up to 5 times within 30 minutes". */
const RESPONSE_URL_MAX_POSTS = 5;

export class ResponseUrls {
  private readonly records = new Map<string, ResponseUrlRecord>();
  private faultStatus: number | undefined;

  constructor(
    private readonly identity: SlackIdentity,
    private readonly conversations: LocalConversations,
    private readonly chat: LocalChat,
    private readonly blockKit: BlockKitViolations,
    /** How long a response_url stays usable. */
    private readonly ttlMs: number,
  ) {}

  reset(): void {
    this.records.clear();
  }

  /** Every response_url answers `status` (undefined: answers normally again). */
  failWith(status: number | undefined): void {
    this.faultStatus = status;
  }

  /**
   * A response_url for an interaction by `user` in `channel` (a user id means their DM). `messageTs` names the
   * message the interaction came from: replace_original and delete_original act on it; without it,
   * replace_original posts a new message and delete_original answers 404.
   */
  create(options: { channel: string; user: string; messageTs?: string }): string {
    const id = randomId(24);
    this.records.set(id, {
      channel: this.conversations.idOf(options.channel),
      user: options.user,
      ...(options.messageTs === undefined ? {} : { messageTs: options.messageTs }),
      posts: 0,
      expiresAt: Date.now() + this.ttlMs,
    });
    return `${this.identity.url}response/${id}`;
  }

  /** A POST to the response_url `id`: JSON, or a form with a `payload` field. */
  post(id: string, contentType: string, body: Buffer): HttpReply {
    if (this.faultStatus !== undefined) return plainText(this.faultStatus, 'fault');
    const record = this.records.get(id);
    if (!record || Date.now() > record.expiresAt) return plainText(404, 'expired_url');
    if (record.posts >= RESPONSE_URL_MAX_POSTS) return plainText(404, 'used_url');
    let payload: Record<string, unknown> | undefined;
    try {
      const text = body.toString('utf8');
      const json = contentType.startsWith('application/x-www-form-urlencoded') ? (new URLSearchParams(text).get('payload') ?? '') : text;
      payload = asRecord(JSON.parse(json));
    } catch {
      payload = undefined;
    }
    if (!payload) return plainText(400, 'invalid_payload');
    record.posts += 1;
    const original = record.messageTs === undefined ? undefined : this.chat.find(record.channel, record.messageTs);
    if (truthy(payload['delete_original'])) {
      if (!original || original.deleted) return plainText(404, 'message_not_found');
      original.deleted = true;
      this.chat.changed(original);
      return plainText(200, 'ok');
    }
    const text = typeof payload['text'] === 'string' ? payload['text'] : '';
    const blocks = payload['blocks'];
    if (blocks !== undefined && !Array.isArray(blocks)) return plainText(400, 'invalid_blocks_format');
    if (blocks && this.blockKit.check('response_url', 'message', { blocks }).length > 0) return plainText(400, 'invalid_blocks');
    if (text === '' && !blocks) return plainText(400, 'no_text');
    // A slash command's response_url has no message of its own: replace_original acts on the
    // ephemeral message it posted last, as in Slack.
    const replaced = original ?? (record.lastPostedTs === undefined ? undefined : this.chat.find(record.channel, record.lastPostedTs));
    if (truthy(payload['replace_original']) && replaced && !replaced.deleted) {
      replaced.text = text;
      if (blocks) replaced.blocks = blocks;
      else delete replaced.blocks;
      replaced.updatedCount += 1;
      this.chat.changed(replaced);
    } else {
      const threadTs = typeof payload['thread_ts'] === 'string' ? payload['thread_ts'] : undefined;
      const posted = this.chat.add({
        channel: record.channel,
        text,
        ...(blocks ? { blocks } : {}),
        ...(payload['response_type'] === 'in_channel' ? {} : { ephemeralTo: record.user }),
        ...(threadTs === undefined ? {} : { threadTs }),
        source: 'response_url',
      });
      record.lastPostedTs = posted.ts;
    }
    return plainText(200, 'ok');
  }
}
