// `npm run bench:soak`: two app instances on one database, mixed traffic against one group for a
// bounded time, and a count of everything that went wrong. Not a test: a script that reports.
//
// The setup, all on loopback in this process: the Prolific sandbox, a local Slack, and two bots
// (two Bolt apps, each with its own Prolific client) on one store: embedded PGlite shared by both,
// or, with DATABASE_URL, PostgreSQL with a store (a pool) per instance, as two processes would
// have. Both watch the group (one polls at a time, through the watcher's lease).
//
// The traffic, for SOAK_SECONDS (default 60):
// - six people, each in a loop, through either instance at random: an Add typed in the command
//   (applied at once), a Remove (preview, then confirm), a Replace from the upload form (preview,
//   then confirm); one confirmation in five is also clicked on the other instance at the same
//   moment (a double click, a retried delivery); a stale preview's fresh preview is confirmed too;
// - a feeder study adding one participant straight into the sandbox every FEED_EVERY_MS;
// - faults, one every FAULT_EVERY_MS on the group's writes or reads: 429 with a short
//   Retry-After, 500, 502, 503, a connection dropped before Prolific acts, an answer dropped
//   after it acted, and a slow write (0.2–1 s); and now and then a 503 from Slack's chat.postMessage.
//
// What it counts (docs/BENCHMARKS.md has the figures), from the sandbox's own record of every
// membership change (bench/membershipLedger.ts) and what the store and Slack hold at the end:
// - lost update: an id that a write of the app removed, or added back, although the plan of that
//   write (made against the group as it re-read it under the group's lock) did not say so and its
//   outcome did not report it: someone's change undone and nobody told;
// - double apply: an operation's write taking effect a second time and changing the group again;
// - lost notification: an operation recorded applied with no notification of it (a message in
//   NOTIFY_CHANNEL whose Undo button carries its id) once the run has settled, and none recorded
//   in its outbox as 'may not have been delivered' (a post Slack answered with a 5xx is not
//   repeated, by design: docs/GUARANTEES.md; the history shows it, so it is reported apart);
// - duplicate notification: more than one such message for one operation.
// Also reported: ids a feeder added after an overwrite's re-read, which the PATCH dropped (the
// window a PATCH without a condition header leaves open, docs/GUARANTEES.md), and how many of
// them the outcome reported; the answers people got; operations left 'applying'; the faults.
// The lost updates above exclude that window: a feeder's id counts there only if it was already
// in the group when the write re-read it.
import { randomBytes } from 'node:crypto';
import { LogLevel } from '@slack/bolt';
import { type Bot, createBot } from '../src/app';
import { readConfig } from '../src/config';
import { createSandbox, type FaultRule, type Sandbox, SEED_WORKSPACE_ID, sandboxParticipantId } from '../src/local/prolific-sandbox';
import { type LocalMessage, LocalSlack, SlackDriver } from '../src/local/slack';
import { AppLogger } from '../src/logging';
import { ProlificClient } from '../src/prolific';
import { openStore } from '../src/store';
import type { OperationStatus, Store } from '../src/store/types';
import { MembershipLedger } from './membershipLedger';
import { type BenchRow, runAndPrint } from './report';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const PEOPLE = ['U_ALICE', 'U_BOB', 'U_CAROL', 'U_SOAK4', 'U_SOAK5', 'U_SOAK6'];
const FEED_EVERY_MS = 150;
const FAULT_EVERY_MS = 250;
const WATCH_INTERVAL_MS = 1000;
const NOTIFY = 'C_NOTIFY';
const GROUP_NAME = 'Soak panel';
const AIM = '0 lost updates, 0 double applies, 0 lost or duplicate notifications';
/** Longest a person waits for an answer: the group lock's wait plus a slow write. */
const ANSWER_TIMEOUT_MS = 90_000;

interface Instance {
  name: string;
  bot: Bot;
  driver: SlackDriver;
}

type Outcome = 'applied' | 'failed' | 'stale' | 'busy' | 'no answer' | 'nothing to do';

interface Tally {
  attempts: Record<string, number>;
  outcomes: Record<Outcome, number>;
  doubleClicks: number;
  faults: Record<string, number>;
  slackFaults: number;
  /** What went wrong on the person's side (a form that did not open, …), for the report. */
  errors: string[];
  /** Where a person waited in vain. */
  timeouts: Record<string, number>;
}

