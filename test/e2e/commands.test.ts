import { SEED_GROUP_IDS, SEED_WORKSPACE_ID, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { findButton, messageText, startE2E, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

const ALICE = 'U_ALICE';

/** Runs a command and returns the first new message the user sees in the channel that matches. */
async function ask(text: string, match: (t: string) => boolean = () => true, as: { user?: string; channel?: string } = {}) {
  const channel = as.channel ?? 'C_GENERAL';
  const before = new Set(e2e.slack.messages().map((m) => `${m.channel}/${m.ts}`));
  const res = await e2e.pgroup(text, as);
  expect(res.status).toBe(200);
  return eventually(() => {
    const fresh = e2e.slack.messages().filter((m) => !before.has(`${m.channel}/${m.ts}`) && (!m.ephemeralTo || m.ephemeralTo === (as.user ?? ALICE)));
    return fresh.find((m) => (m.channel === channel || m.channel.startsWith('D')) && match(messageText(m)));
  }, `a reply to /pgroup ${text}`);
}

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

describe('/pgroup help', () => {
  it.each(['', 'help', 'frobnicate'])('%j shows the usage table, ephemerally', async (text) => {
    const reply = await ask(text);
    expect(reply.ephemeralTo).toBe(ALICE);
    expect(messageText(reply)).toContain('/pgroup upload [group]');
    if (text === 'frobnicate') expect(messageText(reply)).toContain('I don\'t know `frobnicate`');
  });
});

describe('/pgroup list', () => {
  it('lists the workspace’s groups with id and member count', async () => {
    const reply = await ask('list');
    const text = messageText(reply);
    expect(text).toContain('Main panel');
    expect(text).toContain(SEED_GROUP_IDS.mainPanel);
    expect(text).toContain('5,000 members');
  });

  it('filters by text', async () => {
    const text = messageText(await ask('list pilot'));
    expect(text).toContain('Pilot participants');
    expect(text).toContain('Pilot wave 2');
    expect(text).not.toContain('Main panel');
  });

  it('pages long lists with buttons', async () => {
    for (let i = 0; i < 12; i++) e2e.sandbox.state.createGroup({ name: `Cohort ${String(i).padStart(2, '0')}`, workspace_id: SEED_WORKSPACE_ID });
    const first = await ask('list cohort');
    expect(messageText(first)).toContain('Cohort 09');
    expect(messageText(first)).not.toContain('Cohort 10');
    expect(findButton(first, 'list_page:next')).toBeDefined();
    await e2e.click(first, 'list_page:next');
    const second = await eventually(() => (e2e.slack.message(first.channel, first.ts)?.updatedCount ?? 0) > 0 && e2e.slack.message(first.channel, first.ts));
    expect(messageText(second)).toContain('Cohort 10');
    expect(messageText(second)).toContain('Page 2 of 2');
  });
});

describe('/pgroup show and name resolution', () => {
  it('shows a group card with description, id, count, feeder studies and buttons', async () => {
    const card = await ask('show "passed all"');
    const text = messageText(card);
    expect(text).toContain('Passed all attention checks');
    expect(text).toContain('Participants who passed all attention checks');
    expect(text).toContain('Attention screener');
    for (const action of ['group_add_ids_open', 'group_remove_ids_open', 'group_upload_open', 'group_watch_here', 'group_history', 'group_more']) expect(findButton(card, action)).toBeDefined();
  });

  it('accepts an id, any case and a unique prefix', async () => {
    expect(messageText(await ask(`show ${SEED_GROUP_IDS.mainPanel}`))).toContain('5,000');
    expect(messageText(await ask('show MAIN'))).toContain('Main panel');
  });

  it('lists the candidates of an ambiguous name as buttons that carry on', async () => {
    const reply = await ask('show pilot');
    expect(messageText(reply)).toContain('Several groups match');
    const pick = findButton(reply, 'group_pick:1');
    expect(pick?.value).toBe(`show ${SEED_GROUP_IDS.pilotWave2}`);
    const before = e2e.slack.messages().length;
    await e2e.click(reply, 'group_pick:1');
    const card = await eventually(() => e2e.slack.messages().slice(before).find((m) => messageText(m).includes('Pilot wave 2') && messageText(m).includes('group_add_ids_open')));
    expect(card.ephemeralTo).toBe(ALICE);
  });

  it('says so for an unknown group and suggests list', async () => {
    const text = messageText(await ask('show "No such group"'));
    expect(text).toContain('No group matches');
    expect(text).toContain('/pgroup list');
  });
});

describe('changes from commands', () => {
  it('creates a group in the default workspace and announces it', async () => {
    const reply = await ask('create Wave 3 -- Second wave of the diet study', (t) => t.includes('Created'));
    expect(messageText(reply)).toContain('Wave 3');
    const group = e2e.sandbox.state.findGroupByName('Wave 3');
    expect(group).toMatchObject({ description: 'Second wave of the diet study', workspace_id: SEED_WORKSPACE_ID });
    await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('Wave 3'), 'the notification');
  });

  it('does not create a duplicate when Prolific’s answer to a create is lost', async () => {
    e2e.sandbox.faults.add({ method: 'POST', path: '/api/v1/participant-groups/', times: 1, drop: 'after' });
    const reply = await ask('create "Lost answer"', (t) => t.includes('Created') || t.includes('Prolific'));
    expect(messageText(reply)).toContain('Created');
    expect(e2e.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/participant-groups/' && (r.body as { name?: string })?.name === 'Lost answer')).toHaveLength(1);
    expect(e2e.sandbox.state.listGroups().filter((g) => g.name === 'Lost answer')).toHaveLength(1);
    e2e.sandbox.faults.clear();
  });

  it('renames inline, notifies the channel with before and after, and can be undone', async () => {
    await ask('create "Rename me"', (t) => t.includes('Created'));
    const reply = await ask('rename "Rename me" "Renamed group"', (t) => t.includes('Done'));
    expect(messageText(reply)).toContain('Renamed group');
    expect(e2e.sandbox.state.findGroupByName('Renamed group')).toBeDefined();
    const note = await e2e.waitForPost('C_NOTIFY', (m) => messageText(m).includes('renamed'), 'the rename notification');
    expect(messageText(note)).toContain('Rename me');
    expect(messageText(note)).toContain('Renamed group');
    expect(note.ephemeralTo).toBeUndefined();
    expect(findButton(note, 'op_undo')).toBeDefined();
  });

  it('refuses an unchanged or empty name', async () => {
    expect(messageText(await ask('rename "Main panel" "Main panel"'))).toContain('already the group’s name');
  });

  it('adds clean ids at once and reports +added', async () => {
    const ids = [sandboxParticipantId(900001), sandboxParticipantId(900002)];
    const reply = await ask(`add "Pilot wave 2" ${ids.join(', ')}`, (t) => t.includes('Done'));
    expect(messageText(reply)).toContain('+2');
    const members = e2e.sandbox.state.members(SEED_GROUP_IDS.pilotWave2);
    expect(members).toEqual(expect.arrayContaining(ids));
  });

  it('lists invalid inline ids and sends nothing until the valid rest is confirmed', async () => {
    const good = sandboxParticipantId(900003);
    const requestsBefore = e2e.sandbox.requests.filter((r) => r.method === 'POST').length;
    const reply = await ask(`add "Pilot wave 2" ${good} not-an-id 12345`, (t) => t.includes('invalid'));
    expect(messageText(reply)).toContain('not-an-id');
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.pilotWave2)).not.toContain(good);
    expect(e2e.sandbox.requests.filter((r) => r.method === 'POST').length).toBe(requestsBefore);
    await e2e.click(reply, 'op_confirm');
    await eventually(() => e2e.sandbox.state.members(SEED_GROUP_IDS.pilotWave2).includes(good), 'the add');
  });

  it('sends nothing when no inline id is valid', async () => {
    expect(messageText(await ask('add "Pilot wave 2" nope'))).toContain('nothing was sent to Prolific');
  });

  it('asks before removing, with a danger button and a confirm dialog', async () => {
    const target = e2e.sandbox.state.members(SEED_GROUP_IDS.pilot)[0]!;
    const preview = await ask(`remove "Pilot participants" ${target}`, (t) => t.includes('op_confirm'));
    const confirm = findButton(preview, 'op_confirm')!;
    expect(confirm.style).toBe('danger');
    expect(confirm.confirm).toBeDefined();
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.pilot)).toContain(target);
    await e2e.click(preview, 'op_confirm');
    await eventually(() => !e2e.sandbox.state.members(SEED_GROUP_IDS.pilot).includes(target), 'the removal');
    await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('removed 1 participant'), 'the notification');
  });

  it('shares the members inline and as a CSV file', async () => {
    const reply = await ask('members "Main panel"', (t) => t.includes('members') && t.includes('CSV file'));
    expect(messageText(reply)).toContain('…and 4,980 more');
    const file = await eventually(() => e2e.slack.files.find((f) => f.name.startsWith('Main_panel')));
    const lines = file.content.toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('participant_id,datetime_created');
    expect(lines).toHaveLength(5001);
  });

  it('deletes only after a danger confirmation', async () => {
    await ask('create "Delete me"', (t) => t.includes('Created'));
    const id = e2e.sandbox.state.findGroupByName('Delete me')!.id;
    const preview = await ask('delete "Delete me"', (t) => t.includes('op_confirm'));
    expect(findButton(preview, 'op_confirm')?.style).toBe('danger');
    expect(e2e.sandbox.state.getGroup(id)?.is_deleted).toBe(false);
    await e2e.click(preview, 'op_confirm');
    await eventually(() => !e2e.sandbox.state.getGroup(id) || e2e.sandbox.state.getGroup(id)?.is_deleted, 'the deletion');
  });

  it('shows the history of a group, newest first', async () => {
    const text = messageText(await ask('history "Pilot wave 2"', (t) => t.includes('History')));
    expect(text.indexOf('*add*')).toBeGreaterThan(-1);
    expect(text).toContain('<@U_ALICE>');
  });
});

