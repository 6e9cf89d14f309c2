import { type Logger, LogLevel } from '@slack/web-api';

/** A logger that keeps the Slack clients' expected warnings (rate limits, invalid blocks) out of test output. */
export function quietLogger(): Logger {
  let level = LogLevel.ERROR;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
