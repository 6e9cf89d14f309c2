// An overwrite (a Replace, or an Undo of one) is never repeated blindly, and whoever it drops is
// not dropped silently. A PATCH of participant_ids replaces the whole membership, so:
// - after its answer was lost, the group is read before anything else, and when it holds neither
//   what it held before nor what was asked (a feeder study added someone), nothing more is sent
//   and the user is told exactly what the group holds;
// - ids that joined while it was being written, which one of the app's reads saw (the watcher, or
//   someone's preview), are named in the outcome and the notification, with a button that
//   previews adding exactly them back;
// - the watcher takes as the app's own doing only the ids its plan added or removed.
import { sandboxParticipantId } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { ALICE, clickAndWaitForUpdate, freshGroup, newIds, patchesOf, previewUpload, sorted } from '../reliability/conversation';
import { eventually } from '../support/eventually';
import { botNotes, startWatchE2E, watchFrom, watchNotes, withThread } from '../watch/watchE2E';

// The notifications here are asserted by the ids they name (NOTIFY_SHOW_IDS).
const e2e = useE2E(() => startWatchE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY', NOTIFY_SHOW_IDS: 'true' } }));
const round = () => e2e.bot.watcher.runRound();
const groupPath = (id: string) => `/api/v1/participant-groups/${id}/`;
const membersPath = (id: string) => `/api/v1/participant-groups/${id}/participants/`;
const memberReads = (groupId: string) => e2e.sandbox.requests.filter((r) => r.method === 'GET' && r.path === membersPath(groupId));

/** Confirms a preview while holding its PATCH in the sandbox, runs `meanwhile` once it has arrived, and returns the outcome. */
async function confirmWhileWriting(preview: LocalMessage, groupId: string, meanwhile: () => Promise<void>): Promise<LocalMessage> {
  e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(groupId), times: 1, latencyMs: 1500 });
  const updates = preview.updatedCount;
  await e2e.click(preview, 'op_confirm');
  await eventually(() => patchesOf(e2e, groupId).length === 1, 'the PATCH to reach Prolific');
  await meanwhile();
  return eventually(() => {
    const now = e2e.slack.message(preview.channel, preview.ts);
    return now && now.updatedCount > updates && now;
  }, 'the outcome');
}

describe('after an overwrite whose answer was lost', () => {
  it('the group moved meanwhile (a feeder added someone): nothing more is sent, and the user sees exactly what the group holds', async () => {
    const group = freshGroup(e2e, 'Lost answer', 950_000, 4);
    const target = newIds(951_000, 3);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    const feeder = sandboxParticipantId(952_000);
    // The PATCH is applied but its answer lost; the read that follows is held long enough for a
    // feeder study's submission to land first.
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, drop: 'after' });
    const readsBefore = memberReads(group.id).length;
    e2e.sandbox.faults.add({ method: 'GET', path: membersPath(group.id), calls: [2], latencyMs: 800 });
    const updates = preview.updatedCount;
    await e2e.click(preview, 'op_confirm');
    await eventually(() => memberReads(group.id).length === readsBefore + 2, 'the read after the lost answer');
    e2e.sandbox.state.addMembers(group.id, [feeder]);

    const outcome = await eventually(() => {
      const now = e2e.slack.message(preview.channel, preview.ts);
      return now && now.updatedCount > updates && now;
    }, 'the outcome');
    const text = messageText(outcome);
    expect(text).toContain('The outcome is unknown');
    expect(text).toContain('is neither as it was nor as you asked');
    expect(text).toContain('It now has 4 members, 1 of them not in your change.');
    expect(text).toContain(`*Not in your change:* \`${feeder}\``);
    expect(findButton(outcome, 'op_retry')).toBeDefined();
    // One PATCH only, and the feeder's participant is still in the group.
    expect(patchesOf(e2e, group.id)).toHaveLength(1);
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted([...target, feeder]));
    const [entry] = await e2e.store.listAudit({ groupId: group.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ outcome: 'unknown', afterCount: 4 });

    // Preview again: against the group as it is now, the Replace would remove the feeder's participant.
    const fresh = await clickAndWaitForUpdate(e2e, outcome, 'op_retry', 'the fresh preview');
    expect(messageText(fresh)).toContain('Will be removed:');
    expect(messageText(fresh)).toContain(feeder);
  });

  it('the group is as it was: the overwrite is sent again after that read, and applied once', async () => {
    const group = freshGroup(e2e, 'Never arrived', 953_000, 4);
    const target = newIds(954_000, 2);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, drop: 'before' });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    expect(messageText(outcome)).toContain('Done');
    const patches = patchesOf(e2e, group.id);
    expect(patches.map((p) => p.status)).toEqual([0, 200]);
    expect(memberReads(group.id).some((r) => r.at >= patches[0]!.at && r.at <= patches[1]!.at)).toBe(true);
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
  });
});

