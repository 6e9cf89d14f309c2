import type { Database, StoreLog } from './database';

/**
 * The one schema, for PGlite and PostgreSQL alike. Append new versions; never edit an applied one.
 * Id lists (up to 100,000 participant ids) are stored as newline-joined text: a single value
 * to write and read, several times faster than text[] on PGlite.
 */
export interface Migration {
  version: number;
  name: string;
  /** Run in order inside one transaction (one statement each: PGlite's query protocol takes one). */
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    statements: [
      `create table operations (
        id uuid primary key default gen_random_uuid(),
        kind text not null,
        status text not null default 'pending'
          check (status in ('pending', 'applying', 'applied', 'failed', 'cancelled', 'expired')),
        group_id text not null,
        group_name text not null,
        slack_user_id text not null,
        slack_team_id text not null,
        channel_id text,
        participant_ids text not null,
        participant_count integer not null,
        baseline_ids text not null,
        baseline_count integer not null,
        baseline_name text not null,
        new_name text,
        snapshot_id uuid,
        details jsonb not null default '{}'::jsonb,
        result jsonb,
        error text,
        message jsonb,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        expires_at timestamptz not null
      )`,
      `create index operations_pending_expiry on operations (expires_at) where status = 'pending'`,
      `create table snapshots (
        id uuid primary key default gen_random_uuid(),
        group_id text not null,
        name text not null,
        member_ids text not null,
        member_count integer not null,
        operation_id uuid,
        taken_at timestamptz not null default now()
      )`,
      `create index snapshots_taken_at on snapshots (taken_at)`,
      `create index snapshots_group on snapshots (group_id, taken_at desc)`,
      // seq gives a stable newest-first order when entries share a timestamp.
      `create table audit_log (
        id uuid primary key default gen_random_uuid(),
        seq bigint generated always as identity unique,
        at timestamptz not null default now(),
        slack_user_id text not null,
        slack_team_id text not null,
        action text not null,
        group_id text not null,
        group_name text not null,
        before_name text,
        after_name text,
        before_count integer,
        after_count integer,
        added integer not null,
        removed integer not null,
        outcome text not null,
        error text,
        operation_id uuid,
        snapshot_id uuid
      )`,
      `create index audit_log_group on audit_log (group_id, seq desc)`,
      `create index audit_log_team on audit_log (slack_team_id, seq desc)`,
      `create table subscriptions (
        team_id text not null,
        channel_id text not null,
        group_id text not null,
        group_name text not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        primary key (channel_id, group_id)
      )`,
      `create index subscriptions_group on subscriptions (group_id)`,
      `create table watch_state (
        group_id text primary key,
        name text not null,
        participant_count integer not null,
        is_deleted boolean not null,
        member_ids text,
        round integer not null,
        last_polled_at timestamptz,
        last_change_at timestamptz,
        last_change_summary text,
        backoff_until timestamptz,
        updated_at timestamptz not null default now()
      )`,
      `create table leases (
        name text primary key,
        holder text not null,
        acquired_at timestamptz not null default now(),
        expires_at timestamptz not null
      )`,
    ],
  },
  {
    version: 2,
    name: 'id lists stored uncompressed',
    // Participant ids are mostly random hex, so pglz tries and gives up on every list: for
    // 2 × 100,000 ids that cost ~110 ms of a ~150 ms insert. EXTERNAL keeps them out of line
    // (TOAST) without trying to compress them.
    statements: [
      'alter table operations alter column participant_ids set storage external',
      'alter table operations alter column baseline_ids set storage external',
      'alter table snapshots alter column member_ids set storage external',
      'alter table watch_state alter column member_ids set storage external',
    ],
  },
  {
    version: 3,
    name: 'indexes for recovery and the watcher',
    // Recovery looks for confirmations left 'applying'; the watcher for a group's recent writes;
    // recovery finds a confirmation's snapshot by its operation.
    statements: [
      'create index operations_status_updated on operations (status, updated_at)',
      'create index operations_group_updated on operations (group_id, updated_at desc)',
      'create index snapshots_operation on snapshots (operation_id)',
    ],
  },
  {
    version: 4,
    name: 'study details cache',
    // The study index's cache (studyDetails.ts): expires_at null for published studies, whose
    // filters are frozen; a short expiry for drafts and scheduled studies.
    statements: [
      `create table study_details (
        study_id text primary key,
        status text not null,
        details jsonb not null,
        read_at timestamptz not null default now(),
        expires_at timestamptz
      )`,
      'create index study_details_expiry on study_details (expires_at) where expires_at is not null',
    ],
  },
  {
    version: 5,
    name: 'failure records hold facts',
    // A failed operation's result held sentences (`written`, `notWritten`) and its error column the
    // message shown. They become the facts the renderers now word (services/changes/failureRecord.ts):
    // the cause, a report of what was written, parsed back from the sentences this app wrote, or
    // "unknown" where a sentence is not one of them. The error column keeps only Prolific's words.
    statements: [
      `with old as (
        select id, error as e, result->>'written' as w, result->>'notWritten' as nw,
          regexp_match(result->>'written', '^([0-9,]+) of ([0-9,]+) participant ids were (added|removed)\\.$') as m
        from operations
        where status = 'failed' and jsonb_typeof(result->'written') = 'string'
      ), parsed as (
        select id, e, m,
          case
            when w = 'Nothing was written.' then jsonb_build_object('kind', 'nothing')
            when w like 'Prolific did not confirm the write.%' then jsonb_build_object('kind', 'unconfirmed')
            when m is not null then jsonb_build_object('kind', 'chunks', 'chunks', jsonb_build_object(
              'mode', case m[3] when 'added' then 'add' else 'remove' end,
              'applied', replace(m[1], ',', '')::integer,
              'refused', coalesce(replace((regexp_match(nw, 'Prolific refused the next ([0-9,]+)'))[1], ',', '')::integer, 0),
              'landedAnyway', case
                when nw like '%shows none of them%' then to_jsonb(0)
                else to_jsonb(replace((regexp_match(nw, 'shows ([0-9,]+) of them'))[1], ',', '')::integer)
              end,
              'notSent', coalesce(replace((regexp_match(nw, 'The last ([0-9,]+) were not sent'))[1], ',', '')::integer, 0)))
            else jsonb_build_object('kind', 'unknown')
          end as written,
          case
            when e = 'The app stopped before it could confirm the change with Prolific.' then jsonb_build_object('kind', 'stopped', 'mayHaveWritten', true)
            when e = 'The app stopped before it wrote the change to Prolific.' then jsonb_build_object('kind', 'stopped', 'mayHaveWritten', false)
            when e = 'Something went wrong before the change could be written.' then jsonb_build_object('kind', 'app')
            when e is null then jsonb_build_object('kind', 'unknown', 'text', null)
            when m is not null then jsonb_build_object('kind', 'prolific', 'said',
              nullif(regexp_replace(e, ' [0-9,]+ of [0-9,]+ ids were (added|removed) before it stopped\\.$', ''), 'Prolific refused part of the change.'))
            else jsonb_build_object('kind', 'prolific', 'said', e)
          end as cause
        from old
      )
      update operations o
      set result = (o.result - 'written' - 'notWritten') || jsonb_build_object('cause', p.cause, 'written', p.written),
        error = case when p.cause->>'kind' = 'prolific' then p.cause->>'said' else null end
      from parsed p
      where o.id = p.id`,
      // A confirmation refused because the group changed since its preview: the fact, not the sentence.
      `update operations
      set error = null, result = coalesce(result, '{}'::jsonb) || '{"groupChanged": null}'::jsonb
      where status = 'cancelled' and error = 'The group changed after the preview; nothing was written.'`,
    ],
  },
  {
    version: 6,
    name: 'group write locks',
    // One row per group being written (groupWriteLocks.ts): a lease with its holder and expiry,
    // so writes to one group are serialised across instances without holding a connection.
    statements: [
      `create table group_write_locks (
        group_id text primary key,
        holder text not null,
        acquired_at timestamptz not null,
        expires_at timestamptz not null
      )`,
    ],
  },
  {
    version: 7,
    name: 'deliveries',
    // Every request Slack delivered, by the key a repeat shares (deliveries.ts), until it expires.
    statements: [
      `create table deliveries (
        key text primary key,
        received_at timestamptz not null default now(),
        expires_at timestamptz not null
      )`,
      'create index deliveries_expiry on deliveries (expires_at)',
    ],
  },
  {
    version: 8,
    name: 'deliveries unlogged',
    // Every request records a delivery: without WAL its write is cheaper and its commit waits for no
    // disk sync. After a crash the table starts empty (PostgreSQL truncates unlogged tables in
    // recovery), which only lets repeats sent within minutes of the crash through.
    statements: ['alter table deliveries set unlogged'],
  },
  {
    version: 9,
    name: 'broken subscriptions',
    // A subscription whose channel the app can no longer post in (subscriptions.ts): when and why,
    // so it is skipped, shown as broken, and mended by watching again.
    statements: ['alter table subscriptions add column broken_at timestamptz', 'alter table subscriptions add column broken_reason text'],
  },
  {
    version: 10,
    name: 'notification outbox',
    // One row per applied change and channel that hears of it (notificationOutbox.ts), written in
    // the transaction that records the change as applied (outcomes.ts), then delivered from here.
    // The unique key is the promise: at most one notification per change and channel.
    statements: [
      `create table notification_outbox (
        id uuid primary key default gen_random_uuid(),
        operation_id uuid not null,
        channel_id text not null,
        status text not null default 'pending'
          check (status in ('pending', 'sending', 'delivered', 'failed', 'unknown')),
        change jsonb not null,
        error text,
        attempts integer not null default 0,
        message_ts text,
        not_before timestamptz not null default now(),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (operation_id, channel_id)
      )`,
      `create index notification_outbox_due on notification_outbox (not_before) where status in ('pending', 'sending')`,
    ],
  },
  {
    version: 11,
    name: 'store identity and heartbeat',
    // storeIdentity.ts: one row naming this store, written when it is first opened (not by the
    // migration, so a database made from the PGlite template gets its own), so that a store found
    // empty where another was before is noticed. storeHealth.ts: one row /healthz writes and commits.
    statements: [
      `create table store_identity (
        id integer primary key check (id = 1),
        install_id uuid not null,
        created_at timestamptz not null default now()
      )`,
      `create table store_heartbeat (
        id integer primary key check (id = 1),
        beat_at timestamptz not null
      )`,
    ],
  },
  {
    version: 12,
    name: 'id lists packed as bytes',
    // A list of Prolific ids is stored as 12 bytes per id (sqlValues.ts, packIds) instead of 25
    // characters: half the TOAST pages and WAL a large preview writes and syncs. Rows written
    // before keep their text lists, which are read as before; a list that is not all Prolific ids
    // still goes as text. Out of line and uncompressed, as the text lists (version 2).
    statements: [
      'alter table operations add column participant_ids_packed bytea',
      'alter table operations add column baseline_ids_packed bytea',
      'alter table snapshots add column member_ids_packed bytea',
      'alter table operations alter column participant_ids_packed set storage external',
      'alter table operations alter column baseline_ids_packed set storage external',
      'alter table snapshots alter column member_ids_packed set storage external',
    ],
  },
  {
    version: 13,
    name: 'snapshots keep a group description and workspace',
    // A group's snapshot before it is deleted is what Recreate makes a new group from.
    statements: ['alter table snapshots add column description text', 'alter table snapshots add column workspace_id text'],
  },
  {
    version: 14,
    name: 'channel workspaces',
    // The Prolific workspace a channel chose with /pgroup workspace (channelWorkspaces.ts); a
    // channel without a row works in the default workspace.
    statements: [
      `create table channel_workspaces (
        channel_id text primary key,
        workspace_id text not null,
        slack_user_id text not null,
        set_at timestamptz not null default now()
      )`,
    ],
  },
  {
    version: 15,
    name: 'forgotten participants',
    // participantErasure.ts: an audit entry of a forgotten participant keeps a one-way hash of the
    // id, never the id; a snapshot counts the participants taken out of it, so undo can say so.
    statements: ['alter table audit_log add column subject_hash text', 'alter table snapshots add column forgotten_count integer not null default 0'],
  },
  {
    version: 16,
    name: 'audit entries name their Workflow Builder run',
    // A change a Workflow Builder step made is the step's, on behalf of the person the workflow
    // names: the history says so, with the run's execution id, from the audit alone.
    statements: ['alter table audit_log add column workflow_run text'],
  },
  {
    version: 17,
    name: 'home workspaces',
    // The Prolific workspace a person chose in the Home tab (homeWorkspaces.ts), for what they
    // start from there when the app serves several; without a row, the default workspace.
    statements: [
      `create table home_workspaces (
        slack_user_id text primary key,
        workspace_id text not null,
        set_at timestamptz not null default now()
      )`,
    ],
  },
];

