// Several Prolific workspaces: each channel works in one (chosen with /pgroup workspace, stored),
// the default otherwise; lists, names, creates and reads by id stay within it; a group id of
// another served workspace is not resolved, and the reply says where it is and how to switch. The
// studies that use a group (the card's "Used by", the warnings of previews) are those of the
// channel's workspace only, even where a study of the other names the group's id.
import {
  SEED_GROUP_IDS,
  SEED_PROJECT_IDS,
  SEED_SECOND_GROUP_IDS,
  SEED_SECOND_WORKSPACE_ID,
  SEED_SECOND_WORKSPACE_TITLE,
  SEED_WORKSPACE_ID,
} from '../../src/local/prolific-sandbox';
import { dmChannelId, type LocalMessage, type LocalView } from '../../src/local/slack';
import { type E2E, findButton, messageText, useE2E } from '../harness/e2e';
import { messageKeys, newGroup, submitUpload, uploadToPreview, waitForNew, waitForPreview } from '../harness/uploads';
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

/** The group card a command posts in the channel (or shows the user), with its "Used by" section's mrkdwn. */
async function usedBy(e2e: E2E, groupId: string, channel: string): Promise<string> {
  const before = new Set(e2e.slack.messages().map(key));
  await e2e.pgroup(`show ${groupId}`, { user: 'U_ALICE', channel });
  const card = await eventually(
    () => e2e.slack.messages().find((m) => !before.has(key(m)) && (!m.ephemeralTo || m.ephemeralTo === 'U_ALICE') && messageText(m).includes('*Used by*')),
    `the card of ${groupId}`,
  );
  return (card.blocks as { text?: { text?: string } }[]).find((b) => b.text?.text?.startsWith('*Used by*'))!.text!.text!;
}

let studyNumber = 0;
/** A live study in one of the seeded projects (Psychology Lab's waves, Vision Lab's) that allowlists the group. */
function liveStudy(e2e: E2E, name: string, projectId: string, groupId: string): void {
  studyNumber += 1;
  e2e.sandbox.state.studies.addStudy({
    id: `6650cafe${studyNumber.toString(16).padStart(16, '0')}`,
    name,
    status: 'ACTIVE',
    project_id: projectId,
    total_available_places: 50,
    places_taken: 5,
    published_at: '2026-11-20T09:00:00.000Z',
    filters: [{ filter_id: 'participant_group_allowlist', selected_values: [groupId] }],
  });
}

/** Opens the user's Home tab (or clicks one of its buttons) and waits for the view published after it. */
async function homeAfter(e2e: E2E, user: string, gesture: (() => Promise<unknown>) | null = null): Promise<LocalView> {
  const before = e2e.slack.homeView(user)?.hash;
  if (gesture) await gesture();
  else expect((await e2e.driver.event({ type: 'app_home_opened', user, tab: 'home' })).status).toBe(200);
  return eventually(() => {
    const home = e2e.slack.homeView(user);
    return home && home.hash !== before ? home : undefined;
  }, `${user}'s Home tab`);
}

const homeText = (home: LocalView) => JSON.stringify(home.view.blocks);

/** The Home tab's buttons: action id → value. */
function homeButtons(home: LocalView): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  for (const block of home.view.blocks as { elements?: { type?: string; action_id?: string; value?: string }[] }[]) {
    for (const el of block.elements ?? []) if (el.type === 'button' && el.action_id) found.set(el.action_id, el.value);
  }
  return found;
}

/** The mrkdwn of a message's sections, in order. */
const sections = (m: LocalMessage): string[] =>
  (m.blocks as { type: string; text?: { text?: string } }[]).filter((b) => b.type === 'section').map((b) => b.text?.text ?? '');