describe('ids that joined while an overwrite was being written', () => {
  it('seen by the watcher: the outcome and the notification name them and offer to add them back; the watcher stays quiet after', async () => {
    const group = freshGroup(e2e, 'Feeder during replace', 960_000, 4);
    await watchFrom(e2e, 'C_GENERAL', group.id);
    await round();
    const target = newIds(961_000, 3);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    const joined = sandboxParticipantId(962_000);

    const outcome = await confirmWhileWriting(preview, group.id, async () => {
      e2e.sandbox.state.addMembers(group.id, [joined]);
      // The watcher sees the join (and announces it: nobody in the app made it).
      expect((await round()).changes).toMatchObject([{ groupId: group.id, added: 1, removed: 0 }]);
    });
    // The PATCH, held until now, replaced the membership with the list, without the new id.
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
    const text = messageText(outcome);
    expect(text).toContain('Done');
    expect(text).toContain(`1 participant joined the group while this change was being written and is no longer in it:* \`${joined}\``);
    expect(findButton(outcome, 'op_add_back')?.value).toBe(findButton(preview, 'op_confirm')!.value);

    const note = await eventually(() => e2e.slack.messages('C_NOTIFY').find((m) => messageText(m).includes('Feeder during replace') && messageText(m).includes('op_add_back')), 'the notification');
    const details = await eventually(() => e2e.slack.replies('C_NOTIFY', note.ts)[0], 'the notification’s thread reply');
    expect(messageText(details)).toContain(joined);
    // The drop was announced with the change: the watcher does not announce it a second time.
    const watched = watchNotes(e2e, 'C_GENERAL', group.id).length;
    expect((await round()).changes).toEqual([]);
    expect(watchNotes(e2e, 'C_GENERAL', group.id)).toHaveLength(watched);

    // Add them back: a preview of an Add of exactly that id, which a confirmation applies.
    const before = e2e.slack.messages().length;
    await e2e.click(note, 'op_add_back');
    const addBack = await eventually(() => e2e.slack.messages().slice(before).find((m) => m.ephemeralTo === ALICE && findButton(m, 'op_confirm')), 'the add-back preview');
    const op = await e2e.store.getOperation(findButton(addBack, 'op_confirm')!.value!);
    expect(op).toMatchObject({ kind: 'add', groupId: group.id, participantIds: [joined] });
    expect(messageText(await clickAndWaitForUpdate(e2e, addBack, 'op_confirm', 'the add-back outcome'))).toContain('Done: you added 1 participant');
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted([...target, joined]));
  });

  it("seen by someone else's preview: named the same way", async () => {
    const group = freshGroup(e2e, 'Preview during replace', 963_000, 4);
    const target = newIds(964_000, 2);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    const joined = sandboxParticipantId(965_000);

    const outcome = await confirmWhileWriting(preview, group.id, async () => {
      e2e.sandbox.state.addMembers(group.id, [joined]);
      // Bob previews a change of the group while Alice's Replace is being written.
      await previewUpload(e2e, group.id, 'add', newIds(966_000, 1), 'U_BOB');
    });
    expect(messageText(outcome)).toContain(`is no longer in it:* \`${joined}\``);
    expect(findButton(outcome, 'op_add_back')).toBeDefined();
  });

  it('that no read of the app saw are not named (the window a PATCH without a condition leaves open)', async () => {
    const group = freshGroup(e2e, 'Unseen join', 967_000, 4);
    const target = newIds(968_000, 2);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    const outcome = await confirmWhileWriting(preview, group.id, async () => {
      e2e.sandbox.state.addMembers(group.id, [sandboxParticipantId(969_000)]);
    });
    expect(messageText(outcome)).toContain('Done');
    expect(findButton(outcome, 'op_add_back')).toBeUndefined();
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
  });
});

describe('the watcher', () => {
  it('takes only the ids the plan added or removed as the app’s doing: a removal made outside the app before a Replace is announced', async () => {
    const group = freshGroup(e2e, 'Left before replace', 970_000, 5);
    await watchFrom(e2e, 'C_GENERAL', group.id);
    await round();
    const [left, ...rest] = e2e.sandbox.state.members(group.id);
    // Someone removes a member in the web app; before the watcher's next round, a Replace keeps the rest and adds two.
    e2e.sandbox.state.removeMembers(group.id, [left!]);
    const target = [...rest, ...newIds(971_000, 2)];
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    const botBefore = botNotes(e2e, 'C_NOTIFY', group.id).length;
    expect(messageText(await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome'))).toContain('Done');
    await eventually(() => botNotes(e2e, 'C_NOTIFY', group.id).length > botBefore, 'the bot’s notification');

    const report = await round();
    expect(report.changes).toMatchObject([{ groupId: group.id, added: 0, removed: 1, sampleRemoved: [left] }]);
    expect(withThread(e2e, watchNotes(e2e, 'C_GENERAL', group.id).at(-1))).toContain(left!);
    expect((await round()).changes).toEqual([]);
  });
});
