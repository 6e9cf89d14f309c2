// `npm run bench`: every benchmark (the Prolific client, the CSV preview, the time to ack, the cost
// of a synced commit, the study index, the start on the embedded store, the soak of one group from
// two instances), one after the other so they do not share the machine, and one table of all
// their rows: wall time, throughput and peak RSS, each beside its aim. Each benchmark can also be run on its own (`npm run bench:client`,
// `bench:csv`, `bench:ack`, `bench:commit`, `bench:studies`, `bench:startup`, `bench:soak`);
// docs/BENCHMARKS.md explains each.

import { run as runAck } from './ack';
import { run as runClient } from './client';
import { run as runCommit } from './commit';
import { run as runCsv } from './csv';
import { type BenchRow, printTable } from './report';
import { run as runSoak } from './soak';
import { run as runStudies } from './studies';
import { run as runStartup } from './startup';

const BENCHMARKS: [string, () => Promise<BenchRow[]>][] = [
  ['client', runClient],
  ['csv', runCsv],
  ['ack', runAck],
  ['commit', runCommit],
  ['studies', runStudies],
  ['startup', runStartup],
  ['soak', runSoak],
];

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  let broken = false;
  for (const [name, run] of BENCHMARKS) {
    const started = performance.now();
    process.stderr.write(`bench: ${name}…\n`);
    try {
      rows.push(...(await run()));
    } catch (error) {
      // One benchmark that cannot run still leaves the others' rows, and a row that says so.
      broken = true;
      process.stderr.write(`bench: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      rows.push({ name: `${name}: did not run (see above)`, wallMs: Number.NaN, peakRssMb: Number.NaN, aim: '', ok: false });
    }
    process.stderr.write(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  process.stdout.write('\n');
  printTable(rows);
  if (broken) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
