// Benchmark of the study index and of reading a study's participants, against the sandbox with its
// benchmark studies (SANDBOX_BENCHMARK_STUDIES=1: 200 studies in live and draft states besides the
// seeded ones, and a COMPLETED study with 10,000 submissions, 9,000 of them APPROVED):
// - lookup, cold: StudyIndex.studiesUsingGroup with an empty cache, scoped to the seeded workspace
//   as the app scopes it to a channel's (one list per state, one read per study, one per filter-set
//   version, then the workspace's projects, to place each study);
// - lookup, warm: the same lookup again on the same index and store (the lists only);
// - participants: ProlificClient.studyParticipants of the 10,000-submission study (APPROVED).
// Each has a bare baseline in the same run: the same HTTP requests, as many at once, made with
// undici and JSON.parse and nothing else (no cache, no filter walk, no checks). The sandbox runs
// in its own process and every run in a fresh one; three rounds, each running every variant once
// in turn, so app and bare share the machine's load; the ratio is the median of the rounds'.
// Requests are counted as the client logs them (every attempt) and as the bare code sends them.
//
//   npm run bench:studies

import { request } from 'undici';
import { SEED_GROUP_IDS, SEED_WORKSPACE_ID } from '../src/local/prolific-sandbox/seed';
import { BENCHMARK_STUDY_COUNT, SEED_STUDY_IDS } from '../src/local/prolific-sandbox/studySeed';
import { mapConcurrently } from '../src/mapConcurrently';
import { ProlificClient } from '../src/prolific';
import { PAGE_CONCURRENCY, STUDY_LIST_PAGE_SIZE } from '../src/prolific/studies';
import { DEFAULT_STUDY_CONCURRENCY, INDEXED_STUDY_STATES, StudyIndex, WorkspaceProjects } from '../src/services/studies';
import { openStore } from '../src/store';
import { type BenchRow, median, runAndPrint, runInFreshProcess, type Scenario, serveScenario, startSandboxProcess } from './report';

const ROUNDS = 3;
const APPROVED = 9_000;
const AIM_COLD_MS = 2_000;
const AIM_WARM_MS = 250;
const AIM_PARTICIPANTS_MS = 3_000;

interface ScenarioInput {
  url: string;
  token: string;
}

/** A client that counts its request attempts. */
function countingClient(input: ScenarioInput): { client: ProlificClient; calls: () => number; reset(): void } {
  let calls = 0;
  const client = new ProlificClient({
    token: input.token,
    baseUrl: input.url,
    log: (_level, msg) => {
      if (msg === 'prolific request') calls += 1;
    },
  });
  return { client, calls: () => calls, reset: () => (calls = 0) };
}

/** GET and JSON.parse, nothing else: the bare baseline's only tool. */
function bareGetter(input: ScenarioInput): { get(pathAndQuery: string): Promise<Record<string, unknown>>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    async get(pathAndQuery) {
      calls += 1;
      const res = await request(`${input.url}${pathAndQuery}`, { headers: { authorization: `Token ${input.token}`, accept: 'application/json' } });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`GET ${pathAndQuery}: HTTP ${res.statusCode}`);
      return JSON.parse(text) as Record<string, unknown>;
    },
  };
}

const listQuery = (extra: string) => `ordering=date_created&page=1&page_size=${STUDY_LIST_PAGE_SIZE}${extra}`;

/** The study index as the app builds it, scoped to the seeded workspace. */
function scopedIndex(client: ProlificClient, store: Awaited<ReturnType<typeof openStore>>): StudyIndex {
  return new StudyIndex(client, store, { scope: { workspaceIds: async () => [SEED_WORKSPACE_ID], projects: new WorkspaceProjects((id) => client.listProjects(id)) } });
}

