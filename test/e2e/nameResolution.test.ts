// Names resolve the way people type them, in every command: exact beats prefix beats the start of a
// word beats anywhere in the name; several equally good matches are buttons that show the end of
// each id and the description; an unknown name suggests the closest ones.
import { SEED_GROUP_IDS, SEED_WORKSPACE_ID } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

const ALICE = 'U_ALICE';
const e2e = useE2E();

/** Runs a command in C_GENERAL and waits for the first new reply to Alice that matches. */
async function ask(text: string, match: (t: string) => boolean): Promise<LocalMessage> {
  const before = new Set(e2e.slack.messages().map((m) => `${m.channel}/${m.ts}`));
  expect((await e2e.pgroup(text)).status).toBe(200);
  return eventually(() => e2e.slack.messages().find((m) => !before.has(`${m.channel}/${m.ts}`) && m.ephemeralTo === ALICE && match(messageText(m))), `a reply to /pgroup ${text}`);
}

/** Clicks a button and waits for the next reply to Alice that matches. */
async function clickFor(message: LocalMessage, actionId: string, match: (t: string) => boolean): Promise<LocalMessage> {
  const before = new Set(e2e.slack.messages().map((m) => `${m.channel}/${m.ts}`));
  await e2e.click(message, actionId);
  return eventually(() => e2e.slack.messages().find((m) => !before.has(`${m.channel}/${m.ts}`) && m.ephemeralTo === ALICE && match(messageText(m))), `the reply to ${actionId}`);
}

describe('one resolver for every command', () => {
  it('a word inside a name finds the group in show, as in list', async () => {
    const card = await ask('show attention', (t) => t.includes('group_more'));
    expect(messageText(card)).toContain(SEED_GROUP_IDS.attentionChecks);
    const history = await ask('history attention', (t) => t.includes('History'));
    expect(messageText(history)).toContain('Passed all attention checks');
  });

  it('an unknown name suggests the closest one, and its button carries on with it', async () => {
    const reply = await ask('show pilto wave 2', (t) => t.includes('No group matches'));
    expect(messageText(reply)).toContain('Did you mean *Pilot wave 2*?');
    const card = await clickFor(reply, 'group_pick:0', (t) => t.includes('group_more'));
    expect(messageText(card)).toContain(SEED_GROUP_IDS.pilotWave2);
  });

  it('two groups of one name: buttons show the end of each id and the description, and pick that group', async () => {
    const uk = e2e.sandbox.state.createGroup({ name: 'Twin cohort', workspace_id: SEED_WORKSPACE_ID, description: 'UK sample' });
    const us = e2e.sandbox.state.createGroup({ name: 'Twin cohort', workspace_id: SEED_WORKSPACE_ID, description: 'US sample' });
    const reply = await ask('show "twin cohort"', (t) => t.includes('Several groups match'));
    const text = messageText(reply);
    expect(text).toContain(`…${uk.id.slice(-6)}`);
    expect(text).toContain(`…${us.id.slice(-6)}`);
    expect(text).toContain('UK sample');
    expect(text).toContain('US sample');
    const usButton = ['group_pick:0', 'group_pick:1'].find((id) => findButton(reply, id)?.value?.includes(us.id))!;
    expect(findButton(reply, usButton)?.text.text).toBe(`Use Twin cohort …${us.id.slice(-6)}`);
    const card = await clickFor(reply, usButton, (t) => t.includes('group_more'));
    expect(messageText(card)).toContain(us.id);
    expect(messageText(card)).toContain('US sample');
  });
});

describe('an unquoted name with spaces before the ids', () => {
  it('`add Main panel <id> <id>` uses the whole name, and no word of it is taken for an invalid id', async () => {
    const ids = ['5e9b9c9b00000000000bb001', '5e9b9c9b00000000000bb002'];
    const reply = await ask(`add Main panel ${ids.join(' ')}`, (t) => t.includes('Main panel') && t.includes(ids[0]!));
    const text = messageText(reply);
    expect(text).toContain('Add 2 members');
    expect(text).toContain('5,002');
    expect(text).not.toContain('invalid');
    expect(text).not.toContain('`panel`');
  });

  it('falls back to the first word when the longer name names no group', async () => {
    const reply = await ask('add Pilot nonsense 5e9b9c9b00000000000bb003', (t) => t.includes('Several groups match') || t.includes('Pilot'));
    expect(messageText(reply)).not.toContain('Pilot nonsense');
  });
});

describe('a name another group already has', () => {
  const named = (name: string) => [...e2e.sandbox.state.records()].filter((r) => !r.is_deleted && r.name === name);

  it('create asks first; Cancel creates nothing, Create anyway creates the group', async () => {
    const warning = await ask('create Main panel', (t) => t.includes('already exists'));
    expect(messageText(warning)).toContain('Nothing has been created yet');
    expect(named('Main panel')).toHaveLength(1);

    await e2e.click(warning, 'group_create_cancel');
    await eventually(() => {
      const now = e2e.slack.message(warning.channel, warning.ts);
      return now && messageText(now).includes('Nothing was created');
    }, 'the warning replaced by "Nothing was created"');
    expect(named('Main panel')).toHaveLength(1);

    const again = await ask('create Main panel', (t) => t.includes('already exists'));
    await clickFor(again, 'group_create_despite_name', (t) => t.includes('Created'));
    await eventually(() => named('Main panel').length === 2, 'the second group called Main panel');
  });

  it('rename to a taken name is previewed with a warning, not applied at once', async () => {
    const preview = await ask('rename "Pilot wave 2" Main panel', (t) => t.includes('Another group already has this name'));
    expect(findButton(preview, 'op_confirm')).toBeDefined();
    expect(e2e.sandbox.state.getGroup(SEED_GROUP_IDS.pilotWave2)?.name).toBe('Pilot wave 2');
  });

  it('a rename to a free name is still applied at once', async () => {
    await ask('rename "Pilot wave 2" Pilot wave two', (t) => t.includes('renamed'));
    expect(e2e.sandbox.state.getGroup(SEED_GROUP_IDS.pilotWave2)?.name).toBe('Pilot wave two');
  });
});
