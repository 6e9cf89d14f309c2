// The one confirmation policy through the real app path: which commands are applied at once and
// which are previewed first, and `/pgroup add <group>` with no ids opening the upload form.
import { SEED_GROUP_IDS, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { messageKeys, waitForNew, waitForUploadForm } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E();

const writes = () => e2e.sandbox.requests.filter((r) => r.method !== 'GET');

/** Runs a command and returns the first new message the user sees that matches. */
async function ask(text: string, match: (t: string) => boolean) {
  const before = messageKeys(e2e);
  expect((await e2e.pgroup(text)).status).toBe(200);
  return waitForNew(e2e, before, match, `a reply to /pgroup ${text}`);
}

describe('one confirmation policy', () => {
  it('an add of typed ids to a group no live study uses, named exactly, is applied at once', async () => {
    const id = sandboxParticipantId(880_001);
    const done = await ask(`add "pilot WAVE 2" ${id}`, (t) => t.includes('Done'));
    expect(messageText(done)).toContain('+1');
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.pilotWave2)).toContain(id);
  });

  it('an add of typed ids to a group a live study uses is previewed, with the study, and written only once confirmed', async () => {
    const id = sandboxParticipantId(880_002);
    const before = writes().length;
    const preview = await ask(`add "Main panel" ${id}`, (t) => t.includes('op_confirm'));
    const text = messageText(preview);
    expect(text).toContain('*Add members to* *Main panel*?');
    expect(text).toContain('Wave 2 follow-up');
    expect(text).toContain('1 person may gain access');
    expect(writes()).toHaveLength(before);
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel)).not.toContain(id);

    await e2e.click(preview, 'op_confirm');
    await eventually(() => e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel).includes(id), 'the add');
  });

  it('a command whose group was found from part of its name is previewed, saying what the name matched', async () => {
    const id = sandboxParticipantId(880_003);
    const before = writes().length;
    const preview = await ask(`add "pilot wav" ${id}`, (t) => t.includes('op_confirm'));
    expect(messageText(preview)).toContain('You typed `pilot wav`, which matched *Pilot wave 2*: check it is the group you meant.');
    expect(writes()).toHaveLength(before);

    const rename = await ask('rename "pilot wav" "Pilot wave two"', (t) => t.includes('op_confirm'));
    expect(messageText(rename)).toContain('*Rename* *Pilot wave 2*?');
    expect(messageText(rename)).toContain('You typed `pilot wav`');
    expect(writes()).toHaveLength(before);
    expect(e2e.sandbox.state.findGroupByName('Pilot wave 2')).toBeDefined();
    await e2e.click(rename, 'op_cancel');
    await e2e.click(preview, 'op_cancel');
  });

  it('a rename of a group a live study uses, named exactly, is applied at once', async () => {
    await ask('create "Renamed at once"', (t) => t.includes('Created'));
    const group = e2e.sandbox.state.findGroupByName('Renamed at once')!;
    const done = await ask(`rename "Main panel" "Main panel (2026)"`, (t) => t.includes('Done'));
    expect(messageText(done)).toContain('renamed *Main panel* to *Main panel (2026)*');
    // No "Members 5,000 → 5,000 (+0 / −0)" for a rename.
    expect(messageText(done)).not.toContain('+0 / −0');
    expect(group).toBeDefined();
    await ask(`rename "Main panel (2026)" "Main panel"`, (t) => t.includes('Done'));
  });

  it('the help states the rule', async () => {
    const help = messageText(await ask('help', (t) => t.includes('How to use')));
    expect(help).toContain('Applied at once, and undoable');
    expect(help).toContain('Previewed first');
  });
});

describe('/pgroup add <group> with no ids', () => {
  it('opens the upload form for that group in Add mode; the form previews what it is given', async () => {
    const views = new Set(e2e.slack.views().map((v) => v.id));
    expect((await e2e.pgroup('add "Pilot wave 2"')).status).toBe(200);
    const form = await waitForUploadForm(e2e, 'U_ALICE', views);
    const blocks = form.view.blocks as { block_id?: string; element?: { initial_option?: { value: string } } }[];
    expect(blocks.find((b) => b.block_id === 'group')?.element?.initial_option?.value).toBe(SEED_GROUP_IDS.pilotWave2);
    expect(blocks.find((b) => b.block_id === 'mode')?.element?.initial_option?.value).toBe('add');

    // Pasted ids are a bulk source: previewed, even for a group no live study uses.
    const id = sandboxParticipantId(880_004);
    const before = messageKeys(e2e);
    const submitted = await e2e.driver.viewSubmission({ user: 'U_ALICE', viewId: form.id, values: { file_input: { files: [] }, paste_input: id } });
    expect(submitted.outcome.outcome).toBe('updated');
    const preview = await waitForNew(e2e, before, (t) => t.includes('op_confirm'), 'the preview');
    expect(messageText(preview)).toContain('*Add members to* *Pilot wave 2*?');
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.pilotWave2)).not.toContain(id);
    expect(findButton(preview, 'op_confirm')?.text.text).toBe('Add 1 member');
  });
});
