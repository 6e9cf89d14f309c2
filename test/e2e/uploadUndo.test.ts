// Undo through the real bot, for each kind of change an upload (or a rename) makes: its own
// preview and confirmation, the same stale check as any change, the change taken back exactly,
// and an entry in the audit log.

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
  expect(messageText(preview)).toContain('*Undo this change to*');
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
    expect(restore.text.text).toBe('Undo this change');
    // Restoring removes participants whenever the change added some: then it asks once more.
    expect(restore.style).toBe(removing > 0 ? 'danger' : 'primary');
    expect(Boolean(restore.confirm)).toBe(removing > 0);
    expect(writesSince(from)).toEqual([]);

    const undoId = restore.value!;
    const { outcome } = await confirmAndNotice(undo, g.name);
    expect(messageText(outcome)).toMatch(new RegExp(`undid <@U_ALICE>’s ${mode === 'remove' ? 'removal' : mode} \\(file ${mode}\\.csv[^)]*\\) of <!date[^>]*> on \\*${g.name}\\*`));
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
    // Undo takes back the 4 ids the add made, and keeps the one who joined since.
    expect(messageText(fresh)).toContain('*To remove*\\n4');
    expect(messageText(fresh)).toContain('*1 later change to this group is kept:*\\n• not through this app (feeder studies, Prolific’s site): +1 / −0');
    const freshId = findButton(fresh, 'op_confirm')!.value!;
    expect(freshId).not.toBe(undoId);
    expect((await e2e.store.getOperation(undoId))?.status).toBe('cancelled');

    await e2e.click(fresh, 'op_confirm');
    await replaced(fresh, 'Done');
    expect(e2e.sandbox.state.members(g.id).sort()).toEqual([...g.members, ...late].sort());
  });

  it('renamed again after the undo preview: nothing is written, and nothing is left to undo', async () => {
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
    // The rename's name is no longer the group's: Undo does not rename it back over the newer name.
    expect(messageText(fresh)).toContain('Nothing of this change is left to undo');
    expect(findButton(fresh, 'op_confirm')).toBeUndefined();
    expect(e2e.sandbox.state.getGroup(g.id)?.name).toBe('Third name');
  });
});

/** Adds ids with `/pgroup add`, applied at once, and returns its channel notification. */
async function addInline(groupName: string, ids: string[], as = ALICE): Promise<LocalMessage> {
  const before = messageKeys(e2e);
  await e2e.pgroup(`add "${groupName}" ${ids.join(' ')}`, { user: as });
  return waitForNew(e2e, before, (t, m) => m.channel === 'C_NOTIFY' && t.includes(`added ${ids.length} participant`), 'the add notification', as);
}

