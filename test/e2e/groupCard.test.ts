// The group card's actions through the real bot: Add ids and Remove ids open the upload form on that
// change, ready for pasted ids; Watch / Unwatch act for the channel the card is shown in, through
// `/pgroup watch|unwatch` (its channel check and refusal words included), and the card is drawn
// again with its button turned; History answers as `/pgroup history`; the overflow menu holds the
// rest (Rename, Delete with its typed-name preview, Export, Message, alerts by DM).
import { SEED_GROUP_IDS } from '../../src/local/prolific-sandbox';
import type { LocalMessage, LocalView } from '../../src/local/slack';
import { encodeCardMenuChoice } from '../../src/slack/cardMenuChoice';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { current, messageKeys, newGroup, operationIdOf, waitForNew, waitForPreview, waitForUploadForm } from '../harness/uploads';
import { eventually } from '../support/eventually';

const ALICE = 'U_ALICE';

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

/** `/pgroup show <group>` in a channel, and the card it answers with. */
async function showCard(groupId: string, channel = 'C_GENERAL'): Promise<LocalMessage> {
  const before = messageKeys(e2e);
  await e2e.pgroup(`show ${groupId}`, { channel });
  return waitForNew(e2e, before, (t, m) => m.channel === channel && t.includes('group_more') && t.includes(groupId), 'the group card');
}

/** The initial option of a form's input, by block id. */
function initialOf(view: LocalView, blockId: string): unknown {
  const block = (view.view.blocks as { block_id?: string; element?: { initial_option?: { value?: string } } }[]).find((b) => b.block_id === blockId);
  return block?.element?.initial_option?.value;
}

/** Clicks a card button that opens the upload form, and returns the form. */
async function openFormFrom(card: LocalMessage, actionId: string): Promise<LocalView> {
  const views = new Set(e2e.slack.views().map((v) => v.id));
  await e2e.click(card, actionId);
  return waitForUploadForm(e2e, ALICE, views);
}

/** Submits pasted ids in a form as it was opened (its group and change untouched), and returns the preview. */
async function submitPasted(view: LocalView, ids: string[]): Promise<LocalMessage> {
  const before = messageKeys(e2e);
  const answer = await e2e.driver.viewSubmission({ user: ALICE, viewId: view.id, values: { paste_input: ids.join('\n') } });
  expect(answer.outcome).toMatchObject({ outcome: 'updated' });
  return waitForPreview(e2e, before);
}

async function confirm(preview: LocalMessage): Promise<void> {
  await e2e.click(preview, 'op_confirm', ALICE, operationIdOf(preview));
  await eventually(() => messageText(current(e2e, preview)).includes('Done: you'), 'the outcome in place of the preview');
}