let nextId = 5_000_000;
const freshIds = (n: number) => Array.from({ length: n }, () => sandboxParticipantId(nextId++));

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => T | undefined | null | false, timeoutMs = ANSWER_TIMEOUT_MS): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(20);
  }
}

const blocksText = (m: LocalMessage | undefined) => (m ? `${m.text}\n${JSON.stringify(m.blocks ?? [])}` : '');
const hasButton = (m: LocalMessage, actionId: string) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${actionId}"`);
function buttonValue(m: LocalMessage, actionId: string): string | undefined {
  for (const block of (m.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]) {
    for (const el of block.elements ?? []) if (el.action_id === actionId) return el.value;
  }
  return undefined;
}

function classify(m: LocalMessage): Outcome | null {
  const text = blocksText(m);
  if (text.includes(':white_check_mark: Done')) return 'applied';
  if (text.includes(':x: *')) return 'failed';
  if (text.includes('changed since your preview')) return 'stale';
  if (text.includes('still being written')) return 'busy';
  if (text.includes('Nothing would change')) return 'nothing to do';
  return null;
}

const FAULTS: [string, (groupPath: string, membersPath: string) => FaultRule][] = [
  ['429 on a write', (g, m) => ({ path: pick([g, m]), method: pick(['PATCH', 'POST', 'DELETE']), times: 1, status: 429, retryAfterSeconds: 0.05 })],
  ['429 on a read', (g, m) => ({ path: pick([g, m]), method: 'GET', times: 1, status: 429, retryAfterSeconds: 0.05 })],
  ['500 on a write', (g, m) => ({ path: pick([g, m]), method: pick(['PATCH', 'POST', 'DELETE']), times: 1, status: 500 })],
  ['502 on a write', (g, m) => ({ path: pick([g, m]), method: pick(['PATCH', 'POST', 'DELETE']), times: 1, status: 502 })],
  ['503 on a read or write', (g, m) => ({ path: pick([g, m]), method: pick(['GET', 'PATCH', 'POST', 'DELETE']), times: 1, status: 503, retryAfterSeconds: 0 })],
  ['dropped before acting', (g, m) => ({ path: pick([g, m]), method: pick(['PATCH', 'POST', 'DELETE']), times: 1, drop: 'before' })],
  ['answer dropped after acting', (g, m) => ({ path: pick([g, m]), method: pick(['PATCH', 'POST', 'DELETE']), times: 1, drop: 'after' })],
  // A slow write keeps a confirmation inside its write while others confirm: the case the group lock is for.
  ['slow write (0.2–1 s)', (g, m) => ({ path: pick([g, m]), method: pick(['PATCH', 'POST', 'DELETE']), times: 1, latencyMs: 200 + Math.floor(Math.random() * 800) })],
];

async function startInstance(name: string, sandbox: Sandbox, slack: LocalSlack, store: Store): Promise<Instance> {
  const signingSecret = randomBytes(16).toString('hex');
  const { config } = readConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PROLIFIC_API_TOKEN: sandbox.token,
    PROLIFIC_API_URL: sandbox.url,
    NOTIFY_CHANNEL: NOTIFY,
    PORT: '0',
  });
  const logger = new AppLogger({ level: LogLevel.ERROR, sink: () => undefined, secrets: [sandbox.token, slack.botToken, signingSecret] });
  const prolific = new ProlificClient({ token: sandbox.token, baseUrl: sandbox.url, backoffBaseMs: 50, backoffMaxMs: 500, headersTimeoutMs: 10_000 });
  const bot = await createBot({ slack: config.slack!, config, logger, prolific, store, workspaceId: SEED_WORKSPACE_ID, watch: { intervalMs: WATCH_INTERVAL_MS, instanceId: name } });
  const port = await bot.start(0);
  return { name, bot, driver: new SlackDriver({ slack, appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret }) };
}

/** One person's loop: a change through one instance, its confirmation (sometimes through both), and its outcome. */
class Person {
  constructor(
    private readonly user: string,
    private readonly instances: [Instance, Instance],
    private readonly slack: LocalSlack,
    private readonly sandbox: Sandbox,
    private readonly groupId: string,
    private readonly tally: Tally,
  ) {}

  async loop(until: number): Promise<void> {
    while (Date.now() < until) {
      const [one, other] = Math.random() < 0.5 ? this.instances : ([this.instances[1], this.instances[0]] as const);
      const kind = pick(['add', 'add', 'remove', 'replace', 'replace'] as const);
      this.tally.attempts[kind] = (this.tally.attempts[kind] ?? 0) + 1;
      const outcome = await this.change(kind, one, other).catch((err: unknown) => {
        this.tally.errors.push(err instanceof Error ? err.message : String(err));
        return 'no answer' as const;
      });
      this.tally.outcomes[outcome]++;
    }
  }

