// Deliveries: every request Slack delivered (an Events API callback, a command, an interaction), by
// a key that a repeat of it shares, so that every instance on the database knows a repeat when it
// sees one (src/receivers/deliveryKeys.ts says which key). A key is kept until its expiry: as long
// as a repeat could still be accepted; the retention sweep forgets it afterwards.
//
// Every request records one, so recording is kept cheap for the thread that also answers Slack
// (the embedded store runs its SQL, and syncs its commits, on the app's own thread): calls that
// arrive within a few milliseconds of each other are written as one statement (on PGlite a statement
// of one key costs about 0.8 ms of CPU, of ten about 0.07 ms a key), and the table is unlogged (migration 8), so a write
// has no WAL to sync. After a crash the table starts empty: only repeats sent within minutes of the
// crash could get through.
import type { Queryable } from './database';
import { countOf } from './sqlValues';

export interface DeliveryStore {
  /**
   * Records a delivery; false when its key is already recorded and not expired, i.e. this is a
   * repeat. Two calls with one key, on one instance or several, never both get true.
   */
  recordDelivery(key: string, expiresAt: Date): Promise<boolean>;
  /** Forgets the deliveries whose keys expired before `now` (default: the database's clock). */
  forgetExpiredDeliveries(now?: Date): Promise<number>;
}

interface Waiting {
  key: string;
  expiresAt: Date;
  settle: (first: boolean) => void;
  fail: (err: unknown) => void;
}

/** At most this many keys in one statement. */
const BATCH = 500;
/** How long a first delivery waits for others to join its statement (its ack is already sent). */
const GATHER_MS = 5;

export function createDeliveryStore(db: Queryable): DeliveryStore {
  let waiting: Waiting[] = [];
  let writing = false;

  /** Writes a batch; returns the keys that were new (or expired, which counts as new). */
  const insert = async (batch: Waiting[]) => {
    const rows = await db.query<{ key: string }>(
      `insert into deliveries (key, expires_at)
       select key, expires_at from unnest($1::text[], $2::timestamptz[]) as given(key, expires_at)
       on conflict (key) do update set received_at = now(), expires_at = excluded.expires_at
       where deliveries.expires_at <= now()
       returning key`,
      [batch.map((w) => w.key), batch.map((w) => w.expiresAt.toISOString())],
    );
    return new Set(rows.map((r) => r.key));
  };

  // Calls made while a batch is being written wait for the next one.
  const writeWaiting = async () => {
    try {
      while (waiting.length > 0) {
        const taken = waiting.slice(0, BATCH);
        waiting = waiting.slice(BATCH);
        // One key twice in a batch: the first call is the delivery, the others its repeats.
        const firstByKey = new Map<string, Waiting>();
        for (const w of taken) if (!firstByKey.has(w.key)) firstByKey.set(w.key, w);
        try {
          // In key order, so that two instances writing overlapping batches lock rows in the same order.
          const fresh = await insert([...firstByKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
          for (const w of taken) w.settle(firstByKey.get(w.key) === w && fresh.has(w.key));
        } catch (err) {
          for (const w of taken) w.fail(err);
        }
      }
    } finally {
      writing = false;
    }
  };

  return {
    recordDelivery: (key: string, expiresAt: Date) =>
      new Promise<boolean>((settle, fail) => {
        waiting.push({ key, expiresAt, settle, fail });
        if (writing) return;
        // A few milliseconds later: requests already waiting to be read and acknowledged go first,
        // and the deliveries of a burst join one statement instead of one per turn of the event loop.
        writing = true;
        setTimeout(() => void writeWaiting(), GATHER_MS);
      }),

    forgetExpiredDeliveries: (now?: Date) =>
      countOf(
        db,
        `with forgotten as (
           delete from deliveries where expires_at <= coalesce($1::timestamptz, now()) returning 1
         ) select count(*)::int as n from forgotten`,
        [now ?? null],
      ),
  };
}
