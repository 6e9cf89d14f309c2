// Benchmark of the CSV upload preview: a 100,000-row CSV against the sandbox's 100,000-member
// "Benchmark panel", through the real app path (LocalSlack, a signed view submission, Bolt, the
// bot, the Prolific client, the store), timed from the view submission to the preview message
// posted in the LocalSlack. For comparison, in the same run, the bare cost of the same work with
// no app logic: download the file from the LocalSlack, parse it with papaparse, and list the
// group's members, one after the other (the aim's baseline) and, stricter, with the members
// requested while the file downloads, as the app does.
//
// The sandbox runs in its own process, and each scenario in a fresh one, so the peak RSS is that
// of the app (with the LocalSlack and the driver, which stand in for Slack) or of the bare code.
// The app runs with its store on PGlite in memory (as the tests run it), on PGlite in a data
// directory initialised beforehand (as the app runs after its first start), and on PostgreSQL
// when DATABASE_URL is set (e.g. `bash scripts/with-postgres.sh npm run bench:csv`).
//
//   npm run bench:csv            BENCH_VERBOSE=1 also prints each run and the memory at each step

import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LogLevel } from '@slack/bolt';
import Papa from 'papaparse';
import { request } from 'undici';
import { createBot } from '../src/app';
import { readConfig } from '../src/config';
import { type LocalMessage, LocalSlack, SlackDriver } from '../src/local/slack';
import { AppLogger } from '../src/logging';
import { ProlificClient } from '../src/prolific';
import { BENCHMARK_FIRST_PARTICIPANT, SEED_GROUP_IDS, SEED_WORKSPACE_ID, sandboxParticipantId } from '../src/local/prolific-sandbox/seed';
import { openStore } from '../src/store';
import { type BenchRow, median, printTable, runInFreshProcess, type Scenario, serveScenario, startSandboxProcess } from './report';

const GROUP_SIZE = 100_000;
const ROWS = 100_000;
/** Rows of the warm-up upload (to the 5,000-member "Main panel"), so the measured run is not the first. */
const WARM_UP_ROWS = 2_000;
const REPEATS = 5;
const AIM_WALL_MS = 2000;
const AIM_RATIO = 1.5;
const AIM_RSS_MB = 250;
const USER = 'U_ALICE';

type StoreChoice = { kind: 'pglite-memory' } | { kind: 'pglite-dir'; dataDir: string } | { kind: 'postgres'; databaseUrl: string };

interface ScenarioInput {
  url: string;
  token: string;
  /** app: where the store keeps its data (default PGlite in memory). */
  store?: StoreChoice;
  /** bare: list the members while the file downloads, as the app does (default: one after the other). */
  overlap?: boolean;
}

/**
 * Collects the garbage left by setting up (e.g. building the 5 MB file), so that the timed part
 * of either scenario does not pay for it. Node exposes gc() only with a flag, set here at runtime.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function trace(what: string): void {
  if (!process.env['BENCH_VERBOSE']) return;
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const m = process.memoryUsage();
  process.stderr.write(`  ${what}: rss ${mb(m.rss)}, external ${mb(m.external)}, heap ${mb(m.heapUsed)}, peak ${mb(process.resourceUsage().maxRSS * 1024)}\n`);
}

/**
 * A CSV as researchers export it: an id column and a few others. Half the ids are members of the
 * benchmark group and half are new, so a Replace adds 50,000 and removes 50,000. About 5.5 MB.
 */
