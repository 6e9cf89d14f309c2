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
    await ask(ann, `add "Main panel" ${sandboxParticipantId(970001)}`, (t) => t.includes('Done') && t.includes('+1'));
    expect(lookupsOf(ann)).toHaveLength(1);

    // Reading needs no lookup at all.
    await ask(ben, 'show "Pilot wave 2"', (t) => t.includes('Pilot wave 2'));
    await ask(ben, 'list', (t) => t.includes('Participant groups'));
    expect(lookupsOf(ben)).toHaveLength(0);

    // Another person's change: one lookup of theirs. Ann's next change: the bot still knows her workspace.
    await ask(cat, 'create "Made by Cat"', (t) => t.includes('Created') && t.includes('Made by Cat'));
    await ask(ann, `remove "Main panel" ${sandboxParticipantId(970001)}`, (t) => t.includes('op_confirm'));
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
