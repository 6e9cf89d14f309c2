// Benchmark of the time to acknowledge Slack's requests while Prolific is slow. Slack gives up on
// a slash command that is not acknowledged within 3 seconds, so the bot acknowledges first and
// talks to Prolific afterwards; this measures that it does, under load.
//
// Three kinds of process, so that no one's work delays another's measurement:
// - this one, the load generator: it only sends signed `/pgroup list` commands, 200 at a
//   concurrency of 50, then 400 at a concurrency of 200, each over as many kept-alive connections
//   (as Slack's are; opening a connection per command measured the TCP handshake more than the
//   app; any that closed while the load waited before a burst are reopened first, for both apps),
//   and times each from sending the request to the end of the answer (what Slack holds to its
//   3 seconds);
// - the stand-ins: a LocalSlack (Web API, response_urls) and the Prolific sandbox, which adds 2 s
//   to every call once the bot has started;
// - the app: the real bot (`node dist/src/index.js` in production, embedded PGlite), and in the
//   same run, as the baseline, a bare Bolt app whose /pgroup only acknowledges.
//
// Each app is measured three times, each time in fresh processes, and the table shows the
// medians: on a small shared machine one run's p99 moves by tens of milliseconds. Each row also
// shows the CPU time the app's process spent during the burst, per command: unlike the times, it
// hardly moves with the machine's other load.
//
//   npm run bench:ack                     the bot on embedded PGlite (as `npm start`)
//   DATABASE_URL=... npm run bench:ack    the bot on PostgreSQL (as on Heroku)

import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { Pool } from 'undici';
import { LocalSlack } from '../src/local/slack';
import { createSandbox } from '../src/local/prolific-sandbox';
import { type BenchRow, freePort, median, runAndPrint, processRssMb, stopChild } from './report';

/** The bursts: commands sent, and how many at once (each over its own kept-alive connection). */
const LEVELS = [
  { commands: 200, concurrency: 50 },
  { commands: 400, concurrency: 200 },
] as const;
type Level = (typeof LEVELS)[number];
const COMMAND_TEXT = 'list';
const PROLIFIC_LATENCY_MS = 2000;
const SLACK_LIMIT_MS = 3000;
const AIM_RATIO = 1.3;
const AIM = `p99 ≤ ${AIM_RATIO}× bare Bolt p99 (same run), 0 acks failed or > 3 s`;
const ROLE = 'ACK_BENCH_ROLE';
/** Each app is measured this many times, each time in a fresh process; the table shows the medians. */
const REPEATS = 3;
/**
 * Commands sent before each measured burst, at its concurrency (at least one round of it, so that
 * every connection is open). ACK_BENCH_WARM_UP raises it, to measure a process whose code V8 has
 * already optimised, as a bot that has been running a while.
 */
const WARM_UP_COMMANDS = Number(process.env.ACK_BENCH_WARM_UP ?? 0);
/**
 * ACK_BENCH_BOT_LOG=<file>: the bot's whole output (with ACK_BENCH_NODE_ARGS='--trace-gc', its
 * collections) is appended to this file, with a line where each measured burst starts and ends.
 */
const BOT_LOG = process.env.ACK_BENCH_BOT_LOG;
function markBotLog(line: string): void {
  if (BOT_LOG) appendFileSync(BOT_LOG, `=== ${line} (${new Date().toISOString()}, monotonic ${process.hrtime.bigint() / 1000n} µs)\n`);
}

export interface AckStats {
  sent: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answered with something other than 200, or not at all. */
  failed: number;
  /** Acknowledged after Slack's 3 seconds. */
  late: number;
  /** From the first command sent to the last acknowledgement. */
  wallMs: number;
  /** Peak resident set of the app's process. */
  peakRssMb: number;
  /**
   * CPU time (user + system) the app's process spent from the first command sent to the last
   * acknowledgement, per command: what each command costs the app while the burst lasts, whatever
   * the machine's other load.
   */
  cpuMsPerCommand: number;
  /** Connections the load had to open again before the burst (closed while it waited). */
  reopenedConnections: number;
}

