// A real Bolt app (HTTP receiver, signature verification on) driven by SlackDriver and talking back
// to LocalSlack through its own WebClient and respond(): the path the app's end-to-end tests take.

import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type SlashCommand, type types, type ViewClosedAction, type ViewSubmitAction } from '@slack/bolt';
import { SlackDriver } from '../../../src/local/slack/slackDriver';
import { LocalSlack } from '../../../src/local/slack/localSlack';
import { quietLogger } from './quietLogger';
import { eventually } from '../../support/eventually';

const BOT_TOKEN = 'xoxb-local-bolt-token';
const SIGNING_SECRET = 'local-signing-secret-for-tests';

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (value: string, text: string) => ({ text: plain(text), value });

function replaceModal(privateMetadata: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: 'replace',
    notify_on_close: true,
    private_metadata: privateMetadata,
    title: plain('Replace members'),
    submit: plain('Preview'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'name',
        optional: true,
        label: plain('New name'),
        element: { type: 'plain_text_input', action_id: 'name', max_length: 100 },
      },
      {
        type: 'input',
        block_id: 'group',
        label: plain('Group'),
        element: {
          type: 'static_select',
          action_id: 'group',
          options: [option('g1', 'Pilot'), option('g2', 'Main study')],
          initial_option: option('g1', 'Pilot'),
        },
      },
      {
        type: 'input',
        block_id: 'search',
        optional: true,
        label: plain('Find a group'),
        element: { type: 'external_select', action_id: 'group_search', min_query_length: 1 },
      },
      {
        type: 'input',
        block_id: 'csv',
        optional: true,
        label: plain('CSV of participant ids'),
        element: { type: 'file_input', action_id: 'csv', filetypes: ['csv'], max_files: 1 },
      },
      {
        type: 'input',
        block_id: 'mode',
        label: plain('Mode'),
        element: { type: 'radio_buttons', action_id: 'mode', options: [option('replace', 'Replace'), option('add', 'Add')] },
      },
      {
        type: 'input',
        block_id: 'notify',
        optional: true,
        label: plain('Tell'),
        element: { type: 'checkboxes', action_id: 'notify', options: [option('channel', 'The channel'), option('dm', 'Me')] },
      },
      {
        type: 'actions',
        block_id: 'tools',
        elements: [{ type: 'button', action_id: 'refresh', text: plain('Refresh'), value: 'refresh-1' }],
      },
    ],
  };
}

const confirmBlocks = [
  { type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Replace *42* members of pilot?' } },
  {
    type: 'actions' as const,
    block_id: 'decision',
    elements: [
      { type: 'button' as const, action_id: 'confirm', text: plain('Confirm'), style: 'primary' as const, value: 'op-7' },
      { type: 'button' as const, action_id: 'cancel', text: plain('Cancel'), value: 'op-7' },
    ],
  },
];

interface Seen {
  commands: SlashCommand[];
  actions: BlockAction[];
  submissions: ViewSubmitAction[];
  closed: ViewClosedAction[];
  homeOpened: Record<string, unknown>[];
}

let slack: LocalSlack;
let app: App;
let driver: SlackDriver;
let seen: Seen;

beforeAll(async () => {
  slack = await LocalSlack.start({ botToken: BOT_TOKEN });
  app = new App({
    token: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    logger: quietLogger(),
  });

  app.command('/pgroup', async ({ command, ack, client, respond }) => {
    seen.commands.push(command);
    const [verb, group = ''] = command.text.split(/\s+/);
    if (verb === 'list') {
      await ack({ response_type: 'ephemeral', text: `Members of ${group}: 42` });
    } else if (verb === 'replace') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: replaceModal(group) });
    } else if (verb === 'confirm') {
      await ack();
      await client.chat.postMessage({ channel: command.channel_id, text: 'Replace 42 members?', blocks: confirmBlocks });
    } else if (verb === 'confirm-privately') {
      await ack();
      await client.chat.postEphemeral({
        channel: command.channel_id,
        user: command.user_id,
        text: 'Replace 42 members?',
        blocks: confirmBlocks,
      });
    } else {
      await ack();
      await respond({ text: `Unknown command: ${command.text}` });
    }
  });

  app.action<BlockAction>('confirm', async ({ ack, body, respond }) => {
    await ack();
    seen.actions.push(body);
    await respond({ replace_original: true, text: 'Replaced 42 members of pilot' });
  });

  app.action<BlockAction>('refresh', async ({ ack, body, client }) => {
    await ack();
    seen.actions.push(body);
    const view = body.view!;
    await client.views.update({ view_id: view.id, hash: view.hash, view: replaceModal('refreshed') });
  });

  app.options('group_search', async ({ ack, options }) => {
    await ack({ options: [option(`match-${options.value}`, `Group ${options.value}`)] });
  });

  app.view<ViewSubmitAction>('replace', async ({ ack, body, view }) => {
    seen.submissions.push(body);
    const name = view.state.values['name']?.['name']?.value;
    if (name === 'taken') {
      await ack({ response_action: 'errors', errors: { name: 'That name is taken' } });
    } else if (name === 'preview') {
      await ack({ response_action: 'update', view: { ...replaceModal('preview'), title: plain('Preview') } });
    } else {
      await ack();
    }
  });

  app.view<ViewClosedAction>({ callback_id: 'replace', type: 'view_closed' }, async ({ ack, body }) => {
    await ack();
    seen.closed.push(body);
  });

  app.event('app_home_opened', async ({ event, client }) => {
    seen.homeOpened.push(event as unknown as Record<string, unknown>);
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your groups' } }] },
    });
  });

  // Port 0: Bolt's HTTPReceiver passes listen options through to node:http, so the OS picks a free port.
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  driver = new SlackDriver({ slack, appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
});

