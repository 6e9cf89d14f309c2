// Several Prolific workspaces: each channel works in one (chosen with /pgroup workspace, stored),
// the default otherwise; lists, names, creates and reads by id stay within it; a group id of
// another served workspace is not resolved, and the reply says where it is and how to switch.
import { SEED_GROUP_IDS, SEED_SECOND_GROUP_IDS, SEED_SECOND_WORKSPACE_ID, SEED_SECOND_WORKSPACE_TITLE, SEED_WORKSPACE_ID } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { type E2E, findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

const BOTH = `${SEED_WORKSPACE_ID},${SEED_SECOND_WORKSPACE_ID}`;
const key = (m: LocalMessage) => `${m.channel}/${m.ts}`;

/** Runs `/pgroup text` as a user in a channel and returns the first new reply they see that matches. */
async function ask(e2e: E2E, text: string, match: (t: string) => boolean, as: { user?: string; channel?: string } = {}): Promise<LocalMessage> {
  const user = as.user ?? 'U_ALICE';
  const channel = as.channel ?? 'C_GENERAL';
  const before = new Set(e2e.slack.messages().map(key));
  await e2e.pgroup(text, { user, channel });
  return eventually(() => e2e.slack.messages().find((m) => !before.has(key(m)) && m.ephemeralTo === user && match(messageText(m))), `a reply to /pgroup ${text}`);
}

describe('a channel works in one of several workspaces', () => {
  const e2e = useE2E({ env: { WORKSPACE_IDS: BOTH, ADMIN_USER_IDS: 'U_CAROL', NOTIFY_CHANNEL: 'C_NOTIFY' } });

  beforeAll(() => {
    e2e.slack.addChannel({ id: 'C_VISION', name: 'vision-lab' });
  });

  it('/pgroup workspace shows the default and lists the other, with a button', async () => {
    const status = await ask(e2e, 'workspace', (t) => t.includes('This channel works in'));
    expect(messageText(status)).toContain('Psychology Lab');
    expect(messageText(status)).toContain('the default (PROLIFIC_WORKSPACE_ID)');
    expect(messageText(status)).toContain(SEED_SECOND_WORKSPACE_TITLE);
    expect(findButton(status, 'workspace_choose:0')?.value).toBe(SEED_SECOND_WORKSPACE_ID);
  });

  it('lists and resolves within the channel’s workspace; a group id of the other is not resolved, and the reply says where it is', async () => {
    const list = await ask(e2e, 'list', (t) => t.includes('Pilot participants'));
    expect(messageText(list)).not.toContain('Vision pilot');
    const other = await ask(e2e, `show ${SEED_SECOND_GROUP_IDS.visionPilot}`, (t) => t.includes('belongs to the Prolific workspace'));
    expect(messageText(other)).toContain(`“${SEED_SECOND_WORKSPACE_TITLE}”`);
    expect(messageText(other)).toContain(`/pgroup workspace ${SEED_SECOND_WORKSPACE_TITLE}`);
    expect(messageText(other)).not.toContain('Vision pilot');
    await ask(e2e, `members ${SEED_SECOND_GROUP_IDS.visionPilot}`, (t) => t.includes('belongs to the Prolific workspace'));
    await ask(e2e, 'show "Vision pilot"', (t) => t.includes('No group matches'));
  });

  it('only an admin (ADMIN_USER_IDS) switches a channel; the choice is stored and scopes that channel only', async () => {
    const refused = await ask(e2e, `workspace ${SEED_SECOND_WORKSPACE_TITLE}`, (t) => t.includes('Only the admins of this app'), { user: 'U_BOB', channel: 'C_VISION' });
    expect(messageText(refused)).toContain('<@U_CAROL>');
    expect(messageText(refused)).toContain('Nothing was changed');
    expect(await e2e.store.getChannelWorkspace('C_VISION')).toBeNull();

    await ask(e2e, 'workspace vision', (t) => t.includes('now works in'), { user: 'U_CAROL', channel: 'C_VISION' });
    expect(await e2e.store.getChannelWorkspace('C_VISION')).toMatchObject({ workspaceId: SEED_SECOND_WORKSPACE_ID, slackUserId: 'U_CAROL' });

    const list = await ask(e2e, 'list', (t) => t.includes('Vision pilot'), { channel: 'C_VISION' });
    expect(messageText(list)).not.toContain('Pilot participants');
    await ask(e2e, `show ${SEED_GROUP_IDS.pilot}`, (t) => t.includes('belongs to the Prolific workspace “Psychology Lab”'), { channel: 'C_VISION' });
    // Other channels keep the default.
    await ask(e2e, 'list', (t) => t.includes('Pilot participants'));
  });

  it('creates in the channel’s workspace, and the notification and history name the workspace', async () => {
    await e2e.bot.ctx.store.setChannelWorkspace({ channelId: 'C_VISION', workspaceId: SEED_SECOND_WORKSPACE_ID, slackUserId: 'U_CAROL' });
    await ask(e2e, 'create "Saccade study"', (t) => t.includes('Saccade study'), { channel: 'C_VISION' });
    const created = e2e.sandbox.state.findGroupByName('Saccade study')!;
    expect(created.workspace_id).toBe(SEED_SECOND_WORKSPACE_ID);
    await ask(e2e, `rename ${created.id} "Saccade study 2"`, (t) => /renamed|Done/.test(t), { channel: 'C_VISION' });
    await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('Saccade study 2') && messageText(m).includes(`Prolific workspace: *${SEED_SECOND_WORKSPACE_TITLE}*`), 'the notification naming the workspace');
    const history = await ask(e2e, `history ${created.id}`, (t) => t.includes('History of'), { channel: 'C_VISION' });
    expect(messageText(history)).toContain(SEED_SECOND_WORKSPACE_TITLE);
  });
});

describe('several workspaces and no default', () => {
  const e2e = useE2E({ env: { WORKSPACE_IDS: BOTH }, workspaceId: null });

  it('starts, and a command asks the channel to choose with buttons; a choice by someone allowed binds it', async () => {
    const question = await ask(e2e, 'list', (t) => t.includes('has not chosen one'));
    expect(messageText(question)).toContain('nothing was done');
    const choose = findButton(question, 'workspace_choose:1')!;
    expect(choose.value).toBe(SEED_SECOND_WORKSPACE_ID);
    await e2e.click(question, 'workspace_choose:1');
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_ALICE' && messageText(m).includes('now works in'), 'the switch');
    await ask(e2e, 'list', (t) => t.includes('Vision pilot'));
  });
});
