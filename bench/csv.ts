// Benchmark of the CSV upload preview: a CSV of N ids against the sandbox's N-member "Benchmark
// panel", for N = 1,000, 10,000, 100,000 and 419,429 (the most a 10 MB file of ids holds), through
// the real app path (LocalSlack, a signed view submission, Bolt, the bot, the Prolific client, the
// store), timed from the view submission to the preview message posted in the LocalSlack. For
// comparison, in the same run and round, the bare cost of the same work with no app logic:
// download the file from the LocalSlack, parse it with papaparse, and list the group's members,
// one after the other (the aim's baseline).
//
// The sandbox runs in its own process, and each scenario in a fresh one, so the peak RSS is that
// of the app (with the LocalSlack and the driver, which stand in for Slack) or of the bare code.
// The app runs with its store on PGlite in memory (as the tests run it), on PGlite in a data
// directory initialised beforehand (as the app runs after its first start), and on PostgreSQL
// when DATABASE_URL is set (e.g. `bash scripts/with-postgres.sh npm run bench:csv`).
//
//   npm run bench:csv            BENCH_VERBOSE=1 also prints each run and the memory at each step
//   BENCH_CSV_SIZES=100000       only these sizes (comma-separated); BENCH_CSV_ROUNDS=3 rounds

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
import { MAX_UPLOAD_BYTES } from '../src/slack/slackFiles';
import { openStore } from '../src/store';
import { type BenchRow, median, runAndPrint, runInFreshProcess, type Scenario, serveScenario, startSandboxProcess } from './report';

/** The most ids a file within the 10 MB upload limit holds: a header and 24 characters and a newline per id. */
export const MAX_ROWS = Math.floor((MAX_UPLOAD_BYTES - 'participant_id\n'.length) / 25);
const SIZES = [1_000, 10_000, 100_000, MAX_ROWS];
/** Rows of the warm-up upload (to the 5,000-member "Main panel"), so the measured run is not the first. */
const WARM_UP_ROWS = 2_000;
const ROUNDS = 3;
/** The issue's aims: time and extra peak RSS against the bare path in the same run, and linear growth. */
const AIMS: Record<number, { ratio: number; extraRssMb?: number }> = { 100000: { ratio: 1.2 }, [MAX_ROWS]: { ratio: 1.5, extraRssMb: 200 } };
const AIM_GROWTH = 1.1;
const USER = 'U_ALICE';

type StoreChoice = { kind: 'pglite-memory' } | { kind: 'pglite-dir'; dataDir: string } | { kind: 'postgres'; databaseUrl: string };

interface ScenarioInput {
  url: string;
  token: string;
  /** app: where the store keeps its data (default PGlite in memory). */
  store?: StoreChoice;
  /** How many ids the file holds; the benchmark group has as many members. */
  rows: number;
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
  process.stderr.write(`  ${what} (at ${process.hrtime.bigint() / 1000n} µs): rss ${mb(m.rss)}, external ${mb(m.external)}, heap ${mb(m.heapUsed)}, peak ${mb(process.resourceUsage().maxRSS * 1024)}\n`);
}

/**
 * A file of `rows` ids under a participant_id header (the shape that reaches 419,429 ids within
 * 10 MB), in a CSV of any size: half are members of the benchmark group, half are new, so a
 * Replace adds rows/2 and removes rows/2.
 */
function buildCsv(rows: number, firstParticipant: number): string {
  const lines = ['participant_id'];
  for (let i = 0; i < rows; i++) lines.push(sandboxParticipantId(firstParticipant + i));
  return `${lines.join('\n')}\n`;
}

/** The measured file: the second half of the group's members, then as many new ids. */
function benchmarkCsv(rows: number): string {
  return buildCsv(rows, BENCHMARK_FIRST_PARTICIPANT + Math.floor(rows / 2));
}

function rowsPerSecond(rows: number, ms: number): string {
  return `${Math.round((rows / ms) * 1000).toLocaleString('en-GB')} rows/s`;
}