beforeEach(() => {
  seen = { commands: [], actions: [], submissions: [], closed: [], homeOpened: [] };
  slack.reset();
});

afterEach(() => {
  expect(slack.blockKitViolations).toEqual([]);
});

afterAll(async () => {
  await app.stop();
  await slack.close();
});

describe('slash commands', () => {
  it('reach the handler with Slack’s fields, and an acknowledgement body shows as an ephemeral reply', async () => {
    const started = performance.now();
    const result = await driver.command('/pgroup', 'list pilot', { user: 'U_ALICE', channel: 'C_GENERAL' });
    const elapsed = performance.now() - started;
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ response_type: 'ephemeral', text: 'Members of pilot: 42' });
    // The time to the answer, measured inside the call: some, and no more than the call took.
    expect(result.ackMs).toBeGreaterThan(0);
    expect(result.ackMs).toBeLessThanOrEqual(elapsed);
    expect(seen.commands).toEqual([
      {
        token: driver.verificationToken,
        team_id: 'T0LOCAL',
        team_domain: 'local-workspace',
        channel_id: 'C_GENERAL',
        channel_name: 'general',
        user_id: 'U_ALICE',
        user_name: 'alice',
        command: '/pgroup',
        text: 'list pilot',
        api_app_id: slack.appId,
        is_enterprise_install: 'false',
        response_url: result.responseUrl,
        trigger_id: result.triggerId,
      },
    ]);
    expect(slack.messages('C_GENERAL')).toEqual([
      expect.objectContaining({ text: 'Members of pilot: 42', ephemeralTo: 'U_ALICE', source: 'ack' }),
    ]);
  });

  it('give a trigger_id that opens a modal and a response_url the app can answer on', async () => {
    await driver.command('/pgroup', 'replace pilot', { user: 'U_ALICE', channel: 'C_GENERAL' });
    const [modal] = await eventually(() => slack.openModals('U_ALICE').length === 1 && slack.openModals('U_ALICE'), 'the modal');
    expect(modal).toMatchObject({ type: 'modal', user: 'U_ALICE', stack: 'root' });
    expect(modal?.view['private_metadata']).toBe('pilot');

    await driver.command('/pgroup', 'frobnicate', { user: 'U_BOB' });
    const reply = await eventually(() => slack.messages('U_BOB')[0], 'the reply in the DM');
    expect(reply).toMatchObject({ channel: 'D_BOB', text: 'Unknown command: frobnicate', ephemeralTo: 'U_BOB', source: 'response_url' });
    expect(seen.commands[1]).toMatchObject({ channel_id: 'D_BOB', channel_name: 'directmessage' });
  });
});