/** The bare lookup: every list, then every study, then every filter-set version the studies name, then the workspace's projects. */
async function bareLookup(input: ScenarioInput, withDetails: boolean): Promise<{ calls: number; studies: number }> {
  const http = bareGetter(input);
  const lists = await mapConcurrently(INDEXED_STUDY_STATES, DEFAULT_STUDY_CONCURRENCY, (state) =>
    http.get(`/api/v1/studies/?${listQuery(`&state=${encodeURIComponent(state)}`)}`),
  );
  const ids = lists.flatMap((list) => (list['results'] as Array<{ id: string }>).map((study) => study.id));
  if (withDetails) {
    const studies = await mapConcurrently(ids, DEFAULT_STUDY_CONCURRENCY, (id) => http.get(`/api/v1/studies/${id}/`));
    const sets = new Set(studies.filter((study) => study['filter_set_id']).map((study) => `${study['filter_set_id']}/?version_number=${study['filter_set_version']}`));
    await mapConcurrently([...sets], DEFAULT_STUDY_CONCURRENCY, (set) => http.get(`/api/v1/filter-sets/${set}`));
    await http.get(`/api/v1/workspaces/${SEED_WORKSPACE_ID}/projects/?ordering=title&page=1&page_size=${STUDY_LIST_PAGE_SIZE}`);
  }
  return { calls: http.calls(), studies: ids.length };
}

const scenarios: Record<string, Scenario> = {
  async bareCold(raw) {
    const started = performance.now();
    const { calls, studies } = await bareLookup(raw as ScenarioInput, true);
    return { wallMs: performance.now() - started, throughput: `${calls} requests`, ok: studies > BENCHMARK_STUDY_COUNT };
  },

  async bareWarm(raw) {
    const started = performance.now();
    const { calls } = await bareLookup(raw as ScenarioInput, false);
    return { wallMs: performance.now() - started, throughput: `${calls} requests`, ok: calls === INDEXED_STUDY_STATES.length };
  },

  async indexCold(raw) {
    const { client, calls } = countingClient(raw as ScenarioInput);
    const store = await openStore();
    const index = scopedIndex(client, store);
    const started = performance.now();
    const check = await index.studiesUsingGroup(SEED_GROUP_IDS.benchmark);
    const wallMs = performance.now() - started;
    await Promise.all([store.close(), client.close()]);
    const { listRequests, studyRequests, filterSetRequests, projectRequests } = check.cost;
    return {
      wallMs,
      throughput: `${calls()} requests (${listRequests} lists, ${studyRequests} studies, ${filterSetRequests} filter sets, ${projectRequests} project list)`,
      ok:
        check.checked &&
        check.studies.length > 0 &&
        studyRequests > BENCHMARK_STUDY_COUNT &&
        projectRequests === 1 &&
        calls() === listRequests + studyRequests + filterSetRequests + projectRequests,
    };
  },

  async indexWarm(raw) {
    const counting = countingClient(raw as ScenarioInput);
    const store = await openStore();
    const index = scopedIndex(counting.client, store);
    const cold = await index.studiesUsingGroup(SEED_GROUP_IDS.benchmark);
    counting.reset();
    const started = performance.now();
    const warm = await index.studiesUsingGroup(SEED_GROUP_IDS.benchmark);
    const wallMs = performance.now() - started;
    await Promise.all([store.close(), counting.client.close()]);
    const sameAnswer = JSON.stringify(warm.checked && warm.studies) === JSON.stringify(cold.checked && cold.studies);
    return {
      wallMs,
      throughput: `${counting.calls()} requests, ${warm.cost.cacheHits} studies from the cache`,
      ok: warm.checked && sameAnswer && counting.calls() === INDEXED_STUDY_STATES.length && warm.cost.studyRequests === 0,
    };
  },

  async bareParticipants(raw) {
    const http = bareGetter(raw as ScenarioInput);
    const started = performance.now();
    const study = SEED_STUDY_IDS.benchmarkSubmissions;
    await http.get(`/api/v1/studies/${study}/submissions/counts/`);
    const page = (n: number) =>
      http.get(`/api/v1/submissions/?study=${study}&status=APPROVED&ordering=started_at&page=${n}&page_size=${STUDY_LIST_PAGE_SIZE}`);
    const first = await page(1);
    const pages = Math.ceil((first['meta'] as { count: number }).count / STUDY_LIST_PAGE_SIZE);
    const rest = await mapConcurrently(
      Array.from({ length: pages - 1 }, (_, i) => i + 2),
      PAGE_CONCURRENCY,
      page,
    );
    const ids = [first, ...rest].flatMap((answer) => (answer['results'] as Array<{ participant_id: string }>).map((s) => s.participant_id));
    return { wallMs: performance.now() - started, throughput: `${http.calls()} requests`, ok: ids.length === APPROVED };
  },

  async participants(raw) {
    const { client, calls } = countingClient(raw as ScenarioInput);
    const started = performance.now();
    const result = await client.studyParticipants(SEED_STUDY_IDS.benchmarkSubmissions);
    const wallMs = performance.now() - started;
    await client.close();
    const pages = Math.ceil(APPROVED / STUDY_LIST_PAGE_SIZE);
    return {
      wallMs,
      throughput: `${calls()} requests (${pages} pages + counts), ${Math.round((result.participantIds.length / wallMs) * 1000).toLocaleString('en-GB')} ids/s`,
      ok: result.participantIds.length === APPROVED && result.matchesCounts && calls() === pages + 1,
    };
  },
};

