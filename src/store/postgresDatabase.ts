import { Pool, type PoolClient, types } from 'pg';
import {
  type Database,
  type Queryable,
  returnText,
  type Session,
  type StoreLog,
  TYPES_RETURNED_AS_TEXT,
} from './database';
import { asDatabaseError, DatabaseError } from './databaseError';
import { redactError } from './databaseUrl';

/** sslmode values pg's URL parser understands the libpq way once asked to (uselibpqcompat). */
const LIBPQ_SSL_MODES = new Set(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']);

/**
 * The connection string handed to pg, with sslmode meaning what it means in libpq and in every
 * provider's docs: `require` encrypts without checking the certificate (managed servers such as
 * Heroku Postgres present certificates no public CA signed), `verify-full` checks it. Left to
 * itself pg 8 treats `require` as `verify-full`, so `?sslmode=require` URLs would fail with
 * "self-signed certificate". PGSSLMODE applies when the URL names no sslmode; `no-verify`
 * (pg's own value) and an explicit uselibpqcompat are left as they are.
 */
export function libpqConnectionString(databaseUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  let params: URLSearchParams;
  try {
    params = new URL(databaseUrl).searchParams;
  } catch {
    return databaseUrl;
  }
  if (params.has('uselibpqcompat')) return databaseUrl;
  const fromUrl = params.get('sslmode');
  const mode = fromUrl ?? env.PGSSLMODE?.trim() ?? null;
  if (!mode || !LIBPQ_SSL_MODES.has(mode)) return databaseUrl;
  // Appended rather than re-serialised, so the rest of the URL (and its password) stays byte for byte.
  const hash = databaseUrl.indexOf('#');
  const base = hash < 0 ? databaseUrl : databaseUrl.slice(0, hash);
  const fragment = hash < 0 ? '' : databaseUrl.slice(hash);
  const extra = `${fromUrl ? '' : `sslmode=${mode}&`}uselibpqcompat=true`;
  return `${base}${base.includes('?') ? '&' : '?'}${extra}${fragment}`;
}

/**
 * PostgreSQL through a pg.Pool. The pool outlives the server: a connection that drops is
 * discarded (never crashing the process) and the next query opens a new one, so the store
 * recovers by itself once the server is back.
 */
export async function openPostgresDatabase(databaseUrl: string, log: StoreLog): Promise<Database> {
  const pool = new Pool({
    connectionString: libpqConnectionString(databaseUrl),
    max: 10,
    // Fail fast when the server is unreachable instead of hanging a Slack request.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    // Per pool, leaving pg's global parsers to any other user of the library.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        TYPES_RETURNED_AS_TEXT.has(oid) ? returnText : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
    },
  });
  // An idle connection that dies emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (err) => {
    const error = redactError(err, databaseUrl).message;
    log('warn', `store: lost an idle database connection (${error}); it will be replaced`, { error });
  });

  const redacted = (err: unknown): Error => redactError(err, databaseUrl);
  /** A statement's or a connection's failure, redacted, as the store reports every database failure. */
  const failed = (err: unknown): DatabaseError => (err instanceof DatabaseError ? err : new DatabaseError(redacted(err)));
  let closing: Promise<void> | null = null;

  /** Runs work on one checked-out client, guarding it while it is out of the pool. */
  async function onClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw failed(err);
    }
    // A checked-out client has no pool listener; its 'error' event would otherwise be unhandled.
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
      const error = redacted(err).message;
      log('warn', `store: a database connection failed while in use (${error})`, { error });
    };
    client.on('error', onError);
    try {
      return await work(client);
    } catch (err) {
      // BEGIN, COMMIT or a lost connection are the database's; an error the work threw stays as it is.
      throw asDatabaseError(redacted(err));
    } finally {
      client.removeListener('error', onError);
      // Passing the error destroys the client rather than returning a dead one to the pool.
      client.release(broken);
    }
  }

  const clientQueryable = (client: PoolClient): Queryable => ({
    async query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
      try {
        return (await client.query(sql, params)).rows as Row[];
      } catch (err) {
        throw failed(err);
      }
    },
  });

  async function transactionOn<T>(client: PoolClient, work: (tx: Queryable) => Promise<T>): Promise<T> {
    await client.query('begin');
    try {
      const result = await work(clientQueryable(client));
      await client.query('commit');
      return result;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch {
        // The connection is gone; the server has already rolled the transaction back.
      }
      throw err;
    }
  }

  return {
    driver: 'postgres',
    async query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
      try {
        return (await pool.query(sql, params)).rows as Row[];
      } catch (err) {
        throw failed(err);
      }
    },
    transaction: (work) => onClient((client) => transactionOn(client, work)),
    withSession: (work) =>
      onClient((client) => {
        const session: Session = {
          ...clientQueryable(client),
          transaction: (inner) => transactionOn(client, inner),
        };
        return work(session);
      }),
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
