import { randomBytes } from 'node:crypto';
import { LogLevel } from '@slack/bolt';
import { type Bot, createBot } from '../../src/app';
import { readConfig } from '../../src/config';
import { LocalSlack, type LocalMessage, type LocalSlackOptions, SlackDriver } from '../../src/local/slack';
import { AppLogger } from '../../src/logging';
import { ProlificClient } from '../../src/prolific';
import type { ProlificClientOptions } from '../../src/prolific/types';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/local/prolific-sandbox';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { eventually } from '../support/eventually';
import { bareTimes } from './bareTimes';

export interface E2EOptions {
  /**
   * How Slack reaches the bot: 'http' (the default), signed requests to its HTTP receiver; 'socket',
   * Socket Mode envelopes over the connection the bot opens to the local Slack (no signing secret).
   */
  transport?: 'http' | 'socket';
  /** Extra configuration, as environment variables (ALLOWED_USER_IDS, NOTIFY_CHANNEL, ...). */
  env?: Record<string, string>;
  sandbox?: Sandbox;
  sandboxOptions?: SandboxOptions;
  /** A store to share between instances; default: a fresh in-memory PGlite store. */
  store?: Store;
  slack?: LocalSlack;
  /** How the harness's own local Slack is set up (e.g. a workspace on Enterprise Grid); not with `slack`. */
  slackOptions?: Omit<LocalSlackOptions, 'botToken'>;
  prolific?: Partial<ProlificClientOptions>;
  watch?: { intervalMs: number; fullReadEvery?: number; instanceId?: string };
  /** How long a preview stays confirmable (default PENDING_TTL_MINUTES), e.g. short for expiry tests. */
  pendingTtlMs?: number;
  /**
   * The default Prolific workspace (default: the sandbox's first); null: none, so a channel must
   * choose. Unless env sets WORKSPACE_IDS, the app serves only the default, as with one workspace.
   */
  workspaceId?: string | null;
}

export interface E2E {
  sandbox: Sandbox;
  slack: LocalSlack;
  driver: SlackDriver;
  bot: Bot;
  store: Store;
  transport: 'http' | 'socket';
  /** Where Slack's HTTP requests go. In Socket Mode nothing answers there (404): the port serves /healthz alone. */
  appUrl: string;
  /** GET /healthz: on the HTTP port, or in Socket Mode on the health port. */
  healthUrl: string;
  /** The app-level token only in Socket Mode, where the bot is not given the signing secret either. */
  secrets: { prolificToken: string; botToken: string; signingSecret: string; appToken?: string };
  /** Every log line the bot wrote. */
  logs: string[];
  /** Sends `/pgroup <text>` as a user (default U_ALICE in C_GENERAL). */
  pgroup(text: string, as?: { user?: string; channel?: string }): ReturnType<SlackDriver['command']>;
  /** Messages a user can see in a channel (ephemeral ones only for them). */
  visible(channel: string, user?: string): LocalMessage[];
  /** The newest message in a channel visible to the user that matches. */
  waitForMessage(channel: string, match: (m: LocalMessage) => boolean, what?: string): Promise<LocalMessage>;
  /** As waitForMessage, among the channel's top-level messages only (a notification, not its thread reply). */
  waitForPost(channel: string, match: (m: LocalMessage) => boolean, what?: string): Promise<LocalMessage>;
  /** Clicks a button of a message as a user (value: to pick one of several buttons with the same action id). */
  click(message: LocalMessage, actionId: string, user?: string, value?: string): ReturnType<SlackDriver['blockAction']>;
  /**
   * Resolves once the bot has no listener work in flight: replies, notifications and view updates
   * are all sent. Call it after the request's own answer (or another sign its work began).
   */
  settled(): Promise<void>;
  /** Stops the bot (and what this harness started) and checks that no secret leaked. */
  close(): Promise<void>;
}

