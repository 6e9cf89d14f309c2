import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';
import { LogLevel, type Logger } from '@slack/bolt';
import { SecretRedactor } from './secretRedactor';

/** The request id of the Slack request being handled, for every log line written on its behalf. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

const LEVELS: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  if (level === LogLevel.ERROR || level === LogLevel.WARN) process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
};

/**
 * Bolt's logger interface, written so that a secret can never reach a log line: every
 * registered secret is replaced by a marker after the line is formatted, whatever path the
 * value took to get there (an error message, a serialised object, a URL).
 */
export class AppLogger implements Logger {
  private level: LogLevel;
  private name: string;
  /** The redaction of every line; the app's outbound Slack traffic uses the same one. */
  readonly redactor: SecretRedactor;

  constructor(
    private readonly options: {
      json?: boolean;
      level?: LogLevel;
      secrets?: (string | null | undefined)[];
      sink?: LogSink;
      name?: string;
    } = {},
  ) {
    this.level = options.level ?? LogLevel.INFO;
    this.name = options.name ?? 'pgroup';
    this.redactor = new SecretRedactor(options.secrets ?? []);
  }

  /** Registers a value that must never be written out. Short values are ignored (they would redact common words). */
  addSecret(secret: string | null | undefined): void {
    this.redactor.add(secret);
  }

  debug(...msg: unknown[]): void {
    this.write(LogLevel.DEBUG, msg);
  }
  info(...msg: unknown[]): void {
    this.write(LogLevel.INFO, msg);
  }
  warn(...msg: unknown[]): void {
    this.write(LogLevel.WARN, msg);
  }
  error(...msg: unknown[]): void {
    this.write(LogLevel.ERROR, msg);
  }
  setLevel(level: LogLevel): void {
    this.level = level;
  }
  getLevel(): LogLevel {
    return this.level;
  }
  setName(name: string): void {
    this.name = name;
  }

  /** Removes every registered secret from a text. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  private write(level: LogLevel, parts: unknown[]): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const requestId = requestContext.getStore()?.requestId;
    const message = parts.map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 4, breakLength: Infinity }))).join(' ');
    const line = this.options.json
      ? JSON.stringify({
          time: new Date().toISOString(),
          level,
          name: this.name,
          ...(requestId ? { requestId } : {}),
          msg: message,
        })
      : `${new Date().toISOString()} ${level.toUpperCase()} [${this.name}]${requestId ? ` (${requestId})` : ''} ${message}`;
    (this.options.sink ?? consoleSink)(this.redact(line), level);
  }
}
