// The App Home tab through the harness: published on app_home_opened, within Block Kit limits
// with 0, 1 and 60 watched groups, paging past the per-page limit, with working shortcuts.
import type { LocalView } from '../../src/local/slack';
import { SEED_GROUP_IDS, SEED_GROUP_NAMES, SEED_WORKSPACE_ID, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { HOME_GROUPS_PER_PAGE } from '../../src/slack/blocks/watch';
import { messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { startWatchE2E, watchFrom } from './watchE2E';

const ALICE = 'U_ALICE';
const MANY = 60;

/** Opens the Home tab as the user and waits for a published view newer than the one before. */
async function openHome(user = ALICE): Promise<LocalView> {
  const before = e2e.slack.homeView(user)?.hash;
  const res = await e2e.driver.event({ type: 'app_home_opened', user, tab: 'home' });
  expect(res.status).toBe(200);
  return eventually(() => {
    const home = e2e.slack.homeView(user);
    return home && home.hash !== before ? home : undefined;
  }, 'the published Home tab');
}

/** Clicks a button of the Home tab and waits for the view to be published again. */
async function clickHome(home: LocalView, actionId: string, value?: string, user = ALICE) {
  const res = await e2e.driver.blockAction({ user, viewId: home.id, actionId, ...(value !== undefined ? { value } : {}) });
  expect(res.status).toBe(200);
  return res;
}

async function nextHome(home: LocalView, actionId: string, user = ALICE): Promise<LocalView> {
  await clickHome(home, actionId, undefined, user);
  return eventually(() => {
    const now = e2e.slack.homeView(user);
    return now && now.hash !== home.hash ? now : undefined;
  }, `the Home tab after ${actionId}`);
}

const homeText = (home: LocalView) => JSON.stringify(home.view.blocks);
const blockCount = (home: LocalView) => (home.view.blocks as unknown[]).length;

function buttons(home: LocalView): { action_id: string; value?: string }[] {
  const found: { action_id: string; value?: string }[] = [];
  for (const block of home.view.blocks as { elements?: unknown[]; accessory?: unknown }[]) {
    for (const el of [...(block.elements ?? []), block.accessory] as { type?: string; action_id?: string; value?: string }[]) {
      if (el?.type === 'button' && el.action_id) found.push({ action_id: el.action_id, ...(el.value !== undefined ? { value: el.value } : {}) });
    }
  }
  return found;
}

const e2e = useE2E(() => startWatchE2E());

describe('App Home', () => {
  it('with no watched group: says how to start, and offers the upload and rename shortcuts', async () => {
    const home = await openHome();
    expect(home.type).toBe('home');
    expect(blockCount(home)).toBeLessThanOrEqual(100);
    const text = homeText(home);
    expect(text).toContain('Watched groups* (0)');
    expect(text).toContain('/pgroup watch');
    expect(text).toContain('No changes have been made through this app yet');
    expect(buttons(home).map((b) => b.action_id)).toEqual(expect.arrayContaining(['group_upload_open', 'group_rename_open']));
  });

  it('with one watched group: its count and last change, the latest changes, and working buttons', async () => {
    const pilot = SEED_GROUP_IDS.pilot;
    await watchFrom(e2e, 'C_GENERAL', pilot);
    await e2e.bot.watcher.runRound();
    e2e.sandbox.state.addMembers(pilot, [sandboxParticipantId(900101), sandboxParticipantId(900102)]);
    await e2e.bot.watcher.runRound();
    const watcherSaw = homeText(await openHome());
    expect(watcherSaw).toContain(`*${SEED_GROUP_NAMES.pilot}* · 14 members`);
    expect(watcherSaw).toMatch(/last change <!date[^>]*>: \+2 ·/);

    // Changes through the bot, to the watched group and to another one, for the audit log.
    for (const [group, id] of [[SEED_GROUP_NAMES.pilot, 900103], [SEED_GROUP_NAMES.pilotWave2, 900104]] as const) {
      const before = e2e.slack.messages('C_GENERAL').length;
      await e2e.pgroup(`add "${group}" ${sandboxParticipantId(id)}`);
      // A live study uses the pilot group, so its add is previewed first, then confirmed.
      const reply = await eventually(() => e2e.slack.messages('C_GENERAL').slice(before).find((m) => /Done|op_confirm/.test(messageText(m))), 'the reply');
      if (messageText(reply).includes('op_confirm')) await e2e.click(reply, 'op_confirm');
      await eventually(() => e2e.slack.messages('C_GENERAL').slice(before).find((m) => messageText(m).includes('Done')), 'the add');
    }

    const home = await openHome();
    expect(blockCount(home)).toBeLessThanOrEqual(100);
    const text = homeText(home);
    expect(text).toContain('Watched groups* (1)');
    expect(text).toContain(`*${SEED_GROUP_NAMES.pilot}* · 15 members`);
    expect(text).toMatch(/last change <!date[^>]*>: \+1 through this app ·/);
    expect(text).toContain('<#C_GENERAL>');
    // The latest change made through the app, naming its group.
    expect(text).toContain('*add* by <@U_ALICE>');
    expect(text).toContain(SEED_GROUP_NAMES.pilotWave2);
    expect(buttons(home)).toEqual(expect.arrayContaining([{ action_id: 'group_show', value: pilot }]));

    // Show: Home has no channel, so the group card comes by direct message.
    const dm = e2e.slack.dmChannelFor(ALICE);
    const before = e2e.slack.messages(dm).length;
    await clickHome(home, 'group_show', pilot);
    const card = await eventually(() => e2e.slack.messages(dm).slice(before).find((m) => messageText(m).includes(pilot)), 'the group card by DM');
    expect(messageText(card)).toContain(SEED_GROUP_NAMES.pilot);
    expect(messageText(card)).toContain('15');

    // Upload and Rename open their modals.
    await clickHome(home, 'group_upload_open');
    await eventually(() => e2e.slack.openModals(ALICE).find((v) => v.view.callback_id === 'upload_modal'), 'the upload modal');
    await clickHome(home, 'group_rename_open');
    await eventually(() => e2e.slack.openModals(ALICE).find((v) => v.view.callback_id === 'rename_modal'), 'the rename modal');
  });

  it(`with ${MANY} watched groups: pages of ${HOME_GROUPS_PER_PAGE} within the limits, Next and Previous`, async () => {
    const names: string[] = [SEED_GROUP_NAMES.pilot];
    for (let i = 1; i < MANY; i++) {
      const name = `Cohort ${String(i).padStart(2, '0')} of the longitudinal sleep and memory study, recruited in wave ${i}`;
      const group = e2e.sandbox.state.createGroup({ name, workspace_id: SEED_WORKSPACE_ID, participant_ids: [sandboxParticipantId(i)] });
      await e2e.store.subscribe({ teamId: 'T0LOCAL', channelId: i % 2 ? 'C_GENERAL' : 'C_NOTIFY', groupId: group.id, groupName: name, createdBy: ALICE });
      names.push(name);
    }
    const polled = await e2e.bot.watcher.runRound();
    expect(polled.groups).toBe(MANY);

    const pages: LocalView[] = [await openHome()];
    const pageCount = Math.ceil(MANY / HOME_GROUPS_PER_PAGE);
    for (let p = 1; p < pageCount; p++) pages.push(await nextHome(pages[p - 1]!, 'home_page:next'));
    const seen = pages.map((home, p) => {
      expect(blockCount(home)).toBeLessThanOrEqual(100);
      const text = homeText(home);
      expect(text).toContain(`Watched groups* (${MANY})`);
      expect(text).toContain(`Page ${p + 1} of ${pageCount}`);
      const ids = buttons(home).filter((b) => b.action_id === 'group_show').map((b) => b.value);
      expect(ids.length).toBeLessThanOrEqual(HOME_GROUPS_PER_PAGE);
      return ids;
    });
    // Every watched group once, across the pages.
    expect(new Set(seen.flat()).size).toBe(MANY);
    expect(seen.flat()).toHaveLength(MANY);
    expect(buttons(pages.at(-1)!).map((b) => b.action_id)).not.toContain('home_page:next');
    const back = await nextHome(pages.at(-1)!, 'home_page:prev');
    expect(homeText(back)).toContain(`Page ${pageCount - 1} of ${pageCount}`);
  });

  it(`/pgroup watching all lists all ${MANY} of the workspace’s subscriptions`, async () => {
    await e2e.pgroup('watching all');
    const reply = await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === ALICE && messageText(m).includes('This workspace watches'));
    const text = messageText(reply);
    for (let i = 1; i < MANY; i++) expect(text).toContain(`Cohort ${String(i).padStart(2, '0')} `);
    expect(text).toContain(SEED_GROUP_NAMES.pilot);
  });
});
