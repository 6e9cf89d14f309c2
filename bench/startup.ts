// Benchmark of the app's start on the embedded store: `node dist/src/index.js` with no
// credentials (the playground, as `npm start` runs it), timed from the spawn until the playground
// answers GET / with 200, with the process's peak RSS (VmHWM) and its RSS 30 s later. Three
// situations, each three times, interleaved so that a change in the machine's load touches all:
// - first start: an empty DATA_DIR, the database extracted from the PGlite template;
// - second start: the same DATA_DIR again;
// - initdb path (the baseline): an empty DATA_DIR with PGLITE_TEMPLATE=off, as every first
//   start was before the template.
// The table gives medians and ranges, and the first and second starts as ratios to the initdb
// path of the same run.
//
//   npm run bench:startup

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultTemplateDir, findPgliteTemplate } from '../src/store/pgliteTemplate';
import { type BenchRow, freePort, median, runAndPrint, processRssMb, stopChild } from './report';

const REPEATS = 3;
/** How long after the start the resident set is read again (initdb's heap lingered for minutes). */
const SETTLE_MS = 30_000;
const START_TIMEOUT_MS = 120_000;
const AIMS = {
  first: { startMs: 2500, peakMb: 260, settledMb: 230 },
  second: { startMs: 1500 },
};

interface StartMeasurement {
  startMs: number;
  peakRssMb: number;
  /** VmRSS SETTLE_MS after the first 200 (NaN when not waited for). */
  settledRssMb: number;
}

/** Starts the app on dataDir, waits for GET / to answer 200, reads its memory, stops it. */
async function measureStart(dataDir: string, extraEnv: Record<string, string>, settle: boolean): Promise<StartMeasurement> {
  const port = await freePort();
  const output: string[] = [];
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(__dirname, '../src/index.js')], {
    // Its own working directory: no .env of this checkout is read.
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), DATA_DIR: path.join(dataDir, 'data'), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    const url = `http://127.0.0.1:${port}/`;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited (code ${child.exitCode}):\n${output.join('')}`);
      if (await fetch(url).then((r) => r.status === 200, () => false)) break;
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`the app did not answer within ${START_TIMEOUT_MS} ms:\n${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const startMs = performance.now() - started;
    let settledRssMb = Number.NaN;
    if (settle) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      settledRssMb = processRssMb(child.pid, 'VmRSS');
    }
    return { startMs, peakRssMb: processRssMb(child.pid, 'VmHWM'), settledRssMb };
  } finally {
    await stopChild(child);
  }
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const range = (values: number[], show: (v: number) => string) => `${show(Math.min(...values))}–${show(Math.max(...values))}`;
const mb = (v: number) => `${v.toFixed(0)} MB`;

export async function run(): Promise<BenchRow[]> {
  const template = findPgliteTemplate(defaultTemplateDir());
  if (!template.found) throw new Error(`${template.reason}: the first start would measure initdb`);
  const runs: { first: StartMeasurement; second: StartMeasurement; initdb: StartMeasurement }[] = [];
  process.stderr.write(`startup: load average before: ${loadAverage()}\n`);
  for (let i = 1; i <= REPEATS; i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgroup-bench-startup-'));
    const baselineDir = mkdtempSync(path.join(tmpdir(), 'pgroup-bench-startup-initdb-'));
    try {
      const first = await measureStart(dir, {}, true);
      const second = await measureStart(dir, {}, false);
      const initdb = await measureStart(baselineDir, { PGLITE_TEMPLATE: 'off' }, true);
      runs.push({ first, second, initdb });
      const show = (m: StartMeasurement) => `${seconds(m.startMs)}, peak ${mb(m.peakRssMb)}${Number.isNaN(m.settledRssMb) ? '' : `, ${mb(m.settledRssMb)} 30 s later`}`;
      process.stderr.write(`startup run ${i}: first ${show(first)}; second ${show(second)}; initdb ${show(initdb)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(baselineDir, { recursive: true, force: true });
    }
  }
  process.stderr.write(`startup: load average after: ${loadAverage()}\n`);

  const of = (kind: 'first' | 'second' | 'initdb', field: keyof StartMeasurement) => runs.map((r) => r[kind][field]);
  const initdbMs = median(of('initdb', 'startMs'));
  const initdbPeak = median(of('initdb', 'peakRssMb'));
  const describe = (kind: 'first' | 'second' | 'initdb') => {
    const times = of(kind, 'startMs');
    const peaks = of(kind, 'peakRssMb');
    const settled = of(kind, 'settledRssMb').filter((v) => !Number.isNaN(v));
    const parts = [`range ${range(times, seconds)}`, `peak ${range(peaks, mb)}`];
    if (settled.length) parts.push(`RSS 30 s later ${mb(median(settled))} (${range(settled, mb)})`);
    if (kind !== 'initdb') parts.push(`${(median(times) / initdbMs).toFixed(2)}× initdb time, ${(median(peaks) / initdbPeak).toFixed(2)}× its peak`);
    return parts.join('; ');
  };
  const first = { ms: median(of('first', 'startMs')), peak: median(of('first', 'peakRssMb')), settled: median(of('first', 'settledRssMb')) };
  const secondMs = median(of('second', 'startMs'));
  return [
    {
      name: `startup: first start, from the template (median of ${REPEATS})`,
      wallMs: first.ms,
      throughput: describe('first'),
      peakRssMb: first.peak,
      aim: `≤ ${seconds(AIMS.first.startMs)}, peak ≤ ${AIMS.first.peakMb} MB, ≤ ${AIMS.first.settledMb} MB 30 s later`,
      ok: first.ms <= AIMS.first.startMs && first.peak <= AIMS.first.peakMb && first.settled <= AIMS.first.settledMb,
    },
    {
      name: `startup: second start, same DATA_DIR (median of ${REPEATS})`,
      wallMs: secondMs,
      throughput: describe('second'),
      peakRssMb: median(of('second', 'peakRssMb')),
      aim: `≤ ${seconds(AIMS.second.startMs)}`,
      ok: secondMs <= AIMS.second.startMs,
    },
    {
      name: `startup baseline: first start by initdb, PGLITE_TEMPLATE=off (median of ${REPEATS})`,
      wallMs: initdbMs,
      throughput: describe('initdb'),
      peakRssMb: initdbPeak,
      aim: '(baseline)',
      ok: true,
    },
  ];
}

if (require.main === module) {
  runAndPrint(run);
}
