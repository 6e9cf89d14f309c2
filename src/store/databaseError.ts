// A failure of the app's own database, as both drivers report it: the renderers say "the app's
// database" and whether anything was written; the code (a SQLSTATE such as 42501, or a connection
// error such as ECONNREFUSED) is kept for the log, in the message.

export type DatabaseFailureKind =
  /** The database could not be reached, or went away mid-request: trying again later may work. */
  | 'unreachable'
  /** The database answered and refused the statement (permissions, a full disk, a constraint…). */
  | 'refused';

/** SQLSTATE classes that mean the connection, not the statement, failed. */
const UNREACHABLE_SQLSTATE = /^(08|57P0|53)/;
const SQLSTATE = /^[0-9A-Z]{5}$/;
const ERRNO = /^E[A-Z]+$/;

export class DatabaseError extends Error {
  /** The SQLSTATE or connection error code, when the driver gave one. */
  readonly code: string | null;
  readonly kind: DatabaseFailureKind;

  constructor(cause: unknown) {
    const fields = (cause ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof fields.code === 'string' && (SQLSTATE.test(fields.code) || ERRNO.test(fields.code)) ? fields.code : null;
    const message = typeof fields.message === 'string' ? fields.message : String(cause);
    super(code ? `${message} (${code})` : message, { cause });
    this.name = 'DatabaseError';
    this.code = code;
    this.kind = code && SQLSTATE.test(code) && !UNREACHABLE_SQLSTATE.test(code) ? 'refused' : 'unreachable';
  }
}

/** Whether an error came from a database driver (a statement refused, or the connection failed). */
export function isDriverError(err: unknown): boolean {
  if (err instanceof DatabaseError) return true;
  const fields = (err ?? {}) as { code?: unknown; severity?: unknown; message?: unknown };
  if (typeof fields.severity === 'string') return true;
  if (typeof fields.code === 'string' && (SQLSTATE.test(fields.code) || ERRNO.test(fields.code))) return true;
  return typeof fields.message === 'string' && /connection|terminat|PGlite is closed|timeout exceeded when trying to connect/i.test(fields.message);
}

/** The error as a DatabaseError when it came from the database; any other error unchanged. */
export function asDatabaseError(err: unknown): unknown {
  if (err instanceof DatabaseError || !isDriverError(err)) return err;
  return new DatabaseError(err);
}