/** CPU time (user + system) a process has used, in milliseconds, from /proc (Linux; NaN elsewhere). */
function processCpuMs(pid: number | undefined): number {
  try {
    // The fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** The value below which `share` of the sorted values fall (nearest rank). */
function percentile(sorted: number[], share: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

/** A path neither app serves: both answer 404 at once, without any work of a command. */
const KEEP_ALIVE_PATH = '/bench/keep-alive';

/**
 * Opens again the connections closed while the load waited, so that the measured burst starts, for
 * both apps, with every connection open, as Slack's stay open: undici closes a kept-alive
 * connection idle for 2 s less than the server's keep-alive timeout (Node's 5 s, so after 3 s),
 * and the bot's warm-up waits for its replies (Prolific's 2 s) before each burst, bare Bolt's only
 * 0.5 s. One request per connection, all at once; returns how many connections were reopened.
 */
async function reopenConnections(pool: Pool, concurrency: number): Promise<number> {
  const open = pool.stats.connected;
  if (open >= concurrency) return 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const res = await pool.request({ path: KEEP_ALIVE_PATH, method: 'GET' });
      await res.body.dump();
    }),
  );
  if (pool.stats.connected < concurrency) process.stderr.write(`ack: only ${pool.stats.connected} of ${concurrency} connections open before the burst\n`);
  return concurrency - open;
}

/** Forks this file in another role and returns the first message it sends. */
function forkRole<T>(role: string, env: Record<string, string> = {}): { child: ChildProcess; ready: Promise<T> } {
  const child = fork(__filename, [], { env: { ...process.env, ...env, [ROLE]: role }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = new Promise<T>((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) => reject(new Error(`${role} exited early (code ${code})`)));
  });
  return { child, ready };
}

/** Asks a forked process something and waits for its answer. */
function ask<T>(child: ChildProcess, question: Record<string, unknown>): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as T));
    child.send(question);
  });
}

// ---- The stand-ins: LocalSlack and the Prolific sandbox, in their own process ------------------

interface StandIns {
  slackApiUrl: string;
  botToken: string;
  prolificUrl: string;
  prolificToken: string;
  workspaceId: string;
}

async function serveStandIns(): Promise<void> {
  const slack = await LocalSlack.start({ botToken: `xoxb-bench-${randomBytes(12).toString('hex')}` });
  const sandbox = await createSandbox({ recordRequests: false });
  process.on('message', (raw) => {
    const message = raw as { ask: string; count?: number };
    if (message.ask === 'slow') {
      sandbox.faults.add({ latencyMs: PROLIFIC_LATENCY_MS });
      process.send?.({ ok: true });
    } else if (message.ask === 'responseUrls') {
      // Registered like the ones Slack puts in a command, so the bot's replies land.
      const urls = Array.from({ length: message.count ?? 0 }, () => slack.createResponseUrl({ channel: 'C_GENERAL', user: 'U_ALICE' }));
      process.send?.({ urls });
    } else if (message.ask === 'messages') {
      process.send?.({ count: slack.messages().length });
    }
  });
  process.on('SIGTERM', () => process.exit(0));
  process.send?.({ slackApiUrl: slack.apiUrl, botToken: slack.botToken, prolificUrl: sandbox.url, prolificToken: sandbox.token, workspaceId: sandbox.workspaceId } satisfies StandIns);
}

// ---- The apps ----------------------------------------------------------------------------------

