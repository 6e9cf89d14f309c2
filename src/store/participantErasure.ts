// Forgetting a participant: their id taken out of every record the app keeps (operations' id
// lists and details, snapshots, the notification outbox, the watcher's member lists, audit error
// texts), and the audit entries that say it happened (with a one-way hash, no id), in one
// transaction. Prolific is not touched here: the removals from groups go through the change service first.
import { createAuditStore, type NewAuditEntry } from './audit';
import type { Queryable, Session } from './database';
import { decodeIds, encodeIds, fromJson, packedCount, packIds, toJson, unpackIds } from './sqlValues';

/** How many records held the id and were rewritten without it. */
export interface ErasureReport {
  operations: number;
  snapshots: number;
  notifications: number;
  watchedGroups: number;
  auditTexts: number;
}

export interface ParticipantErasureStore {
  eraseParticipant(participantId: string, audit: NewAuditEntry[]): Promise<ErasureReport>;
}

/** What replaces the id inside free text (an error message, a label). */
export const FORGOTTEN_MARK = '[forgotten participant]';

/** The value without the id: array elements equal to it dropped, text containing it marked. */
export function withoutId(value: unknown, id: string): unknown {
  if (typeof value === 'string') return value.includes(id) ? value.split(id).join(FORGOTTEN_MARK) : value;
  if (Array.isArray(value)) return value.filter((v) => v !== id).map((v) => withoutId(v, id));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutId(v, id)]));
  return value;
}

function listWithout(text: string, hex: string | null, id: string): { ids: string[]; changed: boolean } {
  const ids = unpackIds(text, hex);
  const kept = ids.filter((x) => x !== id);
  return { ids: kept, changed: kept.length !== ids.length };
}

async function eraseFromOperations(tx: Queryable, id: string): Promise<number> {
  const rows = await tx.query<{
    id: string;
    participant_ids: string;
    p_hex: string | null;
    baseline_ids: string;
    b_hex: string | null;
    details: unknown;
    result: unknown;
    error: string | null;
  }>(
    `select id, participant_ids, encode(participant_ids_packed, 'hex') as p_hex, baseline_ids, encode(baseline_ids_packed, 'hex') as b_hex,
       details::text as details, result::text as result, error
     from operations
     where position($1 in participant_ids) > 0 or position($1 in baseline_ids) > 0
       or position(decode($1, 'hex') in coalesce(participant_ids_packed, ''::bytea)) > 0
       or position(decode($1, 'hex') in coalesce(baseline_ids_packed, ''::bytea)) > 0
       or position($1 in details::text) > 0 or position($1 in coalesce(result::text, '')) > 0 or position($1 in coalesce(error, '')) > 0`,
    [id],
  );
  for (const row of rows) {
    const participants = packIds(listWithout(row.participant_ids, row.p_hex, id).ids);
    const baseline = packIds(listWithout(row.baseline_ids, row.b_hex, id).ids);
    await tx.query(
      `update operations set participant_ids = $2, participant_ids_packed = $3, participant_count = $4,
         baseline_ids = $5, baseline_ids_packed = $6, baseline_count = $7,
         details = $8::jsonb, result = $9::jsonb, error = $10
       where id = $1`,
      [
        row.id,
        participants.text,
        participants.bytes,
        packedCount(participants),
        baseline.text,
        baseline.bytes,
        packedCount(baseline),
        toJson(withoutId(fromJson(row.details) ?? {}, id)),
        toJson(withoutId(fromJson(row.result), id)),
        row.error === null ? null : (withoutId(row.error, id) as string),
      ],
    );
  }
  return rows.length;
}

async function eraseFromSnapshots(tx: Queryable, id: string): Promise<number> {
  const rows = await tx.query<{ id: string; member_ids: string; m_hex: string | null }>(
    `select id, member_ids, encode(member_ids_packed, 'hex') as m_hex from snapshots
     where position($1 in member_ids) > 0 or position(decode($1, 'hex') in coalesce(member_ids_packed, ''::bytea)) > 0`,
    [id],
  );
  let changed = 0;
  for (const row of rows) {
    const members = listWithout(row.member_ids, row.m_hex, id);
    // A packed list can hold the id's bytes across two ids: only a real member counts.
    if (!members.changed) continue;
    const packed = packIds(members.ids);
    await tx.query(
      `update snapshots set member_ids = $2, member_ids_packed = $3, member_count = $4, forgotten_count = forgotten_count + 1 where id = $1`,
      [row.id, packed.text, packed.bytes, members.ids.length],
    );
    changed += 1;
  }
  return changed;
}

async function eraseFromJsonColumn(tx: Queryable, table: 'notification_outbox', column: 'change', id: string): Promise<number> {
  const rows = await tx.query<{ id: string; value: unknown }>(`select id, ${column}::text as value from ${table} where position($1 in ${column}::text) > 0`, [id]);
  for (const row of rows) await tx.query(`update ${table} set ${column} = $2::jsonb where id = $1`, [row.id, toJson(withoutId(fromJson(row.value), id))]);
  return rows.length;
}

async function eraseFromWatchState(tx: Queryable, id: string): Promise<number> {
  const rows = await tx.query<{ group_id: string; member_ids: string }>(`select group_id, member_ids from watch_state where position($1 in coalesce(member_ids, '')) > 0`, [id]);
  for (const row of rows) {
    await tx.query('update watch_state set member_ids = $2 where group_id = $1', [row.group_id, encodeIds(decodeIds(row.member_ids).filter((x) => x !== id))]);
  }
  return rows.length;
}

export function createParticipantErasureStore(db: Session): ParticipantErasureStore {
  return {
    eraseParticipant: (participantId, audit) =>
      db.transaction(async (tx) => {
        const report: ErasureReport = {
          operations: await eraseFromOperations(tx, participantId),
          snapshots: await eraseFromSnapshots(tx, participantId),
          notifications: await eraseFromJsonColumn(tx, 'notification_outbox', 'change', participantId),
          watchedGroups: await eraseFromWatchState(tx, participantId),
          auditTexts: (await tx.query<{ id: string }>(`update audit_log set error = replace(error, $1, $2) where position($1 in coalesce(error, '')) > 0 returning id`, [participantId, FORGOTTEN_MARK])).length,
        };
        const auditStore = createAuditStore(tx);
        for (const entry of audit) await auditStore.appendAudit(entry);
        return report;
      }),
  };
}