  private async change(kind: 'add' | 'remove' | 'replace', one: Instance, other: Instance): Promise<Outcome> {
    const members = this.sandbox.state.members(this.groupId);
    if (kind === 'add') {
      // Typed in full, so applied at once: its answer is the outcome.
      const seen = this.mine().length;
      await one.driver.command('/pgroup', `add ${this.groupId} ${freshIds(2 + Math.floor(Math.random() * 3)).join(' ')}`, { user: this.user, channel: 'C_GENERAL' });
      const answer = await until(() => this.mine().slice(seen).find((m) => classify(m) || hasButton(m, 'op_confirm')));
      if (!answer) return this.timedOut('add answer');
      if (classify(answer) !== 'stale') return classify(answer) ?? 'no answer';
      this.tally.outcomes.stale++;
      return hasButton(answer, 'op_confirm') ? this.confirm(answer, one, other, false) : 'stale';
    }
    let preview: LocalMessage | undefined | null;
    if (kind === 'remove') {
      const gone = [...members].sort(() => Math.random() - 0.5).slice(0, 1 + Math.floor(Math.random() * 3));
      const seen = this.mine().length;
      await one.driver.command('/pgroup', `remove ${this.groupId} ${gone.join(' ')}`, { user: this.user, channel: 'C_GENERAL' });
      preview = await until(() => this.mine().slice(seen).find((m) => hasButton(m, 'op_confirm') || hasButton(m, 'op_cancel')));
    } else {
      // Keeps most members, drops a few, adds a few new ones (so every Replace list is unique).
      const kept = members.filter(() => Math.random() > 0.1);
      preview = await this.uploadReplace(one, [...kept, ...freshIds(1 + Math.floor(Math.random() * 3))]);
    }
    if (preview === null) return 'no answer';
    if (!preview) return this.timedOut(`${kind} preview`);
    if (!hasButton(preview, 'op_confirm')) return 'nothing to do';
    return this.confirm(preview, one, other);
  }

  /** Confirms a preview (a fresh preview after a stale one too, once), sometimes clicked on both instances at once. */
  private async confirm(preview: LocalMessage, one: Instance, other: Instance, again = true): Promise<Outcome> {
    const updates = this.slack.message(preview.channel, preview.ts)?.updatedCount ?? 0;
    const click = (instance: Instance) => instance.driver.blockAction({ user: this.user, channel: preview.channel, messageTs: preview.ts, actionId: 'op_confirm' });
    const double = Math.random() < 0.2;
    if (double) this.tally.doubleClicks++;
    await Promise.all(double ? [click(one), click(other)] : [click(one)]);
    const now = await until(() => {
      const m = this.slack.message(preview.channel, preview.ts);
      return m && m.updatedCount > updates && classify(m) ? m : undefined;
    });
    if (!now) return this.timedOut('confirmation outcome');
    const outcome = classify(now)!;
    if (outcome === 'stale' && again && hasButton(now, 'op_confirm')) {
      this.tally.outcomes.stale++;
      return this.confirm(now, one, other, false);
    }
    return outcome;
  }

  /** The preview of a Replace through the upload form; null when the form did not open. */
  private async uploadReplace(instance: Instance, ids: string[]): Promise<LocalMessage | undefined | null> {
    const views = new Set(this.slack.views().map((v) => v.id));
    await instance.driver.command('/pgroup', `upload ${this.groupId}`, { user: this.user, channel: 'C_GENERAL' });
    const form = await until(() => this.slack.openModals(this.user).find((v) => !views.has(v.id) && v.view.callback_id === 'upload_modal' && JSON.stringify(v.view.blocks).includes('mode_choice')));
    if (!form) {
      this.timedOut('upload form');
      this.tally.errors.push(`no upload form; the app said: ${this.mine().at(-1)?.text ?? 'nothing'}`);
      return null;
    }
    const seen = this.mine().length;
    // A CSV, as researchers replace a group: a pasted list would outgrow the field's 3,000
    // characters once the feeder has grown the group.
    const file = this.slack.hostFile({ name: 'replace.csv', content: `participant_id\n${ids.join('\n')}\n`, user: this.user });
    await instance.driver.viewSubmission({ user: this.user, viewId: form.id, values: { group_select: this.groupId, paste_input: null, mode_choice: 'replace', file_input: { files: [file] } } });
    return until(() => this.mine().slice(seen).find((m) => hasButton(m, 'op_confirm') || hasButton(m, 'op_cancel')));
  }