describe('interactions', () => {
  it('deliver a button click with the message, container and a response_url that replaces it', async () => {
    await driver.command('/pgroup', 'confirm pilot', { user: 'U_ALICE', channel: 'C_GENERAL' });
    const message = await eventually(() => slack.messages('C_GENERAL')[0], 'the confirmation message');
    const result = await driver.blockAction({ user: 'U_ALICE', channel: 'C_GENERAL', actionId: 'confirm', messageTs: message.ts });
    expect(result.status).toBe(200);
    expect(result.body).toBe('');
    const [action] = seen.actions;
    expect(action).toMatchObject({
      type: 'block_actions',
      user: { id: 'U_ALICE', username: 'alice', name: 'alice', team_id: 'T0LOCAL' },
      team: { id: 'T0LOCAL', domain: 'local-workspace' },
      api_app_id: slack.appId,
      container: { type: 'message', message_ts: message.ts, channel_id: 'C_GENERAL', is_ephemeral: false },
      channel: { id: 'C_GENERAL', name: 'general' },
      message: { ts: message.ts, text: 'Replace 42 members?', user: slack.botUserId },
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
      actions: [
        { type: 'button', action_id: 'confirm', block_id: 'decision', value: 'op-7', style: 'primary', text: plain('Confirm') },
      ],
    });
    const replaced = await eventually(
      () => slack.messages('C_GENERAL').find((m) => m.updatedCount === 1),
      'the message replaced through the response_url',
    );
    expect(replaced).toMatchObject({ ts: message.ts, text: 'Replaced 42 members of pilot' });
    expect(slack.messages('C_GENERAL')).toHaveLength(1);
  });

  it('deliver a click on an ephemeral message without the message, and replace it through the response_url', async () => {
    await driver.command('/pgroup', 'confirm-privately pilot', { user: 'U_BOB', channel: 'C_GENERAL' });
    const message = await eventually(() => slack.messages('C_GENERAL')[0], 'the ephemeral confirmation');
    expect(message.ephemeralTo).toBe('U_BOB');
    await expect(
      driver.blockAction({ user: 'U_ALICE', channel: 'C_GENERAL', actionId: 'confirm', messageTs: message.ts }),
    ).rejects.toThrow('ephemeral to U_BOB');
    await driver.blockAction({ user: 'U_BOB', channel: 'C_GENERAL', actionId: 'confirm', messageTs: message.ts });
    expect(seen.actions[0]?.container).toEqual({
      type: 'message',
      message_ts: message.ts,
      channel_id: 'C_GENERAL',
      is_ephemeral: true,
    });
    expect(seen.actions[0]?.message).toBeUndefined();
    const replaced = await eventually(() => slack.messages('C_GENERAL').find((m) => m.updatedCount === 1), 'the replacement');
    expect(replaced).toMatchObject({ ts: message.ts, ephemeralTo: 'U_BOB', text: 'Replaced 42 members of pilot' });
  });

  it('refuse to click a button that is not in the message', async () => {
    await driver.command('/pgroup', 'confirm pilot', { user: 'U_ALICE', channel: 'C_GENERAL' });
    const message = await eventually(() => slack.messages('C_GENERAL')[0], 'the confirmation message');
    await expect(
      driver.blockAction({ user: 'U_ALICE', channel: 'C_GENERAL', actionId: 'undo', messageTs: message.ts }),
    ).rejects.toThrow('no element with action_id "undo"');
  });

  it('deliver a click inside a modal with the view, whose update the app then makes', async () => {
    await driver.command('/pgroup', 'replace pilot', { user: 'U_CAROL', channel: 'C_GENERAL' });
    const [modal] = await eventually(() => slack.openModals('U_CAROL').length === 1 && slack.openModals('U_CAROL'), 'the modal');
    await driver.blockAction({ user: 'U_CAROL', viewId: modal!.id, actionId: 'refresh', stateValues: { name: 'draft' } });
    const [action] = seen.actions;
    expect(action?.container).toEqual({ type: 'view', view_id: modal!.id });
    expect(action?.view).toMatchObject({ id: modal!.id, hash: modal!.hash, callback_id: 'replace', private_metadata: 'pilot' });
    expect(action?.view?.state.values['name']?.['name']).toEqual({ type: 'plain_text_input', value: 'draft' });
    expect(action?.actions[0]).toMatchObject({ type: 'button', action_id: 'refresh', block_id: 'tools', value: 'refresh-1' });
    expect(action?.response_url).toBeUndefined();
    const updated = await eventually(() => slack.view(modal!.id)?.updatedCount === 1 && slack.view(modal!.id), 'the update');
    expect(updated.view['private_metadata']).toBe('refreshed');
  });

  it('answer an external select’s options request', async () => {
    await driver.command('/pgroup', 'replace pilot', { user: 'U_ALICE', channel: 'C_GENERAL' });
    const [modal] = await eventually(() => slack.openModals('U_ALICE').length === 1 && slack.openModals('U_ALICE'), 'the modal');
    const result = await driver.optionsRequest({ user: 'U_ALICE', viewId: modal!.id, actionId: 'group_search', value: 'pil' });
    expect(result.payload).toMatchObject({ type: 'block_suggestion', block_id: 'search', action_id: 'group_search', value: 'pil' });
    expect(result.json).toEqual({ options: [option('match-pil', 'Group pil')] });
  });
});

