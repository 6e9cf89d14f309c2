// The playground's page server without a browser: what it serves, what it refuses, and that its
// small JSON API reaches the real bot through LocalSlack and SlackDriver.

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../../src/config';
import type { SlackFile } from '../../../src/local/slack';
import { AppLogger } from '../../../src/logging';
import { type Playground, startPlayground } from '../../../src/local/playground';
import { SEED_GROUP_IDS, SEED_WORKSPACE_ID } from '../../../src/local/prolific-sandbox';
import { eventually } from '../../support/eventually';

let dataDir: string;
let playground: Playground;
let port: number;
const logLines: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pgroup-page-'));
  const { config } = readConfig({ DATA_DIR: dataDir, PORT: '0' });
  playground = await startPlayground(config, new AppLogger({ sink: (line) => logLines.push(line) }), { port: 0 });
  port = Number(new URL(playground.url).port);
});

afterAll(async () => {
  await playground.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(playground.slack.blockKitViolations).toEqual([]);
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Record<string, unknown>;
}

/** A raw HTTP request, so tests can send the Host and Origin headers a browser would not let them set. */
function send(method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `localhost:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          // not JSON: the page's own files
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const post = (path: string, body: unknown) => send('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

interface Snapshot {
  messages: Record<string, { ts: string; text: string; ephemeral: boolean; blocks: unknown[] }[]>;
  modal: { id: string; callback_id: string; blocks: { type: string; block_id: string; element?: { type: string; action_id: string } }[] } | null;
  users: { id: string; mayChangeGroups: boolean }[];
}

async function snapshot(user: string): Promise<Snapshot> {
  const answer = await send('GET', `/api/state?user=${user}`);
  expect(answer.status).toBe(200);
  return answer.json as unknown as Snapshot;
}

describe('the page', () => {
  it('serves the page, its script and its styles with a strict content security policy', async () => {
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/app.js', 'text/javascript'],
      ['/style.css', 'text/css'],
    ] as const) {
      const answer = await send('GET', path);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toContain(type);
      expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await send('GET', '/')).body).toContain('<script type="module" src="/app.js"></script>');
  });

  it('serves every module the page script imports, as JavaScript', async () => {
    const pending = ['/app.js'];
    const served = new Set<string>();
    while (pending.length > 0) {
      const path = pending.pop()!;
      if (served.has(path)) continue;
      const answer = await send('GET', path);
      expect([path, answer.status]).toEqual([path, 200]);
      expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
      served.add(path);
      for (const [, module] of answer.body.matchAll(/^import [^;]* from '\.\/([\w.]+\.js)';$/gm)) pending.push(`/${module}`);
    }
    // The entry, the page frame, messages, blocks, the modal and its inputs, dialogs and mrkdwn at least.
    for (const module of ['/page.js', '/messages.js', '/blocks.js', '/modal.js', '/modalInputs.js', '/dialogs.js', '/mrkdwn.js']) {
      expect(served).toContain(module);
    }
  });

  it('serves nothing else: no other file, no path out of its folder', async () => {
    expect((await send('GET', '/package.json')).status).toBe(404);
    expect((await send('GET', '/../package.json')).status).toBe(404);
    expect((await send('GET', '/%2e%2e/src/config.ts')).status).toBe(404);
    expect((await send('GET', '/tsconfig.json')).status).toBe(404);
  });
});

/** An address of this machine that is not loopback, if it has one. */
const otherInterface = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('the bot behind the page', () => {
  const botPort = () => playground.bot.port!;

  it('answers on loopback', async () => {
    expect((await fetch(`http://127.0.0.1:${botPort()}/healthz`)).status).toBe(200);
  });

  (otherInterface ? it : it.skip)(`listens on loopback only: another interface of this machine (${otherInterface ?? 'none'}) is refused`, async () => {
    await expect(fetch(`http://${otherInterface}:${botPort()}/healthz`)).rejects.toThrow();
  });
});

