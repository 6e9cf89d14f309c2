// Shared by the benchmarks: the result row, the printed table, and running one scenario in a
// fresh Node process so its peak RSS is its own.

import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';

export interface BenchRow {
  name: string;
  wallMs: number;
  throughput?: string;
  peakRssMb: number;
  /** The target, in words, e.g. "< 1.5 s, < 200 MB". */
  aim: string;
  ok: boolean;
}

/** Runs a benchmark script's rows and prints them; a failure is printed and exits 1. */
export function runAndPrint(run: () => Promise<BenchRow[]>): void {
  run()
    .then(printTable)
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}

export function printTable(rows: BenchRow[]): void {
  const header = ['benchmark', 'wall', 'throughput', 'peak RSS', 'aim', 'ok'];
  const lines = rows.map((row) => [
    row.name,
    `${row.wallMs.toFixed(0)} ms`,
    row.throughput ?? '',
    `${row.peakRssMb.toFixed(0)} MB`,
    row.aim,
    row.ok ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 1 || column === 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const output = [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(format)];
  process.stdout.write(`${output.join('\n')}\n`);
}

/** What a scenario reports about itself; wallMs covers only the operation being measured. */
export interface ScenarioOutcome {
  wallMs: number;
  throughput?: string;
  /** The operation produced the expected result. */
  ok: boolean;
  note?: string;
}

export interface Measurement extends ScenarioOutcome {
  /** Peak resident set of the whole scenario process, from process.resourceUsage().maxRSS. */
  peakRssMb: number;
}

export type Scenario = (input: unknown) => Promise<ScenarioOutcome>;

const SCENARIO_ENV = 'BENCH_SCENARIO';
const INPUT_ENV = 'BENCH_INPUT';

/**
 * Runs `scenario` from the compiled module `modulePath` in a new Node process. The module must
 * call serveScenario() when it starts.
 */
export function runInFreshProcess(modulePath: string, scenario: string, input: unknown, timeoutMs = 120_000): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(modulePath, [], {
      env: { ...process.env, [SCENARIO_ENV]: scenario, [INPUT_ENV]: JSON.stringify(input ?? null) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Measurement | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('message', (message) => {
      result = message as Measurement;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`scenario ${scenario} ended without a result (code ${code}, signal ${signal})`));
    });
  });
}

/**
 * In a process started by runInFreshProcess: runs the requested scenario, sends its measurement
 * to the parent and exits. Returns false (doing nothing) in any other process.
 */
export function serveScenario(scenarios: Record<string, Scenario>): boolean {
  const name = process.env[SCENARIO_ENV];
  if (!name || !process.send) return false;
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const input: unknown = JSON.parse(process.env[INPUT_ENV] ?? 'null');
  scenario(input)
    .catch((error: unknown): ScenarioOutcome => ({
      wallMs: Number.NaN,
      ok: false,
      note: error instanceof Error ? error.message : String(error),
    }))
    .then((outcome) => {
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      process.send!({ ...outcome, peakRssMb } satisfies Measurement, () => process.exit(0));
    });
  return true;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The Prolific sandbox in its own process (so its memory is not the measured process's), with a
 * group of `groupSize` members; env adds the sandbox's other settings (SANDBOX_BENCHMARK_STUDIES).
 */
export async function startSandboxProcess(
  groupSize: number,
  env: Record<string, string> = {},
): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  const token = randomBytes(20).toString('hex');
  const child: ChildProcess = fork(path.join(__dirname, '../src/local/prolific-sandbox/main.js'), [], {
    env: { ...process.env, ...env, SANDBOX_PORT: '0', SANDBOX_TOKEN: token, SANDBOX_LARGE_GROUP_SIZE: String(groupSize) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`sandbox exited early (code ${code})`)));
  });
  return {
    url,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A process's peak (VmHWM) or current (VmRSS) resident set on Linux, in MB; NaN where /proc is not available. */
export function processRssMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** SIGTERM, then SIGKILL after 15 s; resolves once the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}