const count = (n: number) => n.toLocaleString('en-GB');

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
      trace('submitting');
      const started = performance.now();
      const answer = await driver.viewSubmission({ user: USER, viewId: form.id, values: { file_input: { files: [file] }, mode_choice: 'replace' } });
      if (answer.outcome.outcome !== 'updated') throw new Error(`the submission was refused: ${JSON.stringify(answer.outcome)}`);
      const preview = await posted;
      return { wallMs: performance.now() - started, preview };
    };

    trace('app started');
    await upload('Main panel', buildCsv(WARM_UP_ROWS, 1));
    const rows = input.rows;
    const csv = benchmarkCsv(rows);
    trace('warmed up, file built');
    const { wallMs, preview } = await upload('Benchmark panel', csv);
    trace('previewed');
    const text = JSON.stringify(preview.blocks);
    const half = Math.floor(rows / 2);
    const ok = text.includes(`*To add*\\n${count(half)}`) && text.includes(`*To remove*\\n${count(half)}`) && text.includes(`*Members after*\\n${count(rows)}`);
    await bot.stop({ drainMs: 10_000 });
    await slack.close();
    return { wallMs, throughput: rowsPerSecond(rows, wallMs), ok, ...(ok ? {} : { note: `unexpected preview: ${text.slice(0, 300)}` }) };
  },

  /** Initialises a PGlite data directory (in its own process, to keep PGlite out of the parent). */
  async prepare(raw) {
    const { dataDir } = raw as { dataDir: string };
    await (await openStore({ dataDir })).close();
    return { wallMs: 0, ok: true };
  },

  /** The same work without the app: download from the LocalSlack, papaparse, list the members. */
  async bare(raw) {
    const input = raw as ScenarioInput;
    const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
    const slack = await LocalSlack.start({ botToken });
    const prolific = new ProlificClient({ token: input.token, baseUrl: input.url });

    const readAndFetch = async (groupId: string, csv: string) => {
      const file = slack.hostFile({ name: 'participants.csv', content: csv, user: USER });
      collectGarbage();
      const started = performance.now();
      const res = await request(file.url_private_download, { headers: { authorization: `Bearer ${botToken}` } });
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      const parsed = Papa.parse<string[]>(Buffer.concat(chunks).toString('utf8'), { skipEmptyLines: true });
      const memberCount = (await prolific.listMembers(groupId)).length;
      return { wallMs: performance.now() - started, rows: parsed.data.length, members: memberCount };
    };

    trace('bare started');
    await readAndFetch(SEED_GROUP_IDS.mainPanel, buildCsv(WARM_UP_ROWS, 1));
    const csv = benchmarkCsv(input.rows);
    trace('warmed up, file built');
    const { wallMs, rows, members } = await readAndFetch(SEED_GROUP_IDS.benchmark, csv);
    trace('read');
    await prolific.close();
    await slack.close();
    return { wallMs, throughput: rowsPerSecond(input.rows, wallMs), ok: rows === input.rows + 1 && members === input.rows };
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
  /** The scenario's input beyond the sandbox's address and the size, made afresh for each run. */
  input: () => Omit<ScenarioInput, 'url' | 'token' | 'rows'>;
}

interface Summary {
  wallMs: number;
  peakRssMb: number;
  ok: boolean;
  /** The wall time and peak RSS of each round, in order. */
  rounds: { wallMs: number; peakRssMb: number }[];
}

/**
 * Runs every variant once per round, in turn, each in a fresh process with a fresh sandbox of
 * `rows` members. Load from elsewhere on the machine drifts over a run; interleaving lets app and
 * bare share it, and the app's ratios are taken round by round.
 */
async function measureRounds(rows: number, variants: Variant[], rounds: number): Promise<Map<string, Summary>> {
  const runs = new Map<string, Awaited<ReturnType<typeof runInFreshProcess>>[]>(variants.map((v) => [v.key, []]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const sandbox = await startSandboxProcess(rows);
      try {
        runs.get(variant.key)!.push(await runInFreshProcess(__filename, variant.scenario, { url: sandbox.url, token: sandbox.token, rows, ...variant.input() } satisfies ScenarioInput));
      } finally {
        await sandbox.stop();
      }
    }
  }
  const summaries = new Map<string, Summary>();
  for (const [key, list] of runs) {
    for (const run of list) if (run.note) process.stderr.write(`${count(rows)} ${key}: ${run.note}\n`);
    if (process.env['BENCH_VERBOSE']) process.stderr.write(`${count(rows)} ${key}: ${list.map((run) => `${run.wallMs.toFixed(0)} ms / ${run.peakRssMb.toFixed(0)} MB`).join(', ')}\n`);
    summaries.set(key, {
      wallMs: median(list.map((run) => run.wallMs)),
      peakRssMb: median(list.map((run) => run.peakRssMb)),
      ok: list.every((run) => run.ok),
      rounds: list.map((run) => ({ wallMs: run.wallMs, peakRssMb: run.peakRssMb })),
    });
  }
  return summaries;
}

/** The median over the rounds of app ÷ bare (time) and app − bare (peak RSS). */
function toBare(app: Summary, bare: Summary): { ratio: number; extraRssMb: number } {
  return {
    ratio: median(app.rounds.map((r, i) => r.wallMs / bare.rounds[i]!.wallMs)),
    extraRssMb: median(app.rounds.map((r, i) => r.peakRssMb - bare.rounds[i]!.peakRssMb)),
  };
}

function aimText(rows: number): string {
  const aim = AIMS[rows];
  if (!aim) return '(curve)';
  return `≤ ${aim.ratio}x bare${aim.extraRssMb ? `, ≤ +${aim.extraRssMb} MB` : ''}`;
}