describe('view submissions', () => {
  async function openModal(user: string): Promise<string> {
    await driver.command('/pgroup', 'replace pilot', { user, channel: 'C_GENERAL' });
    const [modal] = await eventually(() => slack.openModals(user).length === 1 && slack.openModals(user), 'the modal');
    return modal!.id;
  }

  it('send typed state values for each input and close the view on an empty acknowledgement', async () => {
    const viewId = await openModal('U_ALICE');
    const csv = slack.hostFile({ name: 'members.csv', content: 'participant_id\nabc\n', user: 'U_ALICE' });
    const result = await driver.viewSubmission({
      user: 'U_ALICE',
      viewId,
      values: {
        name: 'pilot-2',
        group: 'g2',
        group_search: { selected: 'match-pil', text: 'Group pil' },
        csv: { files: [csv] },
        mode: 'add',
        notify: ['channel', 'dm'],
      },
    });
    expect(result).toMatchObject({ status: 200, body: '', outcome: { outcome: 'closed', viewId } });
    const [submission] = seen.submissions;
    expect(submission).toMatchObject({
      type: 'view_submission',
      user: { id: 'U_ALICE', name: 'alice' },
      team: { id: 'T0LOCAL' },
      trigger_id: result.triggerId,
      response_urls: [],
      view: { id: viewId, callback_id: 'replace', private_metadata: 'pilot', type: 'modal' },
    });
    expect(submission?.view.state.values).toEqual({
      name: { name: { type: 'plain_text_input', value: 'pilot-2' } },
      group: { group: { type: 'static_select', selected_option: option('g2', 'Main study') } },
      search: { group_search: { type: 'external_select', selected_option: { ...option('match-pil', 'Group pil'), text: { ...plain('Group pil'), emoji: true } } } },
      csv: { csv: { type: 'file_input', files: [csv] } },
      mode: { mode: { type: 'radio_buttons', selected_option: option('add', 'Add') } },
      notify: { notify: { type: 'checkboxes', selected_options: [option('channel', 'The channel'), option('dm', 'Me')] } },
    });
    expect(slack.view(viewId)?.closed).toBe(true);
  });

  it('keep the view open on response_action errors and apply response_action update', async () => {
    const viewId = await openModal('U_BOB');
    const rejected = await driver.viewSubmission({ user: 'U_BOB', viewId, values: { name: 'taken', mode: 'replace' } });
    expect(rejected.json).toEqual({ response_action: 'errors', errors: { name: 'That name is taken' } });
    expect(rejected.outcome).toEqual({ outcome: 'errors', errors: { name: 'That name is taken' } });
    expect(slack.view(viewId)?.closed).toBe(false);
    // Left out inputs carry their initial values, as in Slack.
    expect(seen.submissions[0]?.view.state.values['group']?.['group']?.selected_option).toEqual(option('g1', 'Pilot'));

    const updated = await driver.viewSubmission({ user: 'U_BOB', viewId, values: { name: 'preview', mode: 'replace' } });
    expect(updated.outcome).toEqual({ outcome: 'updated', viewId });
    expect(slack.view(viewId)).toMatchObject({ closed: false, updatedCount: 1 });
    expect(slack.view(viewId)?.view['title']).toEqual(plain('Preview'));
  });

  it('refuse what Slack’s client would not submit', async () => {
    const viewId = await openModal('U_CAROL');
    await expect(driver.viewSubmission({ user: 'U_CAROL', viewId, values: { name: 'x' } })).rejects.toThrow(
      'the required input "mode" (block "mode") is empty',
    );
    await expect(driver.viewSubmission({ user: 'U_CAROL', viewId, values: { mode: 'replace', group: 'nope' } })).rejects.toThrow(
      '"nope" is not one of the options of static_select "group"',
    );
    await expect(driver.viewSubmission({ user: 'U_CAROL', viewId, values: { mode: 'add', colour: 'red' } })).rejects.toThrow(
      'no input with action_id "colour"',
    );
    await expect(driver.viewSubmission({ user: 'U_ALICE', viewId, values: { mode: 'add' } })).rejects.toThrow('not U_ALICE');
    expect(seen.submissions).toEqual([]);
  });

  it('close a view without telling the app when it did not ask for notify_on_close', async () => {
    const opened = await app.client.views.open({
      trigger_id: slack.issueTriggerId('U_BOB'),
      view: { ...replaceModal('quiet'), notify_on_close: false },
    });
    const viewId = opened.view!.id!;
    expect(await driver.viewClosed({ user: 'U_BOB', viewId })).toMatchObject({ sent: false });
    expect(slack.view(viewId)?.closed).toBe(true);
    expect(seen.closed).toEqual([]);
  });

  it('tell the app about a closed view that asked for notify_on_close', async () => {
    const viewId = await openModal('U_ALICE');
    const result = await driver.viewClosed({ user: 'U_ALICE', viewId });
    expect(result).toMatchObject({ sent: true, status: 200 });
    expect(seen.closed[0]).toMatchObject({ type: 'view_closed', is_cleared: false, view: { id: viewId, callback_id: 'replace' } });
    expect(slack.view(viewId)?.closed).toBe(true);
  });
});

