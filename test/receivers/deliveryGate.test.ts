// Repeated deliveries: the same signed request sent again within the signature window (a replay),
// and Slack's own retry of an event (a new timestamp and signature, the same event_id). Each repeat
// gets 2xx and does nothing; the first is handled once. In HTTP mode and in Socket Mode, and across
// two instances sharing one store.
import { randomBytes } from 'node:crypto';
import { SEED_WORKSPACE_ID, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { LocalSlack } from '../../src/local/slack';
import { type E2E, messageText, startE2E, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { sharedDatabases } from '../support/sharedDatabases';

const FORM = 'application/x-www-form-urlencoded';
const ALICE = 'U_ALICE';
const PROBE_USER = 'U_CAROL';

/** A slash command's signed body, built once so that it can be sent again byte for byte. */
function commandBody(e2e: E2E, text: string, user = ALICE): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: e2e.slack.teamId,
    channel_id: 'C_GENERAL',
    channel_name: 'general',
    user_id: user,
    user_name: user,
    command: '/pgroup',
    text,
    api_app_id: e2e.slack.appId,
    response_url: e2e.slack.createResponseUrl({ channel: 'C_GENERAL', user }),
    trigger_id: e2e.slack.issueTriggerId(user),
  }).toString();
}

/**
 * A signed `/pgroup help` from PROBE_USER: once its reply is shown and the bot has no work left in
 * flight, everything sent before it has been handled.
 */
async function probe(e2e: E2E): Promise<void> {
  const before = e2e.slack.messages().length;
  expect((await e2e.pgroup('help', { user: PROBE_USER })).status).toBe(200);
  await eventually(() => e2e.slack.messages().slice(before).some((m) => m.ephemeralTo === PROBE_USER), 'the reply to the probe');
  await e2e.settled();
}

const groupCreations = (e2e: E2E, name: string) =>
  e2e.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/participant-groups/') && JSON.stringify(r.body).includes(name));