interface AppUnderTest {
  appUrl: string;
  /** Whether it answers each command with a message (the bot does; the bare app only acknowledges). */
  replies: boolean;
  pid: number | undefined;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited early:\n${output()}`);
    if (await fetch(url).then((r) => r.status === 200, () => false)) return;
    if (Date.now() > deadline) throw new Error(`the app did not start:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The real bot, as `npm start` runs it in production. */
async function startBot(standIns: StandIns, signingSecret: string): Promise<AppUnderTest> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pgroup-bench-ack-'));
  const output: string[] = [];
  // ACK_BENCH_NODE_ARGS: flags for the bot's node that NODE_OPTIONS does not take (e.g. --trace-gc).
  const nodeArgs = (process.env.ACK_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(__dirname, '../src/index.js')], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      ...(process.env.ACK_BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.ACK_BENCH_NODE_OPTIONS } : {}),
      SLACK_BOT_TOKEN: standIns.botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: standIns.slackApiUrl,
      PROLIFIC_API_TOKEN: standIns.prolificToken,
      PROLIFIC_API_URL: standIns.prolificUrl,
      PROLIFIC_WORKSPACE_ID: standIns.workspaceId,
      ALLOWED_USER_IDS: 'U_ALICE',
      PORT: String(port),
      DATA_DIR: path.join(dataDir, 'store'),
      // PostgreSQL, as on Heroku, when the benchmark runs with DATABASE_URL; embedded PGlite otherwise.
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Drained (a full pipe would stall the bot's logging), and kept short for an error report.
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
    if (BOT_LOG) appendFileSync(BOT_LOG, chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await waitForHealth(`http://127.0.0.1:${port}/healthz`, child, () => output.join(''));
  return {
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    replies: true,
    pid: child.pid,
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Bolt app whose /pgroup only acknowledges. */
async function startBareBolt(standIns: StandIns, signingSecret: string): Promise<AppUnderTest> {
  const { child, ready } = forkRole<{ port: number }>('bare-bolt', { SLACK_BOT_TOKEN: standIns.botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: standIns.slackApiUrl });
  const { port } = await ready;
  return { appUrl: `http://127.0.0.1:${port}/slack/events`, replies: false, pid: child.pid, stop: () => stopChild(child) };
}

async function serveBareBolt(): Promise<void> {
  const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events' });
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN ?? '',
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
  });
  app.command('/pgroup', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as import('node:http').Server;
  const address = server.address();
  process.on('SIGTERM', () => process.exit(0));
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
}

// ---- The load --------------------------------------------------------------------------------

/** A slash command as Slack sends it, signed with the app's signing secret. */
function signedCommand(signingSecret: string, responseUrl: string): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({
    token: 'local-verification-token',
    team_id: 'T0LOCAL',
    team_domain: 'local-workspace',
    channel_id: 'C_GENERAL',
    channel_name: 'general',
    user_id: 'U_ALICE',
    user_name: 'alice',
    command: '/pgroup',
    text: COMMAND_TEXT,
    api_app_id: 'A0LOCALAPP',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${randomBytes(8).toString('hex')}`,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': `v0=${signature}`, 'x-slack-request-timestamp': String(timestamp) },
  };
}

/**
 * Sends the commands, `concurrency` at a time, over kept-alive connections as Slack's are;
 * returns each time to acknowledge (null: failed). undici's request costs the generator far
 * less CPU than fetch, so on a small machine the generator disturbs the app less.
 */
async function load(pool: Pool, signingSecret: string, responseUrls: string[], concurrency: number): Promise<{ acks: (number | null)[]; wallMs: number }> {
  const acks: (number | null)[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < responseUrls.length) {
      const { body, headers } = signedCommand(signingSecret, responseUrls[next++]!);
      const sent = performance.now();
      try {
        const res = await pool.request({ path: '/slack/events', method: 'POST', headers, body });
        await res.body.dump();
        acks.push(res.statusCode === 200 ? performance.now() - sent : null);
      } catch {
        acks.push(null);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { acks, wallMs: performance.now() - started };
}

async function measure(app: AppUnderTest, standIns: ChildProcess, signingSecret: string, level: Level): Promise<{ stats: AckStats; replies: number }> {
  const urls = async (count: number) => (await ask<{ urls: string[] }>(standIns, { ask: 'responseUrls', count })).urls;
  const pool = new Pool(new URL(app.appUrl).origin, { connections: level.concurrency });
  const warmUp = (await ask<{ count: number }>(standIns, { ask: 'messages' })).count;
  // At the measured concurrency, so that every connection is open before the measurement.
  const warmUpCommands = Math.max(level.concurrency, WARM_UP_COMMANDS);
  await load(pool, signingSecret, await urls(warmUpCommands), level.concurrency);
  // The warm-up's own work (and replies, for the bot) is over before the measured load starts.
  const settle = Date.now() + PROLIFIC_LATENCY_MS + 5000;
  while (Date.now() < settle && (await ask<{ count: number }>(standIns, { ask: 'messages' })).count - warmUp < (app.replies ? warmUpCommands : 0)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = (await ask<{ count: number }>(standIns, { ask: 'messages' })).count;
  const commandUrls = await urls(level.commands);
  const reopened = await reopenConnections(pool, level.concurrency);
  const cpuBefore = processCpuMs(app.pid);
  if (app.replies) markBotLog(`measured burst ${level.commands} @ ${level.concurrency} starts`);
  const { acks, wallMs } = await load(pool, signingSecret, commandUrls, level.concurrency);
  if (app.replies) markBotLog(`measured burst ${level.commands} @ ${level.concurrency} ends`);
  const cpuMsPerCommand = (processCpuMs(app.pid) - cpuBefore) / level.commands;
  await pool.close();
  // The work after each ack (Prolific's 2 s, then the reply) is done too: count the replies.
  let replies = 0;
  const deadline = Date.now() + (app.replies ? 30_000 : 0);
  while (Date.now() < deadline) {
    replies = (await ask<{ count: number }>(standIns, { ask: 'messages' })).count - before;
    if (replies >= level.commands) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const times = acks.filter((a): a is number => a !== null).sort((a, b) => a - b);
  return {
    stats: {
      sent: acks.length,
      p50Ms: percentile(times, 0.5),
      p99Ms: percentile(times, 0.99),
      maxMs: times[times.length - 1] ?? Number.NaN,
      failed: acks.filter((a) => a === null).length,
      late: times.filter((t) => t > SLACK_LIMIT_MS).length,
      wallMs,
      peakRssMb: processRssMb(app.pid, 'VmHWM'),
      cpuMsPerCommand,
      reopenedConnections: reopened,
    },
    replies,
  };
}

/** The median of each figure over the runs; the highest max and peak RSS; the failed and late acks of all runs. */
function medianStats(runs: AckStats[]): AckStats {
  return {
    sent: median(runs.map((r) => r.sent)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    maxMs: Math.max(...runs.map((r) => r.maxMs)),
    failed: runs.reduce((n, r) => n + r.failed, 0),
    late: runs.reduce((n, r) => n + r.late, 0),
    wallMs: median(runs.map((r) => r.wallMs)),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    cpuMsPerCommand: median(runs.map((r) => r.cpuMsPerCommand)),
    reopenedConnections: Math.max(...runs.map((r) => r.reopenedConnections)),
  };
}

/** One measurement of each app at each level: the bare Bolt app's, then the bot's (one process each). */
async function measureOnce(signingSecret: string): Promise<{ bot: AckStats; bare: AckStats; botReplies: number }[]> {
  const { child: standInsProcess, ready } = forkRole<StandIns>('stand-ins');
  try {
    const standIns = await ready;
    const bare: AckStats[] = [];
    const bareApp = await startBareBolt(standIns, signingSecret);
    try {
      for (const level of LEVELS) bare.push((await measure(bareApp, standInsProcess, signingSecret, level)).stats);
    } finally {
      await bareApp.stop();
    }
    // The bot starts against a quick sandbox (startup reads the workspace); then Prolific slows down.
    const botApp = await startBot(standIns, signingSecret);
    await ask(standInsProcess, { ask: 'slow' });
    try {
      const results: { bot: AckStats; bare: AckStats; botReplies: number }[] = [];
      for (const [i, level] of LEVELS.entries()) {
        const { stats, replies } = await measure(botApp, standInsProcess, signingSecret, level);
        results.push({ bot: stats, bare: bare[i]!, botReplies: replies });
      }
      return results;
    } finally {
      await botApp.stop();
    }
  } finally {
    await stopChild(standInsProcess);
  }
}

export interface LevelResult {
  level: Level;
  bot: AckStats;
  bare: AckStats;
  botReplies: number;
  runs: { bot: AckStats; bare: AckStats }[];
}

/** Both measurements at every level, REPEATS times: each run's figures and their medians. */
export async function measureAcks(): Promise<LevelResult[]> {
  const signingSecret = randomBytes(16).toString('hex');
  const runs: { bot: AckStats; bare: AckStats; botReplies: number }[][] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await measureOnce(signingSecret));
  return LEVELS.map((level, l) => {
    const at = runs.map((run) => run[l]!);
    return {
      level,
      bot: medianStats(at.map((r) => r.bot)),
      bare: medianStats(at.map((r) => r.bare)),
      botReplies: Math.min(...at.map((r) => r.botReplies)),
      runs: at,
    };
  });
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const range = (values: number[]) => `${ms(Math.min(...values))}–${ms(Math.max(...values))}`;

export async function run(): Promise<BenchRow[]> {
  const results = await measureAcks();
  const detail = (s: AckStats) =>
    `${Math.round((s.sent / s.wallMs) * 1000)} cmd/s; ack p50 ${ms(s.p50Ms)}, p99 ${ms(s.p99Ms)}, max ${ms(s.maxMs)}; ${s.failed} failed, ${s.late} > 3 s; CPU ${s.cpuMsPerCommand.toFixed(2)} ms/cmd`;
  const rows: BenchRow[] = [];
  for (const { level, bot, bare, botReplies, runs } of results) {
    const what = `${level.commands} × /pgroup ${COMMAND_TEXT} @ ${level.concurrency}`;
    for (const [i, r] of runs.entries()) {
      process.stderr.write(
        `ack ${what}, run ${i + 1}: bot p50 ${ms(r.bot.p50Ms)} p99 ${ms(r.bot.p99Ms)} max ${ms(r.bot.maxMs)} CPU ${r.bot.cpuMsPerCommand.toFixed(2)} ms/cmd, ${r.bot.reopenedConnections} connections reopened; bare Bolt p50 ${ms(r.bare.p50Ms)} p99 ${ms(r.bare.p99Ms)} max ${ms(r.bare.maxMs)} CPU ${r.bare.cpuMsPerCommand.toFixed(2)} ms/cmd, ${r.bare.reopenedConnections} reopened; ratio ${(r.bot.p99Ms / r.bare.p99Ms).toFixed(2)}\n`,
      );
    }
    process.stderr.write(`ack ${what}: the bot replied to every command once Prolific answered: ${botReplies >= level.commands ? 'yes' : `no, ${botReplies}`}.\n`);
    const ratio = bot.p99Ms / bare.p99Ms;
    const ok = bot.failed === 0 && bot.late === 0 && ratio <= AIM_RATIO && botReplies >= level.commands;
    rows.push(
      {
        name: `ack: ${what}, Prolific +2 s (median of ${REPEATS})`,
        wallMs: bot.wallMs,
        throughput: `${detail(bot)}; p99 ${ratio.toFixed(2)}× bare (runs ${range(runs.map((r) => r.bot.p99Ms))})`,
        peakRssMb: bot.peakRssMb,
        aim: AIM,
        ok,
      },
      {
        name: `ack baseline: bare Bolt, no-op /pgroup, ${level.commands} @ ${level.concurrency} (median of ${REPEATS})`,
        wallMs: bare.wallMs,
        throughput: `${detail(bare)} (runs ${range(runs.map((r) => r.bare.p99Ms))})`,
        peakRssMb: bare.peakRssMb,
        aim: '(baseline)',
        ok: bare.failed === 0 && bare.late === 0,
      },
    );
  }
  return rows;
}

const role = process.env[ROLE];
const roles: Record<string, () => Promise<void>> = { 'stand-ins': serveStandIns, 'bare-bolt': serveBareBolt };
if (role) {
  roles[role]?.().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
} else if (require.main === module) {
  runAndPrint(run);
}