/** Fixed key of the advisory lock every instance takes before migrating the same database. */
export const MIGRATION_LOCK_KEY = 7_355_608_113;

/**
 * Applies the versions not yet recorded in schema_migrations. Instances starting together
 * queue on the advisory lock, and each re-reads the applied versions once it holds it, so
 * every version runs exactly once. Returns the versions this call applied.
 */
export async function migrate(db: Database, log: StoreLog, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  return db.withSession(async (session) => {
    await session.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      await session.query(
        `create table if not exists schema_migrations (
          version integer primary key,
          name text not null,
          applied_at timestamptz not null default now()
        )`,
      );
      const rows = await session.query<{ version: number }>('select version from schema_migrations');
      const done = new Set(rows.map((r) => r.version));
      const known = new Set(migrations.map((m) => m.version));
      const unknown = [...done].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        // A newer release migrated this database; this one still runs on the columns it knows.
        log('warn', `store: the database has schema versions this release does not know: ${unknown.join(', ')}`, {
          versions: unknown,
        });
      }
      const applied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        await session.transaction(async (tx) => {
          for (const statement of migration.statements) await tx.query(statement);
          await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
            migration.version,
            migration.name,
          ]);
        });
        log('info', `store: applied schema migration ${migration.version} (${migration.name})`, {
          version: migration.version,
          name: migration.name,
        });
        applied.push(migration.version);
      }
      return applied;
    } finally {
      try {
        await session.query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
      } catch (err) {
        // Only possible when the connection died, which released the lock with it.
        const error = (err as Error).message;
        log('warn', `store: could not release the migration lock (${error})`, { error });
      }
    }
  });
}
