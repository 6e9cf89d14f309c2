// Requests that do not carry Slack's signature over exactly the body received: missing, wrong,
// stale or dated in the future, or a valid signature over a body changed afterwards. Each gets 401 and does nothing: no
// request to Prolific, no call to Slack, no change to a pending operation.
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { ALICE, freshGroup } from './conversation';

let operationId = '';
let groupId = '';

const FORM = 'application/x-www-form-urlencoded';

const e2e = useE2E();
beforeAll(async () => {
  const group = freshGroup(e2e, 'Guarded group', 400_000, 3);
  groupId = group.id;
  // A real pending removal that a forged click would try to confirm.
  await e2e.pgroup(`remove ${group.id} ${e2e.sandbox.state.members(group.id)[0]}`);
  const preview = await eventually(() => e2e.slack.messages().find((m) => messageText(m).includes('op_confirm')), 'the preview');
  operationId = findButton(preview, 'op_confirm')!.value!;
});

/** Three kinds of request Slack sends: a slash command, a button click, an Events API callback. */
function bodies(): Record<string, { body: string; contentType: string; tampered: string }> {
  const command = (text: string) =>
    new URLSearchParams({ command: '/pgroup', text, user_id: ALICE, user_name: 'alice', team_id: 'T0LOCAL', channel_id: 'C_GENERAL', trigger_id: 'x', response_url: `${e2e.slack.url}response/NOPE`, api_app_id: 'A0LOCALAPP' }).toString();
  const click = (user: string) =>
    new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: user, team_id: 'T0LOCAL' },
        team: { id: 'T0LOCAL' },
        api_app_id: 'A0LOCALAPP',
        trigger_id: 'x',
        channel: { id: 'C_GENERAL' },
        container: { type: 'message', channel_id: 'C_GENERAL', is_ephemeral: true },
        actions: [{ type: 'button', action_id: 'op_confirm', block_id: 'operation', value: operationId, action_ts: '1' }],
      }),
    }).toString();
  const event = (user: string) =>
    JSON.stringify({ type: 'event_callback', team_id: 'T0LOCAL', api_app_id: 'A0LOCALAPP', event: { type: 'app_home_opened', user, tab: 'home', channel: 'D1', event_ts: '1' }, event_id: 'Ev1', event_time: 1 });
  return {
    'a slash command': { body: command(`create "Forged group"`), contentType: FORM, tampered: command(`delete ${groupId}`) },
    'a confirm click': { body: click(ALICE), contentType: FORM, tampered: click('U_BOB') },
    'an event': { body: event(ALICE), contentType: 'application/json', tampered: event('U_BOB') },
  };
}

const now = () => Math.floor(Date.now() / 1000);
const FORGERIES: [string, (b: { body: string; tampered: string }) => { body: string; headers: Record<string, string> }][] = [
  ['no signature', (b) => ({ body: b.body, headers: {} })],
  ['a signature made with the wrong secret', (b) => ({ body: b.body, headers: { 'X-Slack-Signature': `v0=${'0'.repeat(64)}`, 'X-Slack-Request-Timestamp': String(now()) } })],
  ['a valid signature that is 10 minutes old', (b) => ({ body: b.body, headers: e2e.driver.sign(b.body, now() - 600) })],
  ['a valid signature dated 10 minutes ahead', (b) => ({ body: b.body, headers: e2e.driver.sign(b.body, now() + 600) })],
  ['a valid signature over a body changed afterwards', (b) => ({ body: b.tampered, headers: e2e.driver.sign(b.body) })],
];

/** Someone none of the requests above names, so that what the app does for them is told apart. */
const PROBE_USER = 'U_CAROL';

/**
 * A correctly signed `/pgroup help` from PROBE_USER, sent after a refused request: once its reply
 * is shown and the bot has no work left in flight, the app has handled everything sent before it.
 */
async function probe(): Promise<void> {
  const res = await e2e.pgroup('help', { user: PROBE_USER });
  expect(res.status).toBe(200);
  await eventually(() => e2e.slack.messages('C_GENERAL').some((m) => m.ephemeralTo === PROBE_USER && messageText(m).includes('/pgroup')), 'the reply to the probe');
  await e2e.settled();
}

const forProbe = (value: unknown) => JSON.stringify(value).includes(PROBE_USER);

describe.each(['a slash command', 'a confirm click', 'an event'])('%s', (kind) => {
  it.each(FORGERIES)('with %s gets 401 and does nothing', async (_what, forge) => {
    const request = bodies()[kind]!;
    const prolificBefore = e2e.sandbox.requests.length;
    const slackBefore = e2e.slack.calls.length;
    const messagesBefore = e2e.slack.messages().length;
    const logsBefore = e2e.logs.length;
    const forged = forge(request);
    const res = await e2e.driver.raw(forged.body, { 'content-type': request.contentType, ...forged.headers });
    expect(res.status).toBe(401);
    // The receiver refused it at the signature check, before Bolt or any listener saw it.
    expect(e2e.logs.slice(logsBefore).filter((l) => l.includes('Refused a request without a valid signature'))).toHaveLength(1);
    await probe();
    expect(e2e.sandbox.requests.slice(prolificBefore)).toEqual([]);
    expect(e2e.slack.calls.slice(slackBefore).filter((c) => !forProbe(c.args))).toEqual([]);
    expect(e2e.slack.messages().slice(messagesBefore).filter((m) => !forProbe(m))).toEqual([]);
    expect((await e2e.store.getOperation(operationId))?.status).toBe('pending');
  });
});

describe('the same requests, correctly signed', () => {
  // The check above is the signature, not the shape of the requests: signed, each one is taken.
  const signed = async (kind: string) => {
    const request = bodies()[kind]!;
    const res = await e2e.driver.raw(request.body, { 'content-type': request.contentType, ...e2e.driver.sign(request.body) });
    expect(res.status).toBe(200);
  };

  it('a slash command creates the group', async () => {
    await signed('a slash command');
    await eventually(() => e2e.sandbox.state.findGroupByName('Forged group'), 'the group');
  });

  it('an event publishes App Home', async () => {
    await signed('an event');
    await eventually(() => e2e.slack.callsTo('views.publish').length > 0, 'App Home');
  });

  it('a confirm click applies the pending removal', async () => {
    await signed('a confirm click');
    await eventually(async () => (await e2e.store.getOperation(operationId))?.status === 'applied', 'the confirmation');
    expect(e2e.sandbox.state.members(groupId)).toHaveLength(2);
  });
});
