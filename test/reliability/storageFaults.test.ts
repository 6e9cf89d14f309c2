// The database failing during a confirmation. The change is never applied twice, the user is told
// the truth (written or not), and it can be completed or retried once the database is back: a
// confirmation left 'applying' is settled by the recovery that runs at startup and with every
// retention sweep. On embedded PGlite the outage is switched at the store's boundary; with
// DATABASE_URL, a PostgreSQL server of this file's own is stopped and started again for real.
import { ProlificClient } from '../../src/prolific';
import { ChangeService } from '../../src/services/changes';
import { failureSummary } from '../../src/slack/blocks/failedChange';
import { ServedGroups, servesWorkspaces } from '../../src/services/servedGroups';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';
import type { Database } from '../../src/store/database';
import { migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import { createSqlStore } from '../../src/store/sqlStore';
import { DatabaseError } from '../../src/store/databaseError';
import type { Store } from '../../src/store/types';
import { type E2E, findButton, messageText, startE2E, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { ALICE, ask, clickAndWaitForUpdate, freshGroup, newIds, patchesOf, previewUpload, sorted } from './conversation';
import { makeUnwritable } from '../support/unwritableDir';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwawayPostgres';

/** Past the 15 minutes a confirmation may stay 'applying' before the recovery settles it. */
const AFTER_STUCK_BOUND = () => new Date(Date.now() + 16 * 60_000);
const groupPath = (id: string) => new RegExp(`^/api/v1/participant-groups/${id}/$`);

/** Clicks Confirm for an operation as a repeated delivery would (no message needed), and returns the reply. */
async function confirmAgain(e2e: E2E, operationId: string, replyIncludes: string) {
  const before = e2e.slack.messages().length;
  const res = await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'op_confirm', value: operationId });
  expect(res.status).toBe(200);
  return eventually(() => e2e.slack.messages().slice(before).find((m) => messageText(m).includes(replyIncludes)), `a reply saying "${replyIncludes}"`);
}

async function auditOf(e2e: E2E, groupId: string) {
  return e2e.store.listAudit({ groupId, limit: 20, offset: 0 });
}

/** The notifications' top-level posts (their details are replies in their threads). */
const notificationsFor = (e2e: E2E, name: string) => e2e.slack.posts('C_NOTIFY').filter((m) => messageText(m).includes(name));

/**
 * The status write after Prolific applied the change fails. The user must hear that the change
 * is made (not that it failed), no second click may write it again, and once the database is
 * back the recovery records it, announces it once, and makes it undoable.
 */
async function statusWriteFailsAfterTheWrite(e2e: E2E, name: string, first: number, takeDown: () => Promise<void>, bringBack: () => Promise<void>) {
  const group = freshGroup(e2e, name, first, 4);
  const original = e2e.sandbox.state.members(group.id);
  const target = newIds(first + 1000, 3);
  const preview = await previewUpload(e2e, group.id, 'replace', target);
  const operationId = findButton(preview, 'op_confirm')!.value!;
  e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, latencyMs: 2500 });

  await e2e.click(preview, 'op_confirm');
  await eventually(() => patchesOf(e2e, group.id).length === 1, 'the PATCH to arrive');
  await takeDown();
  const outcome = await eventually(() => {
    const m = e2e.slack.message(preview.channel, preview.ts);
    return m && m.updatedCount > 0 && m;
  }, 'the outcome');
  const text = messageText(outcome);
  expect(text).toContain('Done');
  expect(text).toContain('not recorded yet');
  expect(text).not.toContain('failed');
  expect(findButton(outcome, 'op_undo')).toBeUndefined();
  expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));

  // Confirming again while the database is down writes nothing.
  expect(messageText(await confirmAgain(e2e, operationId, 'database did not answer'))).toContain('nothing was changed');
  await bringBack();
  // ...and once it is back, the operation is still held as in progress, so nothing is written either.
  expect((await e2e.store.getOperation(operationId))?.status).toBe('applying');
  await confirmAgain(e2e, operationId, 'being applied right now');
  expect(patchesOf(e2e, group.id)).toHaveLength(1);
  expect(notificationsFor(e2e, name)).toEqual([]);

  // The recovery records it (the group shows the change), tells the requester and the channel, once.
  const before = e2e.slack.messages().length;
  expect((await e2e.bot.sweep(AFTER_STUCK_BOUND())).recovered).toBe(1);
  expect((await e2e.store.getOperation(operationId))?.status).toBe('applied');
  expect((await auditOf(e2e, group.id)).map((a) => a.outcome)).toEqual(['applied']);
  const told = await eventually(() => e2e.slack.messages().slice(before).find((m) => m.ephemeralTo === ALICE && messageText(m).includes('now recorded')), 'the requester told');
  expect(messageText(told)).toContain('Done');
  const note = await e2e.waitForPost('C_NOTIFY', (m) => messageText(m).includes(name), 'the notification');
  expect((await e2e.bot.sweep(AFTER_STUCK_BOUND())).recovered).toBe(0);
  expect(notificationsFor(e2e, name)).toHaveLength(1);
  expect(patchesOf(e2e, group.id)).toHaveLength(1);

  // And it can be undone like any other change.
  const undoBefore = e2e.slack.messages().length;
  await e2e.click(note, 'op_undo');
  const undo = await eventually(() => e2e.slack.messages().slice(undoBefore).find((m) => messageText(m).includes('op_confirm')), 'the undo preview');
  expect(messageText(await clickAndWaitForUpdate(e2e, undo, 'op_confirm', 'the undo outcome'))).toContain('Done');
  expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(original));
}

