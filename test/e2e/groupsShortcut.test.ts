// The "Participant groups" global shortcut, end to end: the modal with the group search, the person's
// recent groups and the buttons to show, upload, create and rename; each form is pushed onto it.
import type { LocalView } from '../../src/local/slack';
import { messageText, useE2E } from '../harness/e2e';
import { messageKeys, newGroup, viewText, waitForNew, waitForPreview } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E();

async function openGroupsModal(user = 'U_ALICE'): Promise<LocalView> {
  const before = new Set(e2e.slack.views().map((v) => v.id));
  const res = await e2e.driver.globalShortcut({ user, callbackId: 'participant_groups' });
  expect(res.status).toBe(200);
  return eventually(() => e2e.slack.openModals(user).find((v) => !before.has(v.id) && v.view.callback_id === 'groups_shortcut_modal'), 'the groups modal');
}

/** The view once it has been updated past `count` updates. */
function updated(view: LocalView, count: number): Promise<LocalView> {
  return eventually(() => {
    const now = e2e.slack.view(view.id);
    return now && now.updatedCount > count ? now : undefined;
  }, 'the modal updated');
}

describe('the global shortcut “Participant groups”', () => {
  it('opens a modal with a group search and the buttons; choosing a group shows it with Show, Upload and Rename', async () => {
    const g = newGroup(e2e, 'Global shortcut panel', 3);
    const modal = await openGroupsModal();
    const text = viewText(modal);
    expect(text).toContain('Upload ids');
    expect(text).toContain('Create a group');
    expect(text).toContain('Rename a group');
    expect(text).toContain('groups_modal_pick');
    expect(text).toContain('Groups you change appear here.');

    await e2e.driver.blockAction({ user: 'U_ALICE', viewId: modal.id, actionId: 'groups_modal_pick', selectedOption: g.id });
    const chosen = await updated(modal, modal.updatedCount);
    expect(viewText(chosen)).toContain(`*Global shortcut panel* \`${g.id}\` · 3 members`);

    // Show: the card comes to the person privately, by DM (a modal has no channel).
    const before = messageKeys(e2e);
    await e2e.driver.blockAction({ user: 'U_ALICE', viewId: modal.id, actionId: 'groups_modal_show', value: g.id });
    const card = await waitForNew(e2e, before, (t) => t.includes('Global shortcut panel') && t.includes('group_upload_open'), 'the group card');
    expect(card.channel).toBe(e2e.slack.dmChannelFor('U_ALICE'));

    // Upload: the upload form is pushed onto the modal with the group chosen; its preview comes by DM.
    await e2e.driver.blockAction({ user: 'U_ALICE', viewId: modal.id, actionId: 'groups_modal_upload', value: g.id });
    const form = await eventually(() => e2e.slack.openModals('U_ALICE').find((v) => v.view.callback_id === 'upload_modal'), 'the pushed upload form');
    expect(form.rootViewId).toBe(modal.rootViewId);
    expect(JSON.stringify(form.view.blocks)).toContain(`"initial_option":{"text":{"type":"plain_text","text":"Global shortcut panel (3)"},"value":"${g.id}"}`);
    const beforePreview = messageKeys(e2e);
    const ids = g.outsiders(2);
    await e2e.driver.viewSubmission({ user: 'U_ALICE', viewId: form.id, values: { file_input: { files: [] }, paste_input: ids.join(' '), mode_choice: 'add' } });
    const preview = await waitForPreview(e2e, beforePreview);
    expect(preview.channel).toBe(e2e.slack.dmChannelFor('U_ALICE'));
    expect(messageText(preview)).toContain('Add members to');
  });

  it('lists the groups the person changed last, newest first; others’ changes are not theirs', async () => {
    const first = newGroup(e2e, 'Recent one', 0);
    const second = newGroup(e2e, 'Recent two', 0);
    const carols = newGroup(e2e, 'Carol’s group', 0);
    // An inline add of a few ids is applied at once (no preview), and audited under its author.
    for (const [g, user] of [
      [first, 'U_CAROL'],
      [second, 'U_CAROL'],
      [carols, 'U_ALICE'],
    ] as const) {
      await e2e.pgroup(`add ${g.id} ${g.outsiders(1)[0]}`, { user });
      await eventually(() => e2e.sandbox.state.members(g.id).length === 1, 'the change applied');
      await e2e.settled();
    }
    const modal = await openGroupsModal('U_CAROL');
    const all = viewText(modal);
    expect(all).toContain('*Your recent groups*');
    // The search lists every group; the recent ones come after their heading.
    const text = all.slice(all.indexOf('*Your recent groups*'));
    expect(text.indexOf('Recent two')).toBeGreaterThan(-1);
    expect(text.indexOf('Recent two')).toBeLessThan(text.indexOf('Recent one'));
    expect(text).not.toContain('Carol’s group');

    await e2e.driver.blockAction({ user: 'U_CAROL', viewId: modal.id, actionId: 'groups_modal_recent:1', value: first.id });
    expect(viewText(await updated(modal, modal.updatedCount))).toContain(`*Recent one* \`${first.id}\` · 1 member`);
  });

  it('creates a group from a pushed form, checks the name inline, and tells the creator by DM', async () => {
    const modal = await openGroupsModal();
    await e2e.driver.blockAction({ user: 'U_ALICE', viewId: modal.id, actionId: 'groups_modal_create' });
    const form = await eventually(() => e2e.slack.openModals('U_ALICE').find((v) => v.view.callback_id === 'create_group_modal'), 'the create form');
    const taken = newGroup(e2e, 'Already here', 0);
    const refused = await e2e.driver.viewSubmission({ user: 'U_ALICE', viewId: form.id, values: { name_input: '   ', description_input: null }, clientChecks: false });
    expect(refused.outcome.outcome).toBe('errors');
    expect(e2e.sandbox.state.findGroupByName(taken.name)?.id).toBe(taken.id);

    const before = messageKeys(e2e);
    const done = await e2e.driver.viewSubmission({ user: 'U_ALICE', viewId: form.id, values: { name_input: 'Made from the shortcut', description_input: 'Pilot people' } });
    expect(done.outcome.outcome).toBe('cleared');
    const created = await waitForNew(e2e, before, (t) => t.includes('Created *Made from the shortcut*'), 'the created message');
    expect(created.channel).toBe(e2e.slack.dmChannelFor('U_ALICE'));
    expect(e2e.sandbox.state.findGroupByName('Made from the shortcut')?.description).toBe('Pilot people');
  });

  it('refuses the forms to someone who may not change groups, and still lets them look', async () => {
    const g = newGroup(e2e, 'Look only', 1);
    const modal = await openGroupsModal('U_EXT');
    const before = messageKeys(e2e);
    await e2e.driver.blockAction({ user: 'U_EXT', viewId: modal.id, actionId: 'groups_modal_upload', value: g.id });
    await waitForNew(e2e, before, (t) => t.includes('Only members of the workspace that installed this app'), 'the refusal', 'U_EXT');
    expect(e2e.slack.openModals('U_EXT').some((v) => v.view.callback_id === 'upload_modal')).toBe(false);
  });
});