describe('a channel works in one of several workspaces', () => {
  const e2e = useE2E({ env: { WORKSPACE_IDS: BOTH, ADMIN_USER_IDS: 'U_CAROL', NOTIFY_CHANNEL: 'C_NOTIFY' } });

  beforeAll(() => {
    e2e.slack.addChannel({ id: 'C_VISION', name: 'vision-lab' });
  });

  it('/pgroup workspace shows the default and lists the other, with a button', async () => {
    const status = await ask(e2e, 'workspace', (t) => t.includes('This channel works in'));
    expect(messageText(status)).toContain('Psychology Lab');
    expect(messageText(status)).toContain('the default, set by PROLIFIC_WORKSPACE_ID');
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

  it('App Home names the default workspace, with a button to choose the other for oneself', async () => {
    const home = await homeAfter(e2e, 'U_ALICE');
    expect(homeText(home)).toContain(`You work in the Prolific workspace *Psychology Lab* \`${SEED_WORKSPACE_ID}\` here (the default, set by PROLIFIC_WORKSPACE_ID).`);
    const buttons = homeButtons(home);
    expect([...buttons.entries()].filter(([id]) => id.startsWith('home_workspace_choose'))).toEqual([['home_workspace_choose:0', SEED_SECOND_WORKSPACE_ID]]);
    expect(buttons.has('group_upload_open')).toBe(true);
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

describe('the studies that use a group are those of the channel’s workspace', () => {
  const e2e = useE2E({ env: { WORKSPACE_IDS: BOTH } });

  beforeAll(async () => {
    e2e.slack.addChannel({ id: 'C_VISION', name: 'vision-lab' });
    await e2e.bot.ctx.store.setChannelWorkspace({ channelId: 'C_VISION', workspaceId: SEED_SECOND_WORKSPACE_ID, slackUserId: 'U_CAROL' });
  });

  it('the card’s Used by: a study of the other workspace that names the group’s id is not listed', async () => {
    // The sandbox's Saccade battery (Vision Lab) allowlists Vision pilot and blocklists the Psychology Lab's Excluded by its id.
    const excluded = await usedBy(e2e, SEED_GROUP_IDS.excluded, 'C_GENERAL');
    expect(excluded).toBe('*Used by*\n• *Reaction times* “rt-battery-b” (PAUSED, 57 of 150 places taken): blocklist (inside a combined filter)');
    const visionPilot = await usedBy(e2e, SEED_SECOND_GROUP_IDS.visionPilot, 'C_VISION');
    expect(visionPilot).toBe('*Used by*\n• *Saccade battery* “saccades-v2” (ACTIVE, 31 of 80 places taken): allowlist');
  });

  it('a replace preview warns of the live studies of the channel’s workspace, not of a study of the other naming the same group', async () => {
    const psychology = newGroup(e2e, 'Cross-lab panel', 6);
    liveStudy(e2e, 'Psychology follow-up', SEED_PROJECT_IDS.waves, psychology.id);
    liveStudy(e2e, 'Vision look-alike', SEED_PROJECT_IDS.vision, psychology.id);
    const inPsychology = await uploadToPreview(e2e, { groupText: `"${psychology.name}"`, mode: 'replace', pasted: [...psychology.members.slice(0, 2), ...psychology.outsiders(3)].join(' ') });
    expect(sections(inPsychology.preview)[1]).toBe(
      ':warning: *Psychology follow-up* (ACTIVE, 5 of 50 places taken) uses this group as its allowlist: 4 people may lose access and 3 may gain it.',
    );
    expect(messageText(inPsychology.preview)).not.toContain('Vision look-alike');

    const vision = newGroup(e2e, 'Fixation panel', 4, SEED_SECOND_WORKSPACE_ID);
    liveStudy(e2e, 'Fixation study', SEED_PROJECT_IDS.vision, vision.id);
    liveStudy(e2e, 'Psychology look-alike', SEED_PROJECT_IDS.waves, vision.id);
    const inVision = await uploadToPreview(e2e, { groupText: `"${vision.name}"`, channel: 'C_VISION', mode: 'replace', pasted: vision.outsiders(2).join(' ') });
    expect(sections(inVision.preview)[1]).toBe(
      ':warning: *Fixation study* (ACTIVE, 5 of 50 places taken) uses this group as its allowlist: 4 people may lose access and 2 may gain it.',
    );
    expect(messageText(inVision.preview)).not.toContain('Psychology look-alike');
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

  it('App Home asks each person to choose a workspace with buttons, stores the choice, and its forms then work in it', async () => {
    const first = await homeAfter(e2e, 'U_ALICE');
    expect(homeText(first)).toContain('*Choose your Prolific workspace.*');
    const buttons = homeButtons(first);
    expect(buttons.get('home_workspace_choose:0')).toBe(SEED_WORKSPACE_ID);
    expect(buttons.get('home_workspace_choose:1')).toBe(SEED_SECOND_WORKSPACE_ID);
    // The forms need a workspace: offered once there is one.
    expect(buttons.has('group_upload_open')).toBe(false);

    const chosen = await homeAfter(e2e, 'U_ALICE', () => e2e.driver.blockAction({ user: 'U_ALICE', viewId: first.id, actionId: 'home_workspace_choose:1', value: SEED_SECOND_WORKSPACE_ID }));
    expect(homeText(chosen)).toContain(`You work in the Prolific workspace *${SEED_SECOND_WORKSPACE_TITLE}* \`${SEED_SECOND_WORKSPACE_ID}\` here (your choice).`);
    expect(homeButtons(chosen).get('home_workspace_choose:0')).toBe(SEED_WORKSPACE_ID);
    expect(await e2e.store.getHomeWorkspace('U_ALICE')).toMatchObject({ workspaceId: SEED_SECOND_WORKSPACE_ID });
    // The choice is the person's own: another person is still asked.
    expect(homeText(await homeAfter(e2e, 'U_BOB'))).toContain('*Choose your Prolific workspace.*');
    // Opened again later, the tab keeps the choice.
    expect(homeText(await homeAfter(e2e, 'U_ALICE'))).toContain('here (your choice).');

    // The upload form opened from the tab lists the chosen workspace's groups.
    const opened = new Set(e2e.slack.views().map((v) => v.id));
    await e2e.driver.blockAction({ user: 'U_ALICE', viewId: chosen.id, actionId: 'group_upload_open' });
    const form = await eventually(
      () => e2e.slack.openModals('U_ALICE').find((v) => !opened.has(v.id) && JSON.stringify(v.view.blocks).includes('Vision pilot')),
      'the upload form with the Vision Lab groups',
    );
    expect(JSON.stringify(form.view.blocks)).not.toContain('Pilot participants');
  });

  it('a command in a direct message asks to choose in the Home tab; a choice from that question is answered in its place and kept', async () => {
    const dm = dmChannelId('U_BOB');
    const question = await ask(e2e, 'list', (t) => t.includes('you have not chosen the one you work in'), { user: 'U_BOB', channel: dm });
    expect(findButton(question, 'home_workspace_choose:1')?.value).toBe(SEED_SECOND_WORKSPACE_ID);
    await e2e.click(question, 'home_workspace_choose:1', 'U_BOB', SEED_SECOND_WORKSPACE_ID);
    // Answered where it was asked, in place of the question, and the Home tab published with it.
    const answered = () => e2e.slack.messages(dm).find((m) => m.ts === question.ts && messageText(m).includes('You now work in the Prolific workspace'));
    await eventually(answered, 'the answer in place of the question');
    expect(messageText(answered()!)).toContain(`*${SEED_SECOND_WORKSPACE_TITLE}*`);
    expect(await e2e.store.getHomeWorkspace('U_BOB')).toMatchObject({ workspaceId: SEED_SECOND_WORKSPACE_ID });
    await eventually(() => {
      const home = e2e.slack.homeView('U_BOB');
      return home !== undefined && homeText(home).includes('here (your choice).');
    }, 'the Home tab with the choice');
    await ask(e2e, 'list', (t) => t.includes('Vision pilot'), { user: 'U_BOB', channel: dm });
  });

  it('a change started from App Home is previewed by DM and confirmed there, in the workspace chosen in the tab', async () => {
    await e2e.store.setHomeWorkspace({ slackUserId: 'U_ALICE', workspaceId: SEED_SECOND_WORKSPACE_ID });
    const group = newGroup(e2e, 'Pupil panel', 3, SEED_SECOND_WORKSPACE_ID);
    const home = await homeAfter(e2e, 'U_ALICE');
    const opened = new Set(e2e.slack.views().map((v) => v.id));
    await e2e.driver.blockAction({ user: 'U_ALICE', viewId: home.id, actionId: 'group_upload_open' });
    const form = await eventually(
      () => e2e.slack.openModals('U_ALICE').find((v) => !opened.has(v.id) && JSON.stringify(v.view.blocks).includes('Pupil panel')),
      'the upload form with the Vision Lab groups',
    );
    const before = messageKeys(e2e);
    const added = group.outsiders(2);
    await submitUpload(e2e, form, { groupId: group.id, mode: 'add', pasted: added.join(' ') });
    const preview = await waitForPreview(e2e, before);
    expect(preview.channel.startsWith('D')).toBe(true);
    await e2e.click(preview, 'op_confirm');
    await eventually(() => added.every((id) => e2e.sandbox.state.members(group.id).includes(id)), 'the ids added in Prolific');
    // The DM keeps the person's Home choice for later commands there too.
    const before2 = messageKeys(e2e);
    await e2e.pgroup('list', { user: 'U_ALICE', channel: preview.channel });
    await waitForNew(e2e, before2, (t) => t.includes('Pupil panel') && !t.includes('Pilot participants'), 'the list in the DM');
    const status = await ask(e2e, 'workspace', (t) => t.includes('works in the Prolific workspace'), { channel: preview.channel });
    expect(messageText(status)).toContain(`*${SEED_SECOND_WORKSPACE_TITLE}*`);
    expect(messageText(status)).toContain('(your choice in the app’s Home tab)');
  });

  it('a Show button in App Home for a group of the other workspace says so, in the Home tab’s words', async () => {
    await e2e.store.setHomeWorkspace({ slackUserId: 'U_ALICE', workspaceId: SEED_SECOND_WORKSPACE_ID });
    // The tab lists the groups every channel watches, whatever their workspace.
    await e2e.store.subscribe({ teamId: e2e.slack.teamId, channelId: 'C_GENERAL', groupId: SEED_GROUP_IDS.pilot, groupName: 'Pilot participants', createdBy: 'U_BOB' });
    const home = await homeAfter(e2e, 'U_ALICE');
    const before = new Set(e2e.slack.messages().map(key));
    await e2e.driver.blockAction({ user: 'U_ALICE', viewId: home.id, actionId: 'group_show', value: SEED_GROUP_IDS.pilot });
    const reply = await eventually(() => e2e.slack.messages().find((m) => !before.has(key(m)) && messageText(m).includes(SEED_GROUP_IDS.pilot)), 'the reply to Show');
    expect(messageText(reply)).toContain(`belongs to the Prolific workspace “Psychology Lab”, and you work in “${SEED_SECOND_WORKSPACE_TITLE}” from the Home tab`);
    expect(messageText(reply)).not.toContain('Pilot participants');
  });
});
