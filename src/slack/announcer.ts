import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { notifiedChange, operationDetails } from '../services/changes';
import type { Notification, NotificationOutboxStore, OperationStore, SubscriptionStore } from '../store/types';
import { notifiedMessage } from '../services/groupMessages';
import { renderChangeNotification } from './blocks/appliedChange';
import { renderMessageNotification } from './blocks/groupMessages';
import type { SlackMessage, ThreadedNotice } from './blocks/message';
import { withWorkspaceLine } from './blocks/workspaces';
import { CHANNEL_LOST_ERRORS } from './channelMembership';
import type { LostChannels } from './lostChannels';
import { type OutgoingMark, slackErrorCode } from './replies';

export interface Delivery {
  channel: string;
  ok: boolean;
  error?: string;
}

/**
 * What became of one chat.postMessage. Slack's client never repeats it by itself (see
 * notificationClient in app.ts): a repeat after an answer that was lost could post it twice.
 */
export type PostOutcome =
  /** `channel`: the conversation id Slack posted in (the one its thread replies go to). */
  | { kind: 'posted'; ts: string | null; channel?: string }
  /** Slack answered and refused it (not_in_channel, channel_not_found…): nothing was posted. */
  | { kind: 'refused'; error: string }
  /** Nothing was posted (rate-limited, or Slack could not be reached); it may be sent again after `retryAfterMs`. */
  | { kind: 'not_sent'; error: string; retryAfterMs: number }
  /** Slack failed after it may have posted it (HTTP 5xx, a timeout, a connection lost mid-way). */
  | { kind: 'unknown'; error: string };

/** Connection errors that happen before a request reaches Slack: nothing can have been posted. */
const NOT_SENT_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Slack unreachable: the next sweep (every 5 minutes) or startup tries again. */
const UNREACHABLE_RETRY_MS = 60_000;
/** A notification left 'sending' this long was cut short by its deliverer stopping: it may have been posted. */
export const STALE_SEND_MS = 2 * 60_000;
/** A rate limit waited for in the same breath; a longer one is left to the sweep. */
const MAX_INLINE_WAIT_MS = 60_000;
const MAX_INLINE_ROUNDS = 4;

