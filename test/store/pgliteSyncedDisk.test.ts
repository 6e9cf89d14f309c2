// The embedded store on disk syncs each commit to the host before confirming it. Observed at
// the host's fsync (the real call runs; only the file it synced is noted) and in the server's
// settings. Reading the synced file's name from /proc makes this Linux-only, like the deployment.
import fs, { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/store/database';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';

let dataDir: string;
let db: Database;
const syncedFiles: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pgroup-synced-'));
  db = await openPgliteDatabase(dataDir);
  await db.query('CREATE TABLE confirmed (id int PRIMARY KEY)');
  const fsync = fs.fsyncSync;
  jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
    syncedFiles.push(readlinkSync(`/proc/self/fd/${fd}`));
    fsync(fd);
  });
});

afterAll(async () => {
  jest.restoreAllMocks();
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  syncedFiles.length = 0;
});

it('runs Postgres with fsync on, flushing the WAL with fsync()', async () => {
  const settings = await db.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'wal_sync_method') ORDER BY name",
  );
  expect(settings).toEqual([
    { name: 'fsync', setting: 'on' },
    { name: 'wal_sync_method', setting: 'fsync' },
  ]);
});

it('syncs the WAL on the host before a commit is confirmed', async () => {
  await db.query('INSERT INTO confirmed (id) VALUES (1)');
  const walSyncs = syncedFiles.filter((file) => file.startsWith(join(dataDir, 'pglite', 'pg_wal')));
  expect(walSyncs).toHaveLength(1);
});

it('syncs each commit of a transaction once', async () => {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO confirmed (id) VALUES (2)');
    await tx.query('INSERT INTO confirmed (id) VALUES (3)');
  });
  expect(syncedFiles.filter((file) => file.startsWith(join(dataDir, 'pglite', 'pg_wal')))).toHaveLength(1);
});

it('does not sync for a read', async () => {
  await db.query('SELECT count(*) FROM confirmed');
  expect(syncedFiles).toEqual([]);
});
