// One actor per request: a slash command's sender is looked up (users.info) at most once, only when
// the command needs to know who may change what, and only after the ack; when the lookup fails,
// changes are refused and reading goes on. Through real Bolt, the local Slack and the sandbox.
import { SEED_GROUP_IDS, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

const e2e = useE2E();

/** Someone the bot has never seen, so that no lookup of theirs is remembered from another test. */
function newcomer(id: string): string {
  e2e.slack.addUser({ id, name: id.toLowerCase() });
  return id;
}

/** Sends `/pgroup text` and waits for the first new message the user sees that matches. */
async function ask(user: string, text: string, match: (t: string) => boolean): Promise<LocalMessage> {
  const before = e2e.slack.messages().length;
  const res = await e2e.pgroup(text, { user });
  expect(res.status).toBe(200);
  return eventually(() => e2e.slack.messages().slice(before).find((m) => (!m.ephemeralTo || m.ephemeralTo === user) && match(messageText(m))), `a reply to /pgroup ${text}`);
}

const lookupsOf = (user: string) => e2e.slack.callsTo('users.info').filter((call) => call.args.user === user);
const writes = () => e2e.sandbox.requests.filter((r) => r.method !== 'GET');

describe('the actor of a slash command', () => {
  it('is looked up once per request, only by commands that change something, and then kept by the bot for a while', async () => {
    const [ann, ben, cat] = [newcomer('U_ANN'), newcomer('U_BEN'), newcomer('U_CAT')];
    await ask(ann, `add "Pilot wave 2" ${sandboxParticipantId(970001)}`, (t) => t.includes('Done') && t.includes('+1'));
    expect(lookupsOf(ann)).toHaveLength(1);

    // Reading needs no lookup at all.
    await ask(ben, 'show "Pilot wave 2"', (t) => t.includes('Pilot wave 2'));
    await ask(ben, 'list', (t) => t.includes('Participant groups'));
    expect(lookupsOf(ben)).toHaveLength(0);

    // Another person's change: one lookup of theirs. Ann's next change: the bot still knows her workspace.
    await ask(cat, 'create "Made by Cat"', (t) => t.includes('Created') && t.includes('Made by Cat'));
    await ask(ann, `remove "Main panel" ${sandboxParticipantId(970001)}`, (t) => t.includes('op_cancel'));
    expect(lookupsOf(cat)).toHaveLength(1);
    expect(lookupsOf(ann)).toHaveLength(1);
  });

  it('is looked up after the ack: a lookup Slack holds back for 3 seconds does not hold back the ack', async () => {
    const dan = newcomer('U_DAN');
    e2e.slack.failNext('users.info', { status: 429, retryAfterSeconds: 3 });
    const res = await e2e.pgroup('create "Acked before asking"', { user: dan });
    const ackedAt = Date.now();
    expect(res.status).toBe(200);
    expect(res.ackMs).toBeLessThan(3000);
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === dan && messageText(m).includes('Acked before asking'), 'the created group');
    const lookups = lookupsOf(dan);
    expect(lookups.map((call) => call.status)).toEqual([429, 200]);
    expect(lookups[1]!.at.getTime()).toBeGreaterThanOrEqual(ackedAt);
  });

  it('when the lookup fails, changes are refused with a reason and nothing is written; reading still works', async () => {
    const [eve, fay] = [newcomer('U_EVE'), newcomer('U_FAY')];
    // Fay's lookup succeeds (and is kept); Eve's fail below.
    await ask(fay, 'watch "Main panel"', (t) => t.includes('now hears about every change'));
    const before = writes().length;

    e2e.slack.failNext('users.info', { error: 'internal_error' });
    const refused = await ask(eve, `add "Main panel" ${sandboxParticipantId(970002)}`, (t) => t.includes('which workspace'));
    expect(refused.ephemeralTo).toBe(eve);
    expect(messageText(refused)).toContain('I changed nothing');
    expect(messageText(refused)).toContain('You can still list and view groups');

    e2e.slack.failNext('users.info', { error: 'internal_error' });
    await ask(eve, 'unwatch "Main panel"', (t) => t.includes('which workspace'));
    e2e.slack.failNext('users.info', { error: 'internal_error' });
    await ask(eve, 'create "Never made"', (t) => t.includes('which workspace'));
    expect(writes().slice(before)).toEqual([]);
    expect(e2e.sandbox.state.findGroupByName('Never made')).toBeUndefined();
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel)).not.toContain(sandboxParticipantId(970002));

    // Reading: with the lookup failing, the workspace's watch list comes from the channel's workspace.
    e2e.slack.failNext('users.info', { error: 'internal_error' });
    const watching = await ask(eve, 'watching all', (t) => t.includes('watches'));
    expect(messageText(watching)).toContain('Main panel');
    expect(lookupsOf(eve).filter((call) => !call.ok)).toHaveLength(4);

    // A failed lookup is not kept: the next command asks again, and the change goes through.
    await ask(eve, 'create "Made after all"', (t) => t.includes('Created') && t.includes('Made after all'));
    expect(e2e.sandbox.state.findGroupByName('Made after all')).toBeDefined();
    expect(lookupsOf(eve).at(-1)).toMatchObject({ ok: true });
  });
});