/** The text of a message, blocks included, for assertions. */
export function messageText(m: Pick<LocalMessage, 'text' | 'blocks'> | undefined): string {
  if (!m) return '';
  return `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;
}

/** Finds a button in a message's blocks by action id. */
export function findButton(m: LocalMessage, actionId: string): { value?: string; style?: string; confirm?: unknown; text: { text: string } } | undefined {
  for (const block of (m.blocks ?? []) as { elements?: unknown[]; accessory?: unknown }[]) {
    for (const el of [...(block.elements ?? []), block.accessory] as { action_id?: string }[]) {
      if (el?.action_id === actionId) return el as never;
    }
  }
  return undefined;
}

/** Scans everything the suite captured for the secrets (a mode's unused one is null). One assertion covers them all. */
export function leakedSecrets(material: string, secrets: (string | null | undefined)[]): string[] {
  return secrets.filter((s): s is string => Boolean(s) && material.includes(s!)).map((s) => `${s.slice(0, 4)}…`);
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const transport = options.transport ?? 'http';
  const socket = transport === 'socket';
  const sandbox = options.sandbox ?? (await createSandbox(options.sandboxOptions ?? {}));
  const secrets: E2E['secrets'] = {
    prolificToken: sandbox.token,
    botToken: `xoxb-test-${randomBytes(12).toString('hex')}`,
    signingSecret: randomBytes(16).toString('hex'),
    ...(socket ? { appToken: `xapp-1-A0LOCALAPP-1-${randomBytes(16).toString('hex')}` } : {}),
  };
  const slack = options.slack ?? (await LocalSlack.start({ ...options.slackOptions, botToken: secrets.botToken, ...(secrets.appToken ? { appToken: secrets.appToken } : {}) }));
  if (options.slack) {
    secrets.botToken = options.slack.botToken;
    if (socket) secrets.appToken = options.slack.socketMode.appToken ?? undefined;
  }
  const { config } = readConfig({
    SLACK_BOT_TOKEN: secrets.botToken,
    // Socket Mode needs no signing secret: the bot is not given one.
    ...(secrets.appToken ? { SLACK_APP_TOKEN: secrets.appToken } : { SLACK_SIGNING_SECRET: secrets.signingSecret }),
    SLACK_API_URL: slack.apiUrl,
    PROLIFIC_API_TOKEN: secrets.prolificToken,
    PROLIFIC_API_URL: sandbox.url,
    PORT: '0',
    ...(options.workspaceId === undefined ? { WORKSPACE_IDS: sandbox.workspaceId } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const logger = new AppLogger({ level: LogLevel.DEBUG, sink: (line) => logs.push(line), secrets: [secrets.prolificToken, secrets.botToken, secrets.signingSecret, secrets.appToken] });
  const prolific = new ProlificClient({
    token: secrets.prolificToken,
    baseUrl: sandbox.url,
    backoffBaseMs: 5,
    backoffMaxMs: 50,
    headersTimeoutMs: 5000,
    bodyTimeoutMs: 5000,
    log: (level, msg, fields) => logger[level](msg, fields ?? ''),
    ...options.prolific,
  });
  const store = options.store ?? (await openStore());
  const sharedStore = Boolean(options.store);
  const bot = await createBot({
    slack: config.slack!,
    config,
    logger,
    prolific,
    store: sharedStore ? keepOpen(store) : store,
    workspaceId: options.workspaceId === undefined ? sandbox.workspaceId : options.workspaceId,
    ...(options.watch ? { watch: options.watch } : {}),
    ...(options.pendingTtlMs !== undefined ? { pendingTtlMs: options.pendingTtlMs } : {}),
  });
  // Socket Mode serves /healthz alone on the port; HTTP mode serves Slack's requests there too.
  const port = await bot.start(0);
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  const driver = socket ? new SlackDriver({ slack, transport: 'socket' }) : new SlackDriver({ slack, appUrl, signingSecret: secrets.signingSecret });

  const visible = (channel: string, user = 'U_ALICE') => slack.messages(channel).filter((m) => !m.deleted && (!m.ephemeralTo || m.ephemeralTo === user));
  return {
    sandbox,
    slack,
    driver,
    bot,
    store,
    transport,
    appUrl,
    healthUrl: `http://127.0.0.1:${port}/healthz`,
    secrets,
    logs,
    pgroup: (text, as = {}) => driver.command('/pgroup', text, { user: as.user ?? 'U_ALICE', channel: as.channel ?? 'C_GENERAL' }),
    visible,
    click: (message, actionId, user = 'U_ALICE', value) =>
      driver.blockAction({ user, channel: message.channel, messageTs: message.ts, actionId, ...(value !== undefined ? { value } : {}) }),
    waitForMessage: (channel, match, what = 'a message') =>
      eventually(() => {
        const found = slack.messages(channel).filter((m) => !m.deleted && match(m));
        return found[found.length - 1];
      }, what),
    waitForPost: (channel, match, what = 'a message') =>
      eventually(() => {
        const found = slack.posts(channel).filter((m) => !m.deleted && match(m));
        return found[found.length - 1];
      }, what),
    async settled() {
      await eventually(() => bot.ctx.inFlight.size === 0, 'the bot to finish its work in flight');
    },
    async close() {
      await bot.stop({ drainMs: 5000 });
      const material = [
        logs.join('\n'),
        JSON.stringify(slack.calls),
        JSON.stringify(slack.messages()),
        JSON.stringify(slack.views()),
        slack.files.map((f) => f.content.toString('utf8')).join('\n'),
      ].join('\n');
      if (!options.slack) await slack.close();
      if (!options.sandbox) await sandbox.close();
      const leaks = leakedSecrets(material, [secrets.prolificToken, secrets.botToken, secrets.signingSecret, secrets.appToken]);
      if (leaks.length) throw new Error(`secrets leaked into captured output: ${leaks.join(', ')}`);
    },
  };
}

/** A store shared by several instances in a test stays open until the test closes it. */
function keepOpen(store: Store): Store {
  return new Proxy(store, { get: (target, prop, receiver) => (prop === 'close' ? async () => undefined : Reflect.get(target, prop, receiver)) });
}

/**
 * The harness for a test file (or a describe block): started before its tests and closed after
 * them, with the secret scan of close(). After each test, no payload may have broken a Block Kit
 * limit, no Socket Mode envelope may have gone unacked (or acked late or twice), and faults a test injected into Prolific or Slack are cleared. Returns the running
 * harness; a hook or test declared after this call may use it.
 */
export function useE2E(start: E2EOptions | (() => Promise<E2E>) = {}): E2E {
  let current: E2E | undefined;
  beforeAll(async () => {
    current = typeof start === 'function' ? await start() : await startE2E(start);
  });
  afterEach(() => {
    if (!current) return;
    current.sandbox.faults.clear();
    current.slack.clearFaults();
    expect(current.slack.blockKitViolations.splice(0)).toEqual([]);
    // Times are Slack date tokens, shown in each reader's own time zone, never a bare "14:02".
    expect(bareTimes(current.slack)).toEqual([]);
    // Socket Mode: every envelope acked once, in time.
    expect(current.slack.socketMode.violations.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as E2E, {
    get(_target, prop) {
      if (!current) throw new Error(`the harness is not running yet (reading ${String(prop)}): use it in a hook or a test`);
      return Reflect.get(current, prop);
    },
  });
}
