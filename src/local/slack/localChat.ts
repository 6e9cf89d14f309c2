// Messages in the local workspace and the chat.* methods: postMessage, postEphemeral, update and
// delete, with Slack's checks (text length, Block Kit limits, who may update what, and for
// postMessage whether the bot is in the channel: not_in_channel, or channel_not_found when private). Messages posted
// through a response_url, a command's acknowledgement or a file share land here too.
// Threads as Slack keeps them: a postMessage with thread_ts is a reply under that message of the
// same channel (a reply's ts puts it under the reply's parent, as Slack does), refused with
// invalid_thread_ts when no such message is there; the parent then carries thread_ts, reply_count
// and latest_reply, and conversations.replies reads the parent and its replies (thread_not_found
// for a ts that is no message of the channel).

import { asRecord } from '../http/loopbackHttp';
import type { BlockKitViolations } from './blockKitViolations';
import type { LocalConversations } from './localConversations';
import type { SlackFile } from './localFiles';
import type { LocalSlackEvents } from './localSlackEvents';
import type { SlackIdentity } from './slackIdentity';
import { withSlackIds } from './slackIds';
import { type ApiAnswer, type ApiArgs, type ApiMethod, fail, stringArg } from './webApiArgs';

/** 'ack': the body of the app's acknowledgement of a slash command, which Slack shows as a message. */
export type MessageSource = 'api' | 'response_url' | 'ack';

export interface LocalMessage {
  /** Always a conversation id: a DM posted to a user id is stored under the DM's 'D…' id. */
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** Files shared with the message (files.completeUploadExternal). */
  files?: SlackFile[];
  metadata?: unknown;
  /** The poster: the bot user. */
  user: string;
  /** Set for chat.postEphemeral and ephemeral response_url / ack replies: only this user sees it. */
  ephemeralTo?: string;
  threadTs?: string;
  updatedCount: number;
  deleted: boolean;
  source: MessageSource;
}

/** What a new message is made of; the poster defaults to the bot user. */
export type NewMessage = Omit<LocalMessage, 'ts' | 'user' | 'updatedCount' | 'deleted'> & Partial<Pick<LocalMessage, 'user'>>;

/** chat.postMessage's text limit: "truncated … at 40,000 characters" → msg_too_long. */
const MESSAGE_TEXT_LIMIT = 40000;

export class LocalChat {
  readonly methods: Readonly<Record<string, ApiMethod>> = {
    'chat.postMessage': (args) => this.postMessage(args),
    'chat.postEphemeral': (args) => this.postEphemeral(args),
    'chat.update': (args) => this.update(args),
    'chat.delete': (args) => this.delete(args),
    'chat.getPermalink': (args) => this.getPermalink(args),
    'conversations.replies': (args) => this.replies(args),
  };

  private list: LocalMessage[] = [];
  private lastTsMicros = 0;

  constructor(
    private readonly identity: SlackIdentity,
    private readonly conversations: LocalConversations,
    private readonly blockKit: BlockKitViolations,
    private readonly events: LocalSlackEvents,
  ) {}

  reset(): void {
    this.list = [];
  }

  /** Messages in the order they were posted (deleted ones included, flagged); `channel` may be a user id for the DM. */
  messages(channel?: string): LocalMessage[] {
    const id = channel === undefined ? undefined : this.conversations.idOf(channel);
    return this.list.filter((m) => id === undefined || m.channel === id).map((m) => structuredClone(m));
  }

  /** The replies in a message's thread, oldest first (deleted ones included, flagged). */
  threadReplies(channel: string, ts: string): LocalMessage[] {
    const id = this.conversations.idOf(channel);
    return this.list.filter((m) => m.channel === id && m.threadTs === ts && m.ts !== ts).map((m) => structuredClone(m));
  }

  /** The stored message itself (not a copy), for the families that change it. */
  find(channel: string, ts: string): LocalMessage | undefined {
    const id = this.conversations.idOf(channel);
    return this.list.find((m) => m.channel === id && m.ts === ts);
  }

  add(fields: NewMessage): LocalMessage {
    const message: LocalMessage = { user: this.identity.botUserId, ...fields, ts: this.nextTs(), updatedCount: 0, deleted: false };
    this.list.push(message);
    this.events.emit('message', structuredClone(message));
    return message;
  }

  /** Tells followers that `message` changed in place (edited or deleted). */
  changed(message: LocalMessage): void {
    this.events.emit('message_changed', structuredClone(message));
  }

