// The bot as a real process (`node dist/src/index.js`, built by jest's globalSetup), talking to a
// LocalSlack and a Prolific sandbox that live in the test process. For what only a process can
// show: signals, exit codes, and what it writes to stdout and stderr.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSlack, SlackDriver } from '../../src/local/slack';
import { createSandbox, type Sandbox } from '../../src/local/prolific-sandbox';
import { eventually } from '../support/eventually';
import { freePort } from '../support/freePort';

const ENTRY = join(__dirname, '../../dist/src/index.js');

export interface BotProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  driver: SlackDriver;
  slack: LocalSlack;
  sandbox: Sandbox;
  dataDir: string;
  /** The app-level token only in Socket Mode, where the bot is not given the signing secret either. */
  secrets: { prolificToken: string; botToken: string; signingSecret: string; appToken?: string };
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the process if it still runs, and what the test started beside it. */
  close(): Promise<void>;
}

/**
 * Starts the bot and waits until GET /healthz answers. In Socket Mode ('socket') it has an app-level
 * token and no signing secret, connects to the LocalSlack, and serves only /healthz on PORT.
 */
export async function startBotProcess(env: Record<string, string> = {}, transport: 'http' | 'socket' = 'http'): Promise<BotProcess> {
  return spawnBotProcess(env, { waitForHealth: true, transport });
}

/**
 * Starts the bot where it is expected to refuse to start: resolves once it has exited, with its
 * exit and what it wrote. The local Slack and sandbox it was given are closed.
 */
export async function botProcessExit(env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; slackCalls: number }> {
  const bot = await spawnBotProcess(env, { waitForHealth: false, transport: 'http' });
  const timer = setTimeout(() => bot.child.kill('SIGKILL'), 30_000);
  const exit = await bot.exited;
  clearTimeout(timer);
  const slackCalls = bot.slack.calls.length;
  await bot.close();
  rmSync(bot.dataDir, { recursive: true, force: true });
  return { ...exit, stdout: bot.stdout(), stderr: bot.stderr(), slackCalls };
}

async function spawnBotProcess(env: Record<string, string>, { waitForHealth, transport }: { waitForHealth: boolean; transport: 'http' | 'socket' }): Promise<BotProcess> {
  const sandbox = await createSandbox();
  const socket = transport === 'socket';
  const secrets: BotProcess['secrets'] = {
    prolificToken: sandbox.token,
    botToken: `xoxb-proc-${randomBytes(12).toString('hex')}`,
    signingSecret: randomBytes(16).toString('hex'),
    ...(socket ? { appToken: `xapp-1-A0LOCALAPP-1-${randomBytes(16).toString('hex')}` } : {}),
  };
  const slack = await LocalSlack.start({ botToken: secrets.botToken, ...(secrets.appToken ? { appToken: secrets.appToken } : {}) });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'pgroup-process-'));
  const out: string[] = [];
  const err: string[] = [];
  // Only what the test gives it: no DATABASE_URL, .env or token of the machine running the tests.
  const child = spawn(process.execPath, [ENTRY], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: secrets.botToken,
      // Socket Mode needs no signing secret: the bot is not given one.
      ...(secrets.appToken ? { SLACK_APP_TOKEN: secrets.appToken } : { SLACK_SIGNING_SECRET: secrets.signingSecret }),
      SLACK_API_URL: slack.apiUrl,
      PROLIFIC_API_TOKEN: secrets.prolificToken,
      PROLIFIC_API_URL: sandbox.url,
      PROLIFIC_WORKSPACE_ID: sandbox.workspaceId,
      PORT: String(port),
      DATA_DIR: join(dataDir, 'store'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => out.push(c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => err.push(c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  if (waitForHealth) {
    await eventually(
      async () => {
        if (gone) throw new Error(`the bot exited early:\n${out.join('')}${err.join('')}`);
        return fetch(`${baseUrl}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      'the bot to start',
      30_000,
    );
  }
  return {
    child,
    port,
    baseUrl,
    driver: socket ? new SlackDriver({ slack, transport: 'socket' }) : new SlackDriver({ slack, appUrl: `${baseUrl}/slack/events`, signingSecret: secrets.signingSecret }),
    slack,
    sandbox,
    dataDir,
    secrets,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    exited,
    async close() {
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
      await slack.close();
      await sandbox.close();
    },
  };
}
