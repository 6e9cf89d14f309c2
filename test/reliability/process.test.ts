// The bot as it runs on a Heroku dyno: `node dist/src/index.js` with NODE_ENV=production. Its
// logs are JSON lines with one request id per Slack request and never a secret; /healthz tells
// the store's state and whether Prolific answered last; and on SIGTERM (a dyno restart) during a
// confirmation it stops taking requests, finishes the confirmation (the user sees the outcome),
// closes the store and exits 0.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalMessage } from '../../src/local/slack';
import { SEED_WORKSPACE_ID, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { openStore } from '../../src/store';
import { findButton, leakedSecrets, messageText } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { type BotProcess, startBotProcess } from './botProcess';

const ALICE = 'U_ALICE';
let bot: BotProcess;

beforeAll(async () => {
  bot = await startBotProcess({ NODE_ENV: 'production', NOTIFY_CHANNEL: 'C_NOTIFY' });
}, 40_000);
afterAll(async () => {
  await bot.close();
  rmSync(bot.dataDir, { recursive: true, force: true });
});

/** Runs `/pgroup text` and returns the user's reply that matches. */
async function ask(text: string, match: (t: string) => boolean): Promise<LocalMessage> {
  const before = bot.slack.messages().length;
  const res = await bot.driver.command('/pgroup', text, { user: ALICE, channel: 'C_GENERAL' });
  expect(res.status).toBe(200);
  return eventually(() => bot.slack.messages().slice(before).find((m) => match(messageText(m))), `a reply to /pgroup ${text}`, 20_000);
}

interface LogLine {
  time: string;
  level: string;
  msg: string;
  requestId?: string;
}

/** Every line the process wrote, each parsed as JSON (a line that is not JSON fails the test). */
function logLines(): LogLine[] {
  return `${bot.stdout()}${bot.stderr()}`
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`a log line that is not JSON: ${line}`);
      }
    });
}

describe('logs in production', () => {
  it('are JSON lines, and the lines written for one Slack request share its request id', async () => {
    const first = bot.sandbox.state.createGroup({ name: 'Logged first', workspace_id: SEED_WORKSPACE_ID });
    const second = bot.sandbox.state.createGroup({ name: 'Logged second', workspace_id: SEED_WORKSPACE_ID });
    // Each read fails once and is retried: a warning line per attempt, written on behalf of the request.
    for (const g of [first, second]) bot.sandbox.faults.add({ method: 'GET', path: `/api/v1/participant-groups/${g.id}/`, times: 2, status: 503 });
    await ask(`show ${first.id}`, (t) => t.includes('Logged first'));
    await ask(`show ${second.id}`, (t) => t.includes('Logged second'));

    const lines = logLines();
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line).toEqual(expect.objectContaining({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) }));
    const idsFor = (groupId: string) => new Set(lines.filter((l) => l.msg.includes(groupId)).map((l) => l.requestId));
    const firstIds = idsFor(first.id);
    const secondIds = idsFor(second.id);
    expect(lines.filter((l) => l.msg.includes(first.id))).toHaveLength(2);
    expect(firstIds.size).toBe(1);
    expect(secondIds.size).toBe(1);
    const [a] = [...firstIds];
    const [b] = [...secondIds];
    expect(a).toEqual(expect.any(String));
    expect(b).toEqual(expect.any(String));
    expect(a).not.toBe(b);
    // Startup lines belong to no request.
    expect(lines[0]!.requestId).toBeUndefined();
  });
});

describe('GET /healthz', () => {
  it('reports the store and whether Prolific answered the last request', async () => {
    const group = bot.sandbox.state.createGroup({ name: 'Health probe', workspace_id: SEED_WORKSPACE_ID });
    bot.sandbox.faults.add({ method: 'GET', path: `/api/v1/participant-groups/${group.id}/`, times: 1, status: 500 });
    await ask(`show ${group.id}`, (t) => t.includes('Prolific said'));
    const failing = await fetch(`${bot.baseUrl}/healthz`);
    expect(failing.status).toBe(200);
    expect(await failing.json()).toMatchObject({ ok: true, store: { ok: true, driver: 'pglite' }, prolific: { ok: false, detail: 'HTTP 500', at: expect.any(String) } });

    await ask(`show ${group.id}`, (t) => t.includes('Health probe'));
    const healthy = await fetch(`${bot.baseUrl}/healthz`);
    expect(await healthy.json()).toMatchObject({ ok: true, store: { ok: true }, prolific: { ok: true, detail: null, at: expect.any(String) } });
  });
});