describe('Enterprise Grid and Slack Connect: who counts as a member of the installing workspace', () => {
  const ORG = { id: 'E0LOCALORG', name: 'Local Org' };
  const grid = useE2E({ slackOptions: { enterprise: ORG } });

  /** Sends `/pgroup text` in the installing workspace's #general and waits for the user's matching reply. */
  async function askOnGrid(user: string, text: string, match: (t: string) => boolean): Promise<LocalMessage> {
    const before = grid.slack.messages().length;
    const res = await grid.pgroup(text, { user });
    expect(res.status).toBe(200);
    return eventually(() => grid.slack.messages().slice(before).find((m) => (!m.ephemeralTo || m.ephemeralTo === user) && match(messageText(m))), `a reply to /pgroup ${text}`);
  }
  const gridWrites = () => grid.sandbox.requests.filter((r) => r.method !== 'GET');

  it('a member of the organisation whose fixed team is another workspace, but who belongs to the installing one, may change groups, by command and by button', async () => {
    // On Grid, users.info's team_id is one workspace for the whole organisation; enterprise_user.teams says where else they belong.
    grid.slack.addUser({ id: 'W_GINA', name: 'gina', teamId: 'T0SISTER', enterprise: { ...ORG, teams: ['T0SISTER', grid.slack.teamId] } });
    await askOnGrid('W_GINA', 'create "Made on Grid"', (t) => t.includes('Created') && t.includes('Made on Grid'));
    expect(grid.sandbox.state.findGroupByName('Made on Grid')).toBeDefined();

    // A button click carries the same fixed team_id in user.team_id: it is checked the same way.
    const id = sandboxParticipantId(971001);
    grid.sandbox.state.addMembers(SEED_GROUP_IDS.mainPanel, [id]);
    const preview = await askOnGrid('W_GINA', `remove "Main panel" ${id}`, (t) => t.includes('op_confirm'));
    await grid.click(preview, 'op_confirm', 'W_GINA');
    await eventually(() => !grid.sandbox.state.members(SEED_GROUP_IDS.mainPanel).includes(id), 'the removal');
  });

  it('a Slack Connect user from another organisation (on Grid or not) and a member of a sister workspace only are refused, and nothing is written', async () => {
    grid.slack.addUser({ id: 'W_PAT', name: 'pat.partner', teamId: 'T0PARTNER', enterprise: { id: 'E0PARTNER', name: 'Partner Org', teams: ['T0PARTNER'] } });
    grid.slack.addUser({ id: 'W_SAM', name: 'sam.sister', teamId: 'T0SISTER', enterprise: { ...ORG, teams: ['T0SISTER'] } });
    const before = gridWrites().length;
    for (const user of ['W_PAT', 'U_EXT', 'W_SAM']) {
      const refused = await askOnGrid(user, `create "Made by ${user}"`, (t) => t.includes('installed this app'));
      expect(refused.ephemeralTo).toBe(user);
      expect(grid.sandbox.state.findGroupByName(`Made by ${user}`)).toBeUndefined();
    }
    expect(gridWrites().slice(before)).toEqual([]);
  });

  it('when users.info fails for a Grid member’s click, the change is refused and nothing is written', async () => {
    grid.slack.addUser({ id: 'W_GUS', name: 'gus', teamId: 'T0SISTER', enterprise: { ...ORG, teams: ['T0SISTER', grid.slack.teamId] } });
    await grid.driver.event({ type: 'app_home_opened', user: 'W_GUS', tab: 'home' });
    const home = await eventually(() => grid.slack.homeView('W_GUS'), 'App Home');
    // The click's user.team_id is not the installing workspace, so only users.info can tell; it fails.
    grid.slack.failNext('users.info', { error: 'internal_error' });
    await grid.driver.blockAction({ user: 'W_GUS', viewId: home.id, actionId: 'group_upload_open' });
    await eventually(() => grid.slack.messages().find((m) => m.channel === 'D_GUS' && messageText(m).includes('which workspace')), 'the refusal by DM');
    expect(grid.slack.openModals('W_GUS')).toEqual([]);
    // Asked again on the next click, it succeeds: the form opens.
    await grid.driver.blockAction({ user: 'W_GUS', viewId: home.id, actionId: 'group_upload_open' });
    await eventually(() => grid.slack.openModals('W_GUS').length === 1, 'the upload form');
  });
});
