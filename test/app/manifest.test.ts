import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { COMMAND } from '../../src/listeners/commands';
import { SHORTCUTS } from '../../src/slack/interactionIds';
import { ADD_PARTICIPANTS_STEP } from '../../src/slack/flows/workflowStepFlows';

// The scopes each Web API method the bot calls needs (https://api.slack.com/methods).
const SCOPE_OF: Record<string, string | string[] | null> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.getPermalink': null,
  'views.open': null,
  'views.update': null,
  'views.push': null,
  'views.publish': null,
  'files.info': 'files:read',
  filesUploadV2: 'files:write',
  'conversations.open': 'im:write',
  'users.info': 'users:read',
  // Bolt's complete() and fail() in a custom step, with the run's own token.
  'functions.completeSuccess': null,
  'functions.completeError': null,
  // A public channel needs channels:read, a private one groups:read (the app's DMs need no more than im:write).
  'conversations.info': ['channels:read', 'groups:read'],
};

/** The bot's own code: not the local stand-ins for Slack and Prolific. */
function botSources(dir = join(__dirname, '../../src')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'local' ? [] : botSources(path);
    return path.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('manifest.yml', () => {
  const manifest = parse(readFileSync(join(__dirname, '../../manifest.yml'), 'utf8'));
  const sources = botSources().join('\n');

  it('declares the slash command the code listens to', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([COMMAND]);
  });

  it('declares the shortcuts the code listens to, each with its callback id', () => {
    const declared = (manifest.features.shortcuts ?? []) as { name: string; type: string; callback_id: string; description: string }[];
    expect(declared.map((s) => s.callback_id).sort()).toEqual(Object.values(SHORTCUTS).sort());
    for (const shortcut of declared) {
      expect(shortcut.name.trim()).not.toBe('');
      expect(shortcut.description.trim()).not.toBe('');
      expect(['message', 'global']).toContain(shortcut.type);
    }
    const listened = [...sources.matchAll(/SHORTCUTS\.(\w+)/g)].map((m) => SHORTCUTS[m[1] as keyof typeof SHORTCUTS]);
    expect([...new Set(listened)].sort()).toEqual(Object.values(SHORTCUTS).sort());
  });

  it('declares exactly the scopes the code’s Slack calls need', () => {
    const methods = new Set<string>();
    for (const m of sources.matchAll(/client\.(\w+)\.(\w+)\(/g)) methods.add(`${m[1]}.${m[2]}`);
    if (/filesUploadV2\(/.test(sources)) methods.add('filesUploadV2');
    // Downloading a user's upload (url_private_download) needs files:read too.
    if (/downloadSlackFile\(/.test(sources)) methods.add('files.info');
    const unknown = [...methods].filter((m) => !(m in SCOPE_OF));
    expect(unknown).toEqual([]);
    const needed = new Set(['commands', ...[...methods].flatMap((m) => SCOPE_OF[m] ?? [])]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('turns on interactivity and the events the code handles', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const events = [...sources.matchAll(/app\.event\('(\w+)'/g)].map((m) => m[1]);
    // A custom step (app.function) is a function_executed event.
    if (/app\.function\(/.test(sources)) events.push('function_executed');
    expect([...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual([...new Set(events)].sort());
    expect(Boolean(manifest.features.app_home?.home_tab_enabled)).toBe(events.includes('app_home_opened'));
  });
});

describe('manifest.yml: the Workflow Builder step', () => {
  const manifest = parse(readFileSync(join(__dirname, '../../manifest.yml'), 'utf8'));

  it('declares the function the code listens to, with its inputs and outputs, on an org-ready app with a remote runtime', () => {
    expect(Object.keys(manifest.functions)).toEqual([ADD_PARTICIPANTS_STEP]);
    const step = manifest.functions[ADD_PARTICIPANTS_STEP];
    expect(Object.keys(step.input_parameters).sort()).toEqual(['group', 'on_behalf_of', 'participant_ids']);
    expect(step.input_parameters.on_behalf_of).toMatchObject({ type: 'slack#/types/user_id', is_required: true });
    expect(Object.keys(step.output_parameters).sort()).toEqual(['added_count', 'new_count']);
    // Slack: custom steps need an org-ready app (org_deploy_enabled) and, for Bolt, function_runtime remote.
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    expect(manifest.settings.function_runtime).toBe('remote');
  });
});

describe('manifest.socket-mode.yml', () => {
  const read = (name: string) => parse(readFileSync(join(__dirname, '../..', name), 'utf8'));

  it('is manifest.yml with Socket Mode on and no request URL, so the two never drift apart', () => {
    const http = read('manifest.yml');
    const socket = read('manifest.socket-mode.yml');
    expect(http.settings.socket_mode_enabled).toBe(false);
    const expected = structuredClone(http);
    for (const command of expected.features.slash_commands) delete command.url;
    delete expected.settings.event_subscriptions.request_url;
    delete expected.settings.interactivity.request_url;
    delete expected.settings.interactivity.message_menu_options_url;
    expected.settings.socket_mode_enabled = true;
    expect(socket).toEqual(expected);
    expect(JSON.stringify(socket)).not.toMatch(/https?:/);
  });
});