  private timedOut(what: string): 'no answer' {
    this.tally.timeouts[what] = (this.tally.timeouts[what] ?? 0) + 1;
    return 'no answer';
  }

  private mine(): LocalMessage[] {
    return this.slack.messages().filter((m) => m.ephemeralTo === this.user && !m.deleted);
  }
}

interface SoakResult {
  seconds: number;
  driver: string;
  tally: Tally;
  operations: Record<string, number>;
  applied: number;
  verdict: ReturnType<MembershipLedger['judge']>;
  lostNotifications: string[];
  /** Applied operations whose notification Slack answered with a 5xx: recorded, shown in the history, not repeated. */
  undeliveredNotifications: string[];
  duplicateNotifications: string[];
  strayNotifications: number;
  watcherNotes: number;
  /** Answers to the second click of a double click: "already applied" or "being applied". */
  refusals: number;
  unsettled: number;
  wallMs: number;
}

export async function soak(seconds = SECONDS): Promise<SoakResult> {
  const started = performance.now();
  const sandbox = await createSandbox({ recordRequests: false });
  const slack = await LocalSlack.start({ botToken: `xoxb-soak-${randomBytes(12).toString('hex')}` });
  for (const id of PEOPLE.slice(3)) slack.addUser({ id, name: id.toLowerCase() });
  slack.addChannel({ id: 'C_WATCH', name: 'soak-watch' });
  const databaseUrl = process.env.DATABASE_URL;
  const first = await openStore(databaseUrl ? { databaseUrl } : {});
  const second = databaseUrl ? await openStore({ databaseUrl }) : first;
  const group = sandbox.state.createGroup({ name: GROUP_NAME, workspace_id: SEED_WORKSPACE_ID, participant_ids: freshIds(40) });
  const ledger = new MembershipLedger(sandbox.state, group.id);
  const instances: [Instance, Instance] = [await startInstance('instance-a', sandbox, slack, first), await startInstance('instance-b', sandbox, slack, second)];
  await instances[0].driver.command('/pgroup', `watch ${group.id}`, { user: 'U_ALICE', channel: 'C_WATCH' });

  const tally: Tally = {
    attempts: {},
    outcomes: { applied: 0, failed: 0, stale: 0, busy: 0, 'no answer': 0, 'nothing to do': 0 },
    doubleClicks: 0,
    faults: {},
    slackFaults: 0,
    errors: [],
    timeouts: {},
  };
  const end = Date.now() + seconds * 1000;
  const groupPath = `/api/v1/participant-groups/${group.id}/`;
  const membersPath = `${groupPath}participants/`;
  const background = setInterval(() => {
    if (Math.random() < FEED_EVERY_MS / FAULT_EVERY_MS) {
      const [name, rule] = pick(FAULTS);
      sandbox.faults.add(rule(groupPath, membersPath));
      tally.faults[name] = (tally.faults[name] ?? 0) + 1;
    }
    if (Math.random() < 0.02) {
      slack.failNext('chat.postMessage', { status: 503 });
      tally.slackFaults++;
    }
    ledger.feed(sandboxParticipantId(nextId++));
  }, FEED_EVERY_MS);
  try {
    await Promise.all(PEOPLE.map((user) => new Person(user, instances, slack, sandbox, group.id, tally).loop(end)));
  } finally {
    clearInterval(background);
  }

  // Let every confirmation, reply and notification finish; then one last watcher round each.
  sandbox.faults.clear();
  slack.clearFaults();
  await until(() => instances.every((i) => i.bot.ctx.inFlight.size === 0), 120_000);
  for (const i of instances) await i.bot.watcher.runRound();

  const statuses: OperationStatus[] = ['pending', 'applying', 'applied', 'failed', 'cancelled', 'expired'];
  const operations = (await first.listOperations({ groupId: group.id, status: statuses, limit: 100_000 })).filter((op) => op.kind !== 'rename');
  const byStatus: Record<string, number> = {};
  for (const op of operations) byStatus[op.status] = (byStatus[op.status] ?? 0) + 1;
  const appliedIds = new Set(operations.filter((op) => op.status === 'applied').map((op) => op.id));
  const notified = new Map<string, number>();
  let stray = 0;
  for (const m of slack.messages(NOTIFY)) {
    const opId = buttonValue(m, 'op_undo');
    if (!opId) continue;
    if (!appliedIds.has(opId)) stray++;
    notified.set(opId, (notified.get(opId) ?? 0) + 1);
  }
  const outbox = await first.listNotifications([...appliedIds]);
  const recordedUndelivered = new Set(outbox.filter((n) => n.channelId === NOTIFY && (n.status === 'unknown' || n.status === 'failed')).map((n) => n.operationId));
  const refusals = slack.messages().filter((m) => /already been applied|being applied right now/.test(m.text)).length;
  const watcherNotes = slack.messages('C_WATCH').filter((m) => !m.ephemeralTo && blocksText(m).includes('outside this app')).length;
  const result: SoakResult = {
    seconds,
    driver: databaseUrl ? 'postgres' : 'pglite',
    tally,
    operations: byStatus,
    applied: appliedIds.size,
    verdict: ledger.judge(operations),
    lostNotifications: [...appliedIds].filter((id) => !notified.has(id) && !recordedUndelivered.has(id)),
    undeliveredNotifications: [...appliedIds].filter((id) => !notified.has(id) && recordedUndelivered.has(id)),
    duplicateNotifications: [...notified].filter(([, n]) => n > 1).map(([id]) => id),
    strayNotifications: stray,
    watcherNotes,
    refusals,
    unsettled: byStatus.applying ?? 0,
    wallMs: performance.now() - started,
  };
  for (const i of instances) await i.bot.stop({ drainMs: 10_000 });
  if (second !== first) await second.close().catch(() => undefined);
  await first.close().catch(() => undefined);
  await slack.close();
  await sandbox.close();
  return result;
}