export function classifyPostError(err: unknown): PostOutcome {
  const e = err as { code?: string; retryAfter?: number; original?: { cause?: { code?: string }; code?: string } };
  const error = slackErrorCode(err);
  if (e?.code === 'slack_webapi_platform_error') return { kind: 'refused', error };
  if (e?.code === 'slack_webapi_rate_limited_error') return { kind: 'not_sent', error: 'ratelimited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
  const cause = e?.original?.cause?.code ?? e?.original?.code;
  if (e?.code === 'slack_webapi_request_error' && cause && NOT_SENT_CAUSES.has(cause)) return { kind: 'not_sent', error: cause, retryAfterMs: UNREACHABLE_RETRY_MS };
  return { kind: 'unknown', error: cause ?? error };
}

export interface AnnouncerOptions {
  /** Marks each notification before it is posted (the demo-data line), when given. */
  mark?: OutgoingMark;
  sleep?: (ms: number) => Promise<void>;
  /** Told when a channel refuses the app for good (subscriptions marked broken, NOTIFY_CHANNEL's status). */
  lostChannels?: LostChannels;
  /** NOTIFY_SHOW_IDS: notifications show sample participant ids (everyone in the channel sees them); counts only otherwise. */
  showIds?: boolean;
  /** The title of a group's Prolific workspace, when notifications name it (the app serves several). */
  workspaceOf?: (groupId: string) => string | null;
}

/**
 * Posts notifications to the channels that should hear about a group: NOTIFY_CHANNEL and the
 * channels watching it. An applied change's notifications come from the outbox (recorded with the
 * change, see store/outcomes.ts): each is claimed by one deliverer, posted at most once, and its
 * outcome kept for the history. A post whose outcome is unknown is never repeated.
 */
export class Announcer {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    /** A client that never repeats a call by itself (app.ts: notificationClient). */
    private readonly client: WebClient,
    private readonly store: Pick<SubscriptionStore, 'listSubscriptions'> & NotificationOutboxStore & Pick<OperationStore, 'getOperation'>,
    private readonly notifyChannel: string | null,
    private readonly logger: Logger,
    private readonly options: AnnouncerOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** NOTIFY_CHANNEL and the channels whose subscription to the group works (broken ones are skipped). */
  async channelsFor(groupId: string): Promise<string[]> {
    const subs = await this.store.listSubscriptions({ groupId });
    return [...new Set([...(this.notifyChannel ? [this.notifyChannel] : []), ...subs.map((s) => s.channelId)])];
  }

  /**
   * Posts a notification that has no outbox row (a new group, a change the watcher noticed), once per
   * channel; a threaded one's details go in a reply under each post.
   */
  async announce(groupId: string, notice: SlackMessage | ThreadedNotice, channels?: string[]): Promise<Delivery[]> {
    const targets = channels ?? (await this.channelsFor(groupId));
    const { top, threadReply } = 'top' in notice ? notice : { top: notice, threadReply: null };
    const message = this.namingWorkspace(groupId, top);
    return Promise.all(
      targets.map(async (channel): Promise<Delivery> => {
        let outcome = await this.postToChannel(channel, message);
        // Nothing was posted: one more try after Slack's Retry-After, when it is short.
        if (outcome.kind === 'not_sent' && outcome.retryAfterMs <= MAX_INLINE_WAIT_MS) {
          await this.sleep(outcome.retryAfterMs);
          outcome = await this.postToChannel(channel, message);
        }
        if (outcome.kind === 'posted') {
          if (threadReply && outcome.ts) await this.postThreadReply(outcome.channel ?? channel, outcome.ts, threadReply, `notification of group ${groupId}`);
          return { channel, ok: true };
        }
        this.logger.warn(`notification to ${channel} ${outcome.kind === 'unknown' ? 'may not have been delivered' : 'failed'} (${outcome.error})`);
        return { channel, ok: false, error: outcome.error };
      }),
    );
  }

  /**
   * Delivers the notifications recorded with one applied change: each channel's at most once. A
   * rate limit is waited for (briefly) and the post sent again, since nothing was posted; anything
   * still due after that is left for drain().
   */
  async deliverChange(operationId: string): Promise<void> {
    for (let round = 0; round < MAX_INLINE_ROUNDS; round++) {
      const claimed = await this.store.claimNotifications({ operationId });
      if (claimed.length === 0) return;
      const outcomes = await Promise.all(claimed.map((row) => this.deliver(row)));
      const waits = outcomes.flatMap((outcome) => (outcome.kind === 'not_sent' ? [outcome.retryAfterMs] : []));
      if (waits.length === 0) return;
      const wait = Math.min(...waits);
      if (wait > MAX_INLINE_WAIT_MS) return;
      await this.sleep(wait);
    }
  }

  /**
   * Every notification due, from any change (at startup and with every sweep): the ones a stopped
   * process never posted are posted now; the ones it was posting when it stopped may have been
   * posted, so they are recorded as such and not posted again. Returns how many were posted.
   */
  async drain(): Promise<number> {
    for (const row of await this.store.abandonStaleSends(STALE_SEND_MS)) {
      this.logger.warn(`notification of change ${row.operationId} to ${row.channelId} may not have been delivered (the app stopped while posting it); it is not posted again`);
    }
    let posted = 0;
    for (;;) {
      const claimed = await this.store.claimNotifications({ limit: 50 });
      if (claimed.length === 0) return posted;
      for (const row of claimed) if ((await this.deliver(row)).kind === 'posted') posted++;
    }
  }

  /** With several workspaces served, the notification names the group's. */
  private namingWorkspace(groupId: string, message: SlackMessage): SlackMessage {
    const title = this.options.workspaceOf?.(groupId);
    return title ? withWorkspaceLine(message, title) : message;
  }

  /** Posts one claimed notification and records what became of it. */
  private async deliver(row: Notification): Promise<PostOutcome> {
    const operation = await this.store.getOperation(row.operationId);
    if (!operation) {
      await this.store.settleNotification(row.id, 'failed', { error: 'change_not_found' });
      return { kind: 'refused', error: 'change_not_found' };
    }
    const source = operationDetails(operation).source;
    const notice =
      operation.kind === 'message'
        ? renderMessageNotification(notifiedMessage(operation, row.change))
        : renderChangeNotification(notifiedChange(operation, row.change), {
            source: source?.label ?? null,
            workflow: source?.workflow ?? null,
            showIds: this.options.showIds ?? false,
          });
    const outcome = await this.postToChannel(row.channelId, this.namingWorkspace(operation.groupId, notice.top));
    switch (outcome.kind) {
      case 'posted':
        // The top-level post is recorded first: whatever becomes of its reply, it is never posted again.
        await this.store.settleNotification(row.id, 'delivered', { messageTs: outcome.ts });
        if (notice.threadReply && outcome.ts) await this.postThreadReply(outcome.channel ?? row.channelId, outcome.ts, notice.threadReply, `notification of change ${row.operationId}`);
        break;
      case 'not_sent':
        await this.store.deferNotification(row.id, outcome.retryAfterMs, outcome.error);
        break;
      case 'refused':
        this.logger.warn(`notification of change ${row.operationId} to ${row.channelId} failed (${outcome.error})`);
        await this.store.settleNotification(row.id, 'failed', { error: outcome.error });
        break;
      case 'unknown':
        this.logger.warn(`notification of change ${row.operationId} to ${row.channelId} may not have been delivered (${outcome.error}); it is not posted again`);
        await this.store.settleNotification(row.id, 'unknown', { error: outcome.error });
        break;
    }
    return outcome;
  }

  /**
   * The details of a posted notification, in a reply in its thread: posted at most once (a rate limit
   * waited for once, briefly, since nothing was posted), never recorded in the outbox and never
   * retried after a restart. A lost reply loses details only (the history keeps the names, counts and
   * a Workflow Builder run; the source and sample ids are not shown again); its top-level post is
   * never posted again for it.
   */
  private async postThreadReply(channel: string, parentTs: string, reply: SlackMessage, what: string): Promise<void> {
    let outcome = await this.post(channel, reply, parentTs);
    if (outcome.kind === 'not_sent' && outcome.retryAfterMs <= MAX_INLINE_WAIT_MS) {
      await this.sleep(outcome.retryAfterMs);
      outcome = await this.post(channel, reply, parentTs);
    }
    if (outcome.kind !== 'posted') {
      this.logger.warn(`the details of the ${what} to ${channel} ${outcome.kind === 'unknown' ? 'may not have been posted' : 'were not posted'} in its thread (${outcome.error}); the notification itself stands and is not posted again`);
    }
  }

  /**
   * One post, and what a refusal of the channel itself means: Slack says the app cannot post there,
   * so it is tried once more, then the channel is given up (its subscriptions marked broken).
   */
  private async postToChannel(channel: string, message: SlackMessage): Promise<PostOutcome> {
    let outcome = await this.post(channel, message);
    if (outcome.kind === 'refused' && CHANNEL_LOST_ERRORS.has(outcome.error)) {
      outcome = await this.post(channel, message);
      if (outcome.kind === 'refused' && CHANNEL_LOST_ERRORS.has(outcome.error)) await this.options.lostChannels?.lost(channel, outcome.error);
    }
    if (outcome.kind === 'posted') this.options.lostChannels?.delivered(channel);
    return outcome;
  }

  /** One chat.postMessage; with `threadTs`, a reply in that message's thread. */
  private async post(channel: string, original: SlackMessage, threadTs?: string): Promise<PostOutcome> {
    const message = this.options.mark ? this.options.mark(original) : original;
    try {
      const res = await this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, ...(threadTs ? { thread_ts: threadTs } : {}) });
      return { kind: 'posted', ts: typeof res.ts === 'string' ? res.ts : null, ...(typeof res.channel === 'string' ? { channel: res.channel } : {}) };
    } catch (err) {
      return classifyPostError(err);
    }
  }
}
