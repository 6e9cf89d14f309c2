// Where in DATA_DIR the embedded store lives, and how a new one comes into being there.
//
// The database is DATA_DIR/pglite. A new one is made complete in a directory beside it (from
// the template, or by initdb) and renamed into place, so a start that is killed half-way leaves
// no half-made database: the next start finds no DATA_DIR/pglite, removes the leftover and
// begins again. The subdirectory is what makes that rename possible: DATA_DIR itself is often a
// mount point, whose parent may be another filesystem or not writable.
//
// Stores made before this layout are PGlite's data directory as DATA_DIR itself; they are
// opened where they are, since moving a live database's files one by one is the very
// half-state this layout exists to avoid.
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreLog } from './database';

/** The subdirectory of DATA_DIR that holds the database. */
export const PGLITE_SUBDIR = 'pglite';
const INCOMPLETE_PREFIX = '.pglite-incomplete-';

const holdsDatabase = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories left by first starts that were killed (their process is gone). */
function removeLeftovers(dataDir: string, log: StoreLog): void {
  for (const name of readdirSync(dataDir)) {
    if (!name.startsWith(INCOMPLETE_PREFIX)) continue;
    const pid = Number(name.slice(INCOMPLETE_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && processIsAlive(pid)) continue;
    rmSync(join(dataDir, name), { recursive: true, force: true });
    log('info', `store: removed ${name}, left by a first start that did not finish`);
  }
}

async function extractTemplate(file: string, into: string): Promise<void> {
  // tar is loaded only here: an existing store never needs it.
  const tar = await import('tar');
  const problems: string[] = [];
  const onwarn = (code: string, message: string | Error) => problems.push(`${code}: ${message instanceof Error ? message.message : message}`);
  // Synchronous: about twice as fast as the streaming extraction for ~1,000 small files, and
  // nothing else runs while the store opens. Read in small pieces, so that the ~40 MB inflated
  // is never in memory at once (it would add to the start's peak RSS). File times do not
  // matter to PostgreSQL.
  tar.x({ file, cwd: into, sync: true, maxReadSize: 256 * 1024, noMtime: true, onwarn });
  if (problems.length > 0 || !holdsDatabase(into)) {
    throw new Error(`the PGlite template ${file} could not be extracted: ${problems.join('; ') || 'it holds no database'}`);
  }
}

export interface NewDatabaseSource {
  /** The template file to extract, or null to run initdb. */
  template(): string | null;
  /** Makes a database in an empty directory. */
  initdb(into: string): Promise<void>;
}

/**
 * The directory to open PGlite on for dataDir: the existing database (either layout), or a new
 * one, made from the template (initdb when there is none).
 */
export async function preparePgliteDataDir(dataDir: string, source: NewDatabaseSource, log: StoreLog): Promise<string> {
  mkdirSync(dataDir, { recursive: true });
  if (holdsDatabase(dataDir)) return dataDir;
  const target = join(dataDir, PGLITE_SUBDIR);
  if (holdsDatabase(target)) return target;

  removeLeftovers(dataDir, log);
  if (existsSync(target)) {
    // Only ever made by rename, complete; an empty one is someone's mkdir.
    if (readdirSync(target).length > 0) {
      throw new Error(`${target} holds files but no PostgreSQL database (no PG_VERSION); move it away to start a new store.`);
    }
    rmdirSync(target);
  }

  const incomplete = join(dataDir, `${INCOMPLETE_PREFIX}${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(incomplete, { mode: 0o700 });
  try {
    const template = source.template();
    if (template) await extractTemplate(template, incomplete);
    else await source.initdb(incomplete);
    renameSync(incomplete, target);
    log('info', `store: new database in ${target} (${template ? 'from the PGlite template' : 'by initdb'})`);
  } catch (err) {
    rmSync(incomplete, { recursive: true, force: true });
    // Another process made it first: use theirs.
    if (holdsDatabase(target)) return target;
    throw err;
  }
  return target;
}
