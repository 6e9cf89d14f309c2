import { LogLevel } from '@slack/bolt';
import { type Bot, createBot } from './app';
import type { AppConfig } from './config';
import type { AppLogger } from './logging';
import { ProlificClient } from './prolific';
import { openStore } from './store';
import { loadServedWorkspaces, type ServedWorkspace } from './services/workspaces';
import type { Store } from './store/types';

/** Whether Prolific answered the bot's last request, for /healthz. */
export class ProlificReachability {
  private state: { ok: boolean; at: string | null; detail: string | null } = { ok: true, at: null, detail: null };

  observe(fields: Record<string, unknown> | undefined): void {
    const status = Number(fields?.status ?? -1);
    if (status < 0) return;
    const ok = status > 0 && status < 500;
    this.state = { ok, at: new Date().toISOString(), detail: ok ? null : status === 0 ? 'no answer' : `HTTP ${status}` };
  }

  get current() {
    return this.state;
  }
}

export interface ProlificConnection {
  client: ProlificClient;
  /** True when the API is a local stand-in (the demo sandbox), not Prolific. */
  standIn: boolean;
  reachability: ProlificReachability;
  /** Closes the client, and the stand-in's server when there is one. */
  close(): Promise<void>;
}

/** A local API that stands in for Prolific when no PROLIFIC_API_TOKEN is set; the entry point provides it. */
export interface ProlificStandIn {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** The Prolific API the bot talks to: the real one with a token, otherwise the stand-in the entry point hands over. */
export function connectProlific(config: AppConfig, logger: AppLogger, standIn: ProlificStandIn | null = null): ProlificConnection {
  const reachability = new ProlificReachability();
  const log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => {
    reachability.observe(fields);
    const line = fields ? `${msg} ${JSON.stringify(fields)}` : msg;
    if (level === 'error' || level === 'warn') logger[level](line);
    else if (logger.getLevel() === LogLevel.DEBUG) logger.debug(line);
  };
  if (config.prolific.token) {
    logger.addSecret(config.prolific.token);
    const client = new ProlificClient({ token: config.prolific.token, baseUrl: config.prolific.apiUrl, log });
    return { client, standIn: false, reachability, close: () => client.close() };
  }
  if (!standIn) throw new Error('PROLIFIC_API_TOKEN is not set and no local Prolific API was provided.');
  logger.addSecret(standIn.token);
  const client = new ProlificClient({ token: standIn.token, baseUrl: standIn.url, log });
  return {
    client,
    standIn: true,
    reachability,
    async close() {
      await client.close().catch(() => undefined);
      await standIn.close();
    },
  };
}

export async function openConfiguredStore(config: AppConfig, logger: AppLogger): Promise<Store> {
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir, ...(config.pgliteTemplate ? {} : { pgliteTemplate: false as const }) }),
    log: (level, msg) => (level === 'debug' ? undefined : logger[level](msg)),
  });
  return store;
}

/**
 * The workspaces the app serves and the default one (PROLIFIC_WORKSPACE_ID, or the only one).
 * Several with no default is not an error: a channel that has not chosen is asked to.
 */
export async function chooseWorkspaces(client: ProlificClient, config: Pick<AppConfig, 'workspaceId' | 'workspaceIds'>, logger?: AppLogger): Promise<{ served: ServedWorkspace[]; defaultId: string | null }> {
  const chosen = await loadServedWorkspaces(client, config.workspaceIds, config.workspaceId);
  if (chosen.served.length === 0) {
    throw new Error(config.workspaceIds ? 'The Prolific token sees none of the workspaces in WORKSPACE_IDS.' : 'The Prolific token sees no workspace. Check PROLIFIC_API_TOKEN.');
  }
  if (!chosen.defaultId) {
    const list = chosen.served.map((w) => `${w.id} (${w.title})`).join(', ');
    logger?.warn(`The app serves ${chosen.served.length} Prolific workspaces and PROLIFIC_WORKSPACE_ID names none: each channel chooses one (/pgroup workspace) the first time it is used: ${list}.`);
  }
  return chosen;
}

export interface RunningBot {
  bot: Bot;
  port: number | null;
  prolific: ProlificConnection;
  stop(options?: { drainMs?: number }): Promise<{ drained: boolean }>;
}

/** Connects everything the bot needs and starts it (HTTP on `port`, or Socket Mode with /healthz on `port` when given). */
export async function startBot(
  config: AppConfig,
  logger: AppLogger,
  prolific: ProlificConnection,
  options: { port?: number; host?: string; markDemoData?: boolean } = {},
): Promise<RunningBot> {
  if (!config.slack) throw new Error('startBot needs Slack credentials');
  const store = await openConfiguredStore(config, logger);
  const { served, defaultId } = await chooseWorkspaces(prolific.client, config, logger);
  const bot = await createBot({
    slack: config.slack,
    config,
    logger,
    prolific: prolific.client,
    store,
    workspaceId: defaultId,
    workspaces: served,
    prolificStatus: () => prolific.reachability.current,
    watch: { intervalMs: config.watchIntervalSeconds * 1000 },
    // A real Slack workspace served from the demo sandbox is told so in every message.
    demoSandbox: options.markDemoData ?? prolific.standIn,
  });
  // Socket Mode needs no port, and serves /healthz only when PORT is set.
  const port = await bot.start(options.port ?? (config.slack.appToken ? config.socketModeHealthPort : config.port), options.host ? { host: options.host } : {});
  return {
    bot,
    port,
    prolific,
    async stop(stopOptions) {
      const result = await bot.stop(stopOptions);
      await prolific.close();
      return result;
    },
  };
}