function buildCsv(rows: number, firstParticipant: number): string {
  const lines = ['participant_id,status,completed_at,score'];
  for (let i = 0; i < rows; i++) {
    const id = sandboxParticipantId(firstParticipant + i);
    lines.push(`${id},APPROVED,2026-11-${String(1 + (i % 28)).padStart(2, '0')}T09:${String(i % 60).padStart(2, '0')}:00Z,${i % 100}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The measured file: the second half of the group's members, then as many new ids. */
function benchmarkCsv(): string {
  return buildCsv(ROWS, BENCHMARK_FIRST_PARTICIPANT + GROUP_SIZE / 2);
}

function rowsPerSecond(ms: number): string {
  return `${Math.round((ROWS / ms) * 1000).toLocaleString('en-GB')} rows/s`;
}

/** Resolves with the first preview (a message with the operation's buttons) posted after now. */
function nextPreview(slack: LocalSlack): Promise<LocalMessage> {
  return new Promise((resolve) => {
    const listener = (message: LocalMessage) => {
      if (JSON.stringify(message.blocks ?? []).includes('"op_cancel"')) {
        slack.events.off('message', listener);
        resolve(message);
      }
    };
    slack.events.on('message', listener);
  });
}

const scenarios: Record<string, Scenario> = {
  /** The real app path: open the modal, then time the submission until the preview is posted. */
  async app(raw) {
    const input = raw as ScenarioInput;
    const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
    const signingSecret = randomBytes(16).toString('hex');
    const slack = await LocalSlack.start({ botToken });
    const { config } = readConfig({
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PROLIFIC_API_TOKEN: input.token,
      PROLIFIC_API_URL: input.url,
      PORT: '0',
    });
    const logger = new AppLogger({ level: LogLevel.WARN, sink: () => undefined, secrets: [input.token, botToken, signingSecret] });
    const prolific = new ProlificClient({ token: input.token, baseUrl: input.url });
    const choice = input.store ?? { kind: 'pglite-memory' };
    const store = await openStore(choice.kind === 'postgres' ? { databaseUrl: choice.databaseUrl } : choice.kind === 'pglite-dir' ? { dataDir: choice.dataDir } : {});
    const bot = await createBot({ slack: config.slack!, config, logger, prolific, store, workspaceId: SEED_WORKSPACE_ID });
    const port = await bot.start(0);
    const driver = new SlackDriver({ slack, appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret });

    const upload = async (groupName: string, csv: string): Promise<{ wallMs: number; preview: LocalMessage }> => {
      const views = new Set(slack.views().map((v) => v.id));
      await driver.command('/pgroup', `upload "${groupName}"`, { user: USER, channel: 'C_GENERAL' });
      const form = await until(() => slack.openModals(USER).find((v) => !views.has(v.id) && v.view.callback_id === 'upload_modal'));
      const file = slack.hostFile({ name: 'participants.csv', content: csv, user: USER });
      const posted = nextPreview(slack);
      collectGarbage();
      const started = performance.now();
      const answer = await driver.viewSubmission({ user: USER, viewId: form.id, values: { file_input: { files: [file] }, mode_choice: 'replace' } });
      if (answer.outcome.outcome !== 'updated') throw new Error(`the submission was refused: ${JSON.stringify(answer.outcome)}`);
      const preview = await posted;
      return { wallMs: performance.now() - started, preview };
    };

    trace('app started');
    await upload('Main panel', buildCsv(WARM_UP_ROWS, 1));
    const csv = benchmarkCsv();
    trace('warmed up, file built');
    const { wallMs, preview } = await upload('Benchmark panel', csv);
    trace('previewed');
    const text = JSON.stringify(preview.blocks);
    const ok = text.includes('*To add*\\n50,000') && text.includes('*To remove*\\n50,000') && text.includes('*Members after*\\n100,000');
    await bot.stop({ drainMs: 10_000 });
    await slack.close();
    return { wallMs, throughput: rowsPerSecond(wallMs), ok, ...(ok ? {} : { note: `unexpected preview: ${text.slice(0, 300)}` }) };
  },

  /** Initialises a PGlite data directory (in its own process, to keep PGlite out of the parent). */
  async prepare(raw) {
    const { dataDir } = raw as { dataDir: string };
    await (await openStore({ dataDir })).close();
    return { wallMs: 0, ok: true };
  },

  /** The same work without the app: download from the LocalSlack, papaparse, list the members. */
  async bare(raw) {
    const { overlap = false } = raw as ScenarioInput;
    const input = raw as ScenarioInput;
    const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
    const slack = await LocalSlack.start({ botToken });
    const prolific = new ProlificClient({ token: input.token, baseUrl: input.url });

    const readAndFetch = async (groupId: string, csv: string) => {
      const file = slack.hostFile({ name: 'participants.csv', content: csv, user: USER });
      collectGarbage();
      const started = performance.now();
      const early = overlap ? prolific.listMembers(groupId) : null;
      early?.catch(() => undefined); // awaited below
      const res = await request(file.url_private_download, { headers: { authorization: `Bearer ${botToken}` } });
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      const parsed = Papa.parse<string[]>(Buffer.concat(chunks).toString('utf8'), { skipEmptyLines: true });
      const memberCount = (await (early ?? prolific.listMembers(groupId))).length;
      return { wallMs: performance.now() - started, rows: parsed.data.length, members: memberCount };
    };

    trace('bare started');
    await readAndFetch(SEED_GROUP_IDS.mainPanel, buildCsv(WARM_UP_ROWS, 1));
    const csv = benchmarkCsv();
    trace('warmed up, file built');
    const { wallMs, rows, members } = await readAndFetch(SEED_GROUP_IDS.benchmark, csv);
    trace('read');
    await prolific.close();
    await slack.close();
    return { wallMs, throughput: rowsPerSecond(wallMs), ok: rows === ROWS + 1 && members === GROUP_SIZE };
  },
};

async function until<T>(read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the upload form');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}


interface Variant {
  key: string;
  scenario: 'app' | 'bare';
  /** The scenario's input beyond the sandbox's address, made afresh for each run. */
  input: () => Omit<ScenarioInput, 'url' | 'token'>;
}

interface Summary {
  wallMs: number;
  peakRssMb: number;
  ok: boolean;
  /** The wall time of each round, in order. */
  rounds: number[];
}

/**
 * Runs every variant once per round, in turn, each in a fresh process with a fresh sandbox. Load
 * from elsewhere on the machine drifts over a run; interleaving lets app and bare share it, and
 * the app's ratio is taken round by round.
 */
async function measureRounds(variants: Variant[]): Promise<Map<string, Summary>> {
  const runs = new Map<string, Awaited<ReturnType<typeof runInFreshProcess>>[]>(variants.map((v) => [v.key, []]));
  for (let round = 0; round < REPEATS; round++) {
    for (const variant of variants) {
      const sandbox = await startSandboxProcess(GROUP_SIZE);
      try {
        runs.get(variant.key)!.push(await runInFreshProcess(__filename, variant.scenario, { url: sandbox.url, token: sandbox.token, ...variant.input() } satisfies ScenarioInput));
      } finally {
        await sandbox.stop();
      }
    }
  }
  const summaries = new Map<string, Summary>();
  for (const [key, list] of runs) {
    for (const run of list) if (run.note) process.stderr.write(`${key}: ${run.note}\n`);
    if (process.env['BENCH_VERBOSE']) process.stderr.write(`${key}: ${list.map((run) => `${run.wallMs.toFixed(0)} ms / ${run.peakRssMb.toFixed(0)} MB`).join(', ')}\n`);
    summaries.set(key, {
      wallMs: median(list.map((run) => run.wallMs)),
      peakRssMb: Math.max(...list.map((run) => run.peakRssMb)),
      ok: list.every((run) => run.ok),
      rounds: list.map((run) => run.wallMs),
    });
  }
  return summaries;
}

/** The median over the rounds of app ÷ bare. */
function ratio(app: Summary, bare: Summary): number {
  return median(app.rounds.map((ms, i) => ms / bare.rounds[i]!));
}

function appRow(what: string, app: Summary, sequential: Summary, overlapped: Summary): BenchRow {
  const toBare = ratio(app, sequential);
  return {
    name: `csv: preview, 100k rows vs 100k members (app, ${what})`,
    wallMs: app.wallMs,
    throughput: `${rowsPerSecond(app.wallMs)}, ${toBare.toFixed(2)}x bare (${ratio(app, overlapped).toFixed(2)}x overlapped)`,
    peakRssMb: app.peakRssMb,
    aim: `< 2 s, ≤ ${AIM_RATIO}x bare, < ${AIM_RSS_MB} MB`,
    ok: app.ok && app.wallMs < AIM_WALL_MS && toBare <= AIM_RATIO && app.peakRssMb < AIM_RSS_MB,
  };
}

function bareRow(what: string, bare: Summary): BenchRow {
  return {
    name: `csv: bare download + parse + members fetch, ${what}`,
    wallMs: bare.wallMs,
    throughput: rowsPerSecond(bare.wallMs),
    peakRssMb: bare.peakRssMb,
    aim: 'baseline',
    ok: bare.ok,
  };
}

export async function run(): Promise<BenchRow[]> {
  // A data directory initialised once, copied for each run: PGlite's first start (initdb) is
  // not part of the app's steady state. It is prepared in a child process because a forked
  // process starts with its parent's peak RSS as its own.
  const scratch = mkdtempSync(path.join(tmpdir(), 'pgroup-bench-csv-'));
  try {
    const prepared = path.join(scratch, 'prepared');
    await runInFreshProcess(__filename, 'prepare', { dataDir: prepared });
    let copies = 0;
    const databaseUrl = process.env['DATABASE_URL'];
    const variants: Variant[] = [
      { key: 'bare, one after the other', scenario: 'bare', input: () => ({}) },
      { key: 'bare, overlapped', scenario: 'bare', input: () => ({ overlap: true }) },
      { key: 'app, PGlite in memory', scenario: 'app', input: () => ({}) },
      {
        key: 'app, PGlite data directory',
        scenario: 'app',
        input: () => {
          const dataDir = path.join(scratch, `run-${++copies}`);
          cpSync(prepared, dataDir, { recursive: true });
          return { store: { kind: 'pglite-dir', dataDir } };
        },
      },
      ...(databaseUrl ? [{ key: 'app, PostgreSQL', scenario: 'app' as const, input: () => ({ store: { kind: 'postgres' as const, databaseUrl } }) }] : []),
    ];
    const results = await measureRounds(variants);
    const get = (key: string) => results.get(key)!;
    const sequential = get('bare, one after the other');
    const overlapped = get('bare, overlapped');
    return [
      appRow('store on PGlite in memory', get('app, PGlite in memory'), sequential, overlapped),
      appRow('store on PGlite in a data directory', get('app, PGlite data directory'), sequential, overlapped),
      ...(databaseUrl ? [appRow('store on PostgreSQL', get('app, PostgreSQL'), sequential, overlapped)] : []),
      bareRow('one after the other', sequential),
      bareRow('members fetched during the download', overlapped),
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module && !serveScenario(scenarios)) {
  run()
    .then(printTable)
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