describe('watching from a channel', () => {
  it('watch, watching and unwatch', async () => {
    expect(messageText(await ask('watch "Main panel"', (t) => t.includes('This channel')))).toContain('now hears about every change');
    expect(messageText(await ask('watch "Main panel"'))).toContain('already watches');
    expect(messageText(await ask('watching'))).toContain('Main panel');
    expect(messageText(await ask('unwatch "Main panel"', (t) => t.includes('This channel')))).toContain('no longer watches');
    expect(messageText(await ask('watching'))).toContain('does not watch any group');
  });
});

describe('modals', () => {
  it('opens the rename modal when no new name is given, with inline errors', async () => {
    await e2e.pgroup('rename "Excluded"');
    const modal = await eventually(() => e2e.slack.openModals(ALICE).find((v) => v.view.callback_id === 'rename_modal'), 'the rename modal');
    const blocks = JSON.stringify(modal.view.blocks);
    expect(blocks).toContain('Excluded (low quality)');
    const empty = await e2e.driver.viewSubmission({ user: ALICE, viewId: modal.id, values: { name_input: '   ' }, clientChecks: false });
    expect(empty.json).toMatchObject({ response_action: 'errors' });
    const same = await e2e.driver.viewSubmission({ user: ALICE, viewId: modal.id, values: { name_input: 'Excluded (low quality)' } });
    expect(JSON.stringify(same.json)).toContain('already the group’s name');
    const long = await e2e.driver.viewSubmission({ user: ALICE, viewId: modal.id, values: { name_input: 'x'.repeat(300) } });
    expect(JSON.stringify(long.json)).toContain('at most 255');
    const ok = await e2e.driver.viewSubmission({ user: ALICE, viewId: modal.id, values: { name_input: 'Excluded participants' } });
    expect(ok.status).toBe(200);
    await eventually(() => e2e.sandbox.state.getGroup(SEED_GROUP_IDS.excluded)?.name === 'Excluded participants', 'the rename');
  });

  it('refills the name when another group is chosen', async () => {
    await e2e.pgroup('rename "Main panel"');
    const modal = await eventually(() => e2e.slack.openModals(ALICE).reverse().find((v) => v.view.callback_id === 'rename_modal' && !v.closed && JSON.stringify(v.view.blocks).includes('initial_value')));
    await e2e.driver.blockAction({ user: ALICE, viewId: modal.id, actionId: 'group_select', selectedOption: SEED_GROUP_IDS.pilotWave2 });
    await eventually(() => JSON.stringify(e2e.slack.view(modal.id)?.view.blocks).includes('"initial_value":"Pilot wave 2"'), 'the refilled name');
  });
});