describe('embedded storage', () => {
  /** The real store, behind a switch that makes every call fail as a lost connection would. */
  const database = { down: false, downAfterClaim: false };
  let realStore: Store;

  function switched(store: Store): Store {
    return new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        // health() reports the real store; close() belongs to the test.
        if (typeof value !== 'function' || prop === 'health' || prop === 'close') return value;
        return async (...args: unknown[]) => {
          // What the drivers throw when the connection is gone (see DatabaseError).
          if (database.down) throw new DatabaseError(new Error('Connection terminated unexpectedly'));
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (prop === 'transitionOperation' && args[2] === 'applying' && database.downAfterClaim) database.down = true;
          return result;
        };
      },
    });
  }

  const e2e = useE2E(async () => {
    realStore = await openStore();
    return startE2E({ store: switched(realStore), env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });
  });
  afterEach(() => {
    database.down = false;
    database.downAfterClaim = false;
  });

  it('the status write after a successful PATCH fails: the user hears it is done, nothing is written twice, and the recovery records it', () =>
    statusWriteFailsAfterTheWrite(
      e2e,
      'Unrecorded change',
      610_000,
      async () => {
        database.down = true;
      },
      async () => {
        database.down = false;
      },
    ));

  it('the database is down when the click arrives: nothing is written, and the same preview can be confirmed once it is back', async () => {
    const group = freshGroup(e2e, 'Confirm later', 620_000, 3);
    const target = newIds(621_000, 2);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    database.down = true;
    const before = e2e.slack.messages().length;
    await e2e.click(preview, 'op_confirm');
    const told = await eventually(() => e2e.slack.messages().slice(before).find((m) => messageText(m).includes('database did not answer')), 'the reply');
    expect(messageText(told)).toContain('The app’s own database did not answer, so nothing was changed');
    expect(messageText(told)).not.toContain('Slack');
    expect(patchesOf(e2e, group.id)).toEqual([]);

    database.down = false;
    expect(messageText(await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome'))).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
    expect(patchesOf(e2e, group.id)).toHaveLength(1);
  });

  it('the database goes down right after the confirmation is claimed: the user hears nothing was written, and can retry once the recovery has settled it', async () => {
    const group = freshGroup(e2e, 'Claimed then lost', 630_000, 3);
    const original = e2e.sandbox.state.members(group.id);
    const target = newIds(631_000, 2);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    const operationId = findButton(preview, 'op_confirm')!.value!;
    database.downAfterClaim = true;

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the failure');
    const text = messageText(outcome);
    expect(text).toContain('The change failed');
    expect(text).toContain('Nothing was written');
    expect(text).toContain('not recorded yet');
    expect(text).not.toContain('Prolific said');
    expect(e2e.sandbox.state.members(group.id)).toEqual(original);
    database.down = false;
    database.downAfterClaim = false;
    expect((await e2e.store.getOperation(operationId))?.status).toBe('applying');

    // The recovery finds no snapshot (it is taken before every write), so it records a failure that wrote nothing.
    const before = e2e.slack.messages().length;
    expect((await e2e.bot.sweep(AFTER_STUCK_BOUND())).recovered).toBe(1);
    expect((await e2e.store.getOperation(operationId))?.status).toBe('failed');
    const told = await eventually(() => e2e.slack.messages().slice(before).find((m) => m.ephemeralTo === ALICE && messageText(m).includes('op_retry')), 'the requester told');
    expect(messageText(told)).toContain('Nothing was written');
    expect(messageText(told)).toContain('has 3 members right now');

    const again = await clickAndWaitForUpdate(e2e, told, 'op_retry', 'the fresh preview');
    expect(messageText(await clickAndWaitForUpdate(e2e, again, 'op_confirm', 'the outcome'))).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
    expect(patchesOf(e2e, group.id)).toHaveLength(1);
  });

  it('the recovery records as failed a confirmation whose group does not show the change, and leaves alone one still in flight', async () => {
    const group = freshGroup(e2e, 'Left applying', 640_000, 3);
    const preview = await previewUpload(e2e, group.id, 'replace', newIds(641_000, 2));
    const operationId = findButton(preview, 'op_confirm')!.value!;
    // A slow PATCH keeps this confirmation in flight while the sweep runs.
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, latencyMs: 1000 });
    await e2e.click(preview, 'op_confirm');
    await eventually(() => patchesOf(e2e, group.id).length === 1, 'the PATCH to arrive');
    expect((await e2e.bot.sweep(AFTER_STUCK_BOUND())).recovered).toBe(0);
    await eventually(async () => (await e2e.store.getOperation(operationId))?.status === 'applied', 'the confirmation to finish');

    // A process that stopped after saving the snapshot, with the write not made: an unknown outcome the group settles.
    const stale = freshGroup(e2e, 'Stopped mid-way', 642_000, 3);
    const op = await e2e.bot.ctx.changes.previewMembership({ mode: 'replace', groupId: stale.id, ids: newIds(643_000, 2), actor: { userId: ALICE, teamId: 'T0LOCAL' }, channelId: 'C_GENERAL', source: null });
    await e2e.store.transitionOperation(op.id, ['pending'], 'applying');
    await e2e.store.saveSnapshot({ groupId: stale.id, name: stale.name, memberIds: e2e.sandbox.state.members(stale.id), operationId: op.id });
    expect((await e2e.bot.sweep(new Date())).recovered).toBe(0);
    expect((await e2e.bot.sweep(AFTER_STUCK_BOUND())).recovered).toBe(1);
    const settled = await e2e.store.getOperation(op.id);
    expect(settled).toMatchObject({ status: 'failed', result: { outcomeUnknown: true, current: { count: 3, matchesTarget: false } } });
    expect((await auditOf(e2e, stale.id))[0]).toMatchObject({ outcome: 'unknown', operationId: op.id });
    expect(e2e.sandbox.requests.filter((r) => r.method !== 'GET' && r.path.includes(stale.id))).toEqual([]);
  });

  it('two instances recovering the same confirmation at once settle it once: one audit entry, one report', async () => {
    const group = freshGroup(e2e, 'Recovered twice', 645_000, 3);
    const target = newIds(646_000, 2);
    const op = await e2e.bot.ctx.changes.previewMembership({ mode: 'replace', groupId: group.id, ids: target, actor: { userId: ALICE, teamId: 'T0LOCAL' }, channelId: 'C_GENERAL', source: null });
    // A process applied it and stopped before recording it.
    await e2e.store.transitionOperation(op.id, ['pending'], 'applying');
    await e2e.store.saveSnapshot({ groupId: group.id, name: group.name, memberIds: e2e.sandbox.state.members(group.id), operationId: op.id });
    e2e.sandbox.state.setMembers(group.id, target);

    const client = new ProlificClient({ token: e2e.secrets.prolificToken, baseUrl: e2e.sandbox.url });
    const other = new ChangeService(client, e2e.store, { pendingTtlMs: 60_000, failureSummary, groups: new ServedGroups(client, servesWorkspaces([e2e.sandbox.workspaceId])) });
    const now = AFTER_STUCK_BOUND();
    const [mine, theirs] = await Promise.all([e2e.bot.ctx.changes.recoverStuckOperations({ now }), other.recoverStuckOperations({ now })]).finally(() => client.close());
    expect([...mine, ...theirs].filter((r) => r.kind === 'applied' && r.change.operation.id === op.id)).toHaveLength(1);
    expect((await auditOf(e2e, group.id)).map((a) => a.outcome)).toEqual(['applied']);
    expect((await e2e.store.getOperation(op.id))?.status).toBe('applied');
  });

  it('GET /healthz answers 200 with the store and Prolific state, and 503 once the store is down', async () => {
    const health = e2e.healthUrl;
    const up = await fetch(health);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ok: true, store: { ok: true, driver: 'pglite' }, prolific: { ok: true } });
    await realStore.close();
    const down = await fetch(health);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { ok: boolean; store: { ok: boolean; error?: string } };
    expect(body).toMatchObject({ ok: false, store: { ok: false, driver: 'pglite' } });
    expect(body.store.error).toEqual(expect.any(String));
  });
});

