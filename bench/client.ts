// Benchmark of the Prolific client against the sandbox on loopback with a 100,000-member group:
// list it, overwrite it with 100,000 ids, add 100,000 ids in chunks. The sandbox runs in its own
// process and each scenario in a fresh one, so the peak RSS reported is the client's alone.
//
//   npm run bench:client                 the three scenarios
//   node dist/bench/client.js --chunk-sweep   also the add scenario at several chunk sizes

import { DEFAULT_CHUNK_SIZE, ProlificClient } from '../src/prolific';
import { SEED_GROUP_IDS, sandboxParticipantIds } from '../src/local/prolific-sandbox/seed';
import { type BenchRow, median, printTable, runInFreshProcess, type Scenario, serveScenario, startSandboxProcess } from './report';

const GROUP_SIZE = 100_000;
const REPEATS = 3;
const AIM_WALL_MS = 1500;
const AIM_RSS_MB = 200;
const AIM = '< 1.5 s, < 200 MB';
const SWEEP_CHUNK_SIZES = [1000, 2500, 5000, 10_000, 25_000, 50_000];

interface ScenarioInput {
  url: string;
  token: string;
  chunkSize?: number;
}

function clientFor(input: ScenarioInput): ProlificClient {
  return new ProlificClient({ token: input.token, baseUrl: input.url, maxAttempts: 1 });
}

function perSecond(count: number, ms: number, unit: string): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-GB')} ${unit}/s`;
}

const scenarios: Record<string, Scenario> = {
  async list(raw) {
    const client = clientFor(raw as ScenarioInput);
    const started = performance.now();
    const members = await client.listMembers(SEED_GROUP_IDS.benchmark);
    const wallMs = performance.now() - started;
    await client.close();
    return { wallMs, throughput: perSecond(members.length, wallMs, 'members'), ok: members.length === GROUP_SIZE };
  },

  async overwrite(raw) {
    const client = clientFor(raw as ScenarioInput);
    const ids = sandboxParticipantIds(2_000_001, 2_000_000 + GROUP_SIZE);
    const started = performance.now();
    const group = await client.updateGroup(SEED_GROUP_IDS.benchmark, { participant_ids: ids });
    const wallMs = performance.now() - started;
    await client.close();
    return { wallMs, throughput: perSecond(ids.length, wallMs, 'ids'), ok: group.participant_count === GROUP_SIZE };
  },

  async add(raw) {
    const input = raw as ScenarioInput;
    const client = clientFor(input);
    const ids = sandboxParticipantIds(3_000_001, 3_000_000 + GROUP_SIZE);
    const started = performance.now();
    const result = await client.addMembers(
      SEED_GROUP_IDS.benchmark,
      ids,
      input.chunkSize ? { chunkSize: input.chunkSize } : {},
    );
    const wallMs = performance.now() - started;
    await client.close();
    return {
      wallMs,
      throughput: perSecond(ids.length, wallMs, 'ids'),
      ok: result.complete && result.members?.length === 2 * GROUP_SIZE,
    };
  },
};


async function measure(name: string, scenario: string, extra: Partial<ScenarioInput> = {}): Promise<BenchRow> {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) {
    const sandbox = await startSandboxProcess(GROUP_SIZE);
    try {
      runs.push(await runInFreshProcess(__filename, scenario, { url: sandbox.url, token: sandbox.token, ...extra }));
    } finally {
      await sandbox.stop();
    }
  }
  const wallMs = median(runs.map((run) => run.wallMs));
  const peakRssMb = Math.max(...runs.map((run) => run.peakRssMb));
  const middle = runs.find((run) => run.wallMs === wallMs) ?? runs[0]!;
  for (const run of runs) if (run.note) process.stderr.write(`${name}: ${run.note}\n`);
  return {
    name,
    wallMs,
    ...(middle.throughput ? { throughput: middle.throughput } : {}),
    peakRssMb,
    aim: AIM,
    ok: runs.every((run) => run.ok) && wallMs < AIM_WALL_MS && peakRssMb < AIM_RSS_MB,
  };
}

export async function run(): Promise<BenchRow[]> {
  return [
    await measure('client: list 100k members', 'list'),
    await measure('client: PATCH overwrite 100k ids', 'overwrite'),
    await measure(`client: add 100k ids (chunks of ${DEFAULT_CHUNK_SIZE.toLocaleString('en-GB')})`, 'add'),
  ];
}

async function chunkSweep(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const chunkSize of SWEEP_CHUNK_SIZES) {
    rows.push(await measure(`client: add 100k ids, chunks of ${chunkSize.toLocaleString('en-GB')}`, 'add', { chunkSize }));
  }
  return rows;
}

if (require.main === module && !serveScenario(scenarios)) {
  (async () => {
    const rows = await run();
    if (process.argv.includes('--chunk-sweep')) rows.push(...(await chunkSweep()));
    printTable(rows);
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