describe('permissions', () => {
  it('refuses changes from users outside ALLOWED_USER_IDS and from another team, and sends nothing', async () => {
    const limited = await startE2E({ env: { ALLOWED_USER_IDS: 'U_ALICE' }, sandbox: e2e.sandbox });
    try {
      const before = e2e.sandbox.requests.length;
      await limited.pgroup('create "Bob was here"', { user: 'U_BOB' });
      // waitForMessage fails unless the refusal is shown, to Bob only.
      // The refusal names who can help (Alice may change groups), not a configuration variable.
      const refusal = await limited.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_BOB' && messageText(m).includes('not on the list'));
      expect(messageText(refusal)).toContain('Ask <@U_ALICE>, who may change groups, to add you.');
      expect(messageText(refusal)).not.toContain('ALLOWED_USER_IDS');
      await limited.pgroup(`add "Main panel" ${sandboxParticipantId(1)}`, { user: 'U_EXT' });
      await limited.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_EXT' && messageText(m).includes('installed this app'));
      // Reading stays open.
      await limited.pgroup('list', { user: 'U_BOB' });
      await limited.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_BOB' && messageText(m).includes('Participant groups'));
      const writes = e2e.sandbox.requests.slice(before).filter((r) => r.method !== 'GET');
      expect(writes).toEqual([]);
      expect(e2e.sandbox.state.findGroupByName('Bob was here')).toBeUndefined();
    } finally {
      await limited.close();
    }
  });
});

