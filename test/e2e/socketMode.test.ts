// The core flows in Socket Mode: the real bot with Bolt's Socket Mode receiver connects to the
// local Slack (apps.connections.open through SLACK_API_URL, with the app-level token and no signing
// secret) and gets every command, click, submission and event as an envelope it must ack in time.
// Also: the health port serves /healthz and nothing else, and what a reconnection costs.

import { SEED_GROUP_IDS, SEED_GROUP_NAMES, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import type { LocalView } from '../../src/local/slack';
import { messageText, useE2E } from '../harness/e2e';
import { csvOf, current, messageKeys, newGroup, uploadToPreview, waitForNew } from '../harness/uploads';
import { eventually } from '../support/eventually';
import { startWatchE2E, watchFrom, watchNotes } from '../watch/watchE2E';

const ALICE = 'U_ALICE';

const e2e = useE2E(() => startWatchE2E({ transport: 'socket', env: { NOTIFY_CHANNEL: 'C_NOTIFY' } }));

/** Runs a command and returns the first new message the user sees that matches. */
async function ask(text: string, match: (t: string) => boolean = () => true) {
  const before = messageKeys(e2e);
  const res = await e2e.pgroup(text);
  expect(res.status).toBe(200);
  return waitForNew(e2e, before, match, `a reply to /pgroup ${text}`);
}

describe('Socket Mode', () => {
  it('connects through SLACK_API_URL with the app-level token, with no HTTP endpoint for Slack', async () => {
    expect(e2e.transport).toBe('socket');
    expect(e2e.bot.ctx.config.slack).toMatchObject({ signingSecret: null, appToken: e2e.secrets.appToken });
    expect(e2e.slack.callsTo('apps.connections.open').map((c) => c.ok)).toEqual([true]);
    expect(e2e.slack.socketMode.openConnections).toBe(1);
    // Nothing is signed or posted to the app in Socket Mode.
    expect(() => e2e.driver.sign('{}')).toThrow('is for HTTP mode');

    const health = await fetch(e2e.healthUrl);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, store: { ok: true } });
    const others = await Promise.all([
      fetch(e2e.appUrl, { method: 'POST', body: '{}' }),
      fetch(e2e.healthUrl.replace('/healthz', '/slack/install')),
      fetch(e2e.healthUrl.replace('/healthz', '/')),
    ]);
    expect(others.map((r) => r.status)).toEqual([404, 404, 404]);
  });

  it('list: the command is acked over the socket and the reply arrives', async () => {
    const reply = await ask('list', (t) => t.includes('Main panel'));
    expect(reply.ephemeralTo).toBe(ALICE);
    expect(messageText(reply)).toContain('5,000 members');
  });

  it('rename: applied, and the channel is told with before and after', async () => {
    await ask('create "Socket rename me"', (t) => t.includes('Created'));
    await ask('rename "Socket rename me" "Socket renamed"', (t) => t.includes('Done'));
    expect(e2e.sandbox.state.findGroupByName('Socket renamed')).toBeDefined();
    const note = await e2e.waitForPost('C_NOTIFY', (m) => messageText(m).includes('renamed') && messageText(m).includes('Socket renamed'), 'the rename notification');
    expect(messageText(note)).toContain('Socket rename me');
  });

  it('upload → preview → confirm: the modal submission is answered in the ack, and the click applies the change once', async () => {
    const g = newGroup(e2e, 'Socket upload', 20);
    const kept = g.members.slice(0, 10);
    const added = g.outsiders(5);
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', file: { name: 'socket.csv', content: csvOf([...kept, ...added]) } });
    expect(messageText(preview)).toContain('Socket upload');
    expect(e2e.sandbox.state.members(g.id)).toHaveLength(20);

    const click = await e2e.click(preview, 'op_confirm');
    expect(click.status).toBe(200);
    await eventually(() => messageText(current(e2e, preview)).includes('Done') && current(e2e, preview), 'the outcome');
    expect(new Set(e2e.sandbox.state.members(g.id))).toEqual(new Set([...kept, ...added]));
    expect(e2e.sandbox.requests.filter((r) => r.method === 'PATCH' && r.path === g.path)).toHaveLength(1);
  });

  it('watch: a change made outside the app is announced in the watching channel', async () => {
    const group = SEED_GROUP_IDS.attentionChecks;
    await watchFrom(e2e, 'C_GENERAL', `"${SEED_GROUP_NAMES.attentionChecks}"`);
    await e2e.bot.watcher.runRound();
    e2e.sandbox.state.addMembers(group, [sandboxParticipantId(810001)]);
    const report = await e2e.bot.watcher.runRound();
    expect(report.changes).toHaveLength(1);
    const notes = await eventually(() => watchNotes(e2e, 'C_GENERAL', group).length === 1 && watchNotes(e2e, 'C_GENERAL', group), 'the watch notification');
    expect(messageText(notes[0])).toContain('+1');
  });

  it('App Home: app_home_opened publishes the tab, and its buttons work', async () => {
    const home = await openHome();
    expect(JSON.stringify(home.view.blocks)).toContain('Watched groups');
    const res = await e2e.driver.blockAction({ user: ALICE, viewId: home.id, actionId: 'group_upload_open' });
    expect(res.status).toBe(200);
    await eventually(() => e2e.slack.openModals(ALICE).find((v) => v.view.callback_id === 'upload_modal'), 'the upload modal');
  });
});