describe('a database that answers but refuses writes (42501)', () => {
  let db: Database;
  const e2e = useE2E(async () => {
    db = await openPgliteDatabase(undefined, { log: () => {} });
    await migrate(db, () => {});
    return startE2E({ store: createSqlStore(db), env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });
  });
  afterAll(() => db?.close());

  /** Makes the database refuse new rows of `table`, as a revoked grant would; returns the undo. */
  async function refuse(table: string): Promise<() => Promise<void>> {
    const name = `refuse_${table}`;
    await db.query(`create or replace function ${name}() returns trigger language plpgsql as $$ begin raise exception 'permission denied for table ${table}' using errcode = '42501'; end $$`);
    await db.query(`create trigger ${name} before insert or update on ${table} for each row execute function ${name}()`);
    return async () => {
      await db.query(`drop trigger ${name} on ${table}`);
    };
  }

  it('says the app’s own database refused and that nothing was changed, never “Slack refused”; the code is in the log', async () => {
    const group = freshGroup(e2e, 'Refused watch', 670_000, 2);
    const allow = await refuse('subscriptions');
    try {
      const reply = await ask(e2e, `watch ${group.id}`, (t) => t.includes('database'));
      expect(messageText(reply)).toContain('The app’s own database refused the request, so nothing was changed.');
      expect(messageText(reply)).not.toContain('Slack');
      expect(messageText(reply)).not.toContain('42501');
    } finally {
      await allow();
    }
    expect(await e2e.store.listSubscriptions({ groupId: group.id })).toEqual([]);
    expect(e2e.logs.some((line) => line.includes('DatabaseError') && line.includes('42501'))).toBe(true);
  });

  it('a preview the database refuses to store: nothing is sent to Prolific, and the user is told so', async () => {
    const group = freshGroup(e2e, 'Refused preview', 671_000, 3);
    const allow = await refuse('operations');
    const writes = () => e2e.sandbox.requests.filter((r) => r.method !== 'GET' && r.path.includes(group.id));
    try {
      const reply = await ask(e2e, `remove ${group.id} ${e2e.sandbox.state.members(group.id)[0]}`, (t) => t.includes('database'));
      expect(messageText(reply)).toContain('nothing was changed');
    } finally {
      await allow();
    }
    expect(writes()).toEqual([]);
    expect(e2e.sandbox.state.members(group.id)).toHaveLength(3);
  });

  it('a group created while the history refuses entries: the user hears it is made, and that the history lacks it', async () => {
    const allow = await refuse('audit_log');
    try {
      const reply = await ask(e2e, 'create "Made, not recorded"', (t) => t.includes('Created'));
      expect(messageText(reply)).toContain('could not record it');
    } finally {
      await allow();
    }
    expect(e2e.sandbox.state.findGroupByName('Made, not recorded')).toBeDefined();
  });

  it('GET /healthz answers 503 while the database refuses writes, though it still reads, and 200 once it takes them', async () => {
    expect((await fetch(e2e.healthUrl)).status).toBe(200);
    const allow = await refuse('store_heartbeat');
    try {
      const down = await fetch(e2e.healthUrl);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ ok: false, store: { ok: false, checks: { heartbeat: false } } });
      expect((await db.query('select 1 as one'))[0]).toEqual({ one: 1 });
    } finally {
      await allow();
    }
    expect((await fetch(e2e.healthUrl)).status).toBe(200);
  });
});

