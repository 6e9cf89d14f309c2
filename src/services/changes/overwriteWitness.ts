// What the app saw of a group while an overwrite was being written. A PATCH of participant_ids has
// no condition header, so an id that joins between the write's re-read and the PATCH (a feeder
// study's submission) is dropped by it, and nothing can prevent that. The app can tell only when
// one of its own reads saw the id in between: the watcher polling the group, or a preview someone
// made of it. Those ids are reported, so that they can be added back.
import type { ProlificClient } from '../../prolific';
import type { OperationStore, WatchState, WatchStateStore } from '../../store/types';
import type { HeldGroupLock } from './groupWriteLock';
import { memberIds } from './groupReads';

export type WitnessStore = Pick<OperationStore, 'listOperations'> & Pick<WatchStateStore, 'getWatchState'>;

export class OverwriteWitness {
  private constructor(
    private readonly store: WitnessStore,
    private readonly lock: HeldGroupLock,
    private readonly operationId: string,
    /** The watcher's state as it was at the re-read, to tell what its polls found since. */
    private readonly watchedAtReread: WatchState | null,
  ) {}

  /** Taken beside the write's re-read, under the group's write lock. */
  static async start(store: WitnessStore, lock: HeldGroupLock, operationId: string): Promise<OverwriteWitness> {
    const watched = await store.getWatchState(lock.groupId).catch(() => null);
    return new OverwriteWitness(store, lock, operationId, watched);
  }

  /**
   * Ids the app saw in the group after the re-read that were in neither the re-read (`reread`) nor
   * the target, and that the group, read now, no longer has: the overwrite dropped them. The write
   * has happened, so a read that fails here reports nothing rather than a failure.
   */
  async dropped(client: ProlificClient, reread: string[], target: string[]): Promise<string[]> {
    try {
      const known = new Set([...reread, ...target]);
      const seen = new Set([...(await this.seenSince())].filter((id) => !known.has(id)));
      if (seen.size === 0) return [];
      const now = new Set(await memberIds(client, this.lock.groupId));
      return [...seen].filter((id) => !now.has(id)).sort();
    } catch {
      return [];
    }
  }

  /** Every id a read of the app found in the group after the write lock was taken. */
  private async seenSince(): Promise<Set<string>> {
    const seen = new Set<string>();
    const [watched, previews] = await Promise.all([
      this.store.getWatchState(this.lock.groupId),
      this.store.listOperations({
        groupId: this.lock.groupId,
        status: ['pending', 'applying', 'applied', 'failed', 'cancelled', 'expired'],
        updatedSince: this.lock.acquiredAt,
        limit: 50,
        order: 'newest',
      }),
    ]);
    // What the watcher's polls found since the re-read: members it did not know then. (A round
    // that reads only the count, or is refused, carries the old list over, which adds nothing.)
    const knownThen = new Set(this.watchedAtReread?.memberIds ?? []);
    for (const id of watched?.memberIds ?? []) if (!knownThen.has(id)) seen.add(id);
    // A preview made during the write read the group then (its baseline).
    for (const op of previews) {
      if (op.id === this.operationId || op.createdAt.getTime() < this.lock.acquiredAt.getTime()) continue;
      for (const id of op.baselineIds) seen.add(id);
    }
    return seen;
  }
}