function appRow(rows: number, what: string, app: Summary, bare: Summary): BenchRow {
  const { ratio, extraRssMb } = toBare(app, bare);
  const aim = AIMS[rows];
  return {
    name: `csv: preview, ${count(rows)} ids vs ${count(rows)} members (app, ${what})`,
    wallMs: app.wallMs,
    throughput: `${rowsPerSecond(rows, app.wallMs)}, ${ratio.toFixed(2)}x bare, ${extraRssMb >= 0 ? '+' : ''}${extraRssMb.toFixed(0)} MB`,
    peakRssMb: app.peakRssMb,
    aim: aimText(rows),
    ok: app.ok && (!aim || (ratio <= aim.ratio && (aim.extraRssMb === undefined || extraRssMb <= aim.extraRssMb))),
  };
}

function bareRow(rows: number, bare: Summary): BenchRow {
  return {
    name: `csv: bare download + parse + members fetch, ${count(rows)} ids`,
    wallMs: bare.wallMs,
    throughput: rowsPerSecond(rows, bare.wallMs),
    peakRssMb: bare.peakRssMb,
    aim: 'baseline',
    ok: bare.ok,
  };
}

/**
 * How the time grows with the number of ids, 1 being linear: (time at the largest ÷ time at the
 * base) ÷ (ids there ÷ ids at the base), from 10,000 (the issue's measure, which the fixed cost
 * of a small preview flatters) and from 100,000 (where the per-id cost dominates).
 */
function growthRow(what: string, bySize: Map<number, Summary>): BenchRow | null {
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  const large = sizes[sizes.length - 1]!;
  const bases = [10_000, 100_000].filter((n) => n < large && bySize.has(n));
  if (!bases.length) return null;
  const growth = (base: number) => bySize.get(large)!.wallMs / bySize.get(base)!.wallMs / (large / base);
  return {
    name: `csv: growth to ${count(large)} ids (${what})`,
    wallMs: bySize.get(large)!.wallMs,
    throughput: bases.map((base) => `from ${count(base)}: ${growth(base).toFixed(2)}x linear`).join(', '),
    peakRssMb: bySize.get(large)!.peakRssMb,
    aim: `≤ ${AIM_GROWTH}x linear`,
    ok: bases.every((base) => growth(base) <= AIM_GROWTH),
  };
}

export async function run(): Promise<BenchRow[]> {
  const sizes = process.env['BENCH_CSV_SIZES'] ? process.env['BENCH_CSV_SIZES'].split(',').map(Number) : SIZES;
  const rounds = Number(process.env['BENCH_CSV_ROUNDS'] ?? ROUNDS);
  // A data directory initialised once, copied for each run: PGlite's first start is not part of
  // the app's steady state. It is prepared in a child process because a forked process starts
  // with its parent's peak RSS as its own.
  const scratch = mkdtempSync(path.join(tmpdir(), 'pgroup-bench-csv-'));
  try {
    const prepared = path.join(scratch, 'prepared');
    await runInFreshProcess(__filename, 'prepare', { dataDir: prepared });
    let copies = 0;
    const databaseUrl = process.env['DATABASE_URL'];
    const stores: { key: string; what: string; input: Variant['input'] }[] = [
      { key: 'app, PGlite in memory', what: 'store on PGlite in memory', input: () => ({}) },
      {
        key: 'app, PGlite data directory',
        what: 'store on PGlite in a data directory',
        input: () => {
          const dataDir = path.join(scratch, `run-${++copies}`);
          cpSync(prepared, dataDir, { recursive: true });
          return { store: { kind: 'pglite-dir', dataDir } };
        },
      },
      ...(databaseUrl ? [{ key: 'app, PostgreSQL', what: 'store on PostgreSQL', input: () => ({ store: { kind: 'postgres' as const, databaseUrl } }) }] : []),
    ];
    const variants: Variant[] = [{ key: 'bare', scenario: 'bare', input: () => ({}) }, ...stores.map((s) => ({ key: s.key, scenario: 'app' as const, input: s.input }))];
    const bySize = new Map<number, Map<string, Summary>>();
    for (const rows of sizes) bySize.set(rows, await measureRounds(rows, variants, rounds));
    const table: BenchRow[] = [];
    for (const rows of sizes) {
      const results = bySize.get(rows)!;
      table.push(bareRow(rows, results.get('bare')!));
      for (const store of stores) table.push(appRow(rows, store.what, results.get(store.key)!, results.get('bare')!));
    }
    for (const variant of [{ key: 'bare', what: 'bare' }, ...stores]) {
      const row = growthRow(variant.what, new Map(sizes.map((rows) => [rows, bySize.get(rows)!.get(variant.key)!])));
      if (row) table.push(row);
    }
    return table;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module && !serveScenario(scenarios)) {
  runAndPrint(run);
}
