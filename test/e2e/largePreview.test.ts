// A large upload through the real bot, on a store whose tables the test can read: the preview
// stores its two id lists packed at 12 bytes an id (half the bytes a large preview writes and
// syncs), and everything that reads them back (the confirmation's stale check and write, the
// snapshot, Undo) still gets exactly the ids.

import type { Database } from '../../src/store/database';
import { migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import { createSqlStore } from '../../src/store/sqlStore';
import { messageText, startE2E, useE2E } from '../harness/e2e';
import { csvOf, current, messageKeys, newGroup, uploadToPreview, waitForNew, waitForPreview } from '../harness/uploads';
import { eventually } from '../support/eventually';

const SIZE = 4000;
let db: Database;

const e2e = useE2E(async () => {
  db = await openPgliteDatabase(undefined);
  await migrate(db, () => {});
  const started = await startE2E({ store: createSqlStore(db), env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });
  return {
    ...started,
    async close() {
      await started.close();
      await db.close();
    },
  } as typeof started;
});

/** Bytes of each stored id list of an operation: packed (null when the list is text) and text. */
async function storedLists(operationId: string) {
  const [row] = await db.query<Record<string, number | null>>(
    `select octet_length(participant_ids_packed) as participants_packed, length(participant_ids) as participants_text,
       octet_length(baseline_ids_packed) as baseline_packed, length(baseline_ids) as baseline_text
     from operations where id = $1`,
    [operationId],
  );
  return row;
}

function replaced(message: Parameters<typeof current>[1], match: string) {
  return eventually(() => {
    const now = current(e2e, message);
    return now.updatedCount > 0 && messageText(now).includes(match) && now;
  }, `the message replaced by “${match}”`);
}

it('a replace of 4,000 members is previewed and stored packed, confirmed exactly, and undone exactly', async () => {
  const g = newGroup(e2e, 'Large panel', SIZE);
  const target = [...g.members.slice(SIZE / 2), ...g.outsiders(SIZE / 2)];
  const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', file: { name: 'wave.csv', content: csvOf(target) } });
  const text = messageText(preview);
  expect(text).toContain('*To add*\\n2,000');
  expect(text).toContain('*To remove*\\n2,000');
  expect(text).toContain('*Members after*\\n4,000');
  // The file's ids and the group as previewed: 12 bytes an id, nothing in the text columns.
  expect(await storedLists(operationId)).toEqual({ participants_packed: SIZE * 12, participants_text: 0, baseline_packed: SIZE * 12, baseline_text: 0 });

  const notes = messageKeys(e2e);
  await e2e.click(preview, 'op_confirm');
  const outcome = await replaced(preview, 'Done');
  expect(e2e.sandbox.state.members(g.id)).toEqual(target);
  const op = (await e2e.store.getOperation(operationId))!;
  const [snapshot] = await db.query<{ packed: number }>('select octet_length(member_ids_packed) as packed from snapshots where id = $1', [op.result?.snapshotId]);
  expect(snapshot).toEqual({ packed: SIZE * 12 });
  await waitForNew(e2e, notes, (t, m) => m.channel === 'C_NOTIFY' && t.includes(g.name), 'the notification');

  const before = messageKeys(e2e);
  await e2e.click(outcome, 'op_undo');
  const undo = await waitForPreview(e2e, before);
  expect(messageText(undo)).toContain('*Undo this change to*');
  await e2e.click(undo, 'op_confirm');
  await replaced(undo, 'Done');
  expect(new Set(e2e.sandbox.state.members(g.id))).toEqual(new Set(g.members));
  expect(e2e.sandbox.state.members(g.id)).toHaveLength(SIZE);
});
