import type { ProlificClient } from '../prolific';
import { ProlificError } from '../prolific';
import type { ParticipantGroup } from '../prolific/types';
import type { LeaseStore } from '../store/leases';
import type { OperationStore } from '../store/operations';
import type { SubscriptionStore } from '../store/subscriptions';
import type { WatchState, WatchStateStore } from '../store/watchState';
import { type AppliedChange, operationDetails, plannedIds } from './changes';
import { GroupOutsideWorkspaceError, type ServedGroups } from './servedGroups';

const SAMPLE_SIZE = 5;
export const WATCH_LEASE = 'group-watcher';
/** An operation 'applying' for longer than this is presumed abandoned (its instance died mid-write). */
const WRITE_IN_FLIGHT_MS = 15 * 60_000;
const CLOCK_SLACK_MS = 5_000;

/** A change to a watched group that the watcher noticed, whatever made it. */
export interface WatchedChange {
  groupId: string;
  name: string;
  renamedFrom: string | null;
  deleted: boolean;
  count: number;
  previousCount: number;
  added: number;
  removed: number;
  sampleAdded: string[];
  sampleRemoved: string[];
  /** The likely cause, when it can be inferred (a feeder study's completion codes). */
  likelyCause: string | null;
}

export interface WatcherOptions {
  client: ProlificClient;
  /** Reads each watched group, refusing one outside the workspaces this app serves. */
  groups: Pick<ServedGroups, 'get'>;
  /** Of the operations, only the bot's own recent writes, to tell them apart from changes made elsewhere. */
  store: WatchStateStore & SubscriptionStore & LeaseStore & Pick<OperationStore, 'listOperations'>;
  /** Posts one message for a group's changes in a round, to the channels watching it. */
  announce: (change: WatchedChange, channels: string[]) => Promise<void>;
  intervalMs: number;
  /** Read the full membership every Nth round even when the count is unchanged (swaps keep the count). */
  fullReadEvery?: number;
  /** Identifies this instance for the polling lease. */
  instanceId: string;
  log?: (level: 'info' | 'warn', msg: string) => void;
  now?: () => Date;
  random?: () => number;
}

export interface RoundReport {
  polled: boolean;
  groups: number;
  changes: WatchedChange[];
  backedOff: boolean;
}

function feederCause(group: ParticipantGroup, added: number, removed: number): string | null {
  const studies = group.feeder_studies ?? [];
  const adding = studies.filter((s) => s.feeder_completion_codes.some((c) => c.action === 'ADD_TO_PARTICIPANT_GROUP'));
  const removing = studies.filter((s) => s.feeder_completion_codes.some((c) => c.action === 'REMOVE_FROM_PARTICIPANT_GROUP'));
  const names = [...new Set([...(added ? adding : []), ...(removed ? removing : [])].map((s) => s.name))];
  return names.length ? `likely the feeder ${names.length === 1 ? 'study' : 'studies'} ${names.join(', ')} (completion codes that ${added && removed ? 'add and remove' : added ? 'add' : 'remove'} participants)` : null;
}

/**
 * Notices changes to watched groups made anywhere (feeder studies, the web app, scripts) by
 * polling, politely: one cheap read of each group per interval, the full membership only
 * when the count moved or every Nth round, backing off when Prolific says it is busy. With
 * several instances on one database, a lease lets exactly one of them poll.
 */