function report(r: SoakResult): string {
  const v = r.verdict;
  const line = (label: string, value: unknown) => `  ${label.padEnd(34)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
  return [
    `soak: ${r.seconds} s, two instances on ${r.driver}, ${PEOPLE.length} people, a feeder every ${FEED_EVERY_MS} ms`,
    line('changes asked for', r.tally.attempts),
    line('answers (stale counted per preview)', r.tally.outcomes),
    line('double clicks (both instances)', r.tally.doubleClicks),
    line('refusals of a second click', r.refusals),
    line('operations by status', r.operations),
    line('Prolific faults injected', r.tally.faults),
    line('Slack chat.postMessage 503s', r.tally.slackFaults),
    line('feeder adds', v.feederAdds),
    line('app writes that changed the group', v.appWrites),
    line('lost updates', v.lostUpdates.length),
    line('double applies', v.doubleApplies.length),
    line('lost notifications', r.lostNotifications.length),
    line('recorded as may not have been delivered', r.undeliveredNotifications.length),
    line('duplicate notifications', r.duplicateNotifications.length),
    line('notifications of no applied change', r.strayNotifications),
    line('joined in a PATCH window, dropped', `${v.window.reported + v.window.unreported} (${v.window.reported} reported; joined at most ${v.window.longestMs} ms before the PATCH)`),
    line('writes no operation explains', v.unattributed),
    line('operations left applying', r.unsettled),
    line('watcher notifications', r.watcherNotes),
    ...(Object.keys(r.tally.timeouts).length ? [line('waited in vain for', r.tally.timeouts)] : []),
    ...(r.tally.errors.length ? [line('errors on the people’s side', [...new Set(r.tally.errors)].slice(0, 5))] : []),
    ...(v.lostUpdates.length ? [line('lost update detail', v.lostUpdates.slice(0, 10))] : []),
  ].join('\n');
}

export async function run(): Promise<BenchRow[]> {
  const r = await soak();
  process.stdout.write(`${report(r)}\n`);
  const v = r.verdict;
  const bad = v.lostUpdates.length + v.doubleApplies.length + r.lostNotifications.length + r.duplicateNotifications.length;
  return [
    {
      name: `soak: ${r.seconds} s, two instances on ${r.driver}`,
      wallMs: r.wallMs,
      throughput: `${r.applied} applied; lost updates ${v.lostUpdates.length}, double applies ${v.doubleApplies.length}, notifications lost ${r.lostNotifications.length} / duplicated ${r.duplicateNotifications.length} / recorded undelivered ${r.undeliveredNotifications.length}`,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      aim: AIM,
      ok: bad === 0 && r.unsettled === 0 && v.unattributed === 0,
    },
  ];
}

if (require.main === module) {
  runAndPrint(run);
}
