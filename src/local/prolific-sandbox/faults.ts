// Simulated failures for tests: slow answers, throttling, gateway errors, lost connections.

export interface FaultMatch {
  /** HTTP method; any when omitted. */
  method?: string;
  /** Exact path (no query) or a pattern tested against it; any when omitted. */
  path?: string | RegExp;
  /** Only these matching calls, counted from 1 (e.g. [1, 2]). */
  calls?: number[];
  /** Only the first n matching calls. Without calls or times: every matching call. */
  times?: number;
}

export type FaultAction =
  /** Wait, then answer normally. */
  | { latencyMs: number }
  /** Answer with this status instead. Without body: Prolific's JSON error shape. */
  | {
      status: number;
      retryAfterSeconds?: number;
      body?: string;
      contentType?: string;
      headers?: Record<string, string>;
      latencyMs?: number;
    }
  /** before: close the connection without applying; after: apply, then close without answering. */
  | { drop: 'before' | 'after'; latencyMs?: number }
  /** Never answer (until the sandbox closes or the client gives up). */
  | { hang: true };

export type FaultRule = FaultMatch & FaultAction;

interface ActiveRule {
  rule: FaultRule;
  seen: number;
}

export class FaultInjector {
  #rules: ActiveRule[] = [];

  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const active: ActiveRule = { rule, seen: 0 };
    this.#rules.push(active);
    return () => {
      this.#rules = this.#rules.filter((candidate) => candidate !== active);
    };
  }

  clear(): void {
    this.#rules = [];
  }

  /**
   * The fault for this request, if any. Every rule counts the calls it matches, so "the 2nd
   * POST" means the same whatever other rules exist; the first rule that fires wins.
   */
  take(method: string, path: string): FaultAction | undefined {
    let chosen: FaultAction | undefined;
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && !(typeof rule.path === 'string' ? rule.path === path : rule.path.test(path))) {
        continue;
      }
      active.seen += 1;
      const fires = rule.calls
        ? rule.calls.includes(active.seen)
        : rule.times !== undefined
          ? active.seen <= rule.times
          : true;
      if (fires && !chosen) chosen = rule;
    }
    return chosen;
  }
}
