// Personal alerts: `/pgroup watch <group> --dm` makes the person's DM with the app watch the group as
// a channel does: the same coalesced notices of changes made outside the app, and the bot's own
// notices of changes made through it. `unwatch --dm` stops them; a group's creator is offered them.
import { sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { encodeCardMenuChoice } from '../../src/slack/cardMenuChoice';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { newGroup } from '../harness/uploads';
import { eventually } from '../support/eventually';
import { botNotes, startWatchE2E, watchNotes } from './watchE2E';

const e2e = useE2E(() => startWatchE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } }));
const round = () => e2e.bot.watcher.runRound();
const DM = 'D_ALICE';

async function replyTo(text: string, match: RegExp, user = 'U_ALICE'): Promise<string> {
  const before = e2e.slack.messages().length;
  await e2e.pgroup(text, { user });
  const reply = await eventually(() => e2e.slack.messages().slice(before).find((m) => m.ephemeralTo === user && match.test(messageText(m))), `the answer to ${text}`);
  return messageText(reply);
}

describe('/pgroup watch <group> --dm', () => {
  it('sends the person the coalesced notices of outside changes and the bot’s own, until unwatch --dm', async () => {
    const g = newGroup(e2e, 'Alerts by DM', 2);
    expect(await replyTo(`watch "${g.name}" --dm`, /direct message/)).toContain('You will get a direct message from the app whenever *Alerts by DM* changes');
    expect(await replyTo(`watch ${g.id} —dm`, /direct message/)).toContain('You already get a direct message');
    const subs = await e2e.store.listSubscriptions({ groupId: g.id });
    expect(subs.map((s) => [s.channelId, s.createdBy])).toEqual([[DM, 'U_ALICE']]);
    // The channel it was typed in does not watch the group.
    expect(await replyTo('watching', /watch/)).not.toContain(g.id);

    await round(); // the first round only records what the group looks like
    const burst = [sandboxParticipantId(810001), sandboxParticipantId(810002), sandboxParticipantId(810003)];
    for (const id of burst) e2e.sandbox.state.addMembers(g.id, [id]);
    e2e.sandbox.state.removeMembers(g.id, [g.members[0]!]);
    await round();
    const outside = await eventually(() => watchNotes(e2e, DM, g.id)[0], 'the outside change in the DM');
    expect(messageText(outside)).toContain('+3 / −1');
    expect(watchNotes(e2e, DM, g.id)).toHaveLength(1);

    // A change through the bot (by someone else) comes by DM too, once, as it comes to NOTIFY_CHANNEL.
    await e2e.pgroup(`add ${g.id} ${sandboxParticipantId(810010)}`, { user: 'U_CAROL' });
    await eventually(() => botNotes(e2e, DM, g.id).length === 1 && botNotes(e2e, 'C_NOTIFY', g.id).length === 1, 'the bot’s notice in the DM');
    expect(messageText(botNotes(e2e, DM, g.id)[0])).toContain('<@U_CAROL>');

    expect(await replyTo(`unwatch ${g.id} --dm`, /direct message/)).toContain('You no longer get a direct message');
    expect(await e2e.store.listSubscriptions({ groupId: g.id })).toEqual([]);
    await e2e.pgroup(`add ${g.id} ${sandboxParticipantId(810011)}`, { user: 'U_CAROL' });
    await eventually(() => botNotes(e2e, 'C_NOTIFY', g.id).length === 2, 'the next notice in NOTIFY_CHANNEL');
    await e2e.settled();
    expect(botNotes(e2e, DM, g.id)).toHaveLength(1);
    expect(await replyTo(`unwatch ${g.id} --dm`, /direct message/)).toContain('You were not getting direct messages');
  });

  it('is offered to the creator of a group, one click away', async () => {
    const created = await replyTo('create "Offered alerts"', /Created/);
    expect(created).toContain('Tell me when it changes');
    const message = e2e.slack.messages().filter((m) => m.ephemeralTo === 'U_ALICE' && messageText(m).includes('Created *Offered alerts*')).at(-1)!;
    const groupId = findButton(message, 'group_watch_dm')?.value;
    expect(groupId).toMatch(/^[0-9a-f]{24}$/);
    // The announcement in NOTIFY_CHANNEL does not carry the creator's offer.
    const announced = await eventually(() => e2e.slack.messages('C_NOTIFY').find((m) => messageText(m).includes('Offered alerts')), 'the announcement');
    expect(findButton(announced, 'group_watch_dm')).toBeUndefined();

    await e2e.click(message, 'group_watch_dm');
    await eventually(async () => (await e2e.store.listSubscriptions({ groupId })).some((s) => s.channelId === DM), 'the DM subscription');
  });

  it('is one click away in the group card’s menu, for whoever clicks', async () => {
    const g = newGroup(e2e, 'Card alerts', 1);
    await e2e.pgroup(`show ${g.id}`, { user: 'U_CAROL' });
    const card = await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_CAROL' && messageText(m).includes('group_more') && messageText(m).includes(g.id), 'the card');
    await e2e.click(card, 'group_more', 'U_CAROL', encodeCardMenuChoice({ kind: 'dm', groupId: g.id }));
    await eventually(async () => (await e2e.store.listSubscriptions({ groupId: g.id })).some((s) => s.channelId === 'D_CAROL' && s.createdBy === 'U_CAROL'), 'Carol’s DM subscription');
  });
});
