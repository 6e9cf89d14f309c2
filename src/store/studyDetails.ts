// Study details, the study index's cache: what a study's filters and completion codes say, by study id, so a
// study index lookup does not read every study again. A published study's filters are frozen
// (entries without expiry); a draft's or scheduled study's may change (entries with a short expiry).

import type { Queryable } from './database';

/** What the study index keeps of a study: its filters, the filter-set version it uses, its codes. */
export interface StudyDetailsRecord {
  filters: unknown;
  /** The filter set's filters at the version the study uses; null when the study has none. */
  filterSet: { id: string; version: number | null; filters: unknown } | null;
  completionCodes: unknown;
  /**
   * The project the study is in (and so its workspace); null when Prolific's answer named none.
   * Absent in entries saved before the index was scoped to a workspace: those are read again.
   */
  projectId?: string | null;
}

export interface CachedStudyDetails {
  studyId: string;
  /** The study's status when its details were read. */
  status: string;
  details: StudyDetailsRecord;
}

export interface NewStudyDetails extends CachedStudyDetails {
  /** How long the entry may be used; null: for good (a published study). */
  ttlMs: number | null;
}

export interface StudyDetailsStore {
  /** The entries of these studies that have not expired, by study id. */
  getStudyDetails(studyIds: readonly string[]): Promise<Map<string, CachedStudyDetails>>;
  /** Saves entries, replacing those of the same studies. */
  saveStudyDetails(entries: readonly NewStudyDetails[]): Promise<void>;
  /** Deletes expired entries; returns how many. */
  pruneStudyDetails(): Promise<number>;
}

export function createStudyDetailsStore(db: Queryable): StudyDetailsStore {
  return {
    async getStudyDetails(studyIds) {
      const found = new Map<string, CachedStudyDetails>();
      if (studyIds.length === 0) return found;
      const rows = await db.query<{ study_id: string; status: string; details: unknown }>(
        `select study_id, status, details from study_details
         where study_id = any($1::text[]) and (expires_at is null or expires_at > now())`,
        [[...studyIds]],
      );
      for (const row of rows) {
        const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as StudyDetailsRecord;
        found.set(row.study_id, { studyId: row.study_id, status: row.status, details });
      }
      return found;
    },

    async saveStudyDetails(entries) {
      // One statement for the batch; the last entry of a study wins (ON CONFLICT cannot touch a row twice).
      const byStudy = new Map(entries.map((entry) => [entry.studyId, entry]));
      if (byStudy.size === 0) return;
      const rows = [...byStudy.values()].map((entry) => ({
        study_id: entry.studyId,
        status: entry.status,
        details: entry.details,
        ttl_ms: entry.ttlMs,
      }));
      await db.query(
        `insert into study_details (study_id, status, details, read_at, expires_at)
         select r.study_id, r.status, r.details, now(),
                case when r.ttl_ms is null then null else now() + r.ttl_ms * interval '1 millisecond' end
         from jsonb_to_recordset($1::jsonb) as r(study_id text, status text, details jsonb, ttl_ms double precision)
         on conflict (study_id) do update set
           status = excluded.status, details = excluded.details, read_at = excluded.read_at, expires_at = excluded.expires_at`,
        [JSON.stringify(rows)],
      );
    },

    async pruneStudyDetails() {
      const rows = await db.query('delete from study_details where expires_at <= now() returning 1');
      return rows.length;
    },
  };
}
