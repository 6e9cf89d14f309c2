// Watching through the harness: changes made outside the bot (as a feeder study, the web app or a
// script would make them, straight in the sandbox) reach every subscribed channel once; changes
// made through the bot are announced once, by the bot; renames and deletions are announced.
import { SEED_GROUP_IDS, SEED_GROUP_NAMES, SEED_WORKSPACE_ID, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { csvOf, messageKeys, uploadToPreview, waitForPreview } from '../harness/uploads';
import { botNotes, startWatchE2E, watchFrom, watchNotes, withThread } from './watchE2E';

const ATTENTION = SEED_GROUP_IDS.attentionChecks;
const CHANNELS = ['C_GENERAL', 'C_NOTIFY'];

const round = () => e2e.bot.watcher.runRound();

/**
 * An inline add to the group through the bot: a live study feeds the group, so the add is previewed;
 * the requester's click on its confirm button is returned, not awaited.
 */
async function addThroughBot(ids: string[]): Promise<ReturnType<typeof e2e.click>> {
  const before = messageKeys(e2e);
  await e2e.pgroup(`add "${SEED_GROUP_NAMES.attentionChecks}" ${ids.join(' ')}`);
  const preview = await waitForPreview(e2e, before);
  return e2e.click(preview, 'op_confirm');
}

// The ids in a notification tell which change it announces, so these channels are shown them (NOTIFY_SHOW_IDS).
const e2e = useE2E(() => startWatchE2E({ env: { NOTIFY_SHOW_IDS: 'true' } }));
beforeAll(async () => {
  for (const channel of CHANNELS) await watchFrom(e2e, channel, `"${SEED_GROUP_NAMES.attentionChecks}"`);
  // The first round only records what each group looks like.
  const baseline = await round();
  expect(baseline).toMatchObject({ polled: true, groups: 1, changes: [] });
});

describe('changes made outside the bot', () => {
  it('reach each subscribed channel once, with +N / −M, sample ids, the new count and the feeder study as the likely cause', async () => {
    const joined = [sandboxParticipantId(700001), sandboxParticipantId(700002), sandboxParticipantId(700003)];
    const left = [sandboxParticipantId(5), sandboxParticipantId(6)];
    // A burst between two rounds, one submission at a time, as a feeder study would make it.
    for (const id of joined) e2e.sandbox.state.addMembers(ATTENTION, [id]);
    for (const id of left) e2e.sandbox.state.removeMembers(ATTENTION, [id]);
    expect(e2e.sandbox.state.members(ATTENTION)).toHaveLength(41);

    const report = await round();
    expect(report.changes).toHaveLength(1);
    for (const channel of CHANNELS) {
      const notes = watchNotes(e2e, channel, ATTENTION);
      expect(notes).toHaveLength(1);
      const text = withThread(e2e, notes[0]);
      expect(text).toContain('+3 / −2');
      expect(text).toContain('now 41 members (was 40)');
      // The ids are in the post's thread, never on its top line.
      for (const id of [...joined, ...left]) expect(text).toContain(id);
      for (const id of [...joined, ...left]) expect(messageText(notes[0])).not.toContain(id);
      expect(text).toContain('Attention screener');
      expect(findButton(notes[0]!, 'group_show')?.value).toBe(ATTENTION);
    }

    // Nothing changed since: later rounds stay quiet.
    await round();
    await round();
    for (const channel of CHANNELS) expect(watchNotes(e2e, channel, ATTENTION)).toHaveLength(1);
  });

  it('coalesce a burst of adds and removes into one message per group per round, net of what came and went', async () => {
    const before = CHANNELS.map((c) => watchNotes(e2e, c, ATTENTION).length);
    const flicker = sandboxParticipantId(700010);
    e2e.sandbox.state.addMembers(ATTENTION, [flicker]);
    for (let i = 11; i < 16; i++) e2e.sandbox.state.addMembers(ATTENTION, [sandboxParticipantId(700000 + i)]);
    e2e.sandbox.state.removeMembers(ATTENTION, [flicker, sandboxParticipantId(7)]);

    const report = await round();
    expect(report.changes).toHaveLength(1);
    CHANNELS.forEach((channel, i) => {
      const notes = watchNotes(e2e, channel, ATTENTION);
      expect(notes).toHaveLength(before[i]! + 1);
      const text = withThread(e2e, notes.at(-1));
      expect(text).toContain('+5 / −1');
      expect(text).toContain('now 45 members (was 41)');
      expect(text).not.toContain(flicker);
      expect(text).toContain('add and remove participants');
    });
  });
});

describe('changes made through the bot', () => {
  it('an inline add is announced once, by the bot, and not again by the watcher', async () => {
    const before = CHANNELS.map((c) => watchNotes(e2e, c, ATTENTION).length);
    const botBefore = botNotes(e2e, 'C_GENERAL', ATTENTION).length;
    const ids = [sandboxParticipantId(710001), sandboxParticipantId(710002)];
    await addThroughBot(ids);
    await eventually(() => botNotes(e2e, 'C_GENERAL', ATTENTION).length > botBefore, 'the bot’s notification');
    expect(e2e.sandbox.state.members(ATTENTION)).toEqual(expect.arrayContaining(ids));

    for (let i = 0; i < 3; i++) expect((await round()).changes).toEqual([]);
    expect(CHANNELS.map((c) => watchNotes(e2e, c, ATTENTION).length)).toEqual(before);
    for (const channel of CHANNELS) expect(botNotes(e2e, channel, ATTENTION)).toHaveLength(botBefore + 1);
  });

  it('a confirmed CSV replace is announced once, by the bot, and not again by the watcher', async () => {
    const before = CHANNELS.map((c) => watchNotes(e2e, c, ATTENTION).length);
    const botBefore = botNotes(e2e, 'C_GENERAL', ATTENTION).length;
    const kept = e2e.sandbox.state.members(ATTENTION).slice(0, 30);
    const target = [...kept, sandboxParticipantId(720001), sandboxParticipantId(720002)];
    const { preview } = await uploadToPreview(e2e, { groupText: `"${SEED_GROUP_NAMES.attentionChecks}"`, file: { name: 'wave.csv', content: csvOf(target) }, mode: 'replace' });
    await e2e.click(preview, 'op_confirm');
    await eventually(() => botNotes(e2e, 'C_GENERAL', ATTENTION).length > botBefore, 'the bot’s notification');
    expect([...e2e.sandbox.state.members(ATTENTION)].sort()).toEqual([...target].sort());

    for (let i = 0; i < 3; i++) expect((await round()).changes).toEqual([]);
    expect(CHANNELS.map((c) => watchNotes(e2e, c, ATTENTION).length)).toEqual(before);
  });

  it('is not announced by the watcher either when a round lands right after the write, before the bot has recorded it', async () => {
    const before = CHANNELS.map((c) => watchNotes(e2e, c, ATTENTION).length);
    const botBefore = botNotes(e2e, 'C_GENERAL', ATTENTION).length;
    const id = sandboxParticipantId(730001);
    // An add reads the group twice (preview, confirmation), writes, then reads it a third time;
    // holding that third answer keeps the bot between the write and its records.
    const release = e2e.sandbox.faults.add({ method: 'GET', path: `/api/v1/participant-groups/${ATTENTION}/`, calls: [3], latencyMs: 600 });
    try {
      const command = addThroughBot([id]);
      await eventually(() => e2e.sandbox.state.members(ATTENTION).includes(id), 'the write');
      const during = await round();
      expect(during.groups).toBe(1);
      await command;
      await eventually(() => botNotes(e2e, 'C_GENERAL', ATTENTION).length > botBefore, 'the bot’s notification');
      const after = [await round(), await round()];
      expect([during, ...after].flatMap((r) => r.changes)).toEqual([]);
    } finally {
      release();
    }
    expect(CHANNELS.map((c) => watchNotes(e2e, c, ATTENTION).length)).toEqual(before);
  });

  it('a change outside the bot right after one through it is still announced, and only its own part', async () => {
    const botBefore = botNotes(e2e, 'C_GENERAL', ATTENTION).length;
    const before = watchNotes(e2e, 'C_GENERAL', ATTENTION).length;
    const mine = sandboxParticipantId(740001);
    await addThroughBot([mine]);
    await eventually(() => botNotes(e2e, 'C_GENERAL', ATTENTION).length > botBefore, 'the bot’s notification');
    const theirs = sandboxParticipantId(740002);
    e2e.sandbox.state.addMembers(ATTENTION, [theirs]);

    const report = await round();
    expect(report.changes).toHaveLength(1);
    const text = withThread(e2e, watchNotes(e2e, 'C_GENERAL', ATTENTION).at(-1));
    expect(watchNotes(e2e, 'C_GENERAL', ATTENTION)).toHaveLength(before + 1);
    expect(text).toContain('+1 / −0');
    expect(text).toContain(theirs);
    expect(text).not.toContain(mine);
  });

  it('a change outside the bot just before one through it is announced at the next round, and only its own part', async () => {
    const botBefore = botNotes(e2e, 'C_GENERAL', ATTENTION).length;
    const before = watchNotes(e2e, 'C_GENERAL', ATTENTION).length;
    const theirs = sandboxParticipantId(750001);
    e2e.sandbox.state.addMembers(ATTENTION, [theirs]);
    const mine = sandboxParticipantId(750002);
    await addThroughBot([mine]);
    await eventually(() => botNotes(e2e, 'C_GENERAL', ATTENTION).length > botBefore, 'the bot’s notification');

    // Not only on the every-Nth full read: the very next round.
    const report = await round();
    expect(report.changes).toHaveLength(1);
    expect(watchNotes(e2e, 'C_GENERAL', ATTENTION)).toHaveLength(before + 1);
    const text = withThread(e2e, watchNotes(e2e, 'C_GENERAL', ATTENTION).at(-1));
    expect(text).toContain('+1 / −0');
    expect(text).toContain(theirs);
    expect(text).not.toContain(mine);
  });
});

describe('renames and deletions', () => {
  it('a rename in the web app is announced with the old and new name and the count', async () => {
    const group = e2e.sandbox.state.createGroup({ name: 'Diet study wave 1', workspace_id: SEED_WORKSPACE_ID, participant_ids: [sandboxParticipantId(1), sandboxParticipantId(2)] });
    await watchFrom(e2e, 'C_GENERAL', group.id);
    await round();
    e2e.sandbox.state.renameGroup(group.id, 'Diet study wave 1 (closed)');
    const report = await round();
    expect(report.changes.map((c) => c.groupId)).toEqual([group.id]);
    const notes = watchNotes(e2e, 'C_GENERAL', group.id);
    expect(notes).toHaveLength(1);
    const text = messageText(notes[0]);
    expect(text).toContain('*Diet study wave 1* was renamed to *Diet study wave 1 (closed)*');
    expect(text).toContain('2 members');
    expect(notes[0]!.text).toContain('renamed');
    await round();
    expect(watchNotes(e2e, 'C_GENERAL', group.id)).toHaveLength(1);
  });

  it('a deletion is announced once', async () => {
    const group = e2e.sandbox.state.createGroup({ name: 'Scratch group', workspace_id: SEED_WORKSPACE_ID, participant_ids: [sandboxParticipantId(3)] });
    await watchFrom(e2e, 'C_NOTIFY', group.id);
    await round();
    e2e.sandbox.state.deleteGroup(group.id);
    const report = await round();
    expect(report.changes).toMatchObject([{ groupId: group.id, deleted: true }]);
    await round();
    const notes = watchNotes(e2e, 'C_NOTIFY', group.id);
    expect(notes).toHaveLength(1);
    expect(messageText(notes[0])).toContain('*Scratch group* was deleted (it had 1 member)');
  });
});

describe('/pgroup watching', () => {
  it('lists the channel’s subscriptions, and with `all` the workspace’s', async () => {
    await e2e.pgroup('watching', { channel: 'C_NOTIFY' });
    const channel = await e2e.waitForMessage('C_NOTIFY', (m) => m.ephemeralTo === 'U_ALICE' && messageText(m).includes('This channel watches'));
    expect(messageText(channel)).toContain(SEED_GROUP_NAMES.attentionChecks);
    expect(messageText(channel)).toContain('Scratch group');
    expect(messageText(channel)).not.toContain('Diet study');

    await e2e.pgroup('watching all', { channel: 'C_NOTIFY' });
    const all = await e2e.waitForMessage('C_NOTIFY', (m) => m.ephemeralTo === 'U_ALICE' && messageText(m).includes('This workspace watches'));
    const text = messageText(all);
    // The group was renamed after it was watched: the list shows its current name.
    expect(text).toContain('Diet study wave 1 (closed)');
    expect(text).toContain('<#C_GENERAL>');
    expect(text).toContain('<#C_NOTIFY>');
  });
});