describe('in HTTP mode', () => {
  const e2e = useE2E();

  it('makes one group from the same signed /pgroup create sent three times', async () => {
    const body = commandBody(e2e, 'create "Sent thrice"');
    const headers = { 'content-type': FORM, ...e2e.driver.sign(body) };
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await e2e.driver.raw(body, headers));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await eventually(() => e2e.sandbox.state.findGroupByName('Sent thrice'), 'the group');
    await probe(e2e);
    expect(groupCreations(e2e, 'Sent thrice')).toHaveLength(1);
    expect(e2e.logs.filter((l) => l.includes('A repeat of a delivery already handled'))).toHaveLength(2);
  });

  it('does not add again, on a replayed add, an id removed since', async () => {
    const id = sandboxParticipantId(930_001);
    const group = e2e.sandbox.state.createGroup({ name: 'Replayed add', workspace_id: SEED_WORKSPACE_ID, participant_ids: [sandboxParticipantId(930_000)] });
    const body = commandBody(e2e, `add ${group.id} ${id}`);
    const headers = { 'content-type': FORM, ...e2e.driver.sign(body) };
    expect((await e2e.driver.raw(body, headers)).status).toBe(200);
    await eventually(() => e2e.sandbox.state.members(group.id).includes(id), 'the add');
    await probe(e2e);
    e2e.sandbox.state.removeMembers(group.id, [id]);

    const replay = await e2e.driver.raw(body, headers);
    expect(replay.status).toBe(200);
    await probe(e2e);
    expect(e2e.sandbox.state.members(group.id)).not.toContain(id);
    const adds = e2e.sandbox.requests.filter((r) => r.method === 'POST' && r.path.includes(`/participant-groups/${group.id}/participants`));
    expect(adds).toHaveLength(1);
  });

  it('handles an Events API delivery once when Slack retries it with the same event_id', async () => {
    const publishesBefore = e2e.slack.callsTo('views.publish').length;
    const first = await e2e.driver.event({ type: 'app_home_opened', user: ALICE });
    expect(first.status).toBe(200);
    const body = JSON.stringify(first.payload);
    // Slack's retry: the same event, a new timestamp and so a new signature, and its retry headers.
    const retry = await e2e.driver.raw(body, {
      'content-type': 'application/json',
      ...e2e.driver.sign(body, Math.floor(Date.now() / 1000) - 2),
      'X-Slack-Retry-Num': '1',
      'X-Slack-Retry-Reason': 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await eventually(() => e2e.slack.callsTo('views.publish').length > publishesBefore, 'App Home');
    await probe(e2e);
    expect(e2e.slack.callsTo('views.publish').length - publishesBefore).toBe(1);
    expect(e2e.logs.some((l) => l.includes("A repeat of a delivery already handled (Slack's retry 1)"))).toBe(true);
  });

  it('forgets a key once its time is up (the retention sweep)', async () => {
    const body = commandBody(e2e, 'help');
    await e2e.driver.raw(body, { 'content-type': FORM, ...e2e.driver.sign(body) });
    await probe(e2e);
    expect((await e2e.bot.sweep(new Date())).forgotten).toBe(0);
    // Signed keys outlive the signature window by a minute; event keys are kept an hour.
    expect((await e2e.bot.sweep(new Date(Date.now() + 7 * 60_000))).forgotten).toBeGreaterThanOrEqual(1);
    expect((await e2e.bot.sweep(new Date(Date.now() + 61 * 60_000))).forgotten).toBeGreaterThanOrEqual(1);
  });
});

describe('in Socket Mode', () => {
  const appToken = `xapp-1-A0LOCALAPP-${randomBytes(12).toString('hex')}`;
  const e2e = useE2E(async () => {
    const slack = await LocalSlack.start({ botToken: `xoxb-test-${randomBytes(12).toString('hex')}`, appToken });
    const started = await startE2E({ slack, env: { SLACK_APP_TOKEN: appToken } });
    return {
      ...started,
      async close() {
        await started.close();
        await slack.close();
      },
    };
  });

  it('handles an envelope Slack sends again (the same payload) once', async () => {
    const payload = Object.fromEntries(new URLSearchParams(commandBody(e2e, 'create "Socket twice"')));
    const first = await e2e.slack.sendEnvelope('slash_commands', payload);
    const again = await e2e.slack.sendEnvelope('slash_commands', payload);
    expect([first.acked, again.acked]).toEqual([true, true]);
    await eventually(() => e2e.sandbox.state.findGroupByName('Socket twice'), 'the group');
    await e2e.settled();
    // A later command is answered: the repeat would have been handled by now.
    const later = Object.fromEntries(new URLSearchParams(commandBody(e2e, 'help', PROBE_USER)));
    expect((await e2e.slack.sendEnvelope('slash_commands', later)).acked).toBe(true);
    await eventually(() => e2e.slack.messages().some((m) => m.ephemeralTo === PROBE_USER && messageText(m).includes('/pgroup')), 'the help');
    await e2e.settled();
    expect(groupCreations(e2e, 'Socket twice')).toHaveLength(1);
  });

  it('handles an Events API envelope once when Slack retries it', async () => {
    const publishesBefore = e2e.slack.callsTo('views.publish').length;
    const event = {
      type: 'event_callback',
      team_id: e2e.slack.teamId,
      api_app_id: e2e.slack.appId,
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: ALICE, channel: e2e.slack.dmChannelFor(ALICE), tab: 'home', event_ts: '1.000001' },
    };
    expect((await e2e.slack.sendEnvelope('events_api', event)).acked).toBe(true);
    expect((await e2e.slack.sendEnvelope('events_api', event, { retryAttempt: 1, retryReason: 'timeout' })).acked).toBe(true);
    await eventually(() => e2e.slack.callsTo('views.publish').length > publishesBefore, 'App Home');
    await e2e.settled();
    expect(e2e.logs.filter((l) => l.includes('A repeat of a delivery already handled'))).not.toHaveLength(0);
    expect(e2e.slack.callsTo('views.publish').length - publishesBefore).toBe(1);
  });
});

describe.each(sharedDatabases)('two instances on one $driver store', (database) => {
  let a: E2E;
  let b: E2E;
  let discard: () => Promise<void>;
  let slack: LocalSlack;

  beforeAll(async () => {
    const opened = await database.open();
    discard = opened.discard;
    slack = await LocalSlack.start({ botToken: `xoxb-test-${randomBytes(12).toString('hex')}` });
    a = await startE2E({ store: opened.stores[0], slack });
    // The same app behind a load balancer: one signing secret.
    b = await startE2E({ store: opened.stores[1], slack, sandbox: a.sandbox, env: { SLACK_SIGNING_SECRET: a.secrets.signingSecret } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await slack?.close();
    await discard?.();
  });

  it('share what was delivered: the same signed create reaching both, at once and again, makes one group', async () => {
    const body = commandBody(a, 'create "Behind the balancer"');
    const headers = { 'content-type': FORM, ...a.driver.sign(body) };
    const post = (to: E2E) => fetch(to.appUrl, { method: 'POST', headers, body }).then((r) => r.status);
    expect(await Promise.all([post(a), post(b)])).toEqual([200, 200]);
    expect(await post(b)).toBe(200);
    await eventually(() => a.sandbox.state.findGroupByName('Behind the balancer'), 'the group');
    await probe(a);
    await b.settled();
    expect(groupCreations(a, 'Behind the balancer')).toHaveLength(1);
  });
});
