import type { WebClient } from '@slack/web-api';
import type { AppConfig } from '../../config';
import type { AppLogger } from '../../logging';
import { ProlificError } from '../../prolific';
import type { Actor, ChangePermissions } from '../../services/actor';
import type { ChangeService } from '../../services/changes';
import type { GroupDirectory } from '../../services/groups';
import type { Store } from '../../store/types';
import type { Announcer } from '../announcer';
import { notice, type SlackMessage } from '../blocks/message';
import { type ReplyOptions, type ReplyTarget, replyTo, slackErrorCode } from '../replies';

/** Work in flight (confirmations, uploads), so a shutdown can wait for it to finish. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Waits for what is running now, at most `timeoutMs`; returns whether everything finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    const all = Promise.allSettled([...this.running]).then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([all, timeout]);
  }
}

/**
 * Yields to the event loop once an ack is sent, so that requests already waiting are read and
 * acknowledged before this one's work (a Prolific call, rendering) takes the CPU. Under a burst
 * of commands this keeps every ack quick (docs/BENCHMARKS.md, Ack latency).
 */
export function afterAck(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Everything a listener needs, built once at startup. */
export interface BotContext {
  config: AppConfig;
  logger: AppLogger;
  botToken: string;
  homeTeamId: string;
  store: Store;
  groups: GroupDirectory;
  changes: ChangeService;
  permissions: ChangePermissions;
  announcer: Announcer;
  inFlight: InFlight;
}

/** A reply bound to one person and one request. */
export type Reply = (message: SlackMessage, options?: ReplyOptions) => Promise<void>;

export function bindReply(ctx: BotContext, client: WebClient, target: ReplyTarget): Reply {
  return async (message, options) => {
    await replyTo(client, ctx.logger, target, message, options);
  };
}

/** What went wrong, in words a researcher can act on. Never a stack trace, never a token. */
export function describeFailure(err: unknown): string {
  if (err instanceof ProlificError) {
    if (err.status === 401 || err.status === 403) {
      return `Prolific refused the app's access (${err.title}). Ask whoever set up this app to check its Prolific API token.`;
    }
    if (err.status === 429) return 'Prolific is busy (too many requests). Wait a minute and try again. Nothing was changed.';
    if (err.kind === 'timeout' || err.kind === 'network') return `Prolific could not be reached (${err.title}). Try again in a moment.`;
    return `Prolific said: ${err.title}${err.detail ? `: ${err.detail}` : ''}`;
  }
  const code = slackErrorCode(err);
  if (code === 'expired_trigger_id' || code === 'invalid_trigger_id') {
    return 'Slack did not let me open the form in time. Please run the command or click the button again.';
  }
  if (code === 'ratelimited' || code === 'rate_limited') return 'Slack is rate-limiting the app. Wait a moment and try again.';
  if (code !== 'unknown_error') return `Slack refused the request (${code}). Please try again.`;
  return 'Something went wrong on our side. Nothing was changed; please try again.';
}

/**
 * Runs a listener's work, turning any failure into a reply the user understands (and a log line).
 * The work is tracked in flight, replies included, so a shutdown lets the user hear the outcome.
 */
export async function withFailureReply(ctx: BotContext, reply: Reply, what: string, work: () => Promise<void>): Promise<void> {
  await ctx.inFlight.track(
    (async () => {
      try {
        await work();
      } catch (err) {
        ctx.logger.error(`${what} failed:`, err instanceof Error ? `${err.name}: ${err.message}` : err);
        await reply(notice(describeFailure(err), ':x:'));
      }
    })(),
  );
}

/** Refuses a change the actor may not make, telling them why. Returns true when refused. */
export async function refuseChange(ctx: BotContext, actor: Actor, reply: Reply): Promise<boolean> {
  const refusal = ctx.permissions.refusal(actor);
  if (!refusal) return false;
  await reply(notice(refusal, ':no_entry:'));
  return true;
}
