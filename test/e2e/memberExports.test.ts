// Member exports are private: the id file goes to the requester's DM with the app and to no channel,
// the reply says where, the export is in the group's history, a partner organisation's user in a
// shared channel sees no ids, and an empty group makes no file. Channel notifications carry counts
// only unless NOTIFY_SHOW_IDS=true; what the requester alone sees keeps its samples.
import { SEED_GROUP_IDS, SEED_WORKSPACE_ID, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { encodeCardMenuChoice } from '../../src/slack/cardMenuChoice';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

const ALICE = 'U_ALICE';

describe('member exports', () => {
  const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

  /** Runs a command in C_GENERAL and waits for the first new reply to the user that matches. */
  async function ask(text: string, match: (t: string) => boolean, user = ALICE): Promise<LocalMessage> {
    const before = new Set(e2e.slack.messages().map((m) => `${m.channel}/${m.ts}`));
    expect((await e2e.pgroup(text, { user })).status).toBe(200);
    return eventually(
      () => e2e.slack.messages().find((m) => !before.has(`${m.channel}/${m.ts}`) && m.ephemeralTo === user && match(messageText(m))),
      `a reply to /pgroup ${text}`,
    );
  }

  /** Every message anyone but `user` can see, in every conversation but `user`'s DM with the app. */
  const seenByOthers = (user: string) => e2e.slack.messages().filter((m) => m.channel !== `D${user.slice(1)}` && (!m.ephemeralTo || m.ephemeralTo !== user));

  it('/pgroup members in a channel: the CSV goes to the requester’s DM only, the reply says where, the history records it', async () => {
    const ids = e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel);
    const reply = await ask('members "Main panel"', (t) => t.includes('direct messages'));
    expect(reply.channel).toBe('C_GENERAL');
    expect(messageText(reply)).toContain('The full list of 5,000 ids is a CSV file in your direct messages with this app. Only you can see it.');

    const file = await eventually(() => e2e.slack.files.find((f) => f.completed && f.name.startsWith('Main_panel')), 'the members file');
    expect(file.channel_id).toBe('D_ALICE');
    expect(file.file.ims).toEqual(['D_ALICE']);
    expect(file.file.channels).toEqual([]);
    const lines = file.content.toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('participant_id,datetime_created');
    expect(lines).toHaveLength(5001);
    // Nothing carrying a file or an id reached the channel, or anyone else.
    expect(e2e.slack.messages('C_GENERAL').filter((m) => m.files?.length)).toEqual([]);
    const others = JSON.stringify(seenByOthers(ALICE));
    expect(ids.slice(0, 50).filter((id) => others.includes(id))).toEqual([]);
    expect(e2e.slack.callsTo('conversations.open').at(-1)?.args).toMatchObject({ users: ALICE });

    const history = await ask('history "Main panel"', (t) => t.includes('History'));
    expect(messageText(history)).toMatch(/:outbox_tray: \*export\* by <@U_ALICE> .* · 5,000 ids, as a file in their direct messages/);
  });

  it('Export members in the card’s menu does the same', async () => {
    const card = await ask('show "Pilot participants"', (t) => t.includes('group_more'));
    const filesBefore = e2e.slack.files.length;
    await e2e.click(card, 'group_more', ALICE, encodeCardMenuChoice({ kind: 'export', groupId: SEED_GROUP_IDS.pilot }));
    const file = await eventually(() => e2e.slack.files.slice(filesBefore).find((f) => f.completed), 'the members file');
    expect(file.channel_id).toBe('D_ALICE');
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === ALICE && messageText(m).includes('in your direct messages with this app'), 'the reply');
    expect(e2e.slack.messages('C_GENERAL').filter((m) => m.files?.length)).toEqual([]);
  });

  it('a partner organisation’s user in a shared channel cannot export or see ids, by command or button', async () => {
    const ids = e2e.sandbox.state.members(SEED_GROUP_IDS.pilot);
    const filesBefore = e2e.slack.files.length;
    const refusal = await ask('members "Pilot participants"', (t) => t.includes('organisation that installed'), 'U_EXT');
    expect(messageText(refusal)).toContain('You can still list groups');
    const card = await ask('show "Pilot participants"', (t) => t.includes('group_more'), 'U_EXT');
    await e2e.click(card, 'group_more', 'U_EXT', encodeCardMenuChoice({ kind: 'export', groupId: SEED_GROUP_IDS.pilot }));
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_EXT' && m.ts !== refusal.ts && messageText(m).includes('organisation that installed'), 'the button’s refusal');
    await e2e.settled();
    expect(e2e.slack.files.length).toBe(filesBefore);
    const seenByErin = JSON.stringify(e2e.slack.messages().filter((m) => m.ephemeralTo === 'U_EXT' || m.channel === 'D_EXT'));
    expect(ids.filter((id) => seenByErin.includes(id))).toEqual([]);
    const history = await ask('history "Pilot participants"', (t) => t.includes('History'));
    expect(messageText(history)).not.toContain('U_EXT');
  });

  it('an empty group: a clear message and no file', async () => {
    e2e.sandbox.state.createGroup({ name: 'Nobody yet', workspace_id: SEED_WORKSPACE_ID });
    const filesBefore = e2e.slack.files.length;
    const reply = await ask('members "Nobody yet"', (t) => t.includes('no members'));
    expect(messageText(reply)).toContain('nothing to export. No file was made.');
    await e2e.settled();
    expect(e2e.slack.files.length).toBe(filesBefore);
  });

  it('channel notifications carry counts only; the requester’s own outcome keeps the sample ids', async () => {
    const ids = [sandboxParticipantId(910001), sandboxParticipantId(910002)];
    const outcome = await ask(`add "Pilot wave 2" ${ids.join(' ')}`, (t) => t.includes('Done'));
    expect(messageText(outcome)).toContain(ids[0]);
    const notification = await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('added 2 participants'), 'the notification');
    expect(messageText(notification)).toContain('+2 / −0');
    expect(ids.filter((id) => messageText(notification).includes(id))).toEqual([]);
    expect(findButton(notification, 'op_undo')).toBeDefined();
  });
});

describe('NOTIFY_SHOW_IDS=true', () => {
  const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY', NOTIFY_SHOW_IDS: 'true' } });

  it('channel notifications show the sample ids', async () => {
    const ids = [sandboxParticipantId(920001), sandboxParticipantId(920002)];
    await e2e.pgroup(`add "Pilot wave 2" ${ids.join(' ')}`);
    const notification = await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('added 2 participants'), 'the notification');
    // In the thread reply, never on the top line a busy channel reads.
    expect(messageText(notification)).not.toContain(ids[0]);
    const details = await eventually(() => e2e.slack.replies('C_NOTIFY', notification.ts)[0], 'the thread reply');
    expect(messageText(details)).toContain(ids[0]);
  });
});
