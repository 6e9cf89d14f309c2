/** The work of acknowledged requests, waiting to resume, in the order they were acknowledged. */
const waiting: (() => void)[] = [];

function resumeNext(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(resumeNext);
}

/**
 * Resolves once an ack is sent and the requests waiting to be read have had their turn: one
 * request's work resumes per turn of the event loop, and each turn first reads and acknowledges
 * the requests that arrived. Under a burst of commands every ack therefore goes out before the
 * work of the commands already acknowledged (a Prolific call, rendering) takes the CPU, instead of
 * waiting behind all of it; alone, a command waits one turn, as before (docs/BENCHMARKS.md, Ack
 * latency).
 */
export function afterAck(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length === 1) setImmediate(resumeNext);
  });
}
