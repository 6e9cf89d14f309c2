// Slack credentials without a Prolific token: the process either refuses to start (production) or
// serves the workspace from the embedded demo sandbox and says so in every message it sends.
import { rmSync } from 'node:fs';
import { SEED_WORKSPACE_ID } from '../../src/local/prolific-sandbox';
import { messageText } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { type BotProcess, botProcessExit, startBotProcess } from './botProcess';

// No token and no URL: the process would start its own sandbox, as a real deployment missing its token would.
const NO_PROLIFIC = { PROLIFIC_API_TOKEN: '', PROLIFIC_API_URL: '', PROLIFIC_WORKSPACE_ID: SEED_WORKSPACE_ID };
const DEMO_LINE = 'This app is not connected to Prolific';

describe('with NODE_ENV=production', () => {
  it('refuses to start, says why on stderr, and never talks to Slack', async () => {
    const exit = await botProcessExit({ ...NO_PROLIFIC, NODE_ENV: 'production' });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('PROLIFIC_API_TOKEN is missing. With NODE_ENV=production the app does not serve a Slack workspace from the demo sandbox');
    expect(exit.stdout).not.toContain('listening');
    expect(exit.slackCalls).toBe(0);
  }, 40_000);
});

describe('outside production', () => {
  let bot: BotProcess;
  beforeAll(async () => {
    bot = await startBotProcess({ ...NO_PROLIFIC, NOTIFY_CHANNEL: 'C_NOTIFY' });
  }, 40_000);
  afterAll(async () => {
    await bot.close();
    rmSync(bot.dataDir, { recursive: true, force: true });
  });

  it('starts with a warning that the workspace is served from the demo sandbox', () => {
    expect(bot.stdout() + bot.stderr()).toContain('PROLIFIC_API_TOKEN is not set: this Slack workspace is served from the DEMO SANDBOX');
  });

  it('marks every reply and every notification as demo data', async () => {
    const before = bot.slack.messages().length;
    const res = await bot.driver.command('/pgroup', 'create Demo probe', { user: 'U_ALICE', channel: 'C_GENERAL' });
    expect(res.status).toBe(200);
    const reply = await eventually(() => bot.slack.messages().slice(before).find((m) => m.ephemeralTo === 'U_ALICE' && messageText(m).includes('Demo probe')), 'the reply to create', 20_000);
    const notification = await eventually(() => bot.slack.messages('C_NOTIFY').find((m) => messageText(m).includes('Demo probe')), 'the notification of the new group', 20_000);
    for (const message of [reply, notification]) {
      expect(message.text).toMatch(/^\[Demo data\] /);
      expect(JSON.stringify(message.blocks?.at(-1))).toContain(DEMO_LINE);
    }
    expect(bot.slack.blockKitViolations).toEqual([]);
  }, 30_000);
});
