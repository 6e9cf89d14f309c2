// Undo through the real bot, for each kind of change an upload (or a rename) makes: its own
// preview and confirmation, the same stale check as any change, an exact restore of the
// snapshot, and an entry in the audit log.

import type { LocalMessage } from '../../src/local/slack';
import { sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { csvOf, current, messageKeys, newGroup, uploadToPreview, waitForNew, waitForPreview } from '../harness/uploads';

const ALICE = 'U_ALICE';

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });


function writesSince(from: number) {
  return e2e.sandbox.requests.slice(from).filter((r) => r.method !== 'GET');
}

function replaced(message: LocalMessage, match: string) {
  return eventually(() => {
    const now = current(e2e, message);
    return now.updatedCount > 0 && messageText(now).includes(match) && now;
  }, `the message replaced by “${match}”`);
}

/** Confirms a preview and returns the outcome and the channel notification it caused. */
async function confirmAndNotice(preview: LocalMessage, groupName: string) {
  const before = messageKeys(e2e);
  await e2e.click(preview, 'op_confirm');
  const outcome = await replaced(preview, 'Done');
  const note = await waitForNew(e2e, before, (t, m) => m.channel === 'C_NOTIFY' && t.includes(groupName) && t.includes('op_undo'), 'the notification');
  return { outcome, note };
}

/** Clicks Undo on a message and returns the undo preview the user gets. */
async function undoPreview(from: LocalMessage): Promise<LocalMessage> {
  const before = messageKeys(e2e);
  await e2e.click(from, 'op_undo');
  const preview = await waitForPreview(e2e, before);
  expect(messageText(preview)).toContain('Undo the last change to');
  return preview;
}

const MODES = [
  { mode: 'replace', change: (g: ReturnType<typeof newGroup>) => [...g.members.slice(0, 10), ...g.outsiders(15)] },
  { mode: 'add', change: (g: ReturnType<typeof newGroup>) => g.outsiders(12) },
  { mode: 'remove', change: (g: ReturnType<typeof newGroup>) => g.members.slice(5, 25) },
] as const;

describe('undo of an upload restores the snapshot exactly, through its own preview', () => {
  it.each(MODES)('$mode', async ({ mode, change }) => {
    const g = newGroup(e2e, `Undo ${mode}`, 40);
    const ids = change(g);
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode, file: { name: `${mode}.csv`, content: csvOf(ids) } });
    const { note } = await confirmAndNotice(preview, g.name);
    const afterChange = e2e.sandbox.state.members(g.id);
    expect(new Set(afterChange)).not.toEqual(new Set(g.members));

    const from = e2e.sandbox.requests.length;
    const undo = await undoPreview(note);
    expect(undo.ephemeralTo).toBe(ALICE);
    const text = messageText(undo);
    const removing = afterChange.filter((id) => !g.members.includes(id)).length;
    const adding = g.members.filter((id) => !afterChange.includes(id)).length;
    expect(text).toContain(`*To add*\\n${adding}`);
    expect(text).toContain(`*To remove*\\n${removing}`);
    expect(text).toContain(`*Members after*\\n40`);
    const restore = findButton(undo, 'op_confirm')!;
    expect(restore.text.text).toBe('Restore');
    // Restoring removes participants whenever the change added some: then it asks once more.
    expect(restore.style).toBe(removing > 0 ? 'danger' : 'primary');
    expect(Boolean(restore.confirm)).toBe(removing > 0);
    expect(writesSince(from)).toEqual([]);

    const undoId = restore.value!;
    const { outcome } = await confirmAndNotice(undo, g.name);
    expect(messageText(outcome)).toContain(`undid the last change to *${g.name}*`);
    expect(e2e.sandbox.state.members(g.id).sort()).toEqual([...g.members].sort());
    const writes = writesSince(from);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PATCH', path: g.path });

    const audit = await e2e.store.listAudit({ groupId: g.id, limit: 10, offset: 0 });
    expect(audit.map((a) => [a.action, a.outcome, a.operationId])).toEqual([
      ['undo', 'applied', undoId],
      [mode, 'applied', operationId],
    ]);
    expect(audit[0]).toMatchObject({ slackUserId: ALICE, beforeCount: afterChange.length, afterCount: 40, added: adding, removed: removing });
  });

  it('rename: the old name comes back, and the members are not touched', async () => {
    const g = newGroup(e2e, 'Before the rename', 8);
    const before = messageKeys(e2e);
    await e2e.pgroup(`rename "${g.name}" "After the rename"`);
    const note = await waitForNew(e2e, before, (t, m) => m.channel === 'C_NOTIFY' && t.includes('After the rename') && t.includes('op_undo'), 'the rename notification');
    expect(e2e.sandbox.state.getGroup(g.id)?.name).toBe('After the rename');

    const from = e2e.sandbox.requests.length;
    const undo = await undoPreview(note);
    expect(messageText(undo)).toContain('Name: *After the rename* → *Before the rename*');
    expect(writesSince(from)).toEqual([]);
    await confirmAndNotice(undo, 'Before the rename');
    expect(e2e.sandbox.state.getGroup(g.id)?.name).toBe('Before the rename');
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
    expect(writesSince(from).map((r) => r.body)).toEqual([{ name: 'Before the rename' }]);
    const [entry] = await e2e.store.listAudit({ groupId: g.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ action: 'undo', outcome: 'applied', beforeName: 'After the rename', afterName: 'Before the rename' });
  });

  it('works from the Undo button of the outcome message too', async () => {
    const g = newGroup(e2e, 'Undo from outcome', 20);
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'add', pasted: g.outsiders(3).join('\n') });
    const { outcome } = await confirmAndNotice(preview, g.name);
    const undo = await undoPreview(outcome);
    expect(undo.channel).toBe('C_GENERAL');
    await confirmAndNotice(undo, g.name);
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });
});