describe('the embedded store’s DATA_DIR refusing new files', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pgroup-health-'));
  let store: Store | undefined;
  const e2e = useE2E(async () => {
    store = await openStore({ dataDir });
    return startE2E({ store });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('GET /healthz answers 503 meanwhile, and 200 again after', async () => {
    expect(await (await fetch(e2e.healthUrl)).json()).toMatchObject({ ok: true, store: { checks: { heartbeat: true, dataDir: true } } });
    const restore = makeUnwritable(dataDir);
    let status: number;
    let body: unknown;
    try {
      const down = await fetch(e2e.healthUrl);
      status = down.status;
      body = await down.json();
    } finally {
      restore();
    }
    expect(status).toBe(503);
    expect(body).toMatchObject({ ok: false, store: { ok: false, checks: { dataDir: false }, error: expect.stringContaining('DATA_DIR is not writable') } });
    expect((await fetch(e2e.healthUrl)).status).toBe(200);
  });
});

if (process.env.DATABASE_URL) {
  describe('PostgreSQL stopped and started again during a confirmation', () => {
    let pg: ThrowawayPostgres;
    let store: Store;

    beforeAll(async () => {
      pg = await startThrowawayPostgres();
      store = await openStore({ databaseUrl: pg.url });
    }, 60_000);
    const e2e = useE2E(() => startE2E({ store, env: { NOTIFY_CHANNEL: 'C_NOTIFY' } }));
    afterAll(async () => {
      await store?.close();
      pg?.destroy();
    });

    it('connections dropped in the middle of a confirmation: the change is applied and recorded once', async () => {
      const group = freshGroup(e2e, 'Dropped connections', 650_000, 4);
      const target = newIds(651_000, 2);
      const preview = await previewUpload(e2e, group.id, 'replace', target);
      e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, latencyMs: 500 });
      await e2e.click(preview, 'op_confirm');
      await eventually(() => patchesOf(e2e, group.id).length === 1, 'the PATCH to arrive');
      // Every connection of the pool is ended by the server, as a failover or a restart of a proxy would.
      const { Client } = await import('pg');
      const admin = new Client({ connectionString: pg.url });
      admin.on('error', () => undefined);
      await admin.connect();
      const ended = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'postgres' and pid <> pg_backend_pid() and backend_type = 'client backend'");
      await admin.end();
      expect(ended.rowCount).toBeGreaterThan(0);

      const outcome = await eventually(() => {
        const m = e2e.slack.message(preview.channel, preview.ts);
        return m && m.updatedCount > 0 && m;
      }, 'the outcome');
      expect(messageText(outcome)).toContain('Done');
      expect(messageText(outcome)).not.toContain('not recorded');
      expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
      expect(patchesOf(e2e, group.id)).toHaveLength(1);
      expect((await auditOf(e2e, group.id)).map((a) => a.outcome)).toEqual(['applied']);
    });

    it('the server stops while the PATCH is in flight and starts again: applied once, /healthz says 503 meanwhile, and the recovery records it', async () => {
      const health = e2e.healthUrl;
      await statusWriteFailsAfterTheWrite(
        e2e,
        'Server restarted',
        660_000,
        async () => {
          await pg.stop();
          const down = await fetch(health);
          expect(down.status).toBe(503);
          expect(await down.json()).toMatchObject({ ok: false, store: { ok: false, driver: 'postgres' } });
        },
        async () => {
          await pg.start();
          await eventually(async () => (await fetch(health)).status === 200, 'the store to answer again');
        },
      );
    }, 40_000);
  });
}
