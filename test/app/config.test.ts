import { ConfigError, readConfig } from '../../src/config';

const SECRET = 'xoxb-1111-2222-abcdefsecret';

describe('readConfig', () => {
  it('runs locally with no credentials at all', () => {
    const { config, warnings } = readConfig({});
    expect(config.slack).toBeNull();
    expect(config.prolific.token).toBeNull();
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./data');
    expect(config.pgliteTemplate).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('turns the PGlite template off with PGLITE_TEMPLATE=off, and refuses other values', () => {
    expect(readConfig({ PGLITE_TEMPLATE: 'off' }).config.pgliteTemplate).toBe(false);
    expect(readConfig({ PGLITE_TEMPLATE: 'on' }).config.pgliteTemplate).toBe(true);
    expect(() => readConfig({ PGLITE_TEMPLATE: 'no' })).toThrow(/PGLITE_TEMPLATE must be on or off/);
  });

  it('shows ids in channel notifications only with NOTIFY_SHOW_IDS=true, and refuses other values', () => {
    expect(readConfig({}).config.notifyShowIds).toBe(false);
    expect(readConfig({ NOTIFY_SHOW_IDS: 'TRUE' }).config.notifyShowIds).toBe(true);
    expect(readConfig({ NOTIFY_SHOW_IDS: 'false' }).config.notifyShowIds).toBe(false);
    expect(() => readConfig({ NOTIFY_SHOW_IDS: 'yes' })).toThrow(/NOTIFY_SHOW_IDS must be true or false/);
  });

  it('reads a full configuration', () => {
    const { config, warnings } = readConfig({
      SLACK_BOT_TOKEN: SECRET,
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      SLACK_API_URL: 'http://127.0.0.1:4000/api',
      PROLIFIC_API_TOKEN: 'prolific-token',
      PROLIFIC_WORKSPACE_ID: '5E9B9C9B0F9C9A0001B1CA2F',
      NOTIFY_CHANNEL: 'C0123456',
      ALLOWED_USER_IDS: 'U111, U222',
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@localhost/db',
    });
    expect(config.slack).toEqual({ botToken: SECRET, signingSecret: 'signing-secret-value', appToken: null, apiUrl: 'http://127.0.0.1:4000/api/' });
    expect(config.workspaceId).toBe('5e9b9c9b0f9c9a0001b1ca2f');
    expect(config.allowedUserIds).toEqual(['U111', 'U222']);
    expect(config.port).toBe(8080);
    expect(warnings).toEqual([]);
  });

  describe('Slack credentials without a Prolific token', () => {
    const slackOnly = { SLACK_BOT_TOKEN: SECRET, SLACK_SIGNING_SECRET: 's', ALLOWED_USER_IDS: 'U111' };

    it('refuses to start in production: a real workspace must not be served from the demo sandbox', () => {
      let error: unknown;
      try {
        readConfig({ ...slackOnly, NODE_ENV: 'production' });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'PROLIFIC_API_TOKEN is missing. With NODE_ENV=production the app does not serve a Slack workspace from the demo sandbox’s made-up groups: set PROLIFIC_API_TOKEN (Prolific → Settings → API tokens).',
      ]);
    });

    it('otherwise starts, with a loud warning that everything comes from the demo sandbox', () => {
      const { config, warnings } = readConfig(slackOnly);
      expect(config.prolific.token).toBeNull();
      expect(warnings).toEqual([expect.stringMatching(/^PROLIFIC_API_TOKEN is not set: this Slack workspace is served from the DEMO SANDBOX/)]);
      expect(warnings[0]).toContain('Every reply and notification is marked as demo data');
    });

    it('asks nothing of the local playground (no Slack credentials), even in production', () => {
      expect(readConfig({ NODE_ENV: 'production' }).warnings).toEqual([]);
    });

    it('is quiet with a token', () => {
      expect(readConfig({ ...slackOnly, PROLIFIC_API_TOKEN: 'p', NODE_ENV: 'production' }).warnings).toEqual([]);
    });
  });

  it('reads who may message participants and which workspaces are served; with neither list set, says nobody may message', () => {
    const { config } = readConfig({ MESSAGE_USER_IDS: 'U111,W222', WORKSPACE_IDS: '5E9B9C9B0F9C9A0001B1CA2F, 5e9b9c9b0f9c9a0001b1ca30' });
    expect(config.messageUserIds).toEqual(['U111', 'W222']);
    expect(config.workspaceIds).toEqual(['5e9b9c9b0f9c9a0001b1ca2f', '5e9b9c9b0f9c9a0001b1ca30']);
    expect(readConfig({}).config).toMatchObject({ messageUserIds: null, workspaceIds: null });
    expect(readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_SIGNING_SECRET: 's' }).warnings.join()).toMatch(/nobody may message participants/);
    expect(readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_SIGNING_SECRET: 's', ALLOWED_USER_IDS: 'U1X' }).warnings.join()).not.toMatch(/message/);
  });

  it('refuses a WORKSPACE_IDS entry that is not a workspace id, and a default workspace outside it', () => {
    expect(() => readConfig({ WORKSPACE_IDS: 'lab-one' })).toThrow(/WORKSPACE_IDS has entries that are not Prolific workspace ids.*lab-one/);
    expect(() => readConfig({ WORKSPACE_IDS: '5e9b9c9b0f9c9a0001b1ca2f', PROLIFIC_WORKSPACE_ID: '5e9b9c9b0f9c9a0001b1ca30' })).toThrow(/PROLIFIC_WORKSPACE_ID is not one of WORKSPACE_IDS/);
    expect(() => readConfig({ MESSAGE_USER_IDS: 'bob' })).toThrow(/MESSAGE_USER_IDS has entries that are not Slack user ids: bob/);
  });

  it('warns when everyone may change groups', () => {
    const { warnings } = readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_SIGNING_SECRET: 's' });
    expect(warnings.join()).toMatch(/ALLOWED_USER_IDS is not set/);
  });

  it('warns on a Heroku dyno that the embedded store is lost at every restart, unless DATABASE_URL is set', () => {
    expect(readConfig({ DYNO: 'web.1' }).warnings.join()).toMatch(/Heroku empties at every restart.*Set DATABASE_URL/);
    expect(readConfig({ DYNO: 'web.1', DATABASE_URL: 'postgres://u:p@db.example/app' }).warnings).toEqual([]);
    expect(readConfig({}).warnings).toEqual([]);
  });

  it('names every problem at once and never quotes a secret', () => {
    let error: unknown;
    try {
      readConfig({ SLACK_BOT_TOKEN: 'not-a-bot-token-secret', PORT: 'eighty', ALLOWED_USER_IDS: 'bob', SLACK_APP_TOKEN: 'zzz-secret-app' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    // An app token, even a malformed one, means Socket Mode: the signing secret is not asked for.
    expect((error as ConfigError).problems).toHaveLength(4);
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'PORT', 'ALLOWED_USER_IDS']) expect(message).toContain(name);
    expect(message).not.toContain('SLACK_SIGNING_SECRET');
    expect(message).not.toContain('not-a-bot-token-secret');
    expect(message).not.toContain('zzz-secret-app');
  });

  describe('Socket Mode', () => {
    const APP_TOKEN = 'xapp-1-A0LOCALAPP-1234-appsecretvalue';

    it('needs no signing secret with an app token', () => {
      const { config } = readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_APP_TOKEN: APP_TOKEN });
      expect(config.slack).toEqual({ botToken: SECRET, signingSecret: null, appToken: APP_TOKEN, apiUrl: null });
    });

    it('keeps a signing secret that is set anyway', () => {
      const { config } = readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: 'signing-secret-value' });
      expect(config.slack?.signingSecret).toBe('signing-secret-value');
    });

    it('still requires the signing secret in HTTP mode, and says Socket Mode is the other way', () => {
      expect(() => readConfig({ SLACK_BOT_TOKEN: SECRET })).toThrow(/SLACK_SIGNING_SECRET is missing.*SLACK_APP_TOKEN/);
    });

    it('still requires the bot token', () => {
      expect(() => readConfig({ SLACK_APP_TOKEN: APP_TOKEN })).toThrow(/SLACK_BOT_TOKEN is missing/);
    });

    it('serves /healthz on PORT only when PORT is set', () => {
      expect(readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_APP_TOKEN: APP_TOKEN }).config.socketModeHealthPort).toBeNull();
      expect(readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_APP_TOKEN: APP_TOKEN, PORT: '8080' }).config.socketModeHealthPort).toBe(8080);
      expect(readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_APP_TOKEN: APP_TOKEN, PORT: '0' }).config.socketModeHealthPort).toBe(0);
      // HTTP mode keeps its default.
      expect(readConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_SIGNING_SECRET: 's' }).config.port).toBe(3000);
    });
  });
});