describe('events', () => {
  it('deliver app_home_opened in an event_callback envelope', async () => {
    const result = await driver.event({ type: 'app_home_opened', user: 'U_ALICE' });
    expect(result.status).toBe(200);
    expect(result.payload).toMatchObject({ type: 'event_callback', team_id: 'T0LOCAL', api_app_id: slack.appId });
    const home = await eventually(() => slack.homeView('U_ALICE'), 'the published Home tab');
    expect(home.type).toBe('home');
    expect(seen.homeOpened[0]).toMatchObject({ type: 'app_home_opened', user: 'U_ALICE', channel: 'D_ALICE', tab: 'home' });

    await driver.event({ type: 'app_home_opened', user: 'U_ALICE' });
    await eventually(() => seen.homeOpened.length === 2, 'the second event');
    expect(seen.homeOpened[1]?.['view']).toMatchObject({ id: home.id, type: 'home' });
  });

  it('answer url_verification with the challenge', async () => {
    const result = await driver.urlVerification('challenge-123');
    expect(result.json).toEqual({ challenge: 'challenge-123' });
  });
});

describe('request signing', () => {
  const commandBody = () =>
    new URLSearchParams({ command: '/pgroup', text: 'list pilot', user_id: 'U_ALICE', channel_id: 'C_GENERAL' }).toString();
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

  it('passes a correctly signed raw request', async () => {
    const body = commandBody();
    const result = await driver.raw(body, { ...form, ...driver.sign(body) });
    expect(result.status).toBe(200);
    expect(seen.commands).toHaveLength(1);
  });

  it('gets 401 for a wrong signature, and the handler is not called', async () => {
    const body = commandBody();
    const headers: Record<string, string> = { ...form, ...driver.sign(body) };
    headers['X-Slack-Signature'] = `v0=${'0'.repeat(64)}`;
    expect((await driver.raw(body, headers)).status).toBe(401);
    const forged = new SlackDriver({ slack, appUrl: driver.appUrl!, signingSecret: 'not-the-secret' });
    expect((await forged.command('/pgroup', 'list pilot', { user: 'U_ALICE', channel: 'C_GENERAL' })).status).toBe(401);
    expect(seen.commands).toEqual([]);
  });

  it('gets 401 for a timestamp more than five minutes old, and the handler is not called', async () => {
    const body = commandBody();
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const result = await driver.raw(body, { ...form, ...driver.sign(body, sixMinutesAgo) });
    expect(result.status).toBe(401);
    expect(seen.commands).toEqual([]);
  });

  it('reports the acknowledgement time', async () => {
    const result = await driver.command('/pgroup', 'list pilot', { user: 'U_ALICE', channel: 'C_GENERAL' });
    expect(typeof result.ackMs).toBe('number');
    expect(Number.isFinite(result.ackMs)).toBe(true);
  });
});
