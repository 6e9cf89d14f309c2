/**
 * Yields to the event loop once an ack is sent, so that requests already waiting are read and
 * acknowledged before this one's work (a Prolific call, rendering) takes the CPU. Under a burst
 * of commands this keeps every ack quick (docs/BENCHMARKS.md, Ack latency).
 */
export function afterAck(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
