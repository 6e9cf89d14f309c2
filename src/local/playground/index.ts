// The local playground: with no Slack credentials, `npm start` runs the real bot against the
// embedded Prolific sandbox (or the real Prolific API when PROLIFIC_API_TOKEN is set) and a page in
// the browser that stands in for Slack. The stand-in is the same LocalSlack + SlackDriver the
// end-to-end tests use, so every click goes through Slack's signed requests and the app's real code.

import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config';
import { LocalSlack, SlackDriver } from '../slack';
import type { AppLogger } from '../../logging';
import { connectProlific, type ProlificConnection, type RunningBot, startBot } from '../../runtime';
import { SEED_WORKSPACE_ID, type Sandbox, startEmbeddedSandbox } from '../prolific-sandbox';
import { PageServer } from './pageServer';

export { PageServer, type PageServerOptions } from './pageServer';

/** #pgroup-notifications in the local workspace. */
export const PLAYGROUND_NOTIFY_CHANNEL = 'C_NOTIFY';
/** Who may change groups when ALLOWED_USER_IDS is unset: Bob and Erin can then try what a refusal looks like. */
export const PLAYGROUND_ALLOWED_USERS = ['U_ALICE', 'U_CAROL'];

export interface Playground {
  /** Where the page is served, e.g. http://localhost:3000 */
  url: string;
  slack: LocalSlack;
  /** The Prolific API the bot talks to. */
  prolific: ProlificConnection;
  /** The embedded Prolific sandbox, when no PROLIFIC_API_TOKEN is set. */
  sandbox: Sandbox | null;
  bot: RunningBot;
  /** Stops the page, then the bot (waiting for work in flight), then the local Slack. */
  stop(): Promise<{ drained: boolean } | undefined>;
}

export interface PlaygroundOptions {
  /** The page's port; default config.port (PORT, 3000). 0 picks a free one (the URL says which). */
  port?: number;
}

/**
 * Starts the playground. The bot listens on an ephemeral loopback port of its own; only the page's
 * port is meant for people. Nothing secret is printed: the generated token and signing secret live
 * in this process only.
 */
export async function startPlayground(config: AppConfig, logger: AppLogger, options: PlaygroundOptions = {}): Promise<Playground> {
  const botToken = `xoxb-local-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(24).toString('hex');
  logger.addSecret(botToken);
  logger.addSecret(signingSecret);

  const slack = await LocalSlack.start({ botToken });
  const playgroundConfig: AppConfig = {
    ...config,
    slack: { botToken, signingSecret, appToken: null, apiUrl: slack.apiUrl },
    notifyChannel: config.notifyChannel ?? PLAYGROUND_NOTIFY_CHANNEL,
    allowedUserIds: config.allowedUserIds ?? PLAYGROUND_ALLOWED_USERS,
    // The demo sandbox lists two workspaces: the first is the default, and /pgroup workspace switches a channel.
    workspaceId: config.workspaceId ?? (config.prolific.token ? null : SEED_WORKSPACE_ID),
  };

  let sandbox: Sandbox | null = null;
  let prolific: ProlificConnection | null = null;
  let bot: RunningBot | null = null;
  let page: PageServer | null = null;
  try {
    if (!config.prolific.token) sandbox = await startEmbeddedSandbox(logger);
    prolific = connectProlific(playgroundConfig, logger, sandbox);
    // The bot's own port is for the page's signed requests only: loopback, never another interface.
    // Slack is local too, so no real workspace sees the demo data; the page itself says which Prolific it uses.
    bot = await startBot(playgroundConfig, logger, prolific, { port: 0, host: '127.0.0.1', markDemoData: false });
    const driver = new SlackDriver({ slack, appUrl: `http://127.0.0.1:${bot.port}/slack/events`, signingSecret });
    const allowed = playgroundConfig.allowedUserIds;
    page = await PageServer.start({
      slack,
      driver,
      logger,
      port: options.port ?? config.port,
      prolific: prolific.standIn ? 'sandbox' : 'real',
      mayChangeGroups: (userId) => slack.user(userId)?.teamId === slack.teamId && (allowed === null || allowed.includes(userId)),
    });
  } catch (err) {
    await page?.close();
    if (bot) await bot.stop({ drainMs: 1000 }).catch(() => undefined);
    else if (prolific) await prolific.close().catch(() => undefined);
    else await sandbox?.close().catch(() => undefined);
    await slack.close();
    throw err;
  }

  const url = `http://localhost:${page.port}`;
  const target = prolific.standIn ? 'the embedded Prolific sandbox (seeded demo groups; nothing reaches Prolific)' : 'the real Prolific API (changes are real)';
  logger.info(`Local playground (no Slack credentials): open ${url} — the bot runs against ${target}.`);
  if (!config.allowedUserIds) {
    logger.info('In the playground Alice and Carol may change groups, Bob and Erin may only look (set ALLOWED_USER_IDS to choose).');
  }

  const running = bot;
  const server = page;
  let stopped: Promise<{ drained: boolean } | undefined> | null = null;
  return {
    url,
    slack,
    prolific,
    sandbox,
    bot: running,
    stop() {
      stopped ??= (async () => {
        await server.close();
        const result = await running.stop({ drainMs: 10_000 });
        await slack.close();
        return result;
      })();
      return stopped;
    },
  };
}
