// The process-level guard: the last line of defence behind every request's own error handling.
import type { AppLogger } from './logging';

/** More failures than this in a minute that nothing handled mean something is broken for good: exit, to be restarted. */
const UNHANDLED_FAILURES_PER_MINUTE = 20;

/**
 * A failure that escaped the request it belonged to (a rejected promise nobody awaited, an exception
 * thrown from a callback) is logged, through the logger's secret redaction, and the bot goes on
 * serving every other request: one bad request must not stop the confirmations in flight. A flood
 * of them ends the process with code 1, so that the platform restarts it.
 */
export function guardProcess(logger: AppLogger): void {
  let recent: number[] = [];
  const onFailure = (kind: string, err: unknown) => {
    const now = Date.now();
    recent = [...recent.filter((t) => now - t < 60_000), now];
    logger.error(`${kind}, logged and survived:`, err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : err);
    if (recent.length > UNHANDLED_FAILURES_PER_MINUTE) {
      logger.error(`More than ${UNHANDLED_FAILURES_PER_MINUTE} unhandled failures in a minute; stopping so that the process is restarted.`);
      process.exit(1);
    }
  };
  process.on('unhandledRejection', (reason) => onFailure('A rejected promise nobody handled', reason));
  process.on('uncaughtException', (err) => onFailure('An exception nobody caught', err));
}