describe('what the API refuses', () => {
  it('answers only on localhost, and only its own page', async () => {
    expect((await send('GET', '/api/state?user=U_ALICE', { headers: { host: 'attacker.example:80' } })).status).toBe(403);
    const crossSite = await send('POST', '/api/command', {
      body: JSON.stringify({ user: 'U_ALICE', channel: 'C_GENERAL', text: '/pgroup list' }),
      headers: { 'content-type': 'application/json', origin: 'https://attacker.example' },
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await send('GET', '/api/state?user=U_ALICE', { headers: { origin: `http://localhost:${port}` } });
    expect(sameSite.status).toBe(200);
  });

  it('takes JSON only, so a cross-site form cannot post', async () => {
    const form = await send('POST', '/api/command', {
      body: 'user=U_ALICE&channel=C_GENERAL&text=%2Fpgroup+list',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect((await send('POST', '/api/command', { body: '{not json', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('checks who and where', async () => {
    expect((await post('/api/command', { user: 'U_NOBODY', channel: 'C_GENERAL', text: '/pgroup list' })).json['error']).toMatch(/unknown user/);
    expect((await post('/api/command', { user: 'U0LOCALBOT', channel: 'C_GENERAL', text: '/pgroup list' })).status).toBe(400);
    // Bob's DM with the app is not Alice's to write in.
    playground.slack.dmChannelFor('U_BOB');
    expect((await post('/api/command', { user: 'U_ALICE', channel: 'D_BOB', text: '/pgroup list' })).json['error']).toMatch(/unknown channel/);
    expect((await post('/api/click', { user: 'U_ALICE', actionId: 'group_show' })).status).toBe(400);
    expect((await post('/api/click', { user: 'U_ALICE', viewId: '<script>', actionId: 'x' })).json['error']).toBe('viewId is malformed');
  });

  it('refuses an upload without a filename header, which only the page sends', async () => {
    const answer = await send('POST', '/api/upload?user=U_ALICE', { body: 'participant_id\n', headers: { 'content-type': 'text/plain' } });
    expect(answer.status).toBe(400);
  });
});

describe('what the API does', () => {
  it('runs /pgroup as a signed slash command, and shows a private reply only to its reader', async () => {
    const answer = await post('/api/command', { user: 'U_ALICE', channel: 'C_GENERAL', text: '/pgroup list pilot' });
    expect(answer.json).toEqual({ ok: true });
    const reply = await eventually(async () => (await snapshot('U_ALICE')).messages['C_GENERAL']?.find((m) => m.text.includes('participant group')), 'the list');
    expect(reply.ephemeral).toBe(true);
    expect(JSON.stringify(reply.blocks)).toContain('Pilot wave 2');
    expect((await snapshot('U_BOB')).messages['C_GENERAL']?.some((m) => m.ts === reply.ts)).toBe(false);
  });

  it('answers typing that is not the app’s command with a note, without bothering the app', async () => {
    const before = playground.slack.calls.length;
    expect((await post('/api/command', { user: 'U_ALICE', channel: 'C_GENERAL', text: 'hello' })).json['note']).toContain('/pgroup help');
    expect((await post('/api/command', { user: 'U_ALICE', channel: 'C_GENERAL', text: '/giphy cats' })).json['note']).toContain('/giphy is not a command');
    expect(playground.slack.calls.length).toBe(before);
  });

  it('escapes &, < and > in command text as Slack does, and the app gets the characters back', async () => {
    // Typed literally, "&lt;" must reach the app as "&lt;", not as "<": only escaping keeps it apart.
    await post('/api/command', { user: 'U_ALICE', channel: 'C_GENERAL', text: '/pgroup create R&D <b> &lt;3' });
    const created = await eventually(() => playground.sandbox!.state.listGroups().find((g) => g.name.startsWith('R&D')), 'the created group');
    expect(created.name).toBe('R&D <b> &lt;3');
  });

  it('streams a change event when the app posts', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${playground.url}/api/events`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = stream.body!.getReader();
    await post('/api/command', { user: 'U_ALICE', channel: 'C_GENERAL', text: '/pgroup help' });
    let received = '';
    while (!received.includes('"kind":"message","channel":"C_GENERAL"')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    expect(received).toMatch(/event: change\ndata: \{"kind":"message","channel":"C_GENERAL"/);
  });

  it('hosts a chosen file for a file_input, and lets only its uploader submit it', async () => {
    const csv = 'participant_id\n5e9b9c9b00000000000dbba1\n';
    const upload = await send('POST', '/api/upload?user=U_ALICE', {
      body: csv,
      headers: { 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent('wave 3.csv') },
    });
    expect(upload.status).toBe(200);
    const file = upload.json['file'] as SlackFile;
    expect(file).toMatchObject({ name: 'wave 3.csv', filetype: 'csv', user: 'U_ALICE', size: csv.length });
    expect(file.url_private_download).toContain(playground.slack.url);

    await post('/api/command', { user: 'U_ALICE', channel: 'C_GENERAL', text: `/pgroup upload ${SEED_GROUP_IDS.pilot}` });
    const modal = await eventually(async () => {
      const m = (await snapshot('U_ALICE')).modal;
      return m?.blocks.some((b) => b.element?.type === 'file_input') ? m : undefined;
    }, 'the upload form');
    const bobsFile = await post('/api/submit', { user: 'U_BOB', viewId: modal.id, values: { file_input: { files: [file.id] } } });
    expect(bobsFile.json['error']).toBe('file_input: upload the file first');
    const notHosted = await post('/api/submit', { user: 'U_ALICE', viewId: modal.id, values: { file_input: { files: ['FNOTHOSTED'] } } });
    expect(notHosted.json['error']).toBe('file_input: upload the file first');
    // The driver, like Slack, knows whose screen a view is on.
    const bobsView = await post('/api/submit', { user: 'U_BOB', viewId: modal.id, values: {} });
    expect(bobsView.status).toBe(409);
    expect(bobsView.json['error']).toContain('shown to U_ALICE, not U_BOB');
    expect((await post('/api/close', { user: 'U_ALICE', viewId: modal.id })).json).toEqual({ ok: true });
    expect((await snapshot('U_ALICE')).modal).toBeNull();
  });

  it('shows the app’s inline errors from a submission', async () => {
    await post('/api/command', { user: 'U_ALICE', channel: 'C_GENERAL', text: `/pgroup upload ${SEED_GROUP_IDS.pilot}` });
    const modal = await eventually(async () => {
      const m = (await snapshot('U_ALICE')).modal;
      return m?.blocks.some((b) => b.element?.type === 'file_input') ? m : undefined;
    }, 'the upload form');
    const answer = await post('/api/submit', { user: 'U_ALICE', viewId: modal.id, values: { mode_choice: 'replace' } });
    expect(answer.json).toMatchObject({ ok: true });
    expect(answer.json['outcome']).toEqual({ outcome: 'errors', errors: { file: 'Choose a CSV file, paste ids or choose a study below.' } });
    await post('/api/close', { user: 'U_ALICE', viewId: modal.id });
  });

  it('asks the app for external_select options as the person types', async () => {
    // Past 100 groups the group picker becomes an external_select.
    for (let i = 0; i < 100; i++) playground.sandbox!.state.createGroup({ name: `Cohort ${String(i).padStart(3, '0')}`, workspace_id: SEED_WORKSPACE_ID });
    await post('/api/command', { user: 'U_ALICE', channel: 'C_GENERAL', text: '/pgroup upload' });
    const modal = await eventually(async () => {
      const m = (await snapshot('U_ALICE')).modal;
      return m?.blocks.some((b) => b.element?.type === 'external_select') ? m : undefined;
    }, 'the upload form with a searching group picker');
    const answer = await post('/api/options', { user: 'U_ALICE', viewId: modal.id, actionId: 'group_select', value: 'cohort 04' });
    const options = answer.json['options'] as { text: { text: string }; value: string }[];
    expect(options.map((o) => o.text.text)).toEqual(Array.from({ length: 10 }, (_, i) => `Cohort 04${i} (0)`));
    await post('/api/close', { user: 'U_ALICE', viewId: modal.id });
  });

  it('opens the App Home tab through app_home_opened', async () => {
    expect((await post('/api/home', { user: 'U_CAROL' })).json).toEqual({ ok: true });
    const home = await eventually(async () => ((await send('GET', '/api/state?user=U_CAROL')).json as { home: { blocks: unknown[] } | null }).home, 'the Home view');
    expect(JSON.stringify(home.blocks)).toContain('Watched groups');
  });

  it('posts a person’s message, on which the message shortcut opens the app’s form with its ids', async () => {
    const ids = ['5e9b9c9b00000000000a0001', '5e9b9c9b00000000000a0002'];
    const posted = await post('/api/post', { user: 'U_BOB', channel: 'C_GENERAL', text: `please add ${ids.join(' ')}` });
    expect(posted.json['ok']).toBe(true);
    const shown = (await snapshot('U_ALICE')).messages['C_GENERAL']?.find((m) => m.ts === posted.json['ts']) as { author?: string } | undefined;
    expect(shown?.author).toBe('Bob');
    const answer = await post('/api/shortcut', { user: 'U_ALICE', channel: 'C_GENERAL', messageTs: posted.json['ts'], callbackId: 'add_to_group' });
    expect(answer.json).toEqual({ ok: true });
    const modal = await eventually(async () => {
      const open = (await snapshot('U_ALICE')).modal;
      return open?.callback_id === 'upload_modal' ? open : undefined;
    }, 'the shortcut’s form');
    expect(JSON.stringify(modal.blocks)).toContain('2 participant ids in');
    expect((await post('/api/shortcut', { user: 'U_ALICE', callbackId: 'nonsense' })).status).toBe(400);
  });

  it('opens the global shortcut’s modal from the shortcuts menu', async () => {
    expect((await post('/api/shortcut', { user: 'U_CAROL', callbackId: 'participant_groups' })).json).toEqual({ ok: true });
    const modal = await eventually(async () => {
      const open = (await snapshot('U_CAROL')).modal;
      return open?.callback_id === 'groups_shortcut_modal' ? open : undefined;
    }, 'the groups modal');
    expect(JSON.stringify(modal.blocks)).toContain('Create a group');
  });

  it('runs the Workflow Builder step from the Workflow panel and says how the run ended', async () => {
    const group = SEED_GROUP_IDS.attentionChecks;
    const before = playground.sandbox!.state.members(group).length;
    const done = await post('/api/workflow', { user: 'U_ALICE', group, participantIds: '5e9b9c9b00000000000b0001', onBehalfOf: 'U_CAROL' });
    expect(done.json['outcome']).toEqual({ kind: 'success', outputs: { added_count: 1, new_count: before + 1 } });
    const refused = await post('/api/workflow', { user: 'U_ALICE', group, participantIds: '5e9b9c9b00000000000b0002', onBehalfOf: 'U_BOB' });
    expect((refused.json['outcome'] as { kind: string }).kind).toBe('error');
    expect(playground.sandbox!.state.members(group)).toHaveLength(before + 1);
  });

  it('marks who may change groups: in the playground, Alice and Carol', async () => {
    const users = (await snapshot('U_ALICE')).users;
    expect(Object.fromEntries(users.map((u) => [u.id, u.mayChangeGroups]))).toEqual({ U_ALICE: true, U_BOB: false, U_CAROL: true, U_EXT: false });
  });
});

it('stops the page, the bot and the local Slack, and prints no secret', async () => {
  const result = await playground.stop();
  expect(result).toEqual({ drained: true });
  await expect(fetch(`${playground.url}/`)).rejects.toThrow();
  await expect(fetch(playground.slack.apiUrl)).rejects.toThrow();
  expect(logLines.join('\n')).not.toContain('xoxb-');
});
