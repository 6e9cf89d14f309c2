import type { Database, StoreLog } from './database';
import { redactError } from './databaseUrl';
import { migrate } from './migrations';
import { openPgliteDatabase } from './pgliteDatabase';
import type { PgliteTemplateChoice } from './pgliteTemplate';
import { openPostgresDatabase } from './postgresDatabase';
import { createSqlStore } from './sqlStore';
import { checkStoreContinuity, identifyStore } from './storeIdentity';
import type { Store } from './types';

export type { StoreDriver, StoreLog, StoreLogLevel } from './database';
export { redactDatabaseUrl } from './databaseUrl';
export type { PgliteTemplateChoice } from './pgliteTemplate';
export type * from './types';

export interface OpenStoreOptions {
  /** PostgreSQL connection URL; when given, the store uses PostgreSQL. */
  databaseUrl?: string;
  /** Where embedded PGlite keeps its files; in memory when omitted (tests). */
  dataDir?: string;
  /** The template a new PGlite database starts from (default: the one `npm run build` makes); false runs initdb. */
  pgliteTemplate?: PgliteTemplateChoice;
  log?: StoreLog;
}

const silent: StoreLog = () => {};

/** Connects (PostgreSQL if databaseUrl is given, else embedded PGlite) and brings the schema up to date. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const log = options.log ?? silent;
  const { databaseUrl } = options;
  let db: Database;
  try {
    db = databaseUrl ? await openPostgresDatabase(databaseUrl, log) : await openPgliteDatabase(options.dataDir, { template: options.pgliteTemplate, log });
  } catch (err) {
    throw databaseUrl ? redactError(err, databaseUrl) : err;
  }
  try {
    await migrate(db, log);
  } catch (err) {
    await db.close().catch(() => {});
    throw databaseUrl ? redactError(err, databaseUrl) : err;
  }
  const dataDir = db.driver === 'pglite' ? (options.dataDir ?? null) : null;
  try {
    await checkStoreContinuity(await identifyStore(db), { dataDir, driver: db.driver }, log);
  } catch (err) {
    await db.close().catch(() => {});
    throw databaseUrl ? redactError(err, databaseUrl) : err;
  }
  const where = db.driver === 'postgres' ? 'PostgreSQL' : options.dataDir ? `PGlite in ${options.dataDir}` : 'PGlite in memory';
  log('info', `store: ready (${where})`, { driver: db.driver });
  return createSqlStore(db, { dataDir });
}
