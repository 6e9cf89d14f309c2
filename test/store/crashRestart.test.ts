// Crash safety with the app as a real process (`node dist/src/index.js`, built by jest's
// globalSetup): a preview is stored, the process is killed with SIGKILL (no shutdown code runs),
// a new process starts on the same storage, and the user's click on the old preview applies the
// change exactly once. Run on embedded PGlite (DATA_DIR) always, and on PostgreSQL (DATABASE_URL)
// when it is set. Slack and Prolific are stand-ins in this test process.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config';
import { type LocalMessage, LocalSlack, SlackDriver } from '../../src/local/slack';
import { AppLogger } from '../../src/logging';
import { openConfiguredStore } from '../../src/runtime';
import { createSandbox, SEED_GROUP_IDS, type Sandbox } from '../../src/local/prolific-sandbox';
import { findButton, messageText } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { freePort } from '../support/freePort';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const ENTRY = join(__dirname, '../../dist/src/index.js');
const PILOT = SEED_GROUP_IDS.pilot;
const MEMBERS_PATH = `/api/v1/participant-groups/${PILOT}/participants/`;
/** A process that has just started answers its first requests slowly on a busy machine. */
const COLD_START_MS = 30_000;

interface AppProcess {
  port: number;
  appUrl: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the app and waits until GET /healthz answers. */
async function startApp(env: Record<string, string>, cwd: string): Promise<AppProcess> {
  const port = await freePort();
  const chunks: string[] = [];
  // Only what the test gives it: no DATABASE_URL, .env or token of the machine running the tests.
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const app: AppProcess = { port, appUrl: `http://127.0.0.1:${port}/slack/events`, child, output: () => chunks.join(''), exited };
  await eventually(
    async () => {
      if (gone) throw new Error(`the app exited before listening:\n${app.output()}`);
      return (await health(app).catch(() => null))?.status === 200;
    },
    'the app to answer /healthz',
    30_000,
  );
  return app;
}

/** Rethrows a failed wait with what the app printed, which is where the reason is. */
function explain(app: AppProcess) {
  return (err: Error): never => {
    err.message = `${err.message}\n--- app output ---\n${app.output()}`;
    throw err;
  };
}

async function health(app: AppProcess): Promise<{ status: number; body: { ok: boolean; store: { ok: boolean; driver: string } } }> {
  const res = await fetch(`http://127.0.0.1:${app.port}/healthz`);
  return { status: res.status, body: (await res.json()) as never };
}

async function kill(app: AppProcess, signal: NodeJS.Signals) {
  app.child.kill(signal);
  return app.exited;
}

let sandbox: Sandbox;
let slack: LocalSlack;
const signingSecret = randomBytes(16).toString('hex');
const running: AppProcess[] = [];

beforeAll(async () => {
  sandbox = await createSandbox();
  slack = await LocalSlack.start({ botToken: `xoxb-test-${randomBytes(12).toString('hex')}` });
});
afterAll(async () => {
  for (const app of running) if (app.child.exitCode === null && app.child.signalCode === null) await kill(app, 'SIGKILL');
  await slack.close();
  await sandbox.close();
});

interface StorageUnderTest {
  driver: 'pglite' | 'postgres';
  /** Extra environment; DATA_DIR is always set, so DATABASE_URL must win over it when present. */
  setUp(): Promise<{ env: Record<string, string>; secret?: string; tearDown(): Promise<void> }>;
}

/** The app's environment against this file's sandbox and local Slack, on the storage under test. */
function appEnv(dataDir: string, storageEnv: Record<string, string>): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PROLIFIC_API_TOKEN: sandbox.token,
    PROLIFIC_API_URL: sandbox.url,
    PROLIFIC_WORKSPACE_ID: sandbox.workspaceId,
    NOTIFY_CHANNEL: 'C_NOTIFY',
    DATA_DIR: dataDir,
    ...storageEnv,
  };
}

const embedded: StorageUnderTest = { driver: 'pglite', setUp: async () => ({ env: {}, tearDown: async () => {} }) };
const postgres: StorageUnderTest = {
  driver: 'postgres',
  async setUp() {
    const db: TestDatabase = await createTestDatabase();
    // The throwaway server trusts loopback, so a password is accepted and must never be printed.
    const url = new URL(db.url);
    url.password = `db-${randomBytes(12).toString('hex')}`;
    return { env: { DATABASE_URL: url.toString() }, secret: url.password, tearDown: () => db.drop() };
  },
};
const storages = process.env.DATABASE_URL ? [embedded, postgres] : [embedded];

