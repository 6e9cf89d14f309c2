// Deletes are recoverable and leave a trail, through the real bot: a group with members is
// deleted only once its name is typed, a snapshot (name, description, members) is kept before
// the DELETE, Recreate makes a new group from it through its own preview, the history stays
// readable by the old id or name, and messages about the deleted group say who deleted it.

import type { LocalMessage } from '../../src/local/slack';
import { SEED_WORKSPACE_ID, sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { messageKeys, waitForNew, waitForPreview } from '../harness/uploads';

const ALICE = 'U_ALICE';
const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

let block = 0;
function groupWithMembers(name: string, size: number, description: string | null = null) {
  block += 1;
  const members = sandboxParticipantIds(40_000_000 + block * 10_000, 40_000_000 + block * 10_000 + size - 1);
  const group = e2e.sandbox.state.createGroup({ name, workspace_id: SEED_WORKSPACE_ID, participant_ids: members, ...(description ? { description } : {}) });
  return { id: group.id, name, members };
}

function writesSince(from: number) {
  return e2e.sandbox.requests.slice(from).filter((r) => r.method !== 'GET');
}

/** Deletes a group by typing its name in the form the preview opens; returns the outcome and the notification. */
async function deleteByName(name: string): Promise<{ outcome: LocalMessage; note: LocalMessage; operationId: string }> {
  const before = messageKeys(e2e);
  await e2e.pgroup(`delete "${name}"`);
  const preview = await waitForPreview(e2e, before);
  expect(findButton(preview, 'op_confirm')).toBeUndefined();
  const operationId = findButton(preview, 'op_cancel')!.value!;
  const openViews = new Set(e2e.slack.views().map((v) => v.id));
  await e2e.click(preview, 'op_confirm_typed');
  const form = await eventually(() => e2e.slack.openModals(ALICE).find((v) => !openViews.has(v.id) && v.view.callback_id === 'typed_delete_modal'), 'the delete form');
  const beforeDone = messageKeys(e2e);
  const done = await e2e.driver.viewSubmission({ user: ALICE, viewId: form.id, values: { typed_name_input: name } });
  expect(done.outcome.outcome).toBe('closed');
  const outcome = await waitForNew(e2e, beforeDone, (t) => t.includes('Done: you deleted'), 'the outcome');
  const note = await waitForNew(e2e, beforeDone, (t, m) => m.channel === 'C_NOTIFY' && t.includes('deleted'), 'the notification');
  return { outcome, note, operationId };
}

describe('deleting a group with members', () => {
  it('takes its name typed in a form: one click (or a crafted confirm) is refused and writes nothing', async () => {
    const g = groupWithMembers('Typed panel', 3);
    const before = messageKeys(e2e);
    await e2e.pgroup(`delete "${g.name}"`);
    const preview = await waitForPreview(e2e, before);
    expect(messageText(preview)).toContain('To delete it, you will type the group’s name.');
    expect(findButton(preview, 'op_confirm_typed')!.text.text).toBe('Delete group…');
    const from = e2e.sandbox.requests.length;
    const beforeRefusal = messageKeys(e2e);
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'op_confirm', value: findButton(preview, 'op_cancel')!.value! });
    await waitForNew(e2e, beforeRefusal, (t) => t.includes('Deleting a group that has members or that a live study uses takes its name, typed'), 'the refusal');
    expect(writesSince(from)).toEqual([]);
    expect(e2e.sandbox.state.getGroup(g.id)).toBeDefined();
  });
});

