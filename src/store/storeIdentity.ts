// Noticing a store that was found empty where another one was before, e.g. DATA_DIR removed, or
// put on a disk that is wiped at each restart: the previews, the history, the undo snapshots and
// the watch lists are gone, and nothing else would say so.
//
// Each store names itself once, when first opened (a row in store_identity). The embedded store
// also leaves a marker file beside DATA_DIR (in its parent directory, so removing DATA_DIR leaves
// it) naming the store that lives there. A store named just now, beside a marker that names
// another, is a store that was lost: that is logged as an error at startup. PostgreSQL has no place
// outside the database to keep a marker, so a new database is only logged as such.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Queryable, StoreLog } from './database';
import { toDate } from './sqlValues';

export interface StoreIdentity {
  installId: string;
  createdAt: Date;
  /** Named just now: the store was empty when this process opened it. */
  createdNow: boolean;
}

interface Marker {
  installId: string;
  createdAt: string;
}

/** The store's name, given now if it has none yet. */
export async function identifyStore(db: Queryable): Promise<StoreIdentity> {
  const created = await db.query<{ install_id: string; created_at: unknown }>(
    `insert into store_identity (id, install_id) values (1, gen_random_uuid())
     on conflict (id) do nothing
     returning install_id, created_at`,
  );
  const row = created[0] ?? (await db.query<{ install_id: string; created_at: unknown }>('select install_id, created_at from store_identity where id = 1'))[0]!;
  return { installId: row.install_id, createdAt: toDate(row.created_at), createdNow: created.length > 0 };
}

/** Where the marker of the store in `dataDir` lives: beside it, so that it outlives the directory. */
export function markerPath(dataDir: string): string {
  const dir = resolve(dataDir);
  return join(dirname(dir), `.${basename(dir)}.pgroup-store.json`);
}

async function readMarker(file: string): Promise<Marker | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Marker>;
    return typeof parsed.installId === 'string' && typeof parsed.createdAt === 'string' ? { installId: parsed.installId, createdAt: parsed.createdAt } : null;
  } catch {
    return null;
  }
}

/**
 * Compares the store with what was there before and says so at startup: an error when the store
 * in `dataDir` is new but the marker beside it names an older one; then the marker names this one.
 */
export async function checkStoreContinuity(identity: StoreIdentity, where: { dataDir: string | null; driver: 'pglite' | 'postgres' }, log: StoreLog): Promise<void> {
  if (!where.dataDir) {
    if (identity.createdNow && where.driver === 'postgres') log('info', `store: a new, empty database (store ${identity.installId})`, { installId: identity.installId });
    return;
  }
  const file = markerPath(where.dataDir);
  const marker = await readMarker(file);
  if (marker && marker.installId !== identity.installId) {
    if (identity.createdNow) {
      log(
        'error',
        `store: DATA_DIR (${resolve(where.dataDir)}) was EMPTY, but a store created there on ${marker.createdAt} (${marker.installId}) was expected. Its previews, history, undo snapshots and watch lists are gone. If DATA_DIR was removed or is on a disk that is wiped at restarts, restore it from a backup or move DATA_DIR to lasting storage (or set DATABASE_URL); this start goes on with a new, empty store.`,
        { expected: marker.installId, found: identity.installId },
      );
    } else {
      log('warn', `store: DATA_DIR holds store ${identity.installId}, but the marker beside it names ${marker.installId}: the data directory was replaced`, {
        expected: marker.installId,
        found: identity.installId,
      });
    }
  } else if (identity.createdNow) {
    log('info', `store: a new, empty store in ${resolve(where.dataDir)} (store ${identity.installId})`, { installId: identity.installId });
  }
  if (marker?.installId === identity.installId) return;
  try {
    await writeFile(file, `${JSON.stringify({ installId: identity.installId, createdAt: identity.createdAt.toISOString() })}\n`);
  } catch (err) {
    const error = (err as Error).message;
    log('warn', `store: could not leave the marker beside DATA_DIR (${error}); a lost store would not be noticed at startup`, { error });
  }
}
