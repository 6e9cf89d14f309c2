// Migration 5: failed operations recorded in words by earlier releases become facts, and render
// exactly as they did.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFailure } from '../../src/services/changes';
import { renderFailed } from '../../src/slack/blocks/failedChange';
import { openStore } from '../../src/store';
import { MIGRATIONS, migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import type { Store } from '../../src/store/types';

interface OldRow {
  name: string;
  status?: string;
  error: string | null;
  result: Record<string, unknown> | null;
}

const current = { name: 'Panel', count: 400, matchesTarget: false };
const OLD_FAILURES: OldRow[] = [
  {
    name: 'partial add, none landed',
    error: 'Service unavailable: Simulated service unavailable. 100 of 250 ids were added before it stopped.',
    result: { snapshotId: null, outcomeUnknown: false, current, written: '100 of 250 participant ids were added.', notWritten: 'Prolific refused the next 100, and the group, read again, shows none of them added. The last 50 were not sent.' },
  },
  {
    name: 'partial add, some landed anyway, Prolific silent',
    error: 'Prolific refused part of the change. 100 of 250 ids were added before it stopped.',
    result: { snapshotId: null, outcomeUnknown: false, current, written: '100 of 250 participant ids were added.', notWritten: 'Prolific refused the next 100, yet the group, read again, shows 100 of them added. The last 50 were not sent.' },
  },
  {
    name: 'partial remove, group unreadable',
    error: 'Bad gateway 1,000 of 1,200 ids were removed before it stopped.',
    result: { snapshotId: null, outcomeUnknown: false, current: null, written: '1,000 of 1,200 participant ids were removed.', notWritten: 'Prolific refused the next 200; the group could not be read again to check them.' },
  },
  {
    name: 'unconfirmed replace',
    error: 'Service unavailable',
    result: { snapshotId: null, outcomeUnknown: true, current, written: 'Prolific did not confirm the write. The group was read again and does not show the requested change.', notWritten: 'The requested change is not in the group.' },
  },
  {
    name: 'stopped before the write',
    error: 'The app stopped before it wrote the change to Prolific.',
    result: { snapshotId: null, outcomeUnknown: false, current, written: 'Nothing was written.', notWritten: 'The requested change is not in the group.' },
  },
  {
    name: 'stopped after the write was sent',
    error: 'The app stopped before it could confirm the change with Prolific.',
    result: { snapshotId: null, outcomeUnknown: true, current, written: 'Prolific did not confirm the write. The group was read again and does not show the requested change.', notWritten: 'The requested change is not in the group.' },
  },
  {
    name: 'app error',
    error: 'Something went wrong before the change could be written.',
    result: { snapshotId: null, outcomeUnknown: false, current, written: 'Nothing was written.', notWritten: 'The requested change is not in the group.' },
  },
];

const APP_MESSAGES = new Set([
  'The app stopped before it wrote the change to Prolific.',
  'The app stopped before it could confirm the change with Prolific.',
  'Something went wrong before the change could be written.',
]);

/** The first section exactly as the renderer of the earlier releases wrote it from such a row. */
function oldFirstSection(row: OldRow): string {
  const r = row.result!;
  const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [
    `:x: *${r.outcomeUnknown ? 'The outcome is unknown' : 'The change failed'}* for *${row.name}*.`,
    `${APP_MESSAGES.has(row.error!) ? '' : 'Prolific said: '}${escaped(row.error!)}`,
    escaped(r.written as string),
    escaped(r.notWritten as string),
  ]
    .filter(Boolean)
    .join('\n');
}

let dir: string;
let store: Store;
const ids = new Map<string, string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgroup-migration-5-'));
  // A database as the earlier release left it: schema version 4, with failures recorded in words.
  // Made by initdb: the template already holds every migration, version 5 included.
  const db = await openPgliteDatabase(dir, { template: false });
  await migrate(db, () => {}, MIGRATIONS.filter((m) => m.version <= 4));
  const rows: OldRow[] = [
    ...OLD_FAILURES,
    { name: 'odd words', error: 'Something unexpected', result: { snapshotId: null, outcomeUnknown: false, current, written: 'Words from elsewhere.', notWritten: '' } },
    { name: 'stale', status: 'cancelled', error: 'The group changed after the preview; nothing was written.', result: null },
    { name: 'failed the new way', error: null, result: { snapshotId: null, outcomeUnknown: false, current, cause: { kind: 'app' }, written: { kind: 'nothing' } } },
  ];
  for (const row of rows) {
    const [inserted] = await db.query<{ id: string }>(
      `insert into operations (kind, status, group_id, group_name, slack_user_id, slack_team_id, participant_ids, participant_count,
         baseline_ids, baseline_count, baseline_name, result, error, expires_at)
       values ('add', $1, 'g-old', $2, 'U_ALICE', 'T_HOME', '', 0, '', 0, $2, $3::jsonb, $4, now()) returning id`,
      [row.status ?? 'failed', row.name, row.result === null ? null : JSON.stringify(row.result), row.error],
    );
    ids.set(row.name, inserted!.id);
  }
  await db.close();
  // This release opens it and migrates.
  store = await openStore({ dataDir: dir });
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function read(name: string) {
  return (await store.getOperation(ids.get(name)!))!;
}

describe('failures recorded in words become facts', () => {
  it.each(OLD_FAILURES.map((row) => [row.name, row] as const))('%s: renders exactly as before', async (_name, row) => {
    const op = await read(row.name);
    expect(op.result).not.toHaveProperty('notWritten');
    expect(typeof (op.result as { written: unknown }).written).toBe('object');
    const message = renderFailed(readFailure(op));
    expect((message.blocks[0] as { text: { text: string } }).text.text).toBe(oldFirstSection(row));
  });

  it('parses the counts, causes and checks out of the words', async () => {
    expect((await read('partial add, none landed')).result).toMatchObject({
      cause: { kind: 'prolific', said: 'Service unavailable: Simulated service unavailable.' },
      written: { kind: 'chunks', chunks: { mode: 'add', applied: 100, refused: 100, landedAnyway: 0, notSent: 50 } },
    });
    expect((await read('partial add, some landed anyway, Prolific silent')).result).toMatchObject({
      cause: { kind: 'prolific', said: null },
      written: { kind: 'chunks', chunks: { landedAnyway: 100 } },
    });
    expect((await read('partial remove, group unreadable')).result).toMatchObject({
      written: { kind: 'chunks', chunks: { mode: 'remove', applied: 1000, refused: 200, landedAnyway: null, notSent: 0 } },
    });
    expect((await read('stopped after the write was sent')).result).toMatchObject({ cause: { kind: 'stopped', mayHaveWritten: true }, written: { kind: 'unconfirmed' } });
    // The error column keeps Prolific's words only.
    expect((await read('app error')).error).toBeNull();
    expect((await read('unconfirmed replace')).error).toBe('Service unavailable');
  });

  it('words it does not know become a failure of unknown detail that still renders', async () => {
    const op = await read('odd words');
    expect(op.result).toMatchObject({ written: { kind: 'unknown' }, cause: { kind: 'prolific', said: 'Something unexpected' } });
    const text = JSON.stringify(renderFailed(readFailure(op)).blocks);
    expect(text).toContain('Prolific said: Something unexpected');
    expect(text).toContain('What was written was not recorded in detail');
  });

  it('a cancellation because the group changed keeps the fact, and rows already in facts are left alone', async () => {
    expect(await read('stale')).toMatchObject({ status: 'cancelled', error: null, result: { groupChanged: null } });
    expect((await read('failed the new way')).result).toEqual({ snapshotId: null, outcomeUnknown: false, current, cause: { kind: 'app' }, written: { kind: 'nothing' } });
  });
});
