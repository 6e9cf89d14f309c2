// DATABASE_URL carries a password; nothing the store says (errors, log lines) may repeat it.

// Greedy up to the last '@' before the host, in case the password holds an unescaped '@'.
const URL_CREDENTIALS = /(postgres(?:ql)?:\/\/[^:/?#@\s]*):[^/\s]*@/gi;

// A bare password shorter than this is left alone: removing it would mangle ordinary words.
const MIN_BARE_PASSWORD = 6;

/** The password inside a connection URL, raw and decoded, for exact-match removal. */
function passwordsOf(databaseUrl: string): string[] {
  try {
    const raw = new URL(databaseUrl).password;
    if (raw.length < MIN_BARE_PASSWORD) return [];
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // A malformed escape: the raw form is all there is to hide.
    }
    return [...new Set([raw, decoded])].filter((p) => p.length >= MIN_BARE_PASSWORD);
  } catch {
    return [];
  }
}

/**
 * Removes a connection URL's password from a text: any `postgres://user:password@` form and,
 * should a message ever quote it bare, the given URL's password itself.
 */
export function redactDatabaseUrl(text: string, databaseUrl?: string): string {
  let out = text.replace(URL_CREDENTIALS, '$1:***@');
  if (databaseUrl) {
    for (const password of passwordsOf(databaseUrl)) out = out.split(password).join('***');
  }
  return out;
}

/** Redacts an error in place (message, stack and any other text on it) so it can be rethrown or logged. */
export function redactError(error: unknown, databaseUrl: string): Error {
  const err = error instanceof Error ? error : new Error(String(error));
  err.message = redactDatabaseUrl(err.message, databaseUrl);
  if (err.stack) err.stack = redactDatabaseUrl(err.stack, databaseUrl);
  const fields = err as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = redactDatabaseUrl(value, databaseUrl);
  }
  return err;
}