describe('acting for others', () => {
  it('lets an admin (ADMIN_USER_IDS) confirm someone else’s preview, and nobody else', async () => {
    const admins = await startE2E({ env: { ADMIN_USER_IDS: 'U_CAROL' }, sandbox: e2e.sandbox });
    try {
      const target = e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel)[0]!;
      await admins.pgroup(`remove "Main panel" ${target}`);
      const preview = await admins.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === ALICE && messageText(m).includes('op_confirm'));
      const operationId = findButton(preview, 'op_confirm')!.value!;
      const clickAs = (user: string) =>
        admins.driver.blockAction({ user, channel: 'C_GENERAL', actionId: 'op_confirm', value: operationId });
      await clickAs('U_BOB');
      await admins.waitForMessage(
        'C_GENERAL',
        (m) => m.ephemeralTo === 'U_BOB' && messageText(m).includes('Only <@U_ALICE>, who asked for this change, or the admin of this app (<@U_CAROL>), can confirm or cancel it.'),
      );
      expect(e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel)).toContain(target);
      await clickAs('U_CAROL');
      await eventually(() => !e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel).includes(target), 'the admin’s confirmation');
      const entry = await eventually(async () => (await admins.store.listAudit({ groupId: SEED_GROUP_IDS.mainPanel, limit: 1, offset: 0 }))[0], 'the audit entry');
      expect(entry).toMatchObject({ action: 'remove', slackUserId: 'U_CAROL', outcome: 'applied' });
    } finally {
      await admins.close();
    }
  });
});

describe('request signing', () => {
  it('answers a bad signature and a stale timestamp with 401 and does nothing', async () => {
    const logsBefore = e2e.logs.length;
    const body = new URLSearchParams({ command: '/pgroup', text: 'create "Forged"', user_id: ALICE, team_id: 'T0LOCAL', channel_id: 'C_GENERAL', trigger_id: 'x', response_url: `${e2e.slack.url}response/x` }).toString();
    const wrong = await e2e.driver.raw(body, { 'content-type': 'application/x-www-form-urlencoded', ...e2e.driver.sign(`${body}tampered`) });
    expect(wrong.status).toBe(401);
    const stale = await e2e.driver.raw(body, { 'content-type': 'application/x-www-form-urlencoded', ...e2e.driver.sign(body, Math.floor(Date.now() / 1000) - 600) });
    expect(stale.status).toBe(401);
    const missing = await e2e.driver.raw(body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(missing.status).toBe(401);
    // The receiver refused each one at the signature check, before any listener ran; a signed command
    // sent after them is answered and its work finished, so anything they had started would show by now.
    expect(e2e.logs.slice(logsBefore).filter((l) => l.includes('Refused a request without a valid signature'))).toHaveLength(3);
    await ask('help', (t) => t.includes('How to use /pgroup'));
    await e2e.settled();
    expect(e2e.sandbox.state.findGroupByName('Forged')).toBeUndefined();
  });
});

describe('Prolific errors', () => {
  it('surface as readable messages, never a stack trace', async () => {
    e2e.sandbox.faults.add({ method: 'GET', path: /participant-groups\/$/, times: 1, status: 403 });
    const text = messageText(await ask('list', (t) => t.includes('Prolific')));
    expect(text).toContain('Prolific refused');
    expect(text).not.toMatch(/at \w+ \(|Error:/);
    e2e.sandbox.faults.clear();
  });
});
