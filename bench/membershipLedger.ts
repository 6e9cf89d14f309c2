// Every change to one group's membership in the Prolific sandbox, in order, and what the soak
// benchmark (soak.ts) makes of it: which write of the app each change was, whether one was applied
// twice, and whether one undid someone else's change without the app knowing.
//
// The ledger wraps the sandbox state's three membership methods, so it sees what Prolific would
// have done, whatever the HTTP answer said (an answer dropped after the change still counts).
// A write of the app is matched to its operation by its ids: the soak gives every Replace list
// and every Add a fresh id, so their bodies are unique; a Remove is matched to the newest
// operation with the same ids.
import type { SandboxState } from '../src/local/prolific-sandbox';
import { plannedIds } from '../src/services/changes';
import type { Operation } from '../src/store/types';

export interface Mutation {
  at: number;
  by: 'app' | 'feeder';
  kind: 'set' | 'add' | 'remove';
  ids: string[];
  before: Set<string>;
  after: Set<string>;
}

export interface LedgerVerdict {
  /** App writes that no operation explains (should never happen). */
  unattributed: number;
  /**
   * Double applies: an operation's write taking effect a second time and changing the group again
   * (a repeat after it had already applied, e.g. an overwrite re-sent blindly).
   */
  doubleApplies: string[];
  /**
   * Lost updates: an id that a write of the app removed or added back although its plan (made
   * against the group as it re-read it) did not say so and its outcome did not report it, where
   * the change undone was one the app could have known of: another confirmation's, or a feeder's
   * that was already in the group when the write re-read it.
   */
  lostUpdates: { operationId: string; kind: string; id: string; how: 'removed' | 're-added'; byFeeder: boolean; msAfterItJoined: number | null }[];
  /**
   * Ids a feeder added after an overwrite's re-read (so not in its baseline) that the PATCH then
   * dropped: the window a PATCH without a condition leaves open. Reported ones are named in the
   * outcome (AppliedChange.dropped); the others no read of the app saw.
   */
  window: { reported: number; unreported: number; longestMs: number };
  /** Operations recorded applied, and writes of the app that changed the group. */
  appWrites: number;
  feederAdds: number;
}

export class MembershipLedger {
  readonly mutations: Mutation[] = [];
  private feeding = false;

  constructor(
    private readonly state: SandboxState,
    private readonly groupId: string,
  ) {
    for (const method of ['setMembers', 'addMembers', 'removeMembers'] as const) {
      const original = state[method].bind(state);
      state[method] = (id: string, ids: string[]) => {
        if (id !== this.groupId) return original(id, ids);
        const before = new Set(state.members(id));
        const result = original(id, ids);
        this.mutations.push({
          at: Date.now(),
          by: this.feeding ? 'feeder' : 'app',
          kind: method === 'setMembers' ? 'set' : method === 'addMembers' ? 'add' : 'remove',
          ids: [...ids],
          before,
          after: new Set(state.members(id)),
        });
        return result;
      };
    }
  }

  /** A feeder study's submission: one id added straight into the group, as Prolific would. */
  feed(id: string): void {
    this.feeding = true;
    try {
      this.state.addMembers(this.groupId, [id]);
    } finally {
      this.feeding = false;
    }
  }

  judge(operations: Operation[]): LedgerVerdict {
    const verdict: LedgerVerdict = { unattributed: 0, doubleApplies: [], lostUpdates: [], window: { reported: 0, unreported: 0, longestMs: 0 }, appWrites: 0, feederAdds: 0 };
    const applications = new Map<string, number>();
    const newestFirst = [...operations].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    for (const m of this.mutations) {
      if (m.by === 'feeder') {
        verdict.feederAdds++;
        continue;
      }
      const op = this.operationOf(m, newestFirst);
      if (!op) {
        verdict.unattributed++;
        continue;
      }
      const removed = [...m.before].filter((id) => !m.after.has(id));
      const added = [...m.after].filter((id) => !m.before.has(id));
      const times = (applications.get(op.id) ?? 0) + (removed.length || added.length ? 1 : 0);
      applications.set(op.id, times);
      if (!removed.length && !added.length) continue;
      verdict.appWrites++;
      if (times > 1) {
        verdict.doubleApplies.push(op.id);
        continue;
      }
      const planned = plannedIds(op) ?? { added: [], removed: [] };
      const plannedRemoved = new Set(planned.removed);
      const plannedAdded = new Set(planned.added);
      const reported = new Set(droppedBy(op));
      const reread = new Set(op.baselineIds);
      for (const id of removed) {
        if (plannedRemoved.has(id)) continue;
        const joined = this.joined(id, m.at);
        if (joined.byFeeder && !reread.has(id)) {
          // Joined after the write's re-read: the PATCH's window.
          if (reported.has(id)) verdict.window.reported++;
          else verdict.window.unreported++;
          verdict.window.longestMs = Math.max(verdict.window.longestMs, joined.msAfterItJoined ?? 0);
        } else {
          verdict.lostUpdates.push({ operationId: op.id, kind: op.kind, id, how: 'removed', ...joined });
        }
      }
      for (const id of added) if (!plannedAdded.has(id)) verdict.lostUpdates.push({ operationId: op.id, kind: op.kind, id, how: 're-added', ...this.joined(id, m.at) });
    }
    return verdict;
  }

  /** Who last added the id before `at`, and how long before. */
  private joined(id: string, at: number): { byFeeder: boolean; msAfterItJoined: number | null } {
    const last = [...this.mutations].reverse().find((m) => m.at <= at && !m.before.has(id) && m.after.has(id));
    return { byFeeder: last?.by === 'feeder', msAfterItJoined: last ? at - last.at : null };
  }

  private operationOf(m: Mutation, newestFirst: Operation[]): Operation | undefined {
    const body = new Set(m.ids);
    const same = (ids: string[]) => ids.length === body.size && ids.every((id) => body.has(id));
    return newestFirst.find((op) => {
      // Only a confirmation that got past its re-read writes: not a preview left pending, cancelled (stale) or expired.
      if (op.status !== 'applied' && op.status !== 'failed' && op.status !== 'applying') return false;
      if (op.createdAt.getTime() > m.at) return false;
      if (m.kind === 'set') return (op.kind === 'replace' || op.kind === 'undo') && same([...new Set(op.participantIds)]);
      const planned = plannedIds(op);
      if (m.kind === 'add') return op.kind === 'add' && planned !== null && same(planned.added);
      return op.kind === 'remove' && planned !== null && same(planned.removed);
    });
  }
}

function droppedBy(op: Operation): string[] {
  const dropped = (op.result as { dropped?: unknown } | null)?.dropped;
  return Array.isArray(dropped) ? dropped.filter((id): id is string => typeof id === 'string') : [];
}
