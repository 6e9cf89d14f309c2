// Words that say what happens, through the real app path: who created a group, a channel told
// when it starts or stops watching, refusals that name the people who can help, App Home before
// the watcher's first look. (Every message of every end-to-end test is also checked for bare
// clock times by useE2E: see test/harness/bareTimes.ts.)
import { messageText, startE2E, useE2E } from '../harness/e2e';
import { messageKeys, waitForNew } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

async function ask(text: string, match: (t: string) => boolean, user = 'U_ALICE') {
  const before = messageKeys(e2e);
  expect((await e2e.pgroup(text, { user })).status).toBe(200);
  return waitForNew(e2e, before, match, `a reply to /pgroup ${text}`, user);
}

describe('who did it', () => {
  it('the channels’ notice of a new group says who created it', async () => {
    await ask('create "Made by Alice"', (t) => t.includes('Created'));
    const note = await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('Made by Alice'), 'the notice');
    expect(note.ephemeralTo).toBeUndefined();
    expect(messageText(note)).toContain(':white_check_mark: <@U_ALICE> created *Made by Alice*');
  });

  it('watch and unwatch are announced in the channel, for everyone there, in one line', async () => {
    const before = messageKeys(e2e);
    await ask('watch "Pilot wave 2"', (t) => t.includes('now hears about every change'));
    const started = await waitForNew(e2e, before, (t, m) => m.channel === 'C_GENERAL' && !m.ephemeralTo && t.includes('set this channel'), 'the announcement');
    expect(started.blocks).toHaveLength(1);
    expect(messageText(started)).toContain(':eyes: <@U_ALICE> set this channel to hear about every change to *Pilot wave 2*');

    // Watching again changes nothing, and says nothing to the channel.
    const again = messageKeys(e2e);
    await ask('watch "Pilot wave 2"', (t) => t.includes('already watches'));
    await e2e.settled();
    expect(e2e.slack.messages('C_GENERAL').filter((m) => !again.has(`${m.channel}/${m.ts}`) && !m.ephemeralTo)).toEqual([]);

    const stopping = messageKeys(e2e);
    await ask('unwatch "Pilot wave 2"', (t) => t.includes('no longer watches'));
    const stopped = await waitForNew(e2e, stopping, (t, m) => m.channel === 'C_GENERAL' && !m.ephemeralTo && t.includes('stopped this channel'), 'the announcement');
    expect(messageText(stopped)).toContain(':see_no_evil: <@U_ALICE> stopped this channel hearing about changes to *Pilot wave 2*.');
  });
});

describe('refusals name the people who can help', () => {
  it('names the admins to someone not allowed to change groups, not a configuration variable', async () => {
    const limited = await startE2E({ env: { ALLOWED_USER_IDS: 'U_ALICE', ADMIN_USER_IDS: 'U_CAROL' }, sandbox: e2e.sandbox });
    try {
      await limited.pgroup(`add "Pilot wave 2" 5e9b9c9b0f9c9a0001b0b1f4`, { user: 'U_BOB' });
      const refusal = await limited.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_BOB' && messageText(m).includes('not on the list'), 'the refusal');
      expect(messageText(refusal)).toContain('Ask <@U_CAROL> (the admin of this app) to add you.');
      expect(messageText(refusal)).not.toMatch(/_USER_IDS/);
    } finally {
      await limited.close();
    }
  });
});

describe('App Home', () => {
  it('says no change was seen yet for a group the watcher has not looked at', async () => {
    await ask('watch "Main panel"', (t) => t.includes('now hears about every change'));
    expect((await e2e.driver.event({ type: 'app_home_opened', user: 'U_ALICE', tab: 'home' })).status).toBe(200);
    const home = await eventually(() => {
      const view = e2e.slack.homeView('U_ALICE');
      return view && JSON.stringify(view.view.blocks).includes('Main panel') ? view : undefined;
    }, 'the Home tab');
    const text = JSON.stringify(home.view.blocks);
    expect(text).toContain('no change seen yet');
    expect(text).not.toContain('not polled');
  });
});
