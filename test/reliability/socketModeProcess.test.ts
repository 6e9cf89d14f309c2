// The bot as the Procfile's worker runs it in Socket Mode: `node dist/src/index.js` with an
// app-level token and no signing secret. It connects to Slack instead of listening for it, serves
// GET /healthz alone on PORT, answers commands over its connection, stops cleanly on SIGTERM, and
// never writes the app-level token anywhere.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { leakedSecrets, messageText } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { type BotProcess, startBotProcess } from './botProcess';

let bot: BotProcess;

beforeAll(async () => {
  bot = await startBotProcess({ NODE_ENV: 'production' }, 'socket');
}, 40_000);
afterAll(async () => {
  await bot.close();
  rmSync(bot.dataDir, { recursive: true, force: true });
});

describe('the Socket Mode worker process', () => {
  it('is what the Procfile’s worker runs', () => {
    const procfile = readFileSync(join(__dirname, '../../Procfile'), 'utf8');
    const processes = Object.fromEntries(procfile.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
    expect(processes['worker']).toBe('node dist/src/index.js');
    expect(processes['web']).toBe('node dist/src/index.js');
  });

  it('connects with the app-level token, says so, and serves only /healthz on PORT', async () => {
    expect(bot.slack.callsTo('apps.connections.open').map((c) => c.ok)).toEqual([true]);
    await eventually(() => bot.stdout().includes(`pgroup is running in Socket Mode, with health at GET /healthz on port ${bot.port}.`), 'the startup line');
    const health = await fetch(`${bot.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    expect((await fetch(`${bot.baseUrl}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('answers a command sent over its connection', async () => {
    const before = bot.slack.messages().length;
    const res = await bot.driver.command('/pgroup', 'list', { user: 'U_ALICE', channel: 'C_GENERAL' });
    expect(res.status).toBe(200);
    await eventually(() => bot.slack.messages().slice(before).find((m) => messageText(m).includes('Main panel')), 'the list', 20_000);
    expect(bot.slack.socketMode.violations).toEqual([]);
  });

  it('on SIGTERM closes its connection and the health port, and exits 0', async () => {
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(bot.stdout()).toContain('Stopped.');
    expect(bot.slack.socketMode.openConnections).toBe(0);
    await expect(fetch(`${bot.baseUrl}/healthz`)).rejects.toThrow();
  });

  it('never wrote the app-level token (or another secret) to stdout or stderr, nor sent one to Slack', () => {
    const material = [bot.stdout(), bot.stderr(), JSON.stringify(bot.slack.calls), JSON.stringify(bot.slack.messages())].join('\n');
    expect(material.length).toBeGreaterThan(500);
    expect(leakedSecrets(material, [bot.secrets.prolificToken, bot.secrets.botToken, bot.secrets.appToken])).toEqual([]);
  });
});
