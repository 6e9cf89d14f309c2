// Whether the store can write, as /healthz reports it. A read (`select 1`) succeeds while writes
// fail (a full or read-only disk, a database that refuses them), so the check writes: one committed
// heartbeat row, and for the embedded store a probe file in DATA_DIR, written, synced and removed.
// A write that is rolled back never reaches the disk, so it would prove nothing.
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable, StoreDriver } from './database';

export interface StoreHealth {
  ok: boolean;
  driver: StoreDriver;
  /** Each check: the heartbeat row committed; the probe file in DATA_DIR written (embedded store on disk only). */
  checks: { heartbeat: boolean; dataDir?: boolean };
  /** What failed, without secrets (the drivers redact connection passwords). */
  error?: string;
}

const messageOf = (err: unknown): string => {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
};

/** Writes, syncs and removes a small file in `dir`: the disk under DATA_DIR takes writes. */
export async function probeDataDir(dir: string): Promise<void> {
  const file = join(dir, `.write-probe-${process.pid}`);
  const handle = await open(file, 'w');
  try {
    await handle.writeFile('pgroup health probe\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await unlink(file);
}

export async function checkStoreHealth(db: Queryable, driver: StoreDriver, dataDir: string | null): Promise<StoreHealth> {
  const errors: string[] = [];
  const checks: StoreHealth['checks'] = { heartbeat: false };
  try {
    await db.query(`insert into store_heartbeat (id, beat_at) values (1, now()) on conflict (id) do update set beat_at = excluded.beat_at`);
    checks.heartbeat = true;
  } catch (err) {
    errors.push(messageOf(err));
  }
  if (dataDir) {
    try {
      await probeDataDir(dataDir);
      checks.dataDir = true;
    } catch (err) {
      checks.dataDir = false;
      errors.push(`DATA_DIR is not writable: ${messageOf(err)}`);
    }
  }
  const ok = checks.heartbeat && checks.dataDir !== false;
  return { ok, driver, checks, ...(errors.length ? { error: errors.join('; ') } : {}) };
}
