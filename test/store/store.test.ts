// One suite, run against every driver available: PGlite always, PostgreSQL when DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database, StoreDriver, StoreLog } from '../../src/store/database';
import { DatabaseError } from '../../src/store/databaseError';
import { type OpenStoreOptions, openStore } from '../../src/store/index';
import { MIGRATIONS, migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import { openPostgresDatabase } from '../../src/store/postgresDatabase';
import { createSqlStore } from '../../src/store/sqlStore';
import type { NewAuditEntry, NewOperation, Store } from '../../src/store/types';
import { createTestDatabase } from '../support/postgres';
import { sleep } from '../support/sleep';

interface DatabaseUnderTest {
  options: OpenStoreOptions;
  discard(): Promise<void>;
}

interface DriverUnderTest {
  driver: StoreDriver;
  /** A fresh database for the suite's main store (PGlite: in memory). */
  fresh(): Promise<DatabaseUnderTest>;
  /** A fresh database that survives its store being closed and opened again. */
  reopenable(): Promise<DatabaseUnderTest>;
  /** Whether several instances (processes, pools) can use one database at the same time. */
  sharedByInstances: boolean;
}

async function pgliteDataDir(): Promise<DatabaseUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pgroup-store-'));
  return { options: { dataDir }, discard: () => rm(dataDir, { recursive: true, force: true }) };
}

async function postgresDatabase(): Promise<DatabaseUnderTest> {
  const db = await createTestDatabase();
  return { options: { databaseUrl: db.url }, discard: () => db.drop() };
}

const pglite: DriverUnderTest = {
  driver: 'pglite',
  fresh: async () => ({ options: {}, discard: async () => {} }),
  reopenable: pgliteDataDir,
  // PGlite is one process's embedded database: a data directory is never open twice at once.
  sharedByInstances: false,
};

const postgres: DriverUnderTest = {
  driver: 'postgres',
  fresh: postgresDatabase,
  reopenable: postgresDatabase,
  sharedByInstances: true,
};

const drivers: DriverUnderTest[] = process.env.DATABASE_URL ? [pglite, postgres] : [pglite];

/** The low-level database behind a store, to inspect the schema directly. */
function openDatabase(options: OpenStoreOptions, log: StoreLog = () => {}): Promise<Database> {
  return options.databaseUrl
    ? openPostgresDatabase(options.databaseUrl, log)
    : openPgliteDatabase(options.dataDir, { template: options.pgliteTemplate, log });
}

/** Distinct 24-hex participant ids; different seeds give disjoint lists. */
function participantIds(count: number, seed: number): string[] {
  const prefix = seed.toString(16).padStart(6, '0');
  return Array.from({ length: count }, (_, i) => `${prefix}${i.toString(16).padStart(18, '0')}`);
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const DAY_MS = 24 * 60 * 60 * 1000;

function newOperation(overrides: Partial<NewOperation> = {}): NewOperation {
  return {
    kind: 'replace',
    groupId: unique('group'),
    groupName: 'Pilot wave',
    slackUserId: 'U0001',
    slackTeamId: 'T0001',
    channelId: 'C0001',
    participantIds: participantIds(3, 1),
    baselineIds: participantIds(2, 2),
    baselineName: 'Pilot wave',
    newName: null,
    snapshotId: null,
    details: { fileName: 'wave.csv', invalidRows: 0 },
    message: { channel: 'C0001', ts: '1700000000.000100' },
    ttlMs: 15 * 60 * 1000,
    ...overrides,
  };
}

function newAuditEntry(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    slackUserId: 'U0001',
    slackTeamId: 'T0001',
    action: 'add',
    groupId: 'group',
    groupName: 'Pilot wave',
    beforeName: null,
    afterName: null,
    beforeCount: 10,
    afterCount: 12,
    added: 2,
    removed: 0,
    outcome: 'applied',
    error: null,
    operationId: null,
    snapshotId: null,
    ...overrides,
  };
}

