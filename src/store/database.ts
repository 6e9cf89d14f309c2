// The small query interface both drivers implement, so the store's SQL is written once.

export type StoreDriver = 'pglite' | 'postgres';

export type StoreLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type StoreLog = (level: StoreLogLevel, msg: string, fields?: Record<string, unknown>) => void;

/**
 * Type OIDs both drivers return as the server's text, for the store to parse: each driver would
 * otherwise build its own Date and JSON values (differently, and under a sandboxed module loader
 * possibly from another JS realm, where `instanceof Date` fails).
 */
export const TYPES_RETURNED_AS_TEXT: ReadonlySet<number> = new Set([
  114, // json
  3802, // jsonb
  1082, // date
  1114, // timestamp
  1184, // timestamptz
]);

export const returnText = (value: string): string => value;

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Session extends Queryable {
  /** Runs work inside BEGIN/COMMIT, rolling back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

export interface Database extends Session {
  readonly driver: StoreDriver;
  /**
   * Runs work on one connection, so session state such as an advisory lock holds across all
   * of its statements (a pool would otherwise spread them over several connections).
   */
  withSession<T>(work: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