interface Summary {
  wallMs: number;
  requests: string;
  peakRssMb: number;
  ok: boolean;
  rounds: number[];
}

const PAIRS = [
  { app: 'indexCold', bare: 'bareCold' },
  { app: 'indexWarm', bare: 'bareWarm' },
  { app: 'participants', bare: 'bareParticipants' },
] as const;

export async function run(): Promise<BenchRow[]> {
  const sandbox = await startSandboxProcess(0, { SANDBOX_BENCHMARK_STUDIES: '1' });
  const runs = new Map<string, Awaited<ReturnType<typeof runInFreshProcess>>[]>();
  try {
    const input: ScenarioInput = { url: sandbox.url, token: sandbox.token };
    for (let round = 0; round < ROUNDS; round++) {
      for (const pair of PAIRS) {
        for (const scenario of [pair.bare, pair.app]) {
          const list = runs.get(scenario) ?? [];
          list.push(await runInFreshProcess(__filename, scenario, input));
          runs.set(scenario, list);
        }
      }
    }
  } finally {
    await sandbox.stop();
  }
  const summary = (scenario: string): Summary => {
    const list = runs.get(scenario)!;
    for (const one of list) if (one.note) process.stderr.write(`${scenario}: ${one.note}\n`);
    const wallMs = median(list.map((one) => one.wallMs));
    if (process.env['BENCH_VERBOSE']) process.stderr.write(`${scenario}: ${list.map((one) => `${one.wallMs.toFixed(0)} ms`).join(', ')}\n`);
    return {
      wallMs,
      requests: (list.find((one) => one.wallMs === wallMs) ?? list[0]!).throughput ?? '',
      peakRssMb: Math.max(...list.map((one) => one.peakRssMb)),
      ok: list.every((one) => one.ok),
      rounds: list.map((one) => one.wallMs),
    };
  };
  const ratio = (app: Summary, bare: Summary): number => median(app.rounds.map((ms, i) => ms / bare.rounds[i]!));
  const rows: BenchRow[] = [];
  const names: Record<string, { name: string; aimMs: number; aim: string }> = {
    indexCold: { name: 'studies: lookup, cold (empty cache)', aimMs: AIM_COLD_MS, aim: '< 2 s; requests: lists + studies + filter sets + project list' },
    indexWarm: { name: 'studies: lookup, warm (same store)', aimMs: AIM_WARM_MS, aim: '< 250 ms; requests: the 5 lists' },
    participants: { name: 'studies: 9,000 approved of a 10,000-submission study', aimMs: AIM_PARTICIPANTS_MS, aim: '< 3 s; requests: pages + counts' },
  };
  for (const pair of PAIRS) {
    const app = summary(pair.app);
    const bare = summary(pair.bare);
    const described = names[pair.app]!;
    rows.push({
      name: described.name,
      wallMs: app.wallMs,
      throughput: `${app.requests}; ${ratio(app, bare).toFixed(2)}x bare`,
      peakRssMb: app.peakRssMb,
      aim: described.aim,
      ok: app.ok && app.wallMs < described.aimMs,
    });
    rows.push({ name: `${described.name}: bare`, wallMs: bare.wallMs, throughput: bare.requests, peakRssMb: bare.peakRssMb, aim: 'baseline', ok: bare.ok });
  }
  return rows;
}

if (require.main === module && !serveScenario(scenarios)) {
  runAndPrint(run);
}