describe('Recreate after a delete', () => {
  it('makes a new group with the same name, description and members and a new id, through its own preview', async () => {
    const g = groupWithMembers('Recreate me', 7, 'Wave 1 completers');
    const { outcome, note, operationId } = await deleteByName(g.name);
    expect(e2e.sandbox.state.getGroup(g.id)?.is_deleted ?? true).toBe(true);
    const snapshot = await e2e.store.getSnapshotForOperation(operationId);
    expect(snapshot).toMatchObject({ name: g.name, description: 'Wave 1 completers', workspaceId: SEED_WORKSPACE_ID });
    expect([...snapshot!.memberIds].sort()).toEqual([...g.members].sort());
    expect(findButton(outcome, 'group_recreate')?.value).toBe(operationId);
    expect(findButton(note, 'group_recreate')?.value).toBe(operationId);

    const from = e2e.sandbox.requests.length;
    const before = messageKeys(e2e);
    await e2e.click(note, 'group_recreate');
    const preview = await waitForPreview(e2e, before);
    const text = messageText(preview);
    expect(text).toContain('*This makes a new group with a new id.*');
    expect(text).toContain('studies that used the old group must be pointed at the new one');
    expect(text).toContain('Description: Wave 1 completers');
    expect(findButton(preview, 'op_confirm')!.text.text).toBe('Recreate with 7 members');
    expect(writesSince(from)).toEqual([]);

    const beforeDone = messageKeys(e2e);
    await e2e.click(preview, 'op_confirm');
    const done = await eventually(() => {
      const m = e2e.slack.messages().find((x) => x.ts === preview.ts && x.channel === preview.channel);
      return m && messageText(m).includes('Done: you recreated') && m;
    }, 'the outcome');
    const recreated = e2e.sandbox.state.listGroups().find((x) => x.name === g.name && x.id !== g.id && !x.is_deleted)!;
    expect(recreated).toBeDefined();
    expect(recreated.id).not.toBe(g.id);
    expect(recreated.description).toBe('Wave 1 completers');
    expect(e2e.sandbox.state.members(recreated.id).sort()).toEqual([...g.members].sort());
    expect(messageText(done)).toContain(`recreated *Recreate me* as a new group \`${recreated.id}\` with 7 members`);
    await waitForNew(e2e, beforeDone, (t, m) => m.channel === 'C_NOTIFY' && t.includes('recreated'), 'the notification of the recreation');
    const [entry] = await e2e.store.listAudit({ groupId: recreated.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ action: 'recreate', outcome: 'applied', slackUserId: ALICE, afterCount: 7, added: 7 });

    // A second Recreate of the same deletion says what it was recreated as, and makes nothing.
    const again = e2e.sandbox.requests.length;
    const beforeAgain = messageKeys(e2e);
    await e2e.click(note, 'group_recreate');
    const answer = await waitForNew(e2e, beforeAgain, (t) => t.includes('was deleted by'), 'the answer');
    expect(messageText(answer)).toContain(`It was recreated as \`${recreated.id}\` by <@U_ALICE>`);
    expect(findButton(answer, 'group_recreate')).toBeUndefined();
    expect(writesSince(again)).toEqual([]);
  });

  it('the preview a second Recreate left open is refused on confirm: one group, never two', async () => {
    const g = groupWithMembers('Recreate once', 2);
    const { note } = await deleteByName(g.name);
    const previews: LocalMessage[] = [];
    for (const user of [ALICE, ALICE]) {
      const before = messageKeys(e2e);
      await e2e.click(note, 'group_recreate', user);
      previews.push(await waitForPreview(e2e, before));
    }
    await e2e.click(previews[0]!, 'op_confirm');
    await eventually(() => e2e.sandbox.state.listGroups().some((x) => x.name === g.name && !x.is_deleted), 'the new group');
    const before = messageKeys(e2e);
    await e2e.click(previews[1]!, 'op_confirm');
    await waitForNew(e2e, before, (t) => t.includes('recreated already'), 'the refusal');
    expect(e2e.sandbox.state.listGroups().filter((x) => x.name === g.name && !x.is_deleted)).toHaveLength(1);
  });
});

describe('messages and commands about a deleted group', () => {
  it('Show and Undo on an older notification say who deleted it and when, and offer Recreate, never a raw Prolific error', async () => {
    const g = groupWithMembers('Gone panel', 4);
    const beforeAdd = messageKeys(e2e);
    await e2e.pgroup(`add "${g.name}" ${sandboxParticipantIds(49_000_001, 49_000_001)[0]}`);
    const addNote = await waitForNew(e2e, beforeAdd, (t, m) => m.channel === 'C_NOTIFY' && t.includes('added 1 participant'), 'the add notification');
    const { operationId } = await deleteByName(g.name);

    for (const action of ['group_show', 'op_undo']) {
      const before = messageKeys(e2e);
      await e2e.click(addNote, action);
      const answer = await waitForNew(e2e, before, (t) => t.includes('was deleted by'), `the answer to ${action}`);
      const text = messageText(answer);
      expect(text).toMatch(new RegExp(`:wastebasket: \\*Gone panel\\* \`${g.id}\` was deleted by <@U_ALICE> <!date[^>]+> \\(it had 5 members\\)`));
      expect(text).not.toContain('Prolific said');
      expect(findButton(answer, 'group_recreate')?.value).toBe(operationId);
    }

    const before = messageKeys(e2e);
    await e2e.pgroup(`show ${g.id}`);
    const shown = await waitForNew(e2e, before, (t) => t.includes('was deleted by'), 'the answer to show');
    expect(findButton(shown, 'group_recreate')?.value).toBe(operationId);
  });

  it('/pgroup history finds a deleted group by its id or its old name, with the deletion newest', async () => {
    const g = groupWithMembers('Archived wave', 2);
    await e2e.pgroup(`rename "${g.name}" "Archived wave (old)"`);
    await eventually(() => e2e.sandbox.state.getGroup(g.id)?.name === 'Archived wave (old)', 'the rename');
    await deleteByName('Archived wave (old)');
    for (const query of [g.id, '"archived wave (old)"']) {
      const before = messageKeys(e2e);
      await e2e.pgroup(`history ${query}`);
      const history = await waitForNew(e2e, before, (t) => t.includes('History of'), `the history by ${query}`);
      const text = messageText(history);
      expect(text).toContain(`*History of* *Archived wave (old)* \`${g.id}\``);
      expect(text).toContain('This group was deleted by <@U_ALICE>');
      expect(text.indexOf('*delete*')).toBeGreaterThan(-1);
      expect(text.indexOf('*delete*')).toBeLessThan(text.indexOf('*rename*'));
      expect(findButton(history, 'group_recreate')).toBeDefined();
    }
  });
});