describe('Socket Mode reconnection', () => {
  it('after refresh_requested: reconnects in about 5 s; a command in the gap fails with Slack’s error and writes nothing; an event waits', async () => {
    const connections = e2e.slack.socketMode.connections.length;
    const writesBefore = e2e.sandbox.requests.filter((r) => r.method !== 'GET').length;
    e2e.slack.socketMode.requestRefresh();

    const [inGap, homeInGap] = await Promise.all([
      e2e.pgroup('create "Typed during the gap"'),
      e2e.driver.event({ type: 'app_home_opened', user: 'U_CAROL', tab: 'home' }),
    ]);
    // Slack told the user (dispatch_failed); the app never saw the command, so nothing was written.
    expect(inGap).toMatchObject({ status: 0, failure: 'dispatch_failed' });
    expect(e2e.slack.socketMode.undelivered.map((u) => u.type)).toEqual(['slash_commands']);
    expect(e2e.sandbox.state.findGroupByName('Typed during the gap')).toBeUndefined();

    // The event was held until the new connection, and handled.
    expect(homeInGap.status).toBe(200);
    await eventually(() => e2e.slack.homeView('U_CAROL'), 'Carol’s Home tab');

    const [old, next] = [e2e.slack.socketMode.connections[connections - 1]!, e2e.slack.socketMode.connections[connections]!];
    const gapMs = next.helloAt - old.disconnectSentAt!;
    // Bolt waits its clientPingTimeout (5 s) before reconnecting; then a fresh apps.connections.open.
    expect(gapMs).toBeGreaterThanOrEqual(5000);
    expect(gapMs).toBeLessThan(8000);
    expect(e2e.slack.callsTo('apps.connections.open')).toHaveLength(2);

    // Run again once connected, the same command works.
    await ask('create "Typed during the gap"', (t) => t.includes('Created'));
    expect(e2e.sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore + 1);
  }, 20_000);
});

/** Opens the Home tab as Alice and waits for a published view newer than the one before. */
async function openHome(): Promise<LocalView> {
  const before = e2e.slack.homeView(ALICE)?.hash;
  const res = await e2e.driver.event({ type: 'app_home_opened', user: ALICE, tab: 'home' });
  expect(res.status).toBe(200);
  return eventually(() => {
    const home = e2e.slack.homeView(ALICE);
    return home && home.hash !== before ? home : undefined;
  }, 'the published Home tab');
}
