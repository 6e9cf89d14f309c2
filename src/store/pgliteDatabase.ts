import { readFileSync } from 'node:fs';
import NodeModule from 'node:module';
import type { PGlite, PGliteOptions, Transaction } from '@electric-sql/pglite';
import { type Database, type Queryable, returnText, type Session, type StoreLog, TYPES_RETURNED_AS_TEXT } from './database';
import { preparePgliteDataDir } from './pgliteDataDir';
import { asDatabaseError, DatabaseError } from './databaseError';
import { pgliteSyncedDisk } from './pgliteSyncedDisk';
import { defaultTemplateDir, findPgliteTemplate, type PgliteTemplateChoice, pgliteEntry } from './pgliteTemplate';

type PgliteModule = typeof import('@electric-sql/pglite');

/**
 * PGlite imports Node built-ins with dynamic import(), which a module loader running code in a
 * vm sandbox (jest, without --experimental-vm-modules) cannot serve. Loading it through Node's
 * own CommonJS loader works under any runner; in plain Node it is the same cached module that
 * `require` would return.
 */
export function loadPglite(): PgliteModule {
  const entry = pgliteEntry();
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

/** A statement's failure, as the store reports every database failure (see DatabaseError). */
async function statementErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await localErrors(work);
  } catch (err) {
    throw err instanceof DatabaseError ? err : new DatabaseError(err);
  }
}

/** PostgreSQL's oid of `bytea`. */
const BYTEA_OID = 17;

/**
 * A bytea parameter's bytes, handed to the protocol writer as they are: it sends a byte array in
 * the binary format, as `pg` sends a Buffer. PGlite's own serializer writes `\\x` and two hex
 * digits per byte one byte at a time in JavaScript, which for an id list of 5 MB (a 10 MB file)
 * cost more than the rest of the insert. The type says string: PGlite's writer takes either.
 */
function sendBytesAsTheyAre(value: unknown): string {
  if (!ArrayBuffer.isView(value)) throw new Error('store: a bytea parameter must be a byte array');
  return value as unknown as string;
}

/**
 * The options every PGlite of the store starts with: types as text, smaller buffers; on disk,
 * each commit synced before it is confirmed (in memory there is nothing to sync).
 */
export function pgliteOptions(PGliteClass: PgliteModule['PGlite'], dataDir?: string): PGliteOptions {
  const storage = dataDir ? pgliteSyncedDisk(dataDir, PGliteClass.defaultStartParams) : { startParams: PGliteClass.defaultStartParams };
  return {
    ...storage,
    parsers: Object.fromEntries([...TYPES_RETURNED_AS_TEXT].map((oid) => [oid, returnText])),
    serializers: { [BYTEA_OID]: sendBytesAsTheyAre },
    startParams: [...storage.startParams, '-c', 'shared_buffers=16MB'],
  };
}

export interface PgliteOpenOptions {
  /** The template a new database starts from; the one `npm run build` makes by default. */
  template?: PgliteTemplateChoice;
  log?: StoreLog;
}

/** The template's bytes, read once per process: test files open many in-memory stores. */
const templateBytes = new Map<string, Uint8Array<ArrayBuffer>>();

function readTemplate(file: string): Uint8Array<ArrayBuffer> {
  let bytes = templateBytes.get(file);
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(file));
    templateBytes.set(file, bytes);
  }
  return bytes;
}

/** The template file to start a new database from, or null (with one line saying why) for initdb. */
export function chooseTemplate(choice: PgliteTemplateChoice | undefined, log: StoreLog): string | null {
  if (choice === false) {
    log('info', 'store: PGlite template turned off (PGLITE_TEMPLATE=off): a new database runs initdb');
    return null;
  }
  const lookup = findPgliteTemplate(choice?.dir ?? defaultTemplateDir());
  if (lookup.found) return lookup.file;
  log('warn', `store: ${lookup.reason}; a new database runs initdb instead (slower, more memory)`);
  return null;
}

/**
 * Embedded PostgreSQL (WASM) in this process: persisted under dataDir, or in memory without it.
 * A new database starts from the template (see pgliteTemplate.ts), or runs initdb without one.
 */
export async function openPgliteDatabase(dataDir: string | undefined, options: PgliteOpenOptions = {}): Promise<Database> {
  const log = options.log ?? (() => {});
  const { PGlite } = loadPglite();
  let db: PGlite;
  if (dataDir) {
    const pgdata = await preparePgliteDataDir(
      dataDir,
      {
        template: () => chooseTemplate(options.template, log),
        async initdb(into) {
          await (await PGlite.create(pgliteOptions(PGlite, into))).close();
        },
      },
      log,
    );
    db = await PGlite.create(pgliteOptions(PGlite, pgdata));
  } else {
    const template = chooseTemplate(options.template, log);
    db = await PGlite.create({
      ...pgliteOptions(PGlite),
      ...(template ? { loadDataDir: new Blob([readTemplate(template)], { type: 'application/x-gzip' }) } : {}),
    });
  }
  return wrapPglite(db);
}

/**
 * The store's Database over one PGlite. PGlite is a single connection and queues every query
 * behind an open transaction, so a session is simply the database itself.
 */
export function wrapPglite(db: PGlite): Database {
  let closing: Promise<void> | null = null;

  const query = async <Row>(sql: string, params?: unknown[]): Promise<Row[]> =>
    toRows<Row>((await statementErrors(db.query(sql, toParams(params)))).rows);

  const inTransaction = (tx: Transaction): Queryable => ({
    query: async <Row>(sql: string, params?: unknown[]) =>
      toRows<Row>((await statementErrors(tx.query(sql, toParams(params)))).rows),
  });

  const session: Session = {
    query,
    // A failure of BEGIN or COMMIT is the database's; an error the work threw stays as it is.
    transaction: async (work) => {
      try {
        return await localErrors(db.transaction((tx) => work(inTransaction(tx))));
      } catch (err) {
        throw asDatabaseError(err);
      }
    },
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
