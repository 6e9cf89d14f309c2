// Benchmark of what a confirmed write costs on the embedded store now that each commit is synced
// to the disk (src/store/pgliteSyncedDisk.ts). Three scenarios, each in a fresh process, three
// times, 300 single-row commits after 20 to warm up; the table shows the median time per commit
// (median of the three runs' medians) and its p99:
// - synced: the store as the app opens it on disk (openPgliteDatabase with a data directory);
// - unsynced: PGlite as it starts by default (`-F`, fsync off), as the store was before;
// - bare: the baseline, an 8 kB write and fsync() of a plain file, i.e. what the disk charges.
//   The file is written in full first, like a WAL segment.
//
//   npm run bench:commit
//   strace -f -qq -y -e trace=fsync,fdatasync,sync_file_range,msync -o commit.strace node dist/bench/commit.js
// The strace line shows which files each scenario synced: its data directory is named after it
// (docs/BENCHMARKS.md, "Durability of the embedded store", has the counts).

import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openPgliteDatabase } from '../src/store/pgliteDatabase';
import { type BenchRow, median, runAndPrint, runInFreshProcess, type Scenario, serveScenario } from './report';

const COMMITS = 300;
const WARM_UP = 20;
const REPEATS = 3;
const AIM_MS = 20;
const PAGE = Buffer.alloc(8192, 1);

/** Times `commit` COMMITS times after WARM_UP untimed calls: median and p99 in ms. */
async function timeCommits(commit: (i: number) => Promise<void> | void): Promise<{ medianMs: number; p99Ms: number }> {
  for (let i = 0; i < WARM_UP; i++) await commit(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < COMMITS; i++) {
    const started = performance.now();
    await commit(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: median(times), p99Ms: times[Math.ceil(0.99 * times.length) - 1]! };
}

async function inDataDir<T>(name: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), `commit-${name}-`));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const outcome = ({ medianMs, p99Ms }: { medianMs: number; p99Ms: number }) => ({ wallMs: medianMs, throughput: `p99 ${p99Ms.toFixed(1)} ms`, ok: true });

const scenarios: Record<string, Scenario> = {
  synced: () =>
    inDataDir('synced', async (dir) => {
      const db = await openPgliteDatabase(dir);
      await db.query('CREATE TABLE confirmed (id int PRIMARY KEY)');
      const timed = await timeCommits((i) => db.query('INSERT INTO confirmed (id) VALUES ($1)', [i]).then(() => undefined));
      await db.close();
      return outcome(timed);
    }),
  unsynced: () =>
    inDataDir('unsynced', async (dir) => {
      const db = await PGlite.create({ dataDir: dir, startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] });
      await db.query('CREATE TABLE confirmed (id int PRIMARY KEY)');
      const timed = await timeCommits((i) => db.query('INSERT INTO confirmed (id) VALUES ($1)', [i]).then(() => undefined));
      await db.close();
      return outcome(timed);
    }),
  bare: () =>
    inDataDir('bare', async (dir) => {
      // Each timed fsync flushes a page, not also the file's growth.
      const fd = openSync(path.join(dir, 'log'), 'w');
      writeSync(fd, Buffer.alloc((COMMITS + WARM_UP) * PAGE.length));
      fsyncSync(fd);
      const timed = await timeCommits((i) => {
        writeSync(fd, PAGE, 0, PAGE.length, (i + WARM_UP) * PAGE.length);
        fsyncSync(fd);
      });
      closeSync(fd);
      return outcome(timed);
    }),
};

async function measure(scenario: string): Promise<{ medianMs: number; p99: string; peakRssMb: number; ok: boolean }> {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await runInFreshProcess(__filename, scenario, null));
  for (const run of runs) if (run.note) process.stderr.write(`commit ${scenario}: ${run.note}\n`);
  const medianMs = median(runs.map((run) => run.wallMs));
  const middle = runs.find((run) => run.wallMs === medianMs) ?? runs[0]!;
  return { medianMs, p99: middle.throughput ?? '', peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)), ok: runs.every((run) => run.ok) };
}

export async function run(): Promise<BenchRow[]> {
  const bare = await measure('bare');
  const unsynced = await measure('unsynced');
  const synced = await measure('synced');
  // The table's wall column rounds to whole ms; the medians are small, so they are spelled out here.
  const detail = (m: { medianMs: number; p99: string }, baseline = true) =>
    `median ${m.medianMs.toFixed(2)} ms, ${m.p99}${baseline ? '' : `, ${(m.medianMs / bare.medianMs).toFixed(2)}× bare`}`;
  return [
    { name: 'commit: bare 8 kB write + fsync (baseline)', wallMs: bare.medianMs, throughput: detail(bare), peakRssMb: bare.peakRssMb, aim: 'baseline', ok: bare.ok },
    {
      name: 'commit: embedded store, unsynced (PGlite default)',
      wallMs: unsynced.medianMs,
      throughput: detail(unsynced, false),
      peakRssMb: unsynced.peakRssMb,
      aim: 'before: lost on an OS crash',
      ok: unsynced.ok,
    },
    {
      name: 'commit: embedded store, synced (as the app runs)',
      wallMs: synced.medianMs,
      throughput: detail(synced, false),
      peakRssMb: synced.peakRssMb,
      aim: `median ≤ ${AIM_MS} ms`,
      ok: synced.ok && synced.medianMs <= AIM_MS,
    },
  ];
}

if (require.main === module && !serveScenario(scenarios)) {
  runAndPrint(run);
}