export class GroupWatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RoundReport> | null = null;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly fullReadEvery: number;

  constructor(private readonly options: WatcherOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.fullReadEvery = Math.max(1, options.fullReadEvery ?? 12);
  }

  start(): void {
    if (this.timer) return;
    const schedule = () => {
      // Jitter keeps instances and groups from polling in lockstep.
      const delay = this.options.intervalMs * (0.9 + 0.2 * this.random());
      this.timer = setTimeout(() => {
        this.running = this.runRound().catch((err) => {
          this.options.log?.('warn', `watch round failed: ${err instanceof Error ? err.message : String(err)}`);
          return { polled: false, groups: 0, changes: [], backedOff: false };
        });
        void this.running.finally(() => {
          if (this.timer) schedule();
        });
      }, delay);
      this.timer.unref();
    };
    schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.options.store.releaseLease(WATCH_LEASE, this.options.instanceId).catch(() => undefined);
  }

  /**
   * A change the bot applied was announced already: remember its result so the watcher does not
   * announce it again. Only the ids its plan added or removed (and those it reported dropping)
   * are taken as its doing: any other difference the next poll finds is announced.
   */
  async noteApplied(change: AppliedChange): Promise<void> {
    const state = await this.options.store.getWatchState(change.groupId);
    if (!state) return;
    const deleted = change.operation.kind === 'delete';
    const planned = plannedIds(change.operation);
    let memberIds = state.memberIds;
    if (deleted) memberIds = [];
    else if (memberIds && planned) {
      const removed = new Set([...planned.removed, ...(change.dropped ?? [])]);
      memberIds = [...new Set([...memberIds.filter((id) => !removed.has(id)), ...planned.added])].sort();
    }
    const renamed = change.afterName !== change.beforeName;
    await this.options.store.saveWatchState({
      ...state,
      name: change.afterName,
      // The count of the membership as known: when someone else changed the group since the last
      // poll, Prolific's count differs, so the next poll reads the members and announces their part.
      participantCount: memberIds ? memberIds.length : change.afterCount,
      isDeleted: deleted,
      memberIds,
      lastChangeAt: this.now(),
      lastChangeSummary: deleted
        ? 'deleted through this app'
        : `${[renamed ? `renamed from ${change.beforeName}` : '', change.added ? `+${change.added}` : '', change.removed ? `−${change.removed}` : ''].filter(Boolean).join(', ') || 'changed'} through this app`,
    });
  }

  /** One polling round over every watched group. Exported for tests and for running on demand. */
  async runRound(): Promise<RoundReport> {
    const { store, instanceId, intervalMs } = this.options;
    const report: RoundReport = { polled: false, groups: 0, changes: [], backedOff: false };
    // The holder renews the lease every round and before every group, so two intervals keep it
    // between rounds, and a dead holder's lease passes on within two intervals.
    const holdLease = () => store.tryAcquireLease(WATCH_LEASE, instanceId, 2 * intervalMs);
    if (!(await holdLease())) return report;
    report.polled = true;
    const subs = await store.listSubscriptions({});
    const channelsByGroup = new Map<string, string[]>();
    for (const s of subs) channelsByGroup.set(s.groupId, [...(channelsByGroup.get(s.groupId) ?? []), s.channelId]);
    const now = this.now();

    for (const [groupId, channels] of channelsByGroup) {
      const state = await store.getWatchState(groupId);
      if (state?.backoffUntil && state.backoffUntil > now) continue;
      // Never poll one group more often than the interval, whichever instance polled it last.
      if (state?.lastPolledAt && now.getTime() - state.lastPolledAt.getTime() < intervalMs * 0.8) continue;
      // A long round must not outlive the lease: another instance would poll the same groups.
      if (!(await holdLease())) break;
      report.groups++;
      try {
        const change = await this.pollGroup(groupId, state, now);
        if (change) {
          report.changes.push(change);
          await this.options.announce(change, [...new Set(channels)]);
        }
      } catch (err) {
        if (err instanceof ProlificError && err.status === 429) {
          // Busy: wait at least Retry-After (and the interval), doubling while it lasts; stop this round.
          // The wait counts from the refusal, not from the start of the round: the client may
          // already have spent a while retrying.
          const previous = state?.backoffUntil && state.lastPolledAt ? state.backoffUntil.getTime() - state.lastPolledAt.getTime() : 0;
          const wait = Math.min(Math.max(err.retryAfterMs ?? 0, intervalMs, previous * 2), 6 * 3600_000);
          const refusedAt = this.now();
          await store.saveWatchState({ ...(state ?? emptyState(groupId)), lastPolledAt: refusedAt, backoffUntil: new Date(refusedAt.getTime() + wait) });
          report.backedOff = true;
          this.options.log?.('warn', `Prolific is busy: watching pauses for ${Math.round(wait / 1000)} s`);
          break;
        }
        this.options.log?.('warn', `watching group ${groupId} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return report;
  }

  private async pollGroup(groupId: string, state: WatchState | null, now: Date): Promise<WatchedChange | null> {
    const { client, store } = this.options;
    let group: ParticipantGroup | null = null;
    try {
      group = await this.options.groups.get(groupId);
    } catch (err) {
      // A group outside the workspace (watched before this was checked) is not polled: nothing of it is announced.
      if (err instanceof GroupOutsideWorkspaceError) {
        this.options.log?.('warn', `not watching group ${groupId}: it is not in this app's workspace`);
        return null;
      }
      if (!(err instanceof ProlificError && err.status === 404)) throw err;
    }
    const round = (state?.round ?? 0) + 1;
    // Only a state from a successful read is something to compare with (a 429 on the first look
    // leaves a placeholder with round 0).
    const known = state && state.round > 0 && !state.isDeleted ? state : null;
    if (!group || group.is_deleted) {
      const bot = known ? await this.botWrites(groupId, known, now) : null;
      // A deletion through the bot was announced by the bot; while it is being written, look again next round.
      if (bot?.inFlight) return null;
      if (bot?.deleted) {
        await store.saveWatchState({ ...known!, isDeleted: true, participantCount: 0, memberIds: [], round, lastPolledAt: now, backoffUntil: null });
        return null;
      }
      await store.saveWatchState({ ...(state ?? emptyState(groupId)), isDeleted: true, participantCount: 0, round, lastPolledAt: now, backoffUntil: null, ...(known ? { lastChangeAt: now, lastChangeSummary: 'deleted' } : {}) });
      if (!known || !state) return null;
      return { groupId, name: state.name, renamedFrom: null, deleted: true, count: 0, previousCount: state.participantCount, added: 0, removed: state.participantCount, sampleAdded: [], sampleRemoved: [], likelyCause: null };
    }

    const countMoved = !state || group.participant_count !== state.participantCount;
    const fullRead = countMoved || !state?.memberIds || round % this.fullReadEvery === 0;
    const members = fullRead ? (await client.listMemberIds(groupId)).sort() : (state?.memberIds ?? null);
    const next: WatchState = {
      groupId,
      name: group.name,
      participantCount: group.participant_count,
      isDeleted: false,
      memberIds: members,
      round,
      lastPolledAt: now,
      lastChangeAt: state?.lastChangeAt ?? null,
      lastChangeSummary: state?.lastChangeSummary ?? null,
      backoffUntil: null,
    };
    // The first look only sets the baseline; there is nothing to compare with yet.
    if (!known || !state) {
      await store.saveWatchState(next);
      return null;
    }

    let added: string[] = [];
    let removed: string[] = [];
    if (state.memberIds && members && fullRead) {
      const before = new Set(state.memberIds);
      const after = new Set(members);
      added = members.filter((id) => !before.has(id));
      removed = state.memberIds.filter((id) => !after.has(id));
    }
    let renamed = group.name !== state.name;
    let unexplainedCount = !state.memberIds && countMoved;
    if (!renamed && !added.length && !removed.length && !unexplainedCount) {
      await store.saveWatchState(next);
      return null;
    }
    const bot = await this.botWrites(groupId, state, now);
    // What the bot did since the last poll, or is writing right now (what was read may be half of
    // it), is announced by the bot: only the rest is news. The bot's part is exactly the ids its
    // plans add and remove, so a change it is writing never hides anyone else's.
    added = added.filter((id) => !bot.added(id));
    removed = removed.filter((id) => !bot.removed(id));
    renamed &&= !bot.names.has(group.name);
    unexplainedCount &&= !bot.any;
    if (!renamed && !added.length && !removed.length && !unexplainedCount) {
      await store.saveWatchState(next);
      return null;
    }
    const change: WatchedChange = {
      groupId,
      name: group.name,
      renamedFrom: renamed ? state.name : null,
      deleted: false,
      count: group.participant_count,
      // The count before this news (after any change made through the bot).
      previousCount: unexplainedCount ? state.participantCount : group.participant_count - added.length + removed.length,
      added: unexplainedCount ? Math.max(0, group.participant_count - state.participantCount) : added.length,
      removed: unexplainedCount ? Math.max(0, state.participantCount - group.participant_count) : removed.length,
      sampleAdded: added.slice(0, SAMPLE_SIZE),
      sampleRemoved: removed.slice(0, SAMPLE_SIZE),
      likelyCause: null,
    };
    change.likelyCause = feederCause(group, change.added, change.removed);
    next.lastChangeAt = now;
    next.lastChangeSummary = [renamed ? `renamed from ${state.name}` : '', change.added ? `+${change.added}` : '', change.removed ? `−${change.removed}` : ''].filter(Boolean).join(', ');
    await store.saveWatchState(next);
    return change;
  }

  /**
   * What the bot did to a group since the last poll (announced by the bot already), and what it
   * is writing right now. Operations are marked 'applying' before the write and 'applied' after
   * it, so this holds from the write on, whichever instance made it. Of membership, only the ids
   * each plan adds or removes count as the bot's, and those an overwrite reported dropping.
   */
  private async botWrites(groupId: string, state: WatchState, now: Date): Promise<BotWrites> {
    // A little slack for the database's clock, which stamps the operations.
    const since = (state.lastPolledAt?.getTime() ?? 0) - CLOCK_SLACK_MS;
    const ops = await this.options.store.listOperations({
      groupId,
      status: ['applying', 'applied'],
      updatedSince: new Date(Math.min(since, now.getTime() - WRITE_IN_FLIGHT_MS)),
      limit: 50,
      order: 'newest',
    });
    // A message to the group's members writes nothing to the group.
    const writes = ops.filter((op) => op.kind !== 'message');
    const writing = writes.filter((op) => op.status === 'applying' && op.updatedAt.getTime() > now.getTime() - WRITE_IN_FLIGHT_MS);
    const applied = writes.filter((op) => op.status === 'applied' && op.updatedAt.getTime() >= since);
    const addedIds = new Set<string>();
    const removedIds = new Set<string>();
    const names = new Set<string>();
    for (const op of [...writing, ...applied]) {
      const planned = plannedIds(op);
      for (const id of planned?.added ?? []) addedIds.add(id);
      for (const id of planned?.removed ?? []) removedIds.add(id);
      const dropped = (op.result as { dropped?: unknown } | null)?.dropped;
      if (Array.isArray(dropped)) for (const id of dropped) if (typeof id === 'string') removedIds.add(id);
      if (op.kind === 'rename' || (op.kind === 'undo' && operationDetails(op).restoreName)) {
        const afterName = (op.result as { afterName?: unknown } | null)?.afterName;
        names.add(typeof afterName === 'string' ? afterName : (op.newName ?? ''));
      }
    }
    return {
      inFlight: writing.length > 0,
      any: applied.length > 0 || writing.length > 0,
      deleted: applied.some((op) => op.kind === 'delete'),
      added: (id) => addedIds.has(id),
      removed: (id) => removedIds.has(id),
      names,
    };
  }
}

interface BotWrites {
  inFlight: boolean;
  any: boolean;
  deleted: boolean;
  added: (id: string) => boolean;
  removed: (id: string) => boolean;
  names: Set<string>;
}

function emptyState(groupId: string): WatchState {
  return { groupId, name: '', participantCount: 0, isDeleted: false, memberIds: null, round: 0, lastPolledAt: null, lastChangeAt: null, lastChangeSummary: null, backoffUntil: null };
}
