import { mkdirSync } from 'node:fs';
import NodeModule from 'node:module';
import type { Transaction } from '@electric-sql/pglite';
import { type Database, type Queryable, returnText, type Session, TYPES_RETURNED_AS_TEXT } from './database';
import { pgliteSyncedDisk } from './pgliteSyncedDisk';

type PgliteModule = typeof import('@electric-sql/pglite');

/**
 * PGlite imports Node built-ins with dynamic import(), which a module loader running code in a
 * vm sandbox (jest, without --experimental-vm-modules) cannot serve. Loading it through Node's
 * own CommonJS loader works under any runner; in plain Node it is the same cached module that
 * `require` would return.
 */
function loadPglite(): PgliteModule {
  const entry = require.resolve('@electric-sql/pglite');
  const loader = new NodeModule.Module(__filename);
  return loader.require(entry) as PgliteModule;
}

/** Dates as ISO text: PGlite recognises a Date by instanceof, which fails across realms. */
function toParams(params: unknown[] | undefined): unknown[] | undefined {
  return params?.map((p) => (Object.prototype.toString.call(p) === '[object Date]' ? (p as Date).toISOString() : p));
}

/** Rows copied into local objects and arrays (see TYPES_RETURNED_AS_TEXT on realms). */
function toRows<Row>(rows: unknown[]): Row[] {
  return Array.from(rows, (row) => ({ ...(row as object) }) as Row);
}

/** An error from another realm re-created locally (fields kept), so `instanceof Error` holds. */
function toLocalError(err: unknown): unknown {
  if (err instanceof Error || typeof err !== 'object' || err === null) return err;
  const { message, stack } = err as { message?: unknown; stack?: unknown };
  const local = Object.assign(new Error(typeof message === 'string' ? message : String(err)), err);
  if (typeof stack === 'string') local.stack = stack;
  return local;
}

async function localErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw toLocalError(err);
  }
}

/**
 * Embedded PostgreSQL (WASM) in this process: persisted under dataDir, or in memory without it.
 * PGlite is a single connection and queues every query behind an open transaction, so a
 * session is simply the database itself.
 */
export async function openPgliteDatabase(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const { PGlite } = loadPglite();
  // On disk, each commit is synced before it is confirmed; in memory there is nothing to sync.
  const storage = dataDir ? pgliteSyncedDisk(dataDir, PGlite.defaultStartParams) : { startParams: PGlite.defaultStartParams };
  const db = await PGlite.create({
    ...storage,
    parsers: Object.fromEntries([...TYPES_RETURNED_AS_TEXT].map((oid) => [oid, returnText])),
    startParams: [...storage.startParams, '-c', 'shared_buffers=16MB'],
  });
  let closing: Promise<void> | null = null;

  const query = async <Row>(sql: string, params?: unknown[]): Promise<Row[]> =>
    toRows<Row>((await localErrors(db.query(sql, toParams(params)))).rows);

  const inTransaction = (tx: Transaction): Queryable => ({
    query: async <Row>(sql: string, params?: unknown[]) =>
      toRows<Row>((await localErrors(tx.query(sql, toParams(params)))).rows),
  });

  const session: Session = {
    query,
    transaction: (work) => localErrors(db.transaction((tx) => work(inTransaction(tx)))),
  };

  return {
    driver: 'pglite',
    ...session,
    withSession: (work) => work(session),
    close() {
      closing ??= db.closed ? Promise.resolve() : db.close();
      return closing;
    },
  };
}