  /** A message as Slack puts it in answers and interaction payloads, with Slack's generated block and action ids. */
  messageObject(message: LocalMessage): Record<string, unknown> {
    const { botId, appId, teamId } = this.identity;
    const thread = this.threadFields(message);
    if (message.user !== this.identity.botUserId) {
      // A person's message: no bot fields; files shared with it come with it.
      return {
        type: 'message',
        text: message.text,
        user: message.user,
        ts: message.ts,
        team: teamId,
        ...(message.blocks ? { blocks: message.blocks } : {}),
        ...(message.files ? { files: message.files, upload: true } : {}),
        ...thread,
      };
    }
    return {
      type: 'message',
      text: message.text,
      user: message.user,
      bot_id: botId,
      app_id: appId,
      ts: message.ts,
      team: teamId,
      ...(message.blocks ? { blocks: withSlackIds(message.blocks) } : {}),
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(message.files ? { files: message.files, upload: true } : {}),
      ...thread,
      ...(message.updatedCount > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
      bot_profile: { id: botId, app_id: appId, name: 'pgroup', team_id: teamId, deleted: false },
    };
  }

  /** A reply's thread_ts (and parent_user_id); a parent's thread_ts, reply_count and latest_reply. */
  private threadFields(message: LocalMessage): Record<string, unknown> {
    if (message.threadTs && message.threadTs !== message.ts) {
      const parent = this.find(message.channel, message.threadTs);
      return { thread_ts: message.threadTs, ...(parent ? { parent_user_id: parent.user } : {}) };
    }
    const replies = this.list.filter((m) => m.channel === message.channel && m.threadTs === message.ts && m.ts !== message.ts && !m.deleted && m.ephemeralTo === undefined);
    if (replies.length === 0) return message.threadTs ? { thread_ts: message.threadTs } : {};
    return {
      thread_ts: message.ts,
      reply_count: replies.length,
      reply_users: [...new Set(replies.map((m) => m.user))],
      reply_users_count: new Set(replies.map((m) => m.user)).size,
      latest_reply: replies[replies.length - 1]!.ts,
    };
  }

  /**
   * Shows the body of the app's acknowledgement of a slash command as Slack does: nothing for an empty body,
   * otherwise a message (ephemeral to the user unless response_type is in_channel).
   */
  recordCommandAck(options: { channel: string; user: string; body: string; json?: unknown }): LocalMessage | undefined {
    if (options.body.trim() === '') return undefined;
    const json = asRecord(options.json);
    const text = json ? (typeof json['text'] === 'string' ? json['text'] : '') : options.body;
    const blocks = json && Array.isArray(json['blocks']) ? json['blocks'] : undefined;
    if (blocks && this.blockKit.check('command_ack', 'message', { blocks }).length > 0) return undefined;
    if (text === '' && !blocks) return undefined;
    return this.add({
      channel: this.conversations.idOf(options.channel),
      text,
      ...(blocks ? { blocks } : {}),
      ...(json?.['response_type'] === 'in_channel' ? {} : { ephemeralTo: options.user }),
      source: 'ack',
    });
  }

  private postMessage(args: ApiArgs): ApiAnswer {
    const channel = this.conversations.resolve(args['channel']);
    if (!channel || !this.conversations.visibleToBot(channel)) return fail('channel_not_found');
    // chat:write without chat:write.public: only where the bot is a member.
    if (!channel.isIm && !channel.botIsMember) return fail('not_in_channel');
    const content = this.content('chat.postMessage', args, true);
    if ('error' in content) return content.error;
    const asked = stringArg(args, 'thread_ts');
    let threadTs: string | undefined;
    if (asked !== undefined) {
      // A reply goes under a message of this channel; a reply's ts puts it in that reply's thread.
      const parent = this.find(channel.id, asked);
      if (!parent || parent.ephemeralTo !== undefined) return fail('invalid_thread_ts');
      threadTs = parent.threadTs ?? parent.ts;
    }
    const message = this.add({
      channel: channel.id,
      ...content,
      ...(threadTs === undefined ? {} : { threadTs }),
      ...(args['metadata'] === undefined ? {} : { metadata: args['metadata'] }),
      source: 'api',
    });
    return { ok: true, channel: channel.id, ts: message.ts, message: this.messageObject(message) };
  }

  private postEphemeral(args: ApiArgs): ApiAnswer {
    const channel = this.conversations.resolve(args['channel']);
    if (!channel) return fail('channel_not_found');
    const user = stringArg(args, 'user');
    if (!user || !this.conversations.hasUser(user)) return fail('user_not_found');
    const content = this.content('chat.postEphemeral', args, true);
    if ('error' in content) return content.error;
    const threadTs = stringArg(args, 'thread_ts');
    const message = this.add({
      channel: channel.id,
      ...content,
      ephemeralTo: user,
      ...(threadTs === undefined ? {} : { threadTs }),
      source: 'api',
    });
    return { ok: true, message_ts: message.ts };
  }

  private update(args: ApiArgs): ApiAnswer {
    const channel = this.conversations.resolve(args['channel']);
    if (!channel) return fail('channel_not_found');
    const ts = stringArg(args, 'ts') ?? '';
    const message = this.find(channel.id, ts);
    // Ephemeral messages cannot be updated through chat.update, only through their response_url.
    if (!message || message.deleted || message.ephemeralTo !== undefined) return fail('message_not_found');
    if (message.user !== this.identity.botUserId) return fail('cant_update_message');
    if (args['text'] === undefined && args['blocks'] === undefined && args['attachments'] === undefined) {
      return fail('no_text');
    }
    const content = this.content('chat.update', args, false);
    if ('error' in content) return content.error;
    // Slack keeps blocks and attachments that chat.update leaves out; an empty array removes them.
    if (args['text'] !== undefined) message.text = content.text;
    if (content.blocks !== undefined) {
      if (content.blocks.length > 0) message.blocks = content.blocks;
      else delete message.blocks;
    }
    if (content.attachments !== undefined) {
      if (content.attachments.length > 0) message.attachments = content.attachments;
      else delete message.attachments;
    }
    message.updatedCount += 1;
    this.changed(message);
    return { ok: true, channel: channel.id, ts, text: message.text, message: this.messageObject(message) };
  }

  /** A link to a message, as Slack builds it: https://<team>/archives/<channel>/p<ts without the dot>. */
  private getPermalink(args: ApiArgs): ApiAnswer {
    const channel = this.conversations.resolve(args['channel']);
    if (!channel) return fail('channel_not_found');
    const ts = stringArg(args, 'message_ts') ?? '';
    const message = this.find(channel.id, ts);
    if (!message || message.deleted) return fail('message_not_found');
    return { ok: true, channel: channel.id, permalink: `${this.identity.url}archives/${channel.id}/p${ts.replace('.', '')}` };
  }

  private delete(args: ApiArgs): ApiAnswer {
    const channel = this.conversations.resolve(args['channel']);
    if (!channel) return fail('channel_not_found');
    const ts = stringArg(args, 'ts') ?? '';
    const message = this.find(channel.id, ts);
    if (!message || message.deleted || message.ephemeralTo !== undefined) return fail('message_not_found');
    message.deleted = true;
    this.changed(message);
    return { ok: true, channel: channel.id, ts };
  }

  /** conversations.replies: the parent first, then its replies (ephemeral and deleted ones left out). */
  private replies(args: ApiArgs): ApiAnswer {
    const channel = this.conversations.resolve(args['channel']);
    if (!channel || !this.conversations.visibleToBot(channel)) return fail('channel_not_found');
    const ts = stringArg(args, 'ts');
    if (!ts) return fail('invalid_arguments');
    const asked = this.find(channel.id, ts);
    if (!asked || asked.deleted || asked.ephemeralTo !== undefined) return fail('thread_not_found');
    const parentTs = asked.threadTs ?? asked.ts;
    const parent = this.find(channel.id, parentTs);
    const thread = [parent, ...this.list.filter((m) => m.channel === channel.id && m.threadTs === parentTs && m.ts !== parentTs)].filter(
      (m): m is LocalMessage => m !== undefined && !m.deleted && m.ephemeralTo === undefined,
    );
    return { ok: true, messages: thread.map((m) => this.messageObject(m)), has_more: false };
  }

  /** text/blocks/attachments of a chat.* call, or the error Slack answers for them. */
  private content(
    method: string,
    args: ApiArgs,
    requireSome: boolean,
  ): { text: string; blocks?: unknown[]; attachments?: unknown[] } | { error: ApiAnswer } {
    const text = stringArg(args, 'text') ?? '';
    const blocks = args['blocks'];
    const attachments = args['attachments'];
    if (blocks !== undefined && !Array.isArray(blocks)) return { error: fail('invalid_blocks_format') };
    if (attachments !== undefined && !Array.isArray(attachments)) return { error: fail('invalid_attachments') };
    if (requireSome && text === '' && !(blocks && blocks.length > 0) && !(attachments && attachments.length > 0)) {
      return { error: fail('no_text') };
    }
    if (text.length > MESSAGE_TEXT_LIMIT) return { error: fail('msg_too_long') };
    if (blocks) {
      const violations = this.blockKit.check(method, 'message', { blocks });
      if (violations.length > 0) {
        return {
          error: fail('invalid_blocks', {
            errors: violations,
            response_metadata: { messages: violations.map((v) => `[ERROR] ${v}`) },
          }),
        };
      }
    }
    return { text, ...(blocks ? { blocks } : {}), ...(attachments ? { attachments } : {}) };
  }

  /** Slack's timestamps: unique within a channel and increasing, 'seconds.micros'. */
  private nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }
}
