// Benchmark of the Prolific client against the sandbox on loopback with a 100,000-member group:
// list it, overwrite it with 100,000 ids, add 100,000 ids in chunks; and list a 200,000-member
// group. Listing is also measured bare (undici and one JSON.parse, no client) as the baseline.
// The sandbox runs in its own process and each scenario in a fresh one, so the peak RSS reported
// is the client's alone.
//
//   npm run bench:client                 the three scenarios
//   node dist/bench/client.js --chunk-sweep   also the add scenario at several chunk sizes

import { request } from 'undici';
import { DEFAULT_CHUNK_SIZE, ProlificClient } from '../src/prolific';
import { SEED_GROUP_IDS, sandboxParticipantIds } from '../src/local/prolific-sandbox/seed';
import { type BenchRow, median, printTable, runInFreshProcess, type Scenario, serveScenario, startSandboxProcess } from './report';

const GROUP_SIZE = 100_000;
const LARGE_GROUP_SIZE = 200_000;
const REPEATS = 3;
const AIM_WALL_MS = 1500;
const AIM_RSS_MB = 200;
const AIM = '< 1.5 s, < 200 MB';
const SWEEP_CHUNK_SIZES = [1000, 2500, 5000, 10_000, 25_000, 50_000];

interface ScenarioInput {
  url: string;
  token: string;
  /** Members of the sandbox's benchmark group. */
  groupSize: number;
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
    const input = raw as ScenarioInput;
    const client = clientFor(input);
    const started = performance.now();
    const members = await client.listMembers(SEED_GROUP_IDS.benchmark);
    const wallMs = performance.now() - started;
    await client.close();
    return { wallMs, throughput: perSecond(members.length, wallMs, 'members'), ok: members.length === input.groupSize };
  },

  /** The baseline: the same GET with undici, the body joined into one string and JSON.parse'd. */
  async bareList(raw) {
    const input = raw as ScenarioInput;
    const started = performance.now();
    const response = await request(`${input.url}/api/v1/participant-groups/${SEED_GROUP_IDS.benchmark}/participants/`, {
      headers: { authorization: `Token ${input.token}`, accept: 'application/json' },
    });
    const body = JSON.parse(await response.body.text()) as { results: unknown[] };
    const wallMs = performance.now() - started;
    const count = body.results.length;
    return { wallMs, throughput: perSecond(count, wallMs, 'members'), ok: response.statusCode === 200 && count === input.groupSize };
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


async function measure(name: string, scenario: string, extra: Partial<ScenarioInput> = {}, aim = AIM): Promise<BenchRow> {
  const groupSize = extra.groupSize ?? GROUP_SIZE;
  const runs = [];
  for (let i = 0; i < REPEATS; i++) {
    const sandbox = await startSandboxProcess(groupSize);
    try {
      runs.push(await runInFreshProcess(__filename, scenario, { url: sandbox.url, token: sandbox.token, groupSize, ...extra }));
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
    aim,
    ok: runs.every((run) => run.ok) && (aim !== AIM || (wallMs < AIM_WALL_MS && peakRssMb < AIM_RSS_MB)),
  };
}

export async function run(): Promise<BenchRow[]> {
  return [
    await measure('client: list 100k members', 'list'),
    await measure('bare: GET + JSON.parse, 100k members', 'bareList', {}, 'baseline'),
    await measure('client: list 200k members', 'list', { groupSize: LARGE_GROUP_SIZE }),
    await measure('bare: GET + JSON.parse, 200k members', 'bareList', { groupSize: LARGE_GROUP_SIZE }, 'baseline'),
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
