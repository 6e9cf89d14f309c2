// The one way a test waits for work that happens after an answer (a listener's work after its
// ack, a server noticing a closed connection): poll until the condition holds, or fail naming it.
import { sleep } from './sleep';

/** How often a condition is read again. */
const POLL_MS = 15;

/** Polls until `read` returns something other than undefined, null or false, and returns it. */
export async function eventually<T>(read: () => T | undefined | null | false | Promise<T | undefined | null | false>, what = 'the condition', timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
}