describe('the group card', () => {
  it('Add ids opens the upload form on Add with the group chosen; pasted ids are previewed and added', async () => {
    const g = newGroup(e2e, 'Card additions', 2);
    const card = await showCard(g.id);
    const form = await openFormFrom(card, 'group_add_ids_open');
    expect(initialOf(form, 'group')).toBe(g.id);
    expect(initialOf(form, 'mode')).toBe('add');
    const added = g.outsiders(3);
    const preview = await submitPasted(form, added);
    expect(messageText(preview)).toContain('Card additions');
    expect(e2e.sandbox.state.members(g.id)).toHaveLength(2);
    await confirm(preview);
    expect([...e2e.sandbox.state.members(g.id)].sort()).toEqual([...g.members, ...added].sort());
  });

  it('Remove ids opens the upload form on Remove with the group chosen; pasted ids are previewed and removed', async () => {
    const g = newGroup(e2e, 'Card removals', 4);
    const card = await showCard(g.id);
    const form = await openFormFrom(card, 'group_remove_ids_open');
    expect(initialOf(form, 'group')).toBe(g.id);
    expect(initialOf(form, 'mode')).toBe('remove');
    const preview = await submitPasted(form, g.members.slice(0, 2));
    expect(e2e.sandbox.state.members(g.id)).toHaveLength(4);
    await confirm(preview);
    expect([...e2e.sandbox.state.members(g.id)].sort()).toEqual(g.members.slice(2).sort());
  });

  it('Upload opens the form with the group chosen and no change chosen yet', async () => {
    const g = newGroup(e2e, 'Card upload', 1);
    const form = await openFormFrom(await showCard(g.id), 'group_upload_open');
    expect(initialOf(form, 'group')).toBe(g.id);
    expect(initialOf(form, 'mode')).toBeUndefined();
  });

  it('Watch here makes the channel watch the group and turns the card’s button to Unwatch here; Unwatch here turns it back', async () => {
    const g = newGroup(e2e, 'Card watching', 1);
    const card = await showCard(g.id);
    expect(findButton(card, 'group_watch_here')?.text.text).toBe('Watch here');
    expect(findButton(card, 'group_unwatch_here')).toBeUndefined();

    let before = messageKeys(e2e);
    await e2e.click(card, 'group_watch_here', ALICE, g.id);
    const watched = await waitForNew(e2e, before, (t) => t.includes('now hears about every change'), 'the watch reply');
    expect(watched.ephemeralTo).toBe(ALICE);
    // The channel is told, as by the command.
    await waitForNew(e2e, before, (t, m) => m.channel === 'C_GENERAL' && !m.ephemeralTo && t.includes('Card watching'), 'the announcement in the channel');
    expect((await e2e.store.listSubscriptions({ groupId: g.id })).map((s) => [s.channelId, s.createdBy])).toEqual([['C_GENERAL', ALICE]]);
    const turned = await eventually(() => (findButton(current(e2e, card), 'group_unwatch_here') ? current(e2e, card) : undefined), 'the card with Unwatch here');
    expect(findButton(turned, 'group_unwatch_here')?.text.text).toBe('Unwatch here');
    expect(findButton(turned, 'group_watch_here')).toBeUndefined();
    expect(messageText(turned)).toContain('This channel hears about every change to this group.');
    // Shown again, the card knows the channel watches the group.
    expect(findButton(await showCard(g.id), 'group_unwatch_here')).toBeDefined();
    // Elsewhere (the DM with the app) it does not.
    expect(findButton(await showCard(g.id, 'D_ALICE'), 'group_watch_here')).toBeDefined();

    before = messageKeys(e2e);
    await e2e.click(turned, 'group_unwatch_here', ALICE, g.id);
    await waitForNew(e2e, before, (t, m) => m.ephemeralTo === ALICE && t.includes('no longer'), 'the unwatch reply');
    expect(await e2e.store.listSubscriptions({ groupId: g.id })).toEqual([]);
    await eventually(() => findButton(current(e2e, card), 'group_watch_here'), 'the card with Watch here again');
    expect(messageText(current(e2e, card))).not.toContain('hears about every change to this group');
  });

  it('Watch here in a channel the app is not in gives the command’s refusal and subscribes nothing', async () => {
    e2e.slack.addChannel({ id: 'C_CARD_OUTSIDE', name: 'card-outside', botIsMember: false });
    const g = newGroup(e2e, 'Card outside', 1);
    const card = await showCard(g.id, 'C_CARD_OUTSIDE');
    const before = messageKeys(e2e);
    await e2e.click(card, 'group_watch_here', ALICE, g.id);
    const refused = await waitForNew(e2e, before, (t) => t.includes('/invite @pgroup'), 'the refusal');
    expect(messageText(refused)).toContain('The app is not in this channel');
    await e2e.settled();
    expect(await e2e.store.listSubscriptions({ groupId: g.id, includeBroken: true })).toEqual([]);
    expect(findButton(current(e2e, card), 'group_watch_here')).toBeDefined();
  });

  it('History answers as `/pgroup history <group>` does, to the person who clicked', async () => {
    const g = newGroup(e2e, 'Card history', 1);
    await e2e.pgroup(`add ${g.id} ${g.outsiders(1)[0]}`);
    await eventually(() => e2e.sandbox.state.members(g.id).length === 2, 'the addition');
    await e2e.settled();
    let before = messageKeys(e2e);
    await e2e.pgroup(`history ${g.id}`);
    const byCommand = await waitForNew(e2e, before, (t) => t.includes('History') && t.includes('Card history'), 'the history by command');
    const card = await showCard(g.id);
    before = messageKeys(e2e);
    await e2e.click(card, 'group_history', ALICE, g.id);
    const byButton = await waitForNew(e2e, before, (t) => t.includes('History') && t.includes('Card history'), 'the history by button');
    expect(byButton.ephemeralTo).toBe(ALICE);
    expect(byButton.blocks).toEqual(byCommand.blocks);
    expect(messageText(byButton)).toContain('<@U_ALICE>');
    // The card stays: the history is a new answer.
    expect(current(e2e, card).deleted).toBeFalsy();
    expect(findButton(current(e2e, card), 'group_history')).toBeDefined();
  });

  it('Rename… in the overflow menu opens the rename form for the group', async () => {
    const card = await showCard(SEED_GROUP_IDS.pilotWave2);
    const views = new Set(e2e.slack.views().map((v) => v.id));
    await e2e.click(card, 'group_more', ALICE, encodeCardMenuChoice({ kind: 'rename', groupId: SEED_GROUP_IDS.pilotWave2 }));
    const form = await eventually(() => e2e.slack.openModals(ALICE).find((v) => !views.has(v.id) && v.view.callback_id === 'rename_modal' && initialOf(v, 'group')), 'the rename form');
    expect(initialOf(form, 'group')).toBe(SEED_GROUP_IDS.pilotWave2);
  });

  it('Delete group… in the overflow menu leads to the delete preview, confirmed by typing the name; nothing is deleted yet', async () => {
    const g = newGroup(e2e, 'Card deletion', 2);
    const card = await showCard(g.id);
    const before = messageKeys(e2e);
    await e2e.click(card, 'group_more', ALICE, encodeCardMenuChoice({ kind: 'delete', groupId: g.id }));
    const preview = await waitForNew(e2e, before, (_, m) => Boolean(findButton(m, 'op_confirm_typed')), 'the delete preview');
    expect(findButton(preview, 'op_confirm_typed')?.style).toBe('danger');
    expect(messageText(preview)).toContain('Card deletion');
    await e2e.settled();
    expect(e2e.sandbox.state.getGroup(g.id)?.is_deleted).toBeFalsy();
  });
});