describe('Undo reverts that one change and keeps the later ones', () => {
  it('undo of an older add removes only its ids: the later add stays, and the preview says it is kept', async () => {
    const g = newGroup(e2e, 'Feeder panel', 3);
    const first = g.outsiders(4);
    const second = g.outsiders(6).slice(4);
    const firstNote = await addInline(g.name, first);
    await addInline(g.name, second, 'U_BOB');
    // A feeder study adds one more, outside the app.
    const fed = sandboxParticipantIds(9_600_001, 9_600_001);
    e2e.sandbox.state.addMembers(g.id, fed);
    expect(e2e.sandbox.state.members(g.id)).toHaveLength(10);

    const from = e2e.sandbox.requests.length;
    const undo = await undoPreview(firstNote);
    const text = messageText(undo);
    expect(text).toMatch(/Reverts <@U_ALICE>’s add \(ids typed in the command\) of <!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+>: −4 \/ \+0\./);
    expect(text).toContain('*2 later changes to this group are kept:*');
    expect(text).toMatch(/• <@U_BOB>’s add \(ids typed in the command\) of <!date[^>]+>: \+2 \/ −0/);
    expect(text).toContain('• not through this app (feeder studies, Prolific’s site): +1 / −0');
    expect(text).toContain('*Members now*\\n10');
    expect(text).toContain('*Members after*\\n6');
    expect(writesSince(from)).toEqual([]);

    await confirmAndNotice(undo, g.name);
    expect(e2e.sandbox.state.members(g.id).sort()).toEqual([...g.members, ...second, ...fed].sort());
    const [entry] = await e2e.store.listAudit({ groupId: g.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ action: 'undo', outcome: 'applied', beforeCount: 10, afterCount: 6, added: 0, removed: 4 });
  });

  it('undo of a remove adds back only the ids still missing', async () => {
    const g = newGroup(e2e, 'Remove then rejoin', 10);
    const removed = g.members.slice(0, 4);
    const before = messageKeys(e2e);
    await e2e.pgroup(`remove "${g.name}" ${removed.join(' ')}`);
    const preview = await waitForPreview(e2e, before);
    const { note } = await confirmAndNotice(preview, g.name);
    // One of them comes back through a feeder study.
    e2e.sandbox.state.addMembers(g.id, [removed[0]!]);
    const undo = await undoPreview(note);
    expect(messageText(undo)).toContain(': −0 / +3.');
    await confirmAndNotice(undo, g.name);
    expect(e2e.sandbox.state.members(g.id).sort()).toEqual([...g.members].sort());
  });

  it('Restore to before this change is a second action whose preview lists every later change it undoes', async () => {
    const g = newGroup(e2e, 'Restore panel', 3);
    const firstNote = await addInline(g.name, g.outsiders(4));
    await addInline(g.name, g.outsiders(6).slice(4), 'U_BOB');
    e2e.sandbox.state.addMembers(g.id, sandboxParticipantIds(9_700_001, 9_700_002));
    const undo = await undoPreview(firstNote);
    const restoreButton = findButton(undo, 'op_restore')!;
    expect(restoreButton.text.text).toBe('Restore to before this change…');

    const from = e2e.sandbox.requests.length;
    const before = messageKeys(e2e);
    await e2e.click(undo, 'op_restore');
    const restore = await waitForPreview(e2e, before);
    const text = messageText(restore);
    expect(text).toContain('*Restore* *Restore panel* *to before this change?*');
    expect(text).toMatch(/Goes back to the group as it was before <@U_ALICE>’s add \(ids typed in the command\) of <!date[^>]+>\./);
    expect(text).toContain(':rotating_light: *This also undoes 2 later changes:*');
    expect(text).toMatch(/• <@U_BOB>’s add \(ids typed in the command\) of <!date[^>]+>: \+2 \/ −0/);
    expect(text).toContain('• not through this app (feeder studies, Prolific’s site): +2 / −0');
    expect(text).toContain('*Members after*\\n3');
    const confirm = findButton(restore, 'op_confirm')!;
    expect(confirm.text.text).toBe('Restore');
    expect(confirm.style).toBe('danger');
    expect(writesSince(from)).toEqual([]);

    const { outcome } = await confirmAndNotice(restore, g.name);
    expect(messageText(outcome)).toMatch(/restored \*Restore panel\* to before <@U_ALICE>’s add/);
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });

  it('an old notification whose change was undone already says by whom and when, and writes nothing', async () => {
    const g = newGroup(e2e, 'Undone twice', 5);
    const note = await addInline(g.name, g.outsiders(2));
    const undo = await undoPreview(note);
    await confirmAndNotice(undo, g.name);

    const from = e2e.sandbox.requests.length;
    const before = messageKeys(e2e);
    await e2e.click(note, 'op_undo', 'U_BOB');
    const answer = await waitForNew(e2e, before, (t) => t.includes('already undone'), 'the answer', 'U_BOB');
    expect(messageText(answer)).toMatch(/This change was already undone by <@U_ALICE> <!date[^>]+>\. Nothing was written\./);
    expect(findButton(answer, 'op_confirm')).toBeUndefined();
    // A restore to before an earlier change takes this one back too.
    const restoredNote = await addInline(g.name, g.outsiders(3).slice(2));
    const later = await addInline(g.name, g.outsiders(4).slice(3));
    const beforeRestore = messageKeys(e2e);
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'op_restore', value: findButton(restoredNote, 'op_undo')!.value! });
    const restore = await waitForPreview(e2e, beforeRestore);
    await confirmAndNotice(restore, g.name);
    const beforeLater = messageKeys(e2e);
    await e2e.click(later, 'op_undo');
    await waitForNew(e2e, beforeLater, (t) => t.includes('already undone by <@U_ALICE>'), 'the answer for the later change');
    expect(writesSince(from).filter((r) => r.path.startsWith(g.path) && r.method === 'PATCH')).toHaveLength(1);
  });

  it('a change with nothing left to revert says so and writes nothing', async () => {
    const g = newGroup(e2e, 'Nothing left', 5);
    const added = g.outsiders(2);
    const note = await addInline(g.name, added);
    e2e.sandbox.state.removeMembers(g.id, added);
    const from = e2e.sandbox.requests.length;
    const before = messageKeys(e2e);
    await e2e.click(note, 'op_undo');
    await waitForNew(e2e, before, (t) => t.includes('Nothing of this change is left to undo') && t.includes('Nothing was written.'), 'the answer');
    expect(writesSince(from)).toEqual([]);
  });

  it(`past SNAPSHOT_RETENTION_DAYS, Restore says the snapshot was kept for 30 days and is gone; Undo still works`, async () => {
    const g = newGroup(e2e, 'Old change', 5);
    const note = await addInline(g.name, g.outsiders(3));
    const future = new Date(Date.now() + 31 * 24 * 3_600_000);
    expect(await e2e.store.pruneSnapshots(30, future)).toBeGreaterThan(0);

    const before = messageKeys(e2e);
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'op_restore', value: findButton(note, 'op_undo')!.value! });
    await waitForNew(e2e, before, (t) => t.includes('The app keeps a group’s snapshot for 30 days, and this one is gone') && t.includes('Nothing was written.'), 'the refusal');

    const undo = await undoPreview(note);
    expect(findButton(undo, 'op_restore')).toBeUndefined();
    await confirmAndNotice(undo, g.name);
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });
});
