// Channels the app has not joined, through the harness: `/pgroup watch` asks conversations.info
// first and subscribes only where the app can post; NOTIFY_CHANNEL is checked at startup; a channel
// the app is removed from later is tried once more, then its subscriptions are marked broken,
// `/pgroup watching` says so and the person who set them up is told by DM.
import { SEED_GROUP_IDS, SEED_GROUP_NAMES, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { type E2E, messageText, startE2E, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { startWatchE2E, watchFrom, watchNotes } from './watchE2E';

const ATTENTION = SEED_GROUP_IDS.attentionChecks;

const e2e = useE2E(() => startWatchE2E());

/** Sends `/pgroup text` in a channel and waits for the user's reply there that matches. */
async function ask(channel: string, text: string, match: (t: string) => boolean, user = 'U_ALICE'): Promise<LocalMessage> {
  const before = e2e.slack.messages(channel).length;
  const res = await e2e.pgroup(text, { user, channel });
  expect(res.status).toBe(200);
  return eventually(() => e2e.slack.messages(channel).slice(before).find((m) => m.ephemeralTo === user && match(messageText(m))), `a reply to /pgroup ${text} in ${channel}`);
}

const postsTo = (channel: string) => e2e.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

describe('/pgroup watch in a channel the app is not in', () => {
  it('checks with conversations.info (never by posting), says how to invite the app, and subscribes nothing', async () => {
    e2e.slack.addChannel({ id: 'C_OUTSIDE', name: 'outside', botIsMember: false });
    const refused = await ask('C_OUTSIDE', `watch ${ATTENTION}`, (t) => t.includes('/invite @pgroup'));
    expect(messageText(refused)).toContain('The app is not in this channel');
    expect(messageText(refused)).toContain(`/pgroup watch ${ATTENTION}`);
    expect(e2e.slack.callsTo('conversations.info').map((c) => c.args.channel)).toContain('C_OUTSIDE');
    expect(postsTo('C_OUTSIDE')).toEqual([]);
    expect(await e2e.store.listSubscriptions({ channelId: 'C_OUTSIDE', includeBroken: true })).toEqual([]);

    // Once the app is invited, the same command subscribes.
    e2e.slack.inviteBot('C_OUTSIDE');
    await ask('C_OUTSIDE', `watch ${ATTENTION}`, (t) => t.includes('now hears about every change'));
    expect((await e2e.store.listSubscriptions({ channelId: 'C_OUTSIDE' })).map((s) => s.groupId)).toEqual([ATTENTION]);
  });

  it('in a private channel the app cannot see, says so, and subscribes nothing', async () => {
    e2e.slack.addChannel({ id: 'G_SECRET', name: 'secret', isPrivate: true, botIsMember: false });
    const refused = await ask('G_SECRET', `watch ${ATTENTION}`, (t) => t.includes('/invite @pgroup'));
    expect(messageText(refused)).toContain('The app cannot see this channel');
    expect(await e2e.store.listSubscriptions({ channelId: 'G_SECRET', includeBroken: true })).toEqual([]);
  });

  it('when Slack cannot say, asks to try again and subscribes nothing', async () => {
    e2e.slack.addChannel({ id: 'C_UNSURE', name: 'unsure' });
    e2e.slack.failNext('conversations.info', { error: 'internal_error' });
    const refused = await ask('C_UNSURE', `watch ${ATTENTION}`, (t) => t.includes('Try again'));
    expect(messageText(refused)).toContain('internal_error');
    expect(await e2e.store.listSubscriptions({ channelId: 'C_UNSURE', includeBroken: true })).toEqual([]);
  });
});

describe('NOTIFY_CHANNEL the app is not in', () => {
  let other: E2E | undefined;
  afterAll(async () => {
    await other?.close();
  });

  it('is named in a warning at startup and shown by /healthz', async () => {
    e2e.slack.addChannel({ id: 'C_ANNOUNCE', name: 'announce', botIsMember: false });
    other = await startE2E({ slack: e2e.slack, sandbox: e2e.sandbox, env: { NOTIFY_CHANNEL: 'C_ANNOUNCE' } });
    expect(other.logs.join('\n')).toMatch(/NOTIFY_CHANNEL C_ANNOUNCE: the app is not a member of this channel.*\/invite @pgroup/);
    const health = await fetch(other.appUrl.replace('/slack/events', '/healthz')).then((r) => r.json() as Promise<{ notifyChannel: unknown }>);
    expect(health.notifyChannel).toMatchObject({ channel: 'C_ANNOUNCE', ok: false, problem: 'not_in_channel' });
  });

  it('is tried once more per notification; once the app is invited, the next notification goes through and /healthz says so', async () => {
    const bot = other!;
    const health = () => fetch(bot.appUrl.replace('/slack/events', '/healthz')).then((r) => r.json() as Promise<{ notifyChannel: { ok: boolean | null } }>);
    await bot.pgroup('create "Announced nowhere"');
    await eventually(() => postsTo('C_ANNOUNCE').length === 2, 'the notification and its one retry');
    expect(postsTo('C_ANNOUNCE').map((call) => call.error)).toEqual(['not_in_channel', 'not_in_channel']);
    expect((await health()).notifyChannel.ok).toBe(false);

    e2e.slack.inviteBot('C_ANNOUNCE');
    await bot.pgroup('create "Announced at last"');
    await eventually(() => e2e.slack.messages('C_ANNOUNCE').find((m) => messageText(m).includes('Announced at last')), 'the notification in C_ANNOUNCE');
    expect((await health()).notifyChannel).toMatchObject({ ok: true, problem: null });
  });

  it('a channel it is in is shown as fine', async () => {
    const fine = await startE2E({ slack: e2e.slack, sandbox: e2e.sandbox, env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });
    try {
      const health = await fetch(fine.appUrl.replace('/slack/events', '/healthz')).then((r) => r.json() as Promise<{ notifyChannel: unknown }>);
      expect(health.notifyChannel).toMatchObject({ channel: 'C_NOTIFY', ok: true, problem: null });
      expect(fine.logs.join('\n')).not.toContain('NOTIFY_CHANNEL');
    } finally {
      await fine.close();
    }
  });
});

describe('a channel the app is removed from later', () => {
  it('is tried once more, then its subscriptions are marked broken: watching says so, the subscriber gets a DM, and later changes skip it until it is mended', async () => {
    e2e.slack.addChannel({ id: 'C_LAB', name: 'lab' });
    await watchFrom(e2e, 'C_LAB', ATTENTION, 'U_BOB');
    // The first round only records the group.
    await e2e.bot.watcher.runRound();

    e2e.slack.removeBot('C_LAB');
    e2e.sandbox.state.addMembers(ATTENTION, [sandboxParticipantId(880001)]);
    const before = postsTo('C_LAB').length;
    expect((await e2e.bot.watcher.runRound()).changes).toHaveLength(1);
    expect(postsTo('C_LAB').slice(before).map((call) => call.error)).toEqual(['not_in_channel', 'not_in_channel']);
    const [sub] = await e2e.store.listSubscriptions({ channelId: 'C_LAB', includeBroken: true });
    expect(sub?.broken).toMatchObject({ reason: 'not_in_channel', at: expect.any(Date) });

    const dm = await eventually(() => e2e.slack.messages('U_BOB').find((m) => messageText(m).includes('can no longer post in <#C_LAB>')), 'the DM to the subscriber');
    expect(messageText(dm)).toContain(SEED_GROUP_NAMES.attentionChecks);
    expect(messageText(dm)).toContain('/invite @pgroup');
    expect(messageText(dm)).toContain(`/pgroup watch ${ATTENTION}`);

    const listed = await ask('C_GENERAL', 'watching all', (t) => t.includes('C_LAB'));
    expect(messageText(listed)).toMatch(/in <#C_LAB> · :warning: no notifications since <!date\^\d+\^[^|]+\|[^>]+>: the app cannot post in <#C_LAB> \(not_in_channel\)/);

    // Later changes do not try the channel again, and the subscriber is not told twice.
    e2e.sandbox.state.addMembers(ATTENTION, [sandboxParticipantId(880002)]);
    expect((await e2e.bot.watcher.runRound()).changes).toHaveLength(1);
    expect(postsTo('C_LAB').length).toBe(before + 2);
    expect(e2e.slack.messages('U_BOB').filter((m) => messageText(m).includes('can no longer post in <#C_LAB>'))).toHaveLength(1);

    // Invited back and watched again, the channel hears about the next change.
    e2e.slack.inviteBot('C_LAB');
    await ask('C_LAB', `watch ${ATTENTION}`, (t) => t.includes('now hears about every change'), 'U_BOB');
    e2e.sandbox.state.addMembers(ATTENTION, [sandboxParticipantId(880003)]);
    await e2e.bot.watcher.runRound();
    expect(watchNotes(e2e, 'C_LAB', ATTENTION)).toHaveLength(1);
    expect((await e2e.store.listSubscriptions({ channelId: 'C_LAB' }))[0]?.broken).toBeNull();
  });
});