describe('SIGTERM during a confirmation', () => {
  it('stops taking requests, finishes the confirmation, closes the store and exits 0', async () => {
    const group = bot.sandbox.state.createGroup({ name: 'Restarted dyno', workspace_id: SEED_WORKSPACE_ID, participant_ids: [sandboxParticipantId(500_001), sandboxParticipantId(500_002)] });
    const target = [sandboxParticipantId(500_101), sandboxParticipantId(500_102), sandboxParticipantId(500_103)];
    // The preview, through the upload form with pasted ids (Replace: one PATCH).
    await bot.driver.command('/pgroup', `upload ${group.id}`, { user: ALICE, channel: 'C_GENERAL' });
    const form = await eventually(() => bot.slack.openModals(ALICE).find((v) => JSON.stringify(v.view.blocks).includes('mode_choice') && JSON.stringify(v.view.blocks).includes(group.id)), 'the upload form');
    await bot.driver.viewSubmission({ user: ALICE, viewId: form.id, values: { group_select: group.id, paste_input: target.join('\n'), mode_choice: 'replace', file_input: null } });
    const preview = await eventually(() => bot.slack.messages('C_GENERAL').find((m) => messageText(m).includes('op_confirm') && messageText(m).includes('Restarted dyno')), 'the preview');
    const operationId = findButton(preview, 'op_confirm')!.value!;
    const patches = () => bot.sandbox.requests.filter((r) => r.method === 'PATCH' && r.path === `/api/v1/participant-groups/${group.id}/`);
    bot.sandbox.faults.add({ method: 'PATCH', path: `/api/v1/participant-groups/${group.id}/`, times: 1, latencyMs: 2000 });

    const click = await bot.driver.blockAction({ user: ALICE, channel: preview.channel, messageTs: preview.ts, actionId: 'op_confirm' });
    expect(click.status).toBe(200);
    await eventually(() => patches().length === 1, 'the PATCH to arrive');
    bot.child.kill('SIGTERM');
    await eventually(() => bot.stdout().includes('SIGTERM: finishing work in flight'), 'the shutdown to begin');

    // A new request is not taken: the connection is refused (or answered with an error), and nothing happens.
    const late = await bot.driver.command('/pgroup', 'list', { user: ALICE, channel: 'C_GENERAL' }).then(
      (r) => r.status,
      () => 0,
    );
    // 0: the connection was refused.
    expect(late === 0 || late >= 500).toBe(true);

    const { code, signal } = await bot.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The confirmation finished: the PATCH landed once and the user saw the outcome before the exit.
    expect(patches()).toHaveLength(1);
    expect(bot.sandbox.state.members(group.id).sort()).toEqual([...target].sort());
    const outcome = bot.slack.message(preview.channel, preview.ts)!;
    expect(messageText(outcome)).toContain('Done');
    expect(bot.slack.messages('C_NOTIFY').some((m) => messageText(m).includes('Restarted dyno'))).toBe(true);
    expect(bot.slack.messages().some((m) => messageText(m).includes('Participant groups'))).toBe(false);
    const lines = logLines();
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['Stopped.']));
    expect(lines.some((l) => l.msg.includes('still running after the wait'))).toBe(false);

    // The store was closed cleanly, with the outcome recorded: it opens again and holds the applied change.
    const store = await openStore({ dataDir: join(bot.dataDir, 'store') });
    try {
      expect(await store.getOperation(operationId)).toMatchObject({ status: 'applied' });
      expect((await store.listAudit({ groupId: group.id, limit: 5, offset: 0 })).map((a) => a.outcome)).toEqual(['applied']);
    } finally {
      await store.close();
    }
  }, 40_000);
});

describe('secret hygiene of the process', () => {
  it('never wrote a token or the signing secret to stdout or stderr, nor sent one to Slack', () => {
    const material = [bot.stdout(), bot.stderr(), JSON.stringify(bot.slack.calls), JSON.stringify(bot.slack.messages()), JSON.stringify(bot.slack.views())].join('\n');
    expect(material.length).toBeGreaterThan(1000);
    expect(leakedSecrets(material, [bot.secrets.prolificToken, bot.secrets.botToken, bot.secrets.signingSecret])).toEqual([]);
  });
});
