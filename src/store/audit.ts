// The audit log: one append-only entry per attempted change to a group, newest first on read.
import type { Queryable } from './database';
import { firstRow, toDate } from './sqlValues';

export type AuditOutcome = 'applied' | 'failed' | 'partial' | 'unknown' | 'refused';

export interface NewAuditEntry {
  slackUserId: string;
  slackTeamId: string;
  /** What was done: create, rename, add, remove, replace, undo, delete. */
  action: string;
  groupId: string;
  groupName: string;
  beforeName: string | null;
  afterName: string | null;
  beforeCount: number | null;
  afterCount: number | null;
  added: number;
  removed: number;
  outcome: AuditOutcome;
  /** The Prolific error text, if any (never a token). */
  error: string | null;
  operationId: string | null;
  snapshotId: string | null;
  /** A forgotten participant's one-way hash (participantErasure.ts): the entry never holds the id. */
  subjectHash?: string | null;
  /**
   * The execution id of the Workflow Builder run that made the change, when a workflow step did:
   * `slackUserId` is then the person the workflow says it acts for, not who pressed anything.
   */
  workflowRun?: string | null;
}

export interface AuditEntry extends NewAuditEntry {
  id: string;
  at: Date;
}

export interface AuditFilter {
  groupId?: string;
  teamId?: string;
  /** Entries of this Slack user's changes. */
  userId?: string;
  limit: number;
  offset: number;
}

export interface AuditStore {
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
  /** The applied deletions of groups with this id or this name (case-insensitive), newest first. */
  findDeletions(idOrName: string, teamId?: string): Promise<AuditEntry[]>;
}

interface AuditRow {
  id: string;
  at: unknown;
  slack_user_id: string;
  slack_team_id: string;
  action: string;
  group_id: string;
  group_name: string;
  before_name: string | null;
  after_name: string | null;
  before_count: number | null;
  after_count: number | null;
  added: number;
  removed: number;
  outcome: string;
  error: string | null;
  operation_id: string | null;
  snapshot_id: string | null;
  subject_hash: string | null;
  workflow_run: string | null;
}

const AUDIT_COLUMNS = `id, at, slack_user_id, slack_team_id, action, group_id, group_name, before_name, after_name,
  before_count, after_count, added, removed, outcome, error, operation_id, snapshot_id, subject_hash, workflow_run`;

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: toDate(row.at),
    slackUserId: row.slack_user_id,
    slackTeamId: row.slack_team_id,
    action: row.action,
    groupId: row.group_id,
    groupName: row.group_name,
    beforeName: row.before_name,
    afterName: row.after_name,
    beforeCount: row.before_count,
    afterCount: row.after_count,
    added: row.added,
    removed: row.removed,
    outcome: row.outcome as AuditOutcome,
    error: row.error,
    operationId: row.operation_id,
    snapshotId: row.snapshot_id,
    subjectHash: row.subject_hash ?? null,
    workflowRun: row.workflow_run ?? null,
  };
}

export function createAuditStore(db: Queryable): AuditStore {
  return {
    async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
      const row = await firstRow<AuditRow>(
        db,
        `insert into audit_log (slack_user_id, slack_team_id, action, group_id, group_name, before_name, after_name,
           before_count, after_count, added, removed, outcome, error, operation_id, snapshot_id, subject_hash, workflow_run)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         returning ${AUDIT_COLUMNS}`,
        [
          entry.slackUserId,
          entry.slackTeamId,
          entry.action,
          entry.groupId,
          entry.groupName,
          entry.beforeName,
          entry.afterName,
          entry.beforeCount,
          entry.afterCount,
          entry.added,
          entry.removed,
          entry.outcome,
          entry.error,
          entry.operationId,
          entry.snapshotId,
          entry.subjectHash ?? null,
          entry.workflowRun ?? null,
        ],
      );
      return toAuditEntry(row!);
    },

    async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
      const rows = await db.query<AuditRow>(
        `select ${AUDIT_COLUMNS} from audit_log
         where ($1::text is null or group_id = $1::text) and ($2::text is null or slack_team_id = $2::text)
           and ($5::text is null or slack_user_id = $5::text)
         order by seq desc
         limit $3 offset $4`,
        [filter.groupId ?? null, filter.teamId ?? null, filter.limit, filter.offset, filter.userId ?? null],
      );
      return rows.map(toAuditEntry);
    },

    async findDeletions(idOrName: string, teamId?: string): Promise<AuditEntry[]> {
      const rows = await db.query<AuditRow>(
        `select ${AUDIT_COLUMNS} from audit_log
         where action = 'delete' and outcome = 'applied'
           and (group_id = lower($1::text) or lower(group_name) = lower($1::text))
           and ($2::text is null or slack_team_id = $2::text)
         order by seq desc
         limit 20`,
        [idOrName.trim(), teamId ?? null],
      );
      return rows.map(toAuditEntry);
    },
  };
}
