import { LogLevel } from '@slack/bolt';
import { type Bot, createBot } from './app';
import type { AppConfig } from './config';
import type { AppLogger } from './logging';
import { ProlificClient } from './prolific';
import { createSandbox, type Sandbox } from './sandbox';
import { openStore } from './store';
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
  /** The embedded sandbox, when no PROLIFIC_API_TOKEN is set. */
  sandbox: Sandbox | null;
  reachability: ProlificReachability;
}

/** The Prolific API the bot talks to: the real one with a token, otherwise a local sandbox. */
export async function connectProlific(config: AppConfig, logger: AppLogger, options: { sandboxPort?: number } = {}): Promise<ProlificConnection> {
  const reachability = new ProlificReachability();
  const log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => {
    reachability.observe(fields);
    const line = fields ? `${msg} ${JSON.stringify(fields)}` : msg;
    if (level === 'error' || level === 'warn') logger[level](line);
    else if (logger.getLevel() === LogLevel.DEBUG) logger.debug(line);
  };
  if (config.prolific.token) {
    logger.addSecret(config.prolific.token);
    return {
      client: new ProlificClient({ token: config.prolific.token, baseUrl: config.prolific.apiUrl, log }),
      sandbox: null,
      reachability,
    };
  }
  const sandbox = await createSandbox({ port: options.sandboxPort ?? 0, recordRequests: false });
  logger.addSecret(sandbox.token);
  logger.info(`PROLIFIC_API_TOKEN is not set: using the embedded Prolific sandbox at ${sandbox.url} (seeded demo groups; nothing reaches Prolific).`);
  return { client: new ProlificClient({ token: sandbox.token, baseUrl: sandbox.url, log }), sandbox, reachability };
}

export async function openConfiguredStore(config: AppConfig, logger: AppLogger): Promise<Store> {
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
    log: (level, msg) => (level === 'debug' ? undefined : logger[level](msg)),
  });
  return store;
}

/** PROLIFIC_WORKSPACE_ID, or the only workspace the token sees. */
export async function chooseWorkspace(client: ProlificClient, configured: string | null): Promise<string> {
  if (configured) return configured;
  const workspaces = await client.listWorkspaces();
  if (workspaces.length === 1) return workspaces[0]!.id;
  const list = workspaces.map((w) => `${w.id} (${w.title})`).join(', ');
  throw new Error(
    workspaces.length === 0
      ? 'The Prolific token sees no workspace. Check PROLIFIC_API_TOKEN.'
      : `Set PROLIFIC_WORKSPACE_ID: the token sees ${workspaces.length} workspaces: ${list}.`,
  );
}

export interface RunningBot {
  bot: Bot;
  port: number | null;
  prolific: ProlificConnection;
  stop(options?: { drainMs?: number }): Promise<{ drained: boolean }>;
}

/** Connects everything the bot needs and starts it (HTTP on `port`, or Socket Mode). */
export async function startBot(config: AppConfig, logger: AppLogger, options: { port?: number; prolific?: ProlificConnection } = {}): Promise<RunningBot> {
  if (!config.slack) throw new Error('startBot needs Slack credentials');
  const prolific = options.prolific ?? (await connectProlific(config, logger));
  const store = await openConfiguredStore(config, logger);
  const workspaceId = await chooseWorkspace(prolific.client, config.workspaceId);
  const bot = await createBot({
    slack: config.slack,
    config,
    logger,
    prolific: prolific.client,
    store,
    workspaceId,
    prolificStatus: () => prolific.reachability.current,
    watch: { intervalMs: config.watchIntervalSeconds * 1000 },
  });
  const port = await bot.start(options.port ?? config.port);
  return {
    bot,
    port,
    prolific,
    async stop(stopOptions) {
      const result = await bot.stop(stopOptions);
      await prolific.sandbox?.close();
      return result;
    },
  };
}
