// /healthz's view of the store: a committed heartbeat row, and for the embedded store on disk a
// probe file written in DATA_DIR. A database that reads but refuses writes, or a DATA_DIR that takes
// no new files, is unhealthy; once either takes writes again, it is healthy again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';
import type { Database } from '../../src/store/database';
import { migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import { createSqlStore } from '../../src/store/sqlStore';
import { makeUnwritable } from '../support/unwritableDir';

describe('the heartbeat', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPgliteDatabase(undefined, { log: () => {} });
    await migrate(db, () => {});
  });
  afterAll(() => db.close());

  it('is a committed write: each check moves it on', async () => {
    const store = createSqlStore(db);
    expect(await store.health()).toEqual({ ok: true, driver: 'pglite', checks: { heartbeat: true } });
    const [first] = await db.query<{ beat_at: string }>('select beat_at from store_heartbeat');
    await store.health();
    const [second] = await db.query<{ beat_at: string }>('select beat_at from store_heartbeat');
    expect(new Date(second!.beat_at).getTime()).toBeGreaterThan(new Date(first!.beat_at).getTime());
  });

  it('fails while the database refuses writes (reads still work), and recovers', async () => {
    const store = createSqlStore(db);
    await db.query(`create function refuse_writes() returns trigger language plpgsql as $$ begin raise exception 'permission denied for table store_heartbeat' using errcode = '42501'; end $$`);
    await db.query('create trigger refuse_writes before insert or update on store_heartbeat for each row execute function refuse_writes()');
    try {
      expect((await db.query('select 1 as one'))[0]).toEqual({ one: 1 });
      const health = await store.health();
      expect(health).toMatchObject({ ok: false, driver: 'pglite', checks: { heartbeat: false } });
      expect(health.error).toContain('42501');
    } finally {
      await db.query('drop trigger refuse_writes on store_heartbeat');
    }
    expect((await store.health()).ok).toBe(true);
  });
});

describe('the embedded store on disk', () => {
  it('is unhealthy while DATA_DIR takes no new files, and healthy again once it does', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pgroup-health-'));
    const store = await openStore({ dataDir });
    try {
      expect(await store.health()).toEqual({ ok: true, driver: 'pglite', checks: { heartbeat: true, dataDir: true } });
      const restore = makeUnwritable(dataDir);
      let health: Awaited<ReturnType<typeof store.health>>;
      try {
        health = await store.health();
      } finally {
        restore();
      }
      expect(health).toMatchObject({ ok: false, checks: { dataDir: false } });
      expect(health.error).toMatch(/^DATA_DIR is not writable: E[A-Z]+/);
      expect((await store.health()).ok).toBe(true);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
