// The outcome of a confirmation is recorded in one transaction (outcomes.ts): the operation's status,
// its audit entry and its notifications, or none of them. The outbox (notificationOutbox.ts) hands
// each notification to one deliverer at a time and keeps what became of it. On PGlite always, and
// on PostgreSQL when DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/store/database';
import { migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import { openPostgresDatabase } from '../../src/store/postgresDatabase';
import { createSqlStore } from '../../src/store/sqlStore';
import type { NewAuditEntry, Operation, Store } from '../../src/store/types';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const drivers = process.env.DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(drivers)('the outcome transaction and the outbox (%s)', (driver) => {
  let db: Database;
  let store: Store;
  let testDatabase: TestDatabase | null = null;

  beforeAll(async () => {
    if (driver === 'postgres') {
      testDatabase = await createTestDatabase();
      db = await openPostgresDatabase(testDatabase.url, () => {});
    } else {
      db = await openPgliteDatabase(undefined, { template: false, log: () => {} });
    }
    await migrate(db, () => {});
    store = createSqlStore(db);
  });
  afterAll(async () => {
    await store?.close();
    await testDatabase?.drop();
  });

  /** An operation being applied, of a group of its own. */
  async function applying(): Promise<Operation> {
    const groupId = `group-${randomUUID().slice(0, 8)}`;
    const op = await store.createOperation({
      kind: 'remove',
      groupId,
      groupName: 'Pilot',
      slackUserId: 'U1',
      slackTeamId: 'T1',
      channelId: 'C1',
      participantIds: ['aaaaaaaaaaaaaaaaaaaaaaaa'],
      baselineIds: [],
      baselineName: 'Pilot',
      newName: null,
      snapshotId: null,
      details: {},
      message: null,
      ttlMs: 60_000,
    });
    return (await store.transitionOperation(op.id, ['pending'], 'applying'))!;
  }

  const auditOf = (op: Operation): NewAuditEntry => ({
    slackUserId: 'U1',
    slackTeamId: 'T1',
    action: op.kind,
    groupId: op.groupId,
    groupName: op.groupName,
    beforeName: 'Pilot',
    afterName: 'Pilot',
    beforeCount: 3,
    afterCount: 2,
    added: 0,
    removed: 1,
    outcome: 'applied',
    error: null,
    operationId: op.id,
    snapshotId: null,
  });

  const applied = (op: Operation, channels = ['C_NOTIFY']) =>
    store.recordOutcome({
      operationId: op.id,
      from: ['applying'],
      to: 'applied',
      patch: { result: { removed: 1 } },
      audit: auditOf(op),
      notify: { channels, watchersOf: op.groupId, change: { removed: 1 } },
    });

  it('records the status, the audit entry and one notification per channel hearing of it, together', async () => {
    const op = await applying();
    await store.subscribe({ teamId: 'T1', channelId: 'C_WATCH', groupId: op.groupId, groupName: 'Pilot', createdBy: 'U1' });
    // NOTIFY_CHANNEL also watching the group still hears of it once.
    await store.subscribe({ teamId: 'T1', channelId: 'C_NOTIFY', groupId: op.groupId, groupName: 'Pilot', createdBy: 'U1' });

    expect(await applied(op)).toMatchObject({ id: op.id, status: 'applied', result: { removed: 1 } });
    expect((await store.listAudit({ groupId: op.groupId, limit: 10, offset: 0 })).map((a) => [a.operationId, a.outcome])).toEqual([[op.id, 'applied']]);
    const rows = await store.listNotifications([op.id]);
    expect(rows.map((r) => [r.channelId, r.status, r.change]).sort()).toEqual([
      ['C_NOTIFY', 'pending', { removed: 1 }],
      ['C_WATCH', 'pending', { removed: 1 }],
    ]);

    // Recording it again (another instance's recovery) records nothing more.
    expect(await applied(op)).toBeNull();
    expect(await store.listAudit({ groupId: op.groupId, limit: 10, offset: 0 })).toHaveLength(1);
    expect(await store.listNotifications([op.id])).toHaveLength(2);
  });

  it('records nothing when the audit entry cannot be written: the operation stays applying', async () => {
    const op = await applying();
    // The database refuses audit entries of this group, as a full disk or a revoked grant would.
    const fn = `refuse_${randomUUID().slice(0, 8)}`;
    await db.query(`create function ${fn}() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`);
    await db.query(`create trigger ${fn} before insert on audit_log for each row when (new.group_id = '${op.groupId}') execute function ${fn}()`);
    try {
      await expect(applied(op)).rejects.toThrow('audit refused');
    } finally {
      await db.query(`drop trigger ${fn} on audit_log`);
    }
    expect((await store.getOperation(op.id))?.status).toBe('applying');
    expect(await store.listAudit({ groupId: op.groupId, limit: 10, offset: 0 })).toEqual([]);
    expect(await store.listNotifications([op.id])).toEqual([]);

    // Once the database takes it, the same outcome is recorded whole.
    expect((await applied(op))?.status).toBe('applied');
    expect(await store.listAudit({ groupId: op.groupId, limit: 10, offset: 0 })).toHaveLength(1);
    expect(await store.listNotifications([op.id])).toHaveLength(1);
  });

  it('a failure is recorded with its audit entry and no notification', async () => {
    const op = await applying();
    const failed = await store.recordOutcome({
      operationId: op.id,
      from: ['applying'],
      to: 'failed',
      patch: { error: 'refused' },
      audit: { ...auditOf(op), outcome: 'failed', error: 'refused' },
    });
    expect(failed).toMatchObject({ status: 'failed', error: 'refused' });
    expect((await store.listAudit({ groupId: op.groupId, limit: 10, offset: 0 })).map((a) => a.outcome)).toEqual(['failed']);
    expect(await store.listNotifications([op.id])).toEqual([]);
  });

  it('hands each notification to one deliverer: racing claims never share a row', async () => {
    const ops = await Promise.all(Array.from({ length: 6 }, () => applying()));
    for (const op of ops) await applied(op, ['C_A', 'C_B']);
    const ids = new Set(ops.map((o) => o.id));
    const claims = await Promise.all(Array.from({ length: 4 }, () => store.claimNotifications({ limit: 5 })));
    const mine = claims.flat().filter((n) => ids.has(n.operationId));
    expect(mine).toHaveLength(12);
    expect(new Set(mine.map((n) => n.id)).size).toBe(12);
    expect(mine.every((n) => n.status === 'sending' && n.attempts === 1)).toBe(true);
    expect(await store.claimNotifications({ operationId: ops[0]!.id })).toEqual([]);
    for (const n of mine) await store.settleNotification(n.id, 'delivered', { messageTs: '1.2' });
  });

  it('keeps what became of a notification; a deferred one is due again later, a settled one never', async () => {
    const op = await applying();
    await applied(op, ['C_A']);
    const [row] = await store.claimNotifications({ operationId: op.id });
    expect(await store.deferNotification(row!.id, 60_000, 'ratelimited')).toBe(true);
    expect(await store.claimNotifications({ operationId: op.id })).toEqual([]);
    expect((await store.listNotifications([op.id]))[0]).toMatchObject({ status: 'pending', error: 'ratelimited' });

    await db.query(`update notification_outbox set not_before = now() where id = $1`, [row!.id]);
    const [again] = await store.claimNotifications({ operationId: op.id });
    expect(again).toMatchObject({ id: row!.id, attempts: 2 });
    expect(await store.settleNotification(again!.id, 'unknown', { error: 'http_500' })).toBe(true);
    // Settled: no second outcome, no claim.
    expect(await store.settleNotification(again!.id, 'delivered')).toBe(false);
    expect(await store.claimNotifications({ operationId: op.id })).toEqual([]);
    expect((await store.listNotifications([op.id]))[0]).toMatchObject({ status: 'unknown', error: 'http_500' });
  });

  it('a notification left sending by a deliverer that stopped becomes "may not have been delivered", never posted again', async () => {
    const op = await applying();
    await applied(op, ['C_A']);
    const [row] = await store.claimNotifications({ operationId: op.id });
    expect(await store.abandonStaleSends(60_000)).toEqual([]);
    await db.query(`update notification_outbox set updated_at = now() - interval '10 minutes' where id = $1`, [row!.id]);
    expect((await store.abandonStaleSends(60_000)).map((n) => [n.id, n.status, n.error])).toEqual([[row!.id, 'unknown', 'stopped_while_posting']]);
    expect(await store.claimNotifications({ operationId: op.id })).toEqual([]);
  });
});