describe('undo has the same stale check as any change', () => {
  it('members changed after the undo preview: nothing is written, a fresh undo preview replaces it', async () => {
    const g = newGroup(e2e, 'Undo stale members', 30);
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'add', pasted: g.outsiders(4).join('\n') });
    const { note } = await confirmAndNotice(preview, g.name);
    const undo = await undoPreview(note);
    const undoId = findButton(undo, 'op_confirm')!.value!;

    // A feeder study adds someone between the undo preview and its confirmation.
    const late = sandboxParticipantIds(9_500_001, 9_500_001);
    e2e.sandbox.state.addMembers(g.id, late);
    const from = e2e.sandbox.requests.length;
    await e2e.click(undo, 'op_confirm');
    const fresh = await replaced(undo, 'The group changed since your preview');
    expect(writesSince(from)).toEqual([]);
    expect(messageText(fresh)).toContain('1 participant joined');
    expect(messageText(fresh)).toContain('*To remove*\\n5');
    const freshId = findButton(fresh, 'op_confirm')!.value!;
    expect(freshId).not.toBe(undoId);
    expect((await e2e.store.getOperation(undoId))?.status).toBe('cancelled');

    await e2e.click(fresh, 'op_confirm');
    await replaced(fresh, 'Done');
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });

  it('renamed again after the undo preview: nothing is written, a fresh undo preview replaces it', async () => {
    const g = newGroup(e2e, 'Undo stale name', 3);
    const before = messageKeys(e2e);
    await e2e.pgroup(`rename "${g.name}" "Second name"`);
    const note = await waitForNew(e2e, before, (t, m) => m.channel === 'C_NOTIFY' && t.includes('Second name') && t.includes('op_undo'), 'the rename notification');
    const undo = await undoPreview(note);

    // A colleague renames it in Prolific's web app meanwhile.
    e2e.sandbox.state.renameGroup(g.id, 'Third name');
    const from = e2e.sandbox.requests.length;
    await e2e.click(undo, 'op_confirm');
    const fresh = await replaced(undo, 'The group changed since your preview');
    expect(writesSince(from)).toEqual([]);
    expect(messageText(fresh)).toContain('it was renamed to *Third name*');
    expect(messageText(fresh)).toContain('Name: *Third name* → *Undo stale name*');
    await e2e.click(fresh, 'op_confirm');
    await replaced(fresh, 'Done');
    expect(e2e.sandbox.state.getGroup(g.id)?.name).toBe('Undo stale name');
  });
});
