// The one redaction of secrets (the Prolific token, the Slack bot and app-level tokens, the signing
// secret, the database password): the logger runs every line through it, and everything the app
// sends to Slack (Web API calls, response_url posts, acknowledgements) runs through it too, so an
// error text that echoes a token reaches neither a log nor a user.

export const REDACTED = '[redacted]';

/** Shorter values are not registered: they would redact common words. */
const MIN_SECRET_LENGTH = 8;

/**
 * The forms a secret takes on its way out: as written, inside a JSON string, escaped for mrkdwn
 * (&, <, >), and URL-encoded (the Web API's form bodies, HTML forms), and each of those combined.
 */
function encodedForms(secret: string): string[] {
  const forms = new Set([secret]);
  const apply = (encode: (s: string) => string) => {
    for (const form of [...forms]) forms.add(encode(form));
  };
  apply((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  apply((s) => JSON.stringify(s).slice(1, -1));
  apply((s) => encodeURIComponent(s));
  // HTML forms encode a few more characters (and a space as +) than encodeURIComponent.
  apply((s) => new URLSearchParams({ s }).toString().slice(2));
  // Longest first, so that a form containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

export class SecretRedactor {
  private readonly secrets = new Set<string>();
  private forms: string[] = [];

  constructor(secrets: Iterable<string | null | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Registers a value that must never be written out. */
  add(secret: string | null | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.forms = [...new Set([...this.forms, ...encodedForms(secret)])].sort((a, b) => b.length - a.length);
  }

  /** The text with every registered secret, in any of its encoded forms, replaced by a marker. */
  redact(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /** A JSON value with every registered secret redacted from its strings (and keys). */
  redactJson<T>(value: T): T {
    if (value === undefined) return value;
    const text = JSON.stringify(value);
    const redacted = this.redact(text);
    // The marker has no character JSON escapes, so the redacted text parses to the same shape.
    return redacted === text ? value : (JSON.parse(redacted) as T);
  }
}