for (const target of drivers) {
  describe(`store on ${target.driver}`, () => {
    let database: DatabaseUnderTest;
    let store: Store;

    beforeAll(async () => {
      database = await target.fresh();
      store = await openStore(database.options);
    });

    afterAll(async () => {
      await store?.close();
      await database?.discard();
    });

    describe('migrations', () => {
      it('applies every version to an empty database once; a re-run applies nothing', async () => {
        const fresh = await target.fresh();
        // PGlite: made by initdb, not from the template, which holds every migration already.
        const db = await openDatabase({ ...fresh.options, pgliteTemplate: false });
        try {
          expect(await migrate(db, () => {})).toEqual(MIGRATIONS.map((m) => m.version));
          expect(await migrate(db, () => {})).toEqual([]);
          const rows = await db.query<{ version: number }>('select version from schema_migrations order by version');
          expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
          const tables = await db.query<{ table_name: string }>(
            `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
          );
          expect(tables.map((t) => t.table_name)).toEqual([
            'audit_log',
            'channel_workspaces',
            'deliveries',
            'group_write_locks',
            'home_workspaces',
            'leases',
            'notification_outbox',
            'operations',
            'schema_migrations',
            'snapshots',
            'store_heartbeat',
            'store_identity',
            'study_details',
            'subscriptions',
            'watch_state',
          ]);
        } finally {
          await db.close();
          await fresh.discard();
        }
      });

      it('a store closed and opened again on the same database still has its operation and migrates nothing', async () => {
        const reopenable = await target.reopenable();
        try {
          const first = await openStore(reopenable.options);
          const created = await first.createOperation(newOperation({ participantIds: participantIds(1000, 3) }));
          // PostgreSQL serves several instances at once; a PGlite directory is opened by one at a time.
          if (!target.sharedByInstances) await first.close();
          const applied: unknown[] = [];
          const second = await openStore({
            ...reopenable.options,
            log: (_level, msg, fields) => {
              if (msg.includes('applied schema migration')) applied.push(fields);
            },
          });
          expect(applied).toEqual([]);
          expect(await second.getOperation(created.id)).toEqual(created);
          await second.close();
          if (target.sharedByInstances) await first.close();
        } finally {
          await reopenable.discard();
        }
      });

      if (target.sharedByInstances) {
        it('instances starting at once apply each version exactly once (advisory lock)', async () => {
          const fresh = await target.fresh();
          try {
            const applied: unknown[] = [];
            const log: StoreLog = (_level, msg, fields) => {
              if (msg.includes('applied schema migration')) applied.push(fields);
            };
            const stores = await Promise.all(Array.from({ length: 6 }, () => openStore({ ...fresh.options, log })));
            expect(applied).toHaveLength(MIGRATIONS.length);
            for (const s of stores) expect((await s.health()).ok).toBe(true);
            await Promise.all(stores.map((s) => s.close()));
            const db = await openDatabase(fresh.options);
            const rows = await db.query<{ n: number }>('select count(*)::int as n from schema_migrations');
            await db.close();
            expect(rows[0]?.n).toBe(MIGRATIONS.length);
          } finally {
            await fresh.discard();
          }
        });
      }
    });

    describe('operations', () => {
      it('round-trips an operation with 100,000 ids in both lists', async () => {
        const input = newOperation({
          kind: 'replace',
          participantIds: participantIds(100_000, 10),
          baselineIds: participantIds(100_000, 11),
          details: { fileName: 'big.csv', counts: { add: 100_000, remove: 100_000 }, warnings: ['dup'] },
          message: { channel: 'C0001', responseUrl: 'https://hooks.slack.test/r/1' },
        });
        const created = await store.createOperation(input);
        expect(created).toMatchObject({
          kind: 'replace',
          status: 'pending',
          groupId: input.groupId,
          groupName: input.groupName,
          slackUserId: 'U0001',
          slackTeamId: 'T0001',
          channelId: 'C0001',
          baselineName: 'Pilot wave',
          newName: null,
          snapshotId: null,
          details: input.details,
          message: input.message,
          result: null,
          error: null,
        });
        expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.updatedAt).toBeInstanceOf(Date);
        expect(created.expiresAt).toBeInstanceOf(Date);
        expect(created.expiresAt.getTime() - created.createdAt.getTime()).toBe(input.ttlMs);
        expect(created.participantIds).toEqual(input.participantIds);

        const read = await store.getOperation(created.id);
        expect(read).toEqual(created);
        expect(read?.participantIds).toHaveLength(100_000);
        expect(read?.baselineIds).toEqual(input.baselineIds);
      });

      it('round-trips empty id lists and the optional fields', async () => {
        const snapshot = await store.saveSnapshot({
          groupId: 'g',
          name: 'Before',
          memberIds: [],
          operationId: null,
        });
        const created = await store.createOperation(
          newOperation({
            kind: 'undo',
            participantIds: [],
            baselineIds: [],
            newName: 'Restored name',
            snapshotId: snapshot.id,
            channelId: null,
            message: null,
            details: {},
          }),
        );
        const read = await store.getOperation(created.id);
        expect(read).toMatchObject({
          kind: 'undo',
          participantIds: [],
          baselineIds: [],
          newName: 'Restored name',
          snapshotId: snapshot.id,
          channelId: null,
          message: null,
          details: {},
        });
      });

      it('stores lists of Prolific ids at 12 bytes an id and any other list as text, and reads both back exactly', async () => {
        const fresh = await target.fresh();
        const db = await openDatabase(fresh.options);
        try {
          await migrate(db, () => {});
          const direct = createSqlStore(db);
          const prolificIds = participantIds(2000, 7);
          // Not all Prolific ids: upper case, too short, anything else (as text, never changed).
          const otherIds = ['5F8D0D55B54764421B7156C9', 'abc', 'participant-1', ...participantIds(3, 8)];
          const created = await direct.createOperation(newOperation({ participantIds: prolificIds, baselineIds: otherIds }));
          const snapshot = await direct.saveSnapshot({ groupId: 'g', name: 'Before', memberIds: prolificIds, operationId: created.id });
          const otherSnapshot = await direct.saveSnapshot({ groupId: 'g', name: 'Before', memberIds: otherIds, operationId: null });

          const [row] = await db.query<{ packed: number | null; text: number; baseline_packed: number | null; baseline_text: string }>(
            `select octet_length(participant_ids_packed) as packed, length(participant_ids) as text,
               octet_length(baseline_ids_packed) as baseline_packed, baseline_ids as baseline_text
             from operations where id = $1`,
            [created.id],
          );
          expect(row).toEqual({ packed: 2000 * 12, text: 0, baseline_packed: null, baseline_text: otherIds.join('\n') });
          const snapshots = await db.query<{ id: string; packed: number | null }>(
            'select id, octet_length(member_ids_packed) as packed from snapshots where id in ($1, $2)',
            [snapshot.id, otherSnapshot.id],
          );
          expect(Object.fromEntries(snapshots.map((r) => [r.id, r.packed]))).toEqual({ [snapshot.id]: 2000 * 12, [otherSnapshot.id]: null });

          const read = (await direct.getOperation(created.id))!;
          expect(read.participantIds).toEqual(prolificIds);
          expect(read.baselineIds).toEqual(otherIds);
          expect((await direct.getSnapshot(snapshot.id))!.memberIds).toEqual(prolificIds);
          expect((await direct.getSnapshot(otherSnapshot.id))!.memberIds).toEqual(otherIds);
          // The atomic transition returns the operation with its lists too.
          expect((await direct.transitionOperation(created.id, ['pending'], 'applying'))!.participantIds).toEqual(prolificIds);
        } finally {
          await db.close();
          await fresh.discard();
        }
      });

      it('reads an operation whose lists were written as text before they were packed', async () => {
        const ids = participantIds(3, 9);
        const fresh = await target.fresh();
        const db = await openDatabase(fresh.options);
        try {
          await migrate(db, () => {});
          const direct = createSqlStore(db);
          const op = await direct.createOperation(newOperation({ participantIds: ids, baselineIds: ids }));
          // As an earlier release wrote every list: text, and no packed column to read.
          await db.query(
            'update operations set participant_ids = $2, participant_ids_packed = null, baseline_ids = $2, baseline_ids_packed = null where id = $1',
            [op.id, ids.join('\n')],
          );
          expect(await direct.getOperation(op.id)).toMatchObject({ participantIds: ids, baselineIds: ids });
        } finally {
          await db.close();
          await fresh.discard();
        }
      });

      it('refuses ids that would not survive storage', async () => {
        await expect(store.createOperation(newOperation({ participantIds: ['a\nb'] }))).rejects.toThrow(/invalid id/);
        await expect(store.createOperation(newOperation({ baselineIds: [''] }))).rejects.toThrow(/invalid id/);
      });

      it('returns null for an unknown or malformed id', async () => {
        expect(await store.getOperation(randomUUID())).toBeNull();
        expect(await store.getOperation('not-a-uuid')).toBeNull();
        expect(await store.transitionOperation('not-a-uuid', ['pending'], 'applying')).toBeNull();
        expect(await store.transitionOperation(randomUUID(), ['pending'], 'applying')).toBeNull();
      });

      it('moves through its statuses only from the expected ones, applying the patch', async () => {
        const created = await store.createOperation(newOperation());
        expect(await store.transitionOperation(created.id, ['applying'], 'applied')).toBeNull();

        const applying = await store.transitionOperation(created.id, ['pending'], 'applying');
        expect(applying?.status).toBe('applying');
        expect(applying?.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
        expect(applying?.message).toEqual(created.message);

        const applied = await store.transitionOperation(created.id, ['applying'], 'applied', {
          result: { added: 3, removed: 2 },
          message: { channel: 'C0002', ts: '1700000000.000200' },
        });
        expect(applied).toMatchObject({
          status: 'applied',
          result: { added: 3, removed: 2 },
          error: null,
          message: { channel: 'C0002', ts: '1700000000.000200' },
        });
        expect(await store.transitionOperation(created.id, ['pending', 'applying'], 'failed')).toBeNull();
        expect(await store.getOperation(created.id)).toEqual(applied);
      });

      it('records an error and can clear a field with null', async () => {
        const created = await store.createOperation(newOperation());
        await store.transitionOperation(created.id, ['pending'], 'applying', { result: { partial: true } });
        const failed = await store.transitionOperation(created.id, ['applying'], 'failed', {
          error: 'Prolific said 502',
          result: null,
          message: null,
        });
        expect(failed).toMatchObject({ status: 'failed', error: 'Prolific said 502', result: null, message: null });
      });

      it('updates the message reference without touching the status', async () => {
        const created = await store.createOperation(newOperation({ message: null }));
        await store.setOperationMessage(created.id, { channel: 'C0003', ts: '1.2', responseUrl: 'https://r' });
        await store.setOperationMessage('not-a-uuid', { channel: 'C0003' });
        expect(await store.getOperation(created.id)).toMatchObject({
          status: 'pending',
          message: { channel: 'C0003', ts: '1.2', responseUrl: 'https://r' },
        });
      });

      it('exactly one of 50 concurrent confirmations wins', async () => {
        const created = await store.createOperation(newOperation());
        const results = await Promise.all(
          Array.from({ length: 50 }, () => store.transitionOperation(created.id, ['pending'], 'applying')),
        );
        expect(results.filter((r) => r !== null)).toHaveLength(1);
        expect((await store.getOperation(created.id))?.status).toBe('applying');
      });

      if (target.sharedByInstances) {
        it('exactly one of many confirmations wins across separate pools', async () => {
          const created = await store.createOperation(newOperation());
          const instances = await Promise.all(Array.from({ length: 5 }, () => openStore(database.options)));
          try {
            const results = await Promise.all(
              instances.flatMap((instance) =>
                Array.from({ length: 10 }, () => instance.transitionOperation(created.id, ['pending'], 'applying')),
              ),
            );
            expect(results).toHaveLength(50);
            expect(results.filter((r) => r !== null)).toHaveLength(1);
          } finally {
            await Promise.all(instances.map((i) => i.close()));
          }
        });
      }
    });

    describe('expiry', () => {
      it('a pending operation past its expiry cannot be confirmed or cancelled', async () => {
        const created = await store.createOperation(newOperation({ ttlMs: -1000 }));
        expect(await store.transitionOperation(created.id, ['pending'], 'applying')).toBeNull();
        expect(await store.transitionOperation(created.id, ['pending'], 'cancelled')).toBeNull();
        expect((await store.getOperation(created.id))?.status).toBe('pending');
      });

      it('expireOperations marks expired pending operations and leaves the rest', async () => {
        const expired = await store.createOperation(newOperation({ ttlMs: -1000 }));
        const live = await store.createOperation(newOperation({ ttlMs: 60 * 60 * 1000 }));
        expect(await store.expireOperations()).toBeGreaterThanOrEqual(1);
        expect((await store.getOperation(expired.id))?.status).toBe('expired');
        expect((await store.getOperation(live.id))?.status).toBe('pending');
        expect(await store.transitionOperation(expired.id, ['pending'], 'applying')).toBeNull();

        // As of a later time, the live one has expired too.
        expect(await store.expireOperations(new Date(Date.now() + 2 * 60 * 60 * 1000))).toBeGreaterThanOrEqual(1);
        expect((await store.getOperation(live.id))?.status).toBe('expired');
      });

      it('an expired pending operation may still be moved to expired', async () => {
        const created = await store.createOperation(newOperation({ ttlMs: -1000 }));
        expect((await store.transitionOperation(created.id, ['pending'], 'expired'))?.status).toBe('expired');
      });

      it('expiry only guards leaving pending: an operation being applied can still finish', async () => {
        const created = await store.createOperation(newOperation({ ttlMs: 1000 }));
        expect(await store.transitionOperation(created.id, ['pending'], 'applying')).not.toBeNull();
        await sleep(1100);
        expect((await store.transitionOperation(created.id, ['applying'], 'applied'))?.status).toBe('applied');
      });
    });

    describe('snapshots', () => {
      it('round-trips a snapshot of 100,000 members', async () => {
        const operation = await store.createOperation(newOperation());
        const input = {
          groupId: unique('group'),
          name: 'Wave 2',
          memberIds: participantIds(100_000, 20),
          operationId: operation.id,
        };
        const saved = await store.saveSnapshot(input);
        expect(saved).toMatchObject(input);
        expect(saved.takenAt).toBeInstanceOf(Date);
        expect(await store.getSnapshot(saved.id)).toEqual(saved);
        expect(await store.getSnapshot(randomUUID())).toBeNull();
        expect(await store.getSnapshot('nope')).toBeNull();
      });

      it('prunes snapshots older than the retention, and keeps newer ones', async () => {
        const saved = await store.saveSnapshot({
          groupId: unique('group'),
          name: 'Old',
          memberIds: participantIds(5, 21),
          operationId: null,
        });
        const audit = await store.appendAudit(newAuditEntry({ groupId: saved.groupId, snapshotId: saved.id }));
        expect(await store.pruneSnapshots(30)).toBe(0);
        expect(await store.pruneSnapshots(30, new Date(Date.now() + 29 * DAY_MS))).toBe(0);
        expect(await store.getSnapshot(saved.id)).not.toBeNull();
        expect(await store.pruneSnapshots(30, new Date(Date.now() + 31 * DAY_MS))).toBeGreaterThanOrEqual(1);
        expect(await store.getSnapshot(saved.id)).toBeNull();
        // The audit log is never pruned.
        expect(await store.listAudit({ groupId: saved.groupId, limit: 10, offset: 0 })).toEqual([audit]);
      });
    });

    describe('audit log', () => {
      it('round-trips an entry', async () => {
        const input = newAuditEntry({
          groupId: unique('group'),
          action: 'rename',
          beforeName: 'Old',
          afterName: 'New',
          beforeCount: null,
          afterCount: null,
          added: 0,
          removed: 0,
          outcome: 'failed',
          error: 'Prolific said 409',
          operationId: randomUUID(),
          snapshotId: randomUUID(),
        });
        const entry = await store.appendAudit(input);
        expect(entry).toMatchObject(input);
        expect(entry.at).toBeInstanceOf(Date);
        expect(await store.listAudit({ groupId: input.groupId, limit: 5, offset: 0 })).toEqual([entry]);
      });

      it('lists newest first, pages, and filters by group and team', async () => {
        const groupA = unique('group-a');
        const groupB = unique('group-b');
        const teamX = unique('team-x');
        const teamY = unique('team-y');
        const a: string[] = [];
        for (let i = 0; i < 5; i++) {
          a.push((await store.appendAudit(newAuditEntry({ groupId: groupA, slackTeamId: teamX, added: i }))).id);
        }
        const b = await store.appendAudit(newAuditEntry({ groupId: groupB, slackTeamId: teamX }));
        const y = await store.appendAudit(newAuditEntry({ groupId: groupA, slackTeamId: teamY }));

        const ids = async (filter: Parameters<Store['listAudit']>[0]) =>
          (await store.listAudit(filter)).map((entry) => entry.id);
        expect(await ids({ groupId: groupA, limit: 10, offset: 0 })).toEqual([y.id, ...[...a].reverse()]);
        expect(await ids({ groupId: groupA, limit: 2, offset: 2 })).toEqual([a[3], a[2]]);
        expect(await ids({ groupId: groupA, limit: 10, offset: 6 })).toEqual([]);
        expect(await ids({ teamId: teamX, limit: 10, offset: 0 })).toEqual([b.id, ...[...a].reverse()]);
        expect(await ids({ groupId: groupA, teamId: teamX, limit: 1, offset: 0 })).toEqual([a[4]]);
        expect(await ids({ teamId: teamY, limit: 10, offset: 0 })).toEqual([y.id]);
        const everything = await ids({ limit: 3, offset: 0 });
        expect(everything).toEqual([y.id, b.id, a[4]]);
      });
    });

    describe('subscriptions', () => {
      it('subscribes once per channel and group, lists, and unsubscribes', async () => {
        const team = unique('T');
        const group = unique('group');
        const sub = { teamId: team, channelId: unique('C'), groupId: group, groupName: 'Pilot', createdBy: 'U0001' };
        const other = { ...sub, channelId: unique('C') };
        expect(await store.subscribe(sub)).toBe(true);
        expect(await store.subscribe(sub)).toBe(false);
        expect(await store.subscribe({ ...sub, groupName: 'Renamed', createdBy: 'U0002' })).toBe(false);
        expect(await store.subscribe(other)).toBe(true);

        const byChannel = await store.listSubscriptions({ channelId: sub.channelId });
        expect(byChannel).toEqual([{ ...sub, createdAt: expect.any(Date), broken: null }]);
        expect((await store.listSubscriptions({ groupId: group })).map((s) => s.channelId)).toEqual([
          sub.channelId,
          other.channelId,
        ]);
        expect(await store.listSubscriptions({ teamId: team })).toHaveLength(2);
        expect(await store.listSubscriptions({ teamId: team, channelId: other.channelId })).toHaveLength(1);

        expect(await store.unsubscribe(sub.channelId, group)).toBe(true);
        expect(await store.unsubscribe(sub.channelId, group)).toBe(false);
        expect(await store.unsubscribe(unique('C'), unique('group'))).toBe(false);
        expect((await store.listSubscriptions({ groupId: group })).map((s) => s.channelId)).toEqual([other.channelId]);
      });

      it('marks a channel’s subscriptions broken once, leaves them out of deliveries, and mends one watched again', async () => {
        const team = unique('T');
        const channel = unique('C');
        const [g1, g2] = [unique('group'), unique('group')];
        const base = { teamId: team, channelId: channel, groupName: 'Pilot', createdBy: 'U0001' };
        await store.subscribe({ ...base, groupId: g1 });
        await store.subscribe({ ...base, groupId: g2, createdBy: 'U0002' });
        const elsewhere = { ...base, channelId: unique('C'), groupId: g1 };
        await store.subscribe(elsewhere);

        const marked = await store.markChannelBroken(channel, 'not_in_channel');
        expect(marked.map((s) => [s.groupId, s.createdBy, s.broken?.reason])).toEqual([
          [g1, 'U0001', 'not_in_channel'],
          [g2, 'U0002', 'not_in_channel'],
        ]);
        expect(marked[0]!.broken?.at).toEqual(expect.any(Date));
        // Once is enough: a second failure marks nothing new.
        expect(await store.markChannelBroken(channel, 'channel_not_found')).toEqual([]);

        // Deliveries skip it; the channel's watch list still shows it, as broken.
        expect((await store.listSubscriptions({ groupId: g1 })).map((s) => s.channelId)).toEqual([elsewhere.channelId]);
        const listed = await store.listSubscriptions({ channelId: channel, includeBroken: true });
        expect(listed.map((s) => s.broken?.reason)).toEqual(['not_in_channel', 'not_in_channel']);

        // Watching again mends it, with whoever asked as its subscriber; a working one is left as it is.
        expect(await store.subscribe({ ...base, groupId: g1, createdBy: 'U0003' })).toBe(true);
        expect(await store.subscribe({ ...base, groupId: g1, createdBy: 'U0004' })).toBe(false);
        const mended = await store.listSubscriptions({ channelId: channel });
        expect(mended.map((s) => [s.groupId, s.createdBy, s.broken])).toEqual([[g1, 'U0003', null]]);
      });
    });

    describe('watch state', () => {
      it('saves, overwrites, reads and deletes what the watcher saw', async () => {
        const groupId = unique('group');
        expect(await store.getWatchState(groupId)).toBeNull();
        const full = {
          groupId,
          name: 'Pilot',
          participantCount: 100_000,
          isDeleted: false,
          memberIds: participantIds(100_000, 30),
          round: 3,
          lastPolledAt: new Date('2026-01-02T03:04:05.678Z'),
          lastChangeAt: new Date('2026-01-01T00:00:00.001Z'),
          lastChangeSummary: '+2 −1',
          backoffUntil: new Date('2026-01-02T03:09:05.000Z'),
        };
        await store.saveWatchState(full);
        expect(await store.getWatchState(groupId)).toEqual(full);

        const countOnly = {
          ...full,
          name: 'Pilot (renamed)',
          participantCount: 0,
          isDeleted: true,
          memberIds: null,
          round: 4,
          lastPolledAt: null,
          lastChangeAt: null,
          lastChangeSummary: null,
          backoffUntil: null,
        };
        await store.saveWatchState(countOnly);
        expect(await store.getWatchState(groupId)).toEqual(countOnly);

        await store.saveWatchState({ ...countOnly, memberIds: [] });
        expect((await store.getWatchState(groupId))?.memberIds).toEqual([]);

        await store.deleteWatchState(groupId);
        expect(await store.getWatchState(groupId)).toBeNull();
      });
    });

    describe('leases', () => {
      it('is held by one holder, renewed by it, and free again once released', async () => {
        const name = unique('watcher');
        expect(await store.tryAcquireLease(name, 'instance-a', 60_000)).toBe(true);
        expect(await store.tryAcquireLease(name, 'instance-b', 60_000)).toBe(false);
        expect(await store.tryAcquireLease(name, 'instance-a', 60_000)).toBe(true);
        await store.releaseLease(name, 'instance-b');
        expect(await store.tryAcquireLease(name, 'instance-b', 60_000)).toBe(false);
        await store.releaseLease(name, 'instance-a');
        expect(await store.tryAcquireLease(name, 'instance-b', 60_000)).toBe(true);
      });

      it('passes to another holder once it expires', async () => {
        const name = unique('watcher');
        expect(await store.tryAcquireLease(name, 'instance-a', 1000)).toBe(true);
        expect(await store.tryAcquireLease(name, 'instance-b', 60_000)).toBe(false);
        await sleep(1100);
        expect(await store.tryAcquireLease(name, 'instance-b', 60_000)).toBe(true);
        expect(await store.tryAcquireLease(name, 'instance-a', 60_000)).toBe(false);
      });

      it('renewal keeps the lease from expiring', async () => {
        const name = unique('watcher');
        expect(await store.tryAcquireLease(name, 'instance-a', 1000)).toBe(true);
        await sleep(500);
        expect(await store.tryAcquireLease(name, 'instance-a', 60_000)).toBe(true);
        await sleep(700);
        expect(await store.tryAcquireLease(name, 'instance-b', 60_000)).toBe(false);
      });

      it('goes to exactly one of many concurrent contenders', async () => {
        const name = unique('watcher');
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.tryAcquireLease(name, `instance-${i}`, 60_000)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('timestamps', () => {
      it('are the instants the server stored, whatever its time zone (an offset in hours and minutes)', async () => {
        const zone = 'America/St_Johns';
        const fresh = await target.fresh();
        try {
          let db = await openDatabase(fresh.options);
          if (target.driver === 'postgres') {
            // Every connection of the pool: set on the database, then a new pool.
            await db.query(`do $$ begin execute format('alter database %I set timezone to %L', current_database(), '${zone}'); end $$`);
            await db.close();
            db = await openDatabase(fresh.options);
          } else {
            // PGlite is one session.
            await db.query(`set timezone to '${zone}'`);
          }
          try {
            await migrate(db, () => {});
            const zoned = createSqlStore(db);
            const created = await zoned.createOperation(newOperation());
            const [server] = await db.query<{ text: string; ms: number }>(
              `select created_at::text as text, (extract(epoch from created_at) * 1000)::float8 as ms from operations where id = $1`,
              [created.id],
            );
            // -03:30, or -02:30 in summer.
            expect(server!.text).toMatch(/-0[23]:30$/);
            expect(created.createdAt.getTime()).toBe(Math.floor(server!.ms));
            const read = await zoned.getOperation(created.id);
            expect(read!.createdAt.getTime()).toBe(Math.floor(server!.ms));
            expect(read!.expiresAt.getTime() - read!.createdAt.getTime()).toBe(newOperation().ttlMs);
          } finally {
            await db.close();
          }
        } finally {
          await fresh.discard();
        }
      });
    });

    describe('database errors', () => {
      it('are DatabaseErrors carrying the PostgreSQL code', async () => {
        const error: unknown = await store
          .createOperation(newOperation({ snapshotId: 'not-a-uuid' }))
          .catch((err: unknown) => err);
        expect(error).toBeInstanceOf(DatabaseError);
        expect(error).toMatchObject({ code: '22P02', kind: 'refused', message: expect.stringMatching(/uuid.*\(22P02\)$/) });
      });
    });

    describe('health', () => {
      it('reports ok while connected and an error, without throwing, once closed', async () => {
        expect(await store.health()).toEqual({ ok: true, driver: target.driver, checks: { heartbeat: true } });
        const fresh = await target.fresh();
        try {
          const closing = await openStore(fresh.options);
          expect(closing.driver).toBe(target.driver);
          await closing.close();
          await closing.close();
          const health = await closing.health();
          expect(health).toMatchObject({ ok: false, driver: target.driver });
          expect(health.error).toEqual(expect.any(String));
        } finally {
          await fresh.discard();
        }
      });
    });
  });
}
