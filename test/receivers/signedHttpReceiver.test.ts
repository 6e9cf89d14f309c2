// The receiver in front of Bolt. On the real process: a correctly signed body that is not a JSON
// object (`payload=null` used to crash the process inside Bolt's receiver) gets 400 and nothing
// else, and the process goes on answering /healthz and Slack. In process: what Slack sends beside
// its signed requests (url_verification, ssl_check), and the routes next to /slack/events.
import { rmSync } from 'node:fs';
import { messageText, useE2E } from '../harness/e2e';
import { type BotProcess, startBotProcess } from '../reliability/botProcess';
import { eventually } from '../support/eventually';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const MALFORMED: [string, string, string][] = [
  ['payload=null', FORM, 'payload=null'],
  ['a JSON body null', JSON_TYPE, 'null'],
  ['a JSON array', JSON_TYPE, '[{"type":"event_callback"}]'],
  ['a JSON number', JSON_TYPE, '42'],
  ['a JSON string', JSON_TYPE, '"event_callback"'],
  ['JSON cut short', JSON_TYPE, '{"type":"event_callback","event":'],
  ['a payload that is an array', FORM, `payload=${encodeURIComponent('[null]')}`],
  ['an empty payload', FORM, 'payload='],
  ['a payload given twice', FORM, `payload=${encodeURIComponent('{"type":"block_actions"}')}&payload=${encodeURIComponent('{"type":"block_actions"}')}`],
];

describe('the bot process and malformed bodies, correctly signed', () => {
  let bot: BotProcess;
  beforeAll(async () => {
    bot = await startBotProcess({ NODE_ENV: 'production' });
  }, 40_000);
  afterAll(async () => {
    await bot.close();
    rmSync(bot.dataDir, { recursive: true, force: true });
  });

  it.each(MALFORMED)('%s gets 400, and the process goes on answering /healthz', async (_what, contentType, body) => {
    const res = await bot.driver.raw(body, { 'content-type': contentType, ...bot.driver.sign(body) });
    expect(res.status).toBe(400);
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
  });

  it('still handles a command after all of them, and logged no secret', async () => {
    const res = await bot.driver.command('/pgroup', 'help', { user: 'U_ALICE', channel: 'C_GENERAL' });
    expect(res.status).toBe(200);
    await eventually(() => bot.slack.messages('C_GENERAL').some((m) => m.ephemeralTo === 'U_ALICE' && messageText(m).includes('/pgroup')), 'the help');
    const output = `${bot.stdout()}${bot.stderr()}`;
    expect(output.match(/not an object|not valid JSON|more than one payload/g)?.length).toBe(MALFORMED.length);
    for (const secret of Object.values(bot.secrets)) expect(output).not.toContain(secret);
  });
});

describe('beside signed requests', () => {
  const e2e = useE2E();
  const post = (body: string, headers: Record<string, string>) => e2e.driver.raw(body, headers);

  it('answers a signed url_verification with its challenge, and an unsigned one with 401', async () => {
    const body = JSON.stringify({ type: 'url_verification', token: 'legacy', challenge: 'c-4711' });
    const signed = await post(body, { 'content-type': JSON_TYPE, ...e2e.driver.sign(body) });
    expect(signed).toMatchObject({ status: 200, json: { challenge: 'c-4711' } });
    expect((await post(body, { 'content-type': JSON_TYPE })).status).toBe(401);
  });

  it('answers ssl_check with 200 without a signature, and runs nothing it carries', async () => {
    const callsBefore = e2e.slack.calls.length;
    const res = await post(`ssl_check=1&command=${encodeURIComponent('/pgroup')}&text=help&user_id=U_ALICE&channel_id=C_GENERAL`, { 'content-type': FORM });
    expect(res).toMatchObject({ status: 200, body: '' });
    // A signed command after it is answered; the ssl_check's smuggled command never was.
    await e2e.pgroup('help', { user: 'U_CAROL' });
    await eventually(() => e2e.slack.messages('C_GENERAL').some((m) => m.ephemeralTo === 'U_CAROL'), 'the probe’s reply');
    await e2e.settled();
    expect(e2e.slack.calls.slice(callsBefore).filter((c) => JSON.stringify(c.args).includes('U_ALICE'))).toEqual([]);
  });

  it('serves /healthz (GET and HEAD), 404 elsewhere, and 413 for a body over the limit', async () => {
    const base = e2e.appUrl.replace('/slack/events', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(e2e.appUrl)).status).toBe(404);
    const big = `payload=${'x'.repeat(5 * 1024 * 1024)}`;
    expect((await post(big, { 'content-type': FORM, ...e2e.driver.sign(big) })).status).toBe(413);
  });
});
