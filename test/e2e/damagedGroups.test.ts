// Prolific's answer can hold a group with a null name, id or member count. One such group must not
// break `/pgroup list` or the group pickers for all the others: a group without a name is shown as
// "(unnamed group)"; one without an id or a count cannot be used, so it is left out with a warning.
import { SEED_WORKSPACE_ID } from '../../src/local/prolific-sandbox';
import { messageText, useE2E } from '../harness/e2e';
import { ask } from '../reliability/conversation';
import { eventually } from '../support/eventually';

const e2e = useE2E();

function seedDamaged() {
  const state = e2e.sandbox.state;
  const unnamed = state.createGroup({ name: 'ignored', workspace_id: SEED_WORKSPACE_ID, nullFields: ['name'] });
  state.createGroup({ name: 'Damaged no id', workspace_id: SEED_WORKSPACE_ID, nullFields: ['id'] });
  state.createGroup({ name: 'Damaged no count', workspace_id: SEED_WORKSPACE_ID, nullFields: ['participant_count'] });
  return unnamed.id;
}

function seedCountless() {
  return e2e.sandbox.state.createGroup({ name: 'Damaged no count', workspace_id: SEED_WORKSPACE_ID, nullFields: ['participant_count'] }).id;
}

describe('a group in Prolific’s answer with a null field', () => {
  it('list: shows every other group, the unnamed one as "(unnamed group)", and leaves out the unusable ones with a warning', async () => {
    const unnamedId = seedDamaged();
    const reply = await ask(e2e, 'list', (t) => t.includes('participant group'));
    const text = messageText(reply);
    expect(text).toContain('Main panel');
    expect(text).toContain('(unnamed group)');
    expect(text).toContain(unnamedId);
    expect(text).not.toContain('Damaged no');
    expect(e2e.logs.some((l) => l.includes('participant groups without an id or a member count were left out'))).toBe(true);
  });

  it('the upload form’s group picker opens and offers the unnamed group', async () => {
    const unnamedId = seedDamaged();
    const before = new Set(e2e.slack.views().map((v) => v.id));
    await e2e.pgroup('upload');
    const form = await eventually(
      () => e2e.slack.openModals('U_ALICE').find((v) => !before.has(v.id) && v.view.callback_id === 'upload_modal' && JSON.stringify(v.view.blocks).includes('mode_choice')),
      'the upload form',
    );
    const blocks = JSON.stringify(form.view.blocks);
    expect(blocks).toContain(`"value":"${unnamedId}"`);
    expect(blocks).toContain('(unnamed group) (0)');
    expect(blocks).not.toContain('Damaged no');
  });

  it('show: the unnamed group’s card has a header', async () => {
    const unnamedId = seedDamaged();
    const card = await ask(e2e, `show ${unnamedId}`, (t) => t.includes(unnamedId));
    expect(JSON.stringify(card.blocks)).toContain('"type":"header","text":{"type":"plain_text","text":"(unnamed group)"');
  });

  it('show of a group answered without a member count: says what Prolific answered, and no card', async () => {
    const id = seedCountless();
    const reply = await ask(e2e, `show ${id}`, (t) => t.includes('Prolific'));
    expect(messageText(reply)).toContain('Prolific answered GET');
    expect(messageText(reply)).toContain('a participant group without an id or a member count');
  });
});
