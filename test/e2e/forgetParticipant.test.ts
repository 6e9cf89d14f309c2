// `/pgroup forget <participant id>` end to end: the preview names the groups and the live studies
// they gate; the confirmation removes the id from every group (each its own change, announced
// without the id), then purges it from the app's records (operations, snapshots, the outbox); the
// audit keeps a hash and never the id; Undo says it cannot bring the id back; only those who may
// message participants may forget one.
import { SEED_GROUP_IDS } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { participantHash } from '../../src/services/participantForgetting';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { messageKeys, newGroup, operationIdOf, waitForNew } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY', MESSAGE_USER_IDS: 'U_ALICE' } });

async function command(text: string, user = 'U_ALICE'): Promise<LocalMessage> {
  const before = messageKeys(e2e);
  expect((await e2e.pgroup(text, { user })).status).toBe(200);
  return waitForNew(e2e, before, (t, m) => m.ephemeralTo === user && !t.includes('checked so far'), `a reply to /pgroup ${text}`, user);
}

describe('/pgroup forget <participant id>', () => {
  it('removes the id from every group, purges it from the app’s records, and keeps only a hash in the history', async () => {
    const one = newGroup(e2e, 'Forget: wave one', 3);
    const participant = one.members[0]!;
    const two = newGroup(e2e, 'Forget: wave two', 2);
    const untouched = newGroup(e2e, 'Forget: other', 2);
    e2e.sandbox.state.addMembers(SEED_GROUP_IDS.mainPanel, [participant]);
    // The app's records hold the id before: a change that added it, and a pending preview whose baseline holds it.
    await command(`add "${two.name}" ${participant}`);
    expect(e2e.sandbox.state.members(two.id)).toContain(participant);
    // A change whose snapshot (taken before it) holds the id: Restore will say it cannot bring it back.
    const joiner = one.outsiders(1)[0]!;
    await command(`add "${one.name}" ${joiner}`);
    const pending = await command(`remove "${one.name}" ${one.members[1]}`);
    const pendingId = operationIdOf(pending);
    expect((await e2e.store.getOperation(pendingId))!.baselineIds).toContain(participant);

    const preview = await command(`forget ${participant}`);
    const shown = messageText(preview);
    expect(shown).toContain(`*Forget* \`${participant}\`*?* The participant will be removed from 3 groups`);
    for (const name of [one.name, two.name, 'Main panel']) expect(shown).toContain(`*${name}*`);
    expect(shown).not.toContain(untouched.name);
    expect(shown).toContain('*Wave 2 follow-up*');
    expect(shown).toContain('so Undo and Restore cannot bring the id back');
    expect(findButton(preview, 'participant_forget_confirm')?.confirm).toBeTruthy();
    const mainBefore = e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel).length;

    await e2e.click(preview, 'participant_forget_confirm');
    const outcome = await eventually(() => {
      const text = messageText(e2e.slack.message(preview.channel, preview.ts));
      return text.includes('Done:') ? text : undefined;
    }, 'the outcome of the forget');
    expect(outcome).toContain('removed from 3 groups');
    expect(outcome).not.toContain(participant);
    for (const g of [one, two, untouched]) expect(e2e.sandbox.state.members(g.id)).not.toContain(participant);
    expect(e2e.sandbox.state.members(one.id)).toEqual([...one.members.slice(1), joiner]);
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel)).toHaveLength(mainBefore - 1);

    // Announced without the id, once per group.
    await e2e.settled();
    const notices = e2e.slack.posts('C_NOTIFY').filter((m) => messageText(m).includes('who asked to be forgotten'));
    expect(notices).toHaveLength(3);
    // Nor in their threads.
    expect(JSON.stringify(e2e.slack.messages('C_NOTIFY'))).not.toContain(participant);
    expect(JSON.stringify(e2e.slack.messages('C_NOTIFY'))).not.toContain('*Removed:*');

    // Purged: the pending preview's baseline, the earlier add's id list, every snapshot and the outbox.
    expect((await e2e.store.getOperation(pendingId))!.baselineIds).not.toContain(participant);
    const history = await e2e.store.listAudit({ groupId: one.id, limit: 20, offset: 0 });
    const forgetEntry = history.find((e) => e.action === 'forget')!;
    expect(forgetEntry).toMatchObject({ slackUserId: 'U_ALICE', removed: 1, subjectHash: participantHash(participant) });
    const removal = (await e2e.store.getOperation(forgetEntry.operationId!))!;
    expect(JSON.stringify(removal)).not.toContain(participant);
    const snapshot = (await e2e.store.getSnapshotForOperation(removal.id))!;
    expect(snapshot.memberIds).toEqual([...one.members.slice(1), joiner]);
    expect(snapshot.forgotten).toBe(1);
    const audited = (await e2e.store.listAudit({ limit: 200, offset: 0 })).flatMap((e) => (e.operationId ? [e.operationId] : []));
    expect(audited.length).toBeGreaterThanOrEqual(4);
    const everyOp = await Promise.all(audited.map((id) => e2e.store.getOperation(id)));
    expect(JSON.stringify(everyOp)).not.toContain(participant);
    expect(JSON.stringify(await e2e.store.listAudit({ limit: 200, offset: 0 }))).not.toContain(participant);
    expect(JSON.stringify(await e2e.store.listNotifications(audited))).not.toContain(participant);

    // The history shows that a participant was forgotten, with the hash.
    expect(messageText(await command(`history "${one.name}"`))).toContain('a participant who asked to be forgotten (hash');
    // Undo of the removal cannot bring the id back, and says so; nothing is written.
    const removalNotice = notices.find((m) => messageText(m).includes(one.name))!;
    let before = messageKeys(e2e);
    await e2e.click(removalNotice, 'op_undo');
    expect(messageText(await waitForNew(e2e, before, (t) => t.includes(':no_entry:'), 'the undo refusal'))).toContain(
      'This change removed a participant who asked to be forgotten. The app no longer has their id, so it cannot bring them back. Nothing was written.',
    );
    // Restore to before the earlier add: its snapshot lost the id, and the preview says so.
    const addNotice = e2e.slack.messages('C_NOTIFY').find((m) => messageText(m).includes(`added 1 participant to *${one.name}*`))!;
    before = messageKeys(e2e);
    await e2e.click(addNotice, 'op_undo');
    const revert = await waitForNew(e2e, before, (t, m) => m.ephemeralTo === 'U_ALICE' && t.includes('op_restore'), 'the undo preview');
    before = messageKeys(e2e);
    await e2e.click(revert, 'op_restore');
    const restore = await waitForNew(e2e, before, (t, m) => m.ephemeralTo === 'U_ALICE' && t.includes('asked to be forgotten'), 'the restore preview');
    expect(messageText(restore)).toContain('1 participant in this snapshot asked to be forgotten and was taken out of it: this cannot bring them back.');
    expect(messageText(restore)).not.toContain(participant);
    expect(e2e.sandbox.state.members(one.id)).not.toContain(participant);
    // find no longer sees the id anywhere.
    expect(messageText(await command(`find ${participant}`))).toContain('is in none of the workspace’s');
  });

  it('is refused to someone who may change groups but not message participants; nothing is written', async () => {
    const g = newGroup(e2e, 'Forget: refused', 2);
    const refused = messageText(await command(`forget ${g.members[0]}`, 'U_BOB'));
    expect(refused).toContain('Forgetting a participant needs more than changing groups');
    expect(refused).toContain('Nothing was changed.');
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });

  it('an invalid id is refused with the usual message', async () => {
    expect(messageText(await command('forget 12345'))).toContain('`12345` is not a participant id');
  });
});