describe.each(storages)('the app killed with SIGKILL between preview and confirm ($driver)', (storage) => {
  it('keeps the pending operation, and the click after the restart applies it exactly once', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'pgroup-crash-'));
    const dataDir = join(workDir, 'data');
    const { env: storageEnv, secret: databasePassword, tearDown } = await storage.setUp();
    const env = appEnv(dataDir, storageEnv);
    const member = sandbox.state.members(PILOT)[storage.driver === 'pglite' ? 0 : 1]!;
    const firstRequest = sandbox.requests.length;
    const deletes = () => sandbox.requests.slice(firstRequest).filter((r) => r.method === 'DELETE' && r.path === MEMBERS_PATH);
    try {
      // 1. The first process: healthy on the expected driver, and a preview stored.
      const first = await startApp(env, workDir);
      running.push(first);
      expect((await health(first)).body).toMatchObject({ ok: true, store: { ok: true, driver: storage.driver } });
      const firstMessage = slack.messages().length;
      const command = await new SlackDriver({ slack, appUrl: first.appUrl, signingSecret }).command('/pgroup', `remove "Pilot participants" ${member}`, {
        user: 'U_ALICE',
        channel: 'C_GENERAL',
      });
      expect(command.status).toBe(200);
      const preview: LocalMessage = await eventually(
        () => slack.messages().slice(firstMessage).find((m) => findButton(m, 'op_confirm')?.value),
        'the preview with its Confirm button',
        COLD_START_MS,
      ).catch(explain(first));
      expect(messageText(preview)).toContain('Pilot participants');
      expect(deletes()).toHaveLength(0);

      // 2. Killed: no shutdown handler, no flush, no goodbye.
      expect(await kill(first, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

      // 3. A new process on the same storage; the old preview's button still works, once.
      const second = await startApp(env, workDir);
      running.push(second);
      expect((await health(second)).body.store.driver).toBe(storage.driver);
      const driver = new SlackDriver({ slack, appUrl: second.appUrl, signingSecret });
      const click = await driver.blockAction({ user: 'U_ALICE', channel: preview.channel, messageTs: preview.ts, actionId: 'op_confirm' });
      expect(click.status).toBe(200);
      const outcome = await eventually(() => {
        const now = slack.message(preview.channel, preview.ts);
        return now && messageText(now).includes('Done') ? now : undefined;
      }, 'the outcome in place of the preview', COLD_START_MS).catch(explain(second));
      expect(messageText(outcome)).toContain('Pilot participants');
      expect(sandbox.state.members(PILOT)).not.toContain(member);
      expect(deletes()).toHaveLength(1);
      expect(deletes()[0]?.body).toEqual({ participant_ids: [member] });
      const opId = findButton(preview, 'op_confirm')!.value!;
      await eventually(() => slack.messages('C_NOTIFY').find((m) => messageText(m).includes(opId)), 'the channel notification', COLD_START_MS).catch(explain(second));

      // The same click delivered again (Slack retries) is refused and writes nothing.
      const beforeRefusal = slack.messages().length;
      // Signed a second later than the click can have been, so it is a delivery of its own, not a
      // repeat of the same signed bytes (which the receiver acknowledges and drops).
      const again = new URLSearchParams({ payload: JSON.stringify(click.payload) }).toString();
      const later = Math.floor(Date.now() / 1000) + 1;
      expect((await driver.raw(again, { 'Content-Type': 'application/x-www-form-urlencoded', ...driver.sign(again, later) })).status).toBe(200);
      await eventually(() => slack.messages().slice(beforeRefusal).find((m) => m.text.includes('already been applied')), 'the refusal of a second click', COLD_START_MS).catch(
        explain(second),
      );
      expect(deletes()).toHaveLength(1);

      // 4. SIGTERM still stops it cleanly.
      expect(await kill(second, 'SIGTERM')).toEqual({ code: 0, signal: null });

      // 5. What the processes left behind, read through the runtime's own choice of driver: the operation
      // applied, and audited, once.
      const lines: string[] = [];
      const store = await openConfiguredStore(readConfig(env).config, new AppLogger({ sink: (line) => lines.push(line) }));
      try {
        expect(store.driver).toBe(storage.driver);
        expect(lines.join('\n')).toContain(storage.driver === 'pglite' ? `store: ready (PGlite in ${dataDir})` : 'store: ready (PostgreSQL)');
        expect((await store.getOperation(opId))?.status).toBe('applied');
        const audit = (await store.listAudit({ groupId: PILOT, limit: 100, offset: 0 })).filter((e) => e.operationId === opId);
        expect(audit.map((e) => e.outcome)).toEqual(['applied']);
      } finally {
        await store.close();
      }

      // Embedded storage lives in DATA_DIR/pglite; with DATABASE_URL nothing is written there.
      if (storage.driver === 'pglite') expect(readdirSync(join(dataDir, 'pglite'))).toContain('PG_VERSION');
      else expect(existsSync(dataDir)).toBe(false);

      // Neither process ever printed a secret.
      const output = first.output() + second.output();
      expect(output).toContain('listening on port');
      const secrets = [slack.botToken, signingSecret, sandbox.token, ...(databasePassword ? [databasePassword] : [])];
      expect(secrets.filter((secret) => output.includes(secret)).map((secret) => `${secret.slice(0, 6)}…`)).toEqual([]);
    } finally {
      await tearDown();
      rmSync(workDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.each(storages)('the app killed with SIGKILL between an applied change and its notification ($driver)', (storage) => {
  it('posts the notification once, after the restart', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'pgroup-crash-'));
    const { env: storageEnv, tearDown } = await storage.setUp();
    const env = appEnv(join(workDir, 'data'), storageEnv);
    const name = `Announced after a crash (${storage.driver})`;
    const group = sandbox.state.createGroup({ name, workspace_id: sandbox.workspaceId, participant_ids: sandbox.state.members(SEED_GROUP_IDS.mainPanel).slice(0, 3) });
    const gone = sandbox.state.members(group.id)[0]!;
    const notes = () => slack.posts('C_NOTIFY').filter((m) => messageText(m).includes(name));
    let held: ReturnType<LocalSlack['holdResponseUrls']> | null = null;
    try {
      const first = await startApp(env, workDir);
      running.push(first);
      const firstMessage = slack.messages().length;
      await new SlackDriver({ slack, appUrl: first.appUrl, signingSecret }).command('/pgroup', `remove ${group.id} ${gone}`, { user: 'U_ALICE', channel: 'C_GENERAL' });
      const preview: LocalMessage = await eventually(() => slack.messages().slice(firstMessage).find((m) => findButton(m, 'op_confirm')?.value), 'the preview', COLD_START_MS).catch(
        explain(first),
      );
      held = slack.holdResponseUrls();
      const opId = findButton(preview, 'op_confirm')!.value!;
      await new SlackDriver({ slack, appUrl: first.appUrl, signingSecret }).blockAction({ user: 'U_ALICE', channel: preview.channel, messageTs: preview.ts, actionId: 'op_confirm' });

      // The change is written and recorded (the outcome is on its way to the user), and the
      // notification, which follows the outcome, is not posted yet: the process dies here.
      await eventually(() => held!.held() > 0, 'the outcome to reach the response_url', COLD_START_MS).catch(explain(first));
      expect(sandbox.state.members(group.id)).not.toContain(gone);
      expect(notes()).toEqual([]);
      expect(await kill(first, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      held.release();
      held = null;

      // The next process posts it at startup, once.
      const second = await startApp(env, workDir);
      running.push(second);
      const note = await eventually(() => notes()[0], 'the notification after the restart', COLD_START_MS).catch(explain(second));
      expect(messageText(note)).toContain(opId);
      expect(await kill(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
      expect(notes()).toHaveLength(1);
      expect(slack.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'C_NOTIFY' && !c.args['thread_ts'] && JSON.stringify(c.args).includes(name))).toHaveLength(1);
    } finally {
      held?.release();
      await tearDown();
      rmSync(workDir, { recursive: true, force: true });
    }
  }, 120_000);
});
