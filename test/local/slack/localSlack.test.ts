// The local Slack answered by the real @slack/web-api WebClient, pointed at it with slackApiUrl only.

import { ErrorCode, type WebAPIPlatformError, WebClient, WebClientEvent } from '@slack/web-api';
import type { LocalMessage } from '../../../src/local/slack/localChat';
import { LocalSlack, THREAD_REPLY_REQUEST } from '../../../src/local/slack/localSlack';
import type { ViewChange } from '../../../src/local/slack/localViews';
import { sleep } from '../../support/sleep';
import { quietLogger } from './quietLogger';

const BOT_TOKEN = 'xoxb-local-test-token';

const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title = 'Replace members', extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  close: { type: 'plain_text' as const, text: 'Cancel' },
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Pick a CSV' } }],
  ...extra,
});

/** The Slack error code a WebClient call was rejected with. */
async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const platform = error as WebAPIPlatformError;
    return platform.code === ErrorCode.PlatformError ? platform.data.error : String(error);
  }
}

/** `null` makes a client without a token. */
function clientFor(slack: LocalSlack, token: string | null = BOT_TOKEN): WebClient {
  return new WebClient(token ?? undefined, { slackApiUrl: slack.apiUrl, logger: quietLogger(), retryConfig: { retries: 0 } });
}

let slack: LocalSlack;
let client: WebClient;

beforeAll(async () => {
  slack = await LocalSlack.start({ botToken: BOT_TOKEN });
  client = clientFor(slack);
});

afterEach(() => {
  slack.reset();
});

afterAll(async () => {
  await slack.close();
});

describe('authentication and methods', () => {
  it('answers auth.test with the workspace and the bot user', async () => {
    const auth = await client.auth.test();
    expect(slack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(slack.apiUrl).toBe(`${slack.url}api/`);
    expect(auth).toMatchObject({ ok: true, team_id: 'T0LOCAL', user_id: slack.botUserId, bot_id: slack.botId });
    expect(auth.url).toBe('https://local-workspace.slack.com/');
  });

  it('answers invalid_auth without the token or with another one', async () => {
    expect(await slackError(clientFor(slack, null).auth.test())).toBe('invalid_auth');
    expect(await slackError(clientFor(slack, 'xoxb-wrong').chat.postMessage({ channel: 'C_GENERAL', text: 'x' }))).toBe(
      'invalid_auth',
    );
    expect(slack.messages()).toEqual([]);
    expect(slack.calls.map((c) => [c.method, c.ok, c.error])).toEqual([
      ['auth.test', false, 'invalid_auth'],
      ['chat.postMessage', false, 'invalid_auth'],
    ]);
  });

  it('accepts the token as a form field too, and keeps it out of the recorded arguments', async () => {
    const tokenless = clientFor(slack, null);
    const posted = await tokenless.chat.postMessage({ token: BOT_TOKEN, channel: 'C_GENERAL', text: 'hello' });
    expect(posted.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage')[0]?.args).toEqual({ channel: 'C_GENERAL', text: 'hello' });
  });

  it('takes JSON bodies as Slack does', async () => {
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${BOT_TOKEN}`, 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C_GENERAL', text: 'from JSON', blocks: [section('from JSON')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C_GENERAL' });
    expect(slack.messages('C_GENERAL')[0]).toMatchObject({ text: 'from JSON', blocks: [section('from JSON')] });
  });

  it('answers unknown_method for a method it does not serve', async () => {
    expect(await slackError(client.apiCall('chat.scheduleMessage', { channel: 'C_GENERAL', text: 'x' }))).toBe(
      'unknown_method',
    );
  });
});

describe('messages', () => {
  it('posts to a channel and answers like Slack', async () => {
    const blocks = [section('*pilot*: 42 participants')];
    const posted = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'pilot', blocks });
    expect(posted).toMatchObject({ ok: true, channel: 'C_GENERAL', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(posted.message).toMatchObject({ type: 'message', text: 'pilot', user: slack.botUserId, bot_id: slack.botId });
    expect(slack.messages('C_GENERAL')).toEqual([
      {
        channel: 'C_GENERAL',
        ts: posted.ts,
        text: 'pilot',
        blocks,
        user: slack.botUserId,
        updatedCount: 0,
        deleted: false,
        source: 'api',
      },
    ]);
    expect(slack.callsTo('chat.postMessage')[0]?.args['blocks']).toEqual(blocks);
  });

  it('treats a user id as their DM', async () => {
    const posted = await client.chat.postMessage({ channel: 'U_BOB', text: 'your upload is ready' });
    expect(posted.channel).toBe('D_BOB');
    expect(slack.messages('U_BOB').map((m) => m.channel)).toEqual(['D_BOB']);
    expect(slack.messages('D_BOB')).toHaveLength(1);
    const opened = await client.conversations.open({ users: 'U_BOB' });
    expect(opened.channel?.id).toBe('D_BOB');
  });

  it('keeps ephemeral messages to their user', async () => {
    const posted = await client.chat.postEphemeral({ channel: 'C_GENERAL', user: 'U_ALICE', text: 'only you' });
    expect(posted.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(slack.messages('C_GENERAL')[0]).toMatchObject({ ephemeralTo: 'U_ALICE', text: 'only you', source: 'api' });
    expect(await slackError(client.chat.update({ channel: 'C_GENERAL', ts: posted.message_ts!, text: 'x' }))).toBe(
      'message_not_found',
    );
  });

  it('updates a message in place and keeps blocks the update leaves out', async () => {
    const blocks = [section('Confirm replacing 42 members?')];
    const posted = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'confirm?', blocks });
    const changes: LocalMessage[] = [];
    slack.events.on('message_changed', (m) => changes.push(m));
    const updated = await client.chat.update({ channel: 'C_GENERAL', ts: posted.ts!, text: 'applying…' });
    expect(updated).toMatchObject({ ok: true, channel: 'C_GENERAL', ts: posted.ts, text: 'applying…' });
    await client.chat.update({ channel: 'C_GENERAL', ts: posted.ts!, text: 'done', blocks: [section('Replaced.')] });
    const [message, ...others] = slack.messages('C_GENERAL');
    expect(others).toEqual([]);
    expect(message).toMatchObject({ ts: posted.ts, text: 'done', blocks: [section('Replaced.')], updatedCount: 2 });
    expect(changes.map((m) => m.text)).toEqual(['applying…', 'done']);
    expect(changes[0]?.blocks).toEqual(blocks);
    slack.events.removeAllListeners('message_changed');
  });

  it('answers message_not_found for an unknown ts and channel_not_found for an unknown channel', async () => {
    expect(await slackError(client.chat.update({ channel: 'C_GENERAL', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await slackError(client.chat.postMessage({ channel: 'C_NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: '' }))).toBe('no_text');
  });

  it('deletes a message, keeping it flagged', async () => {
    const posted = await client.chat.postMessage({ channel: 'C_NOTIFY', text: 'undo available' });
    await client.chat.delete({ channel: 'C_NOTIFY', ts: posted.ts! });
    expect(slack.messages('C_NOTIFY')[0]).toMatchObject({ ts: posted.ts, deleted: true });
    expect(await slackError(client.chat.delete({ channel: 'C_NOTIFY', ts: posted.ts! }))).toBe('message_not_found');
  });

  it('keeps a reply under its parent, as Slack threads do, and refuses a thread_ts that is no message of the channel', async () => {
    const parent = await client.chat.postMessage({ channel: 'C_NOTIFY', text: 'Alice added 3 participants' });
    const reply = await client.chat.postMessage({ channel: 'C_NOTIFY', thread_ts: parent.ts!, text: 'details' });
    expect(reply.message?.['thread_ts']).toBe(parent.ts);
    // A reply's own ts puts the next reply under the same parent.
    await client.chat.postMessage({ channel: 'C_NOTIFY', thread_ts: reply.ts!, text: 'more details' });
    expect(slack.replies('C_NOTIFY', parent.ts!).map((m) => m.text)).toEqual(['details', 'more details']);
    expect(slack.slackMessageObject('C_NOTIFY', parent.ts!)).toMatchObject({ thread_ts: parent.ts, reply_count: 2, latest_reply: slack.replies('C_NOTIFY', parent.ts!)[1]!.ts });

    const thread = await client.conversations.replies({ channel: 'C_NOTIFY', ts: parent.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(['Alice added 3 participants', 'details', 'more details']);
    expect(thread.messages?.[1]).toMatchObject({ thread_ts: parent.ts, parent_user_id: slack.botUserId });

    // The ts of a message in another channel, or of none, is not a thread here.
    const elsewhere = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'elsewhere' });
    expect(await slackError(client.chat.postMessage({ channel: 'C_NOTIFY', thread_ts: elsewhere.ts!, text: 'x' }))).toBe('invalid_thread_ts');
    expect(await slackError(client.chat.postMessage({ channel: 'C_NOTIFY', thread_ts: '1.000001', text: 'x' }))).toBe('invalid_thread_ts');
    expect(await slackError(client.conversations.replies({ channel: 'C_NOTIFY', ts: '1.000001' }))).toBe('thread_not_found');
    expect(slack.messages('C_NOTIFY')).toHaveLength(3);
    // The channel's history, as Slack shows it: the post, its replies in its thread.
    expect(slack.posts('C_NOTIFY').map((m) => m.text)).toEqual(['Alice added 3 participants']);
  });

  it('fails only thread replies with a fault queued for THREAD_REPLY_REQUEST', async () => {
    slack.failNext(THREAD_REPLY_REQUEST, { status: 500 });
    const parent = await client.chat.postMessage({ channel: 'C_NOTIFY', text: 'parent' });
    expect(await slackError(client.chat.postMessage({ channel: 'C_NOTIFY', thread_ts: parent.ts!, text: 'reply' }))).toMatch(/500/);
    await client.chat.postMessage({ channel: 'C_NOTIFY', thread_ts: parent.ts!, text: 'reply' });
    expect(slack.replies('C_NOTIFY', parent.ts!).map((m) => m.text)).toEqual(['reply']);
  });

  it('emits each new message', async () => {
    const seen: LocalMessage[] = [];
    slack.events.on('message', (m) => seen.push(m));
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 'one' });
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 'two' });
    slack.events.removeAllListeners('message');
    expect(seen.map((m) => m.text)).toEqual(['one', 'two']);
    expect(seen[0]!.ts < seen[1]!.ts).toBe(true);
  });
});

describe('views', () => {
  it('opens a modal with a fresh trigger_id and records it', async () => {
    const changes: ViewChange[] = [];
    slack.events.on('view', (c) => changes.push(c));
    const triggerId = slack.issueTriggerId('U_ALICE');
    const opened = await client.views.open({ trigger_id: triggerId, view: modal('Replace members', { callback_id: 'replace' }) });
    slack.events.removeAllListeners('view');
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V[A-Z0-9]+$/),
      hash: expect.any(String),
      type: 'modal',
      callback_id: 'replace',
      team_id: 'T0LOCAL',
      root_view_id: opened.view?.id,
      state: { values: {} },
    });
    expect(slack.views()).toEqual([
      expect.objectContaining({ id: opened.view?.id, type: 'modal', user: 'U_ALICE', stack: 'root', closed: false }),
    ]);
    expect(slack.views()[0]?.view).toEqual(modal('Replace members', { callback_id: 'replace' }));
    expect(changes.map((c) => c.change)).toEqual(['opened']);
  });

  it('refuses a used, unknown or expired trigger_id', async () => {
    const triggerId = slack.issueTriggerId('U_ALICE');
    await client.views.open({ trigger_id: triggerId, view: modal() });
    expect(await slackError(client.views.open({ trigger_id: triggerId, view: modal() }))).toBe('expired_trigger_id');
    expect(await slackError(client.views.open({ trigger_id: '1.2.nope', view: modal() }))).toBe('invalid_trigger_id');

    const quick = await LocalSlack.start({ botToken: BOT_TOKEN, triggerTtlMs: 20 });
    try {
      const stale = quick.issueTriggerId('U_ALICE');
      await sleep(60);
      expect(await slackError(clientFor(quick).views.open({ trigger_id: stale, view: modal() }))).toBe('expired_trigger_id');
      expect(quick.views()).toEqual([]);
    } finally {
      await quick.close();
    }
  });

  it('updates by view_id or external_id and honours the hash', async () => {
    const opened = await client.views.open({
      trigger_id: slack.issueTriggerId('U_ALICE'),
      view: modal('Step 1', { external_id: 'replace-op-1' }),
    });
    const id = opened.view!.id!;
    const first = await client.views.update({ view_id: id, hash: opened.view!.hash!, view: modal('Step 2') });
    expect(first.view).toMatchObject({ id, title: plain('Step 2') });
    expect(first.view!.hash).not.toBe(opened.view!.hash);
    expect(await slackError(client.views.update({ view_id: id, hash: opened.view!.hash!, view: modal('Stale') }))).toBe(
      'hash_conflict',
    );
    await client.views.update({ external_id: 'replace-op-1', view: modal('Step 3', { external_id: 'replace-op-1' }) });
    expect(slack.view(id)).toMatchObject({ updatedCount: 2, hash: expect.any(String) });
    expect(slack.view(id)?.view['title']).toEqual(plain('Step 3'));
    expect(await slackError(client.views.update({ view_id: 'VNOPE', view: modal() }))).toBe('not_found');
  });

  it('pushes onto the open modal, up to three views', async () => {
    const root = await client.views.open({ trigger_id: slack.issueTriggerId('U_CAROL'), view: modal('Root') });
    const pushed = await client.views.push({ trigger_id: slack.issueTriggerId('U_CAROL'), view: modal('Details') });
    await client.views.push({ trigger_id: slack.issueTriggerId('U_CAROL'), view: modal('More') });
    expect(await slackError(client.views.push({ trigger_id: slack.issueTriggerId('U_CAROL'), view: modal('Too many') }))).toBe(
      'push_limit_reached',
    );
    expect(pushed.view).toMatchObject({ root_view_id: root.view?.id, previous_view_id: root.view?.id });
    expect(slack.openModals('U_CAROL').map((v) => v.stack)).toEqual(['root', 'pushed', 'pushed']);
    slack.closeView(root.view!.id!);
    expect(slack.openModals('U_CAROL')).toEqual([]);
  });

  it('publishes one Home tab per user, updated in place', async () => {
    const home = { type: 'home' as const, blocks: [{ type: 'section' as const, text: plain('Your groups') }] };
    const first = await client.views.publish({ user_id: 'U_ALICE', view: home });
    const second = await client.views.publish({ user_id: 'U_ALICE', view: { ...home, private_metadata: 'v2' } });
    expect(second.view?.id).toBe(first.view?.id);
    expect(slack.homeView('U_ALICE')).toMatchObject({ type: 'home', user: 'U_ALICE', updatedCount: 1 });
    expect(await slackError(client.views.publish({ user_id: 'U_NOBODY', view: home }))).toBe('user_not_found');
  });
});

describe('Block Kit limits', () => {
  it('rejects a 51-block message with invalid_blocks and records the violation', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: 'rows', blocks }))).toBe('invalid_blocks');
    expect(slack.messages()).toEqual([]);
    expect(slack.blockKitViolations).toEqual([
      { source: 'chat.postMessage', kind: 'message', violations: ['blocks: 51 blocks, over the limit of 50'], at: expect.any(Date) },
    ]);
  });

  it('rejects a modal title of 25 characters with invalid_arguments', async () => {
    let data: Record<string, unknown> = {};
    try {
      await client.views.open({ trigger_id: slack.issueTriggerId('U_ALICE'), view: modal('A title of 25 characters!') });
    } catch (error) {
      data = (error as WebAPIPlatformError).data as unknown as Record<string, unknown>;
    }
    expect(data).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] view.title.text: modal title is 25 characters, over the limit of 24'] },
    });
    expect(slack.views()).toEqual([]);
    expect(slack.blockKitViolations.map((v) => [v.source, v.kind])).toEqual([['views.open', 'modal']]);
  });

  it('rejects a duplicate action_id in a block', async () => {
    const button = { type: 'button', action_id: 'confirm', text: plain('Confirm') };
    const blocks = [{ type: 'actions', elements: [button, button] }];
    expect(await slackError(client.chat.update({ channel: 'C_GENERAL', ts: '1.1', text: 'x', blocks }))).toBe(
      'message_not_found',
    );
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: 'x', blocks }))).toBe('invalid_blocks');
    expect(slack.blockKitViolations[0]?.violations).toEqual([
      'blocks[0].elements[1].action_id: "confirm" is already used by blocks[0].elements[0] in the same block',
    ]);
  });

  it('lets payloads within the limits through', async () => {
    const blocks = Array.from({ length: 50 }, (_, i) => section(`row ${i}`));
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 'rows', blocks });
    await client.views.open({ trigger_id: slack.issueTriggerId('U_ALICE'), view: modal('A title of 24 characters') });
    expect(slack.blockKitViolations).toEqual([]);
  });
});

describe('people and conversations', () => {
  it('answers users.info in Slack’s shape', async () => {
    const { user } = await client.users.info({ user: 'U_EXT' });
    expect(user).toMatchObject({
      id: 'U_EXT',
      team_id: 'T0OTHER',
      name: 'erin.external',
      tz: 'Europe/Berlin',
      profile: { real_name: 'Erin External', display_name: 'Erin (partner org)' },
    });
    expect(slack.users.map((u) => u.id)).toEqual(expect.arrayContaining(['U_ALICE', 'U_BOB', 'U_CAROL', 'U_EXT']));
    expect(await slackError(client.users.info({ user: 'U_NOBODY' }))).toBe('user_not_found');
    slack.addUser({ id: 'U_DAVE', name: 'dave', realName: 'Dave Doe' });
    expect((await client.users.info({ user: 'U_DAVE' })).user).toMatchObject({ team_id: 'T0LOCAL', real_name: 'Dave Doe' });
  });

  it('answers conversations.info for channels and added ones', async () => {
    const { channel } = await client.conversations.info({ channel: 'C_NOTIFY' });
    expect(channel).toMatchObject({ id: 'C_NOTIFY', name: 'pgroup-notifications', is_channel: true, is_private: false });
    slack.addChannel({ id: 'G_PRIVATE', name: 'research-ops', isPrivate: true });
    expect((await client.conversations.info({ channel: 'G_PRIVATE' })).channel).toMatchObject({ is_private: true });
    expect(await slackError(client.conversations.info({ channel: 'C_NOPE' }))).toBe('channel_not_found');
  });
});

describe('files', () => {
  it('takes a CSV through filesUploadV2 intact and shares it in the channel', async () => {
    const csv = 'participant_id\n5f1e2d3c4b5a69788796a5b4\n60a1b2c3d4e5f60718293a4b\nnaïve ✓\n';
    const result = await client.filesUploadV2({
      channel_id: 'C_NOTIFY',
      filename: 'pilot-members.csv',
      title: 'Pilot members',
      content: csv,
      initial_comment: 'Members of pilot before the change',
    });
    expect(result.ok).toBe(true);
    expect(slack.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({
      filename: 'pilot-members.csv',
      length: String(Buffer.byteLength(csv)),
    });
    const [upload, ...more] = slack.files;
    expect(more).toEqual([]);
    expect(upload).toMatchObject({
      name: 'pilot-members.csv',
      title: 'Pilot members',
      channel_id: 'C_NOTIFY',
      initial_comment: 'Members of pilot before the change',
      completed: true,
      declaredLength: Buffer.byteLength(csv),
    });
    expect(upload?.content.toString('utf8')).toBe(csv);
    const [message] = slack.messages('C_NOTIFY');
    expect(message).toMatchObject({ text: 'Members of pilot before the change', source: 'api' });
    expect(message?.files?.map((f) => f.id)).toEqual([upload?.id]);

    const info = await client.files.info({ file: upload!.id });
    expect(info.file).toMatchObject({ name: 'pilot-members.csv', mimetype: 'text/csv', filetype: 'csv', size: Buffer.byteLength(csv) });
    const download = await fetch(info.file!.url_private_download!, { headers: { Authorization: `Bearer ${BOT_TOKEN}` } });
    expect(await download.text()).toBe(csv);
  });

  it('shares a file in a DM only by the id conversations.open gives, and only where the bot is', async () => {
    const upload = (channel_id: string) => client.filesUploadV2({ channel_id, filename: 'ids.csv', content: 'participant_id\nabc\n' });
    // A user id is not a conversation id: Slack's schema refuses it, and nothing is shared.
    expect(await slackError(upload('U_ALICE'))).toBe('invalid_arguments');
    const { channel } = await client.conversations.open({ users: 'U_ALICE' });
    expect(channel?.id).toBe('D_ALICE');
    await upload(channel!.id!);
    const shared = slack.files.filter((f) => f.completed);
    expect(shared.map((f) => f.channel_id)).toEqual(['D_ALICE']);
    expect(shared[0]?.file).toMatchObject({ ims: ['D_ALICE'], channels: [], groups: [] });
    expect(slack.messages('D_ALICE').flatMap((m) => m.files ?? []).map((f) => f.id)).toEqual([shared[0]?.id]);
    // A channel the bot is not in is refused, as chat.postMessage refuses it.
    slack.addChannel({ id: 'C_ELSEWHERE', name: 'elsewhere', botIsMember: false });
    expect(await slackError(upload('C_ELSEWHERE'))).toBe('not_in_channel');
    expect(slack.messages('C_ELSEWHERE')).toEqual([]);
  });

  it('serves a hosted file only with the bot token, and Slack’s sign-in page otherwise', async () => {
    const file = slack.hostFile({ name: 'members.csv', content: 'participant_id\nabc\n', user: 'U_ALICE' });
    expect(file).toMatchObject({ id: expect.stringMatching(/^F/), name: 'members.csv', mimetype: 'text/csv', filetype: 'csv', size: 19 });

    const withToken = await fetch(file.url_private_download, { headers: { Authorization: `Bearer ${BOT_TOKEN}` } });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('content-type')).toBe('text/csv');
    expect(await withToken.text()).toBe('participant_id\nabc\n');

    const refusedHeaders: Record<string, string>[] = [{}, { Authorization: 'Bearer xoxb-wrong' }];
    for (const headers of refusedHeaders) {
      const refused = await fetch(file.url_private_download, { headers });
      expect(refused.status).toBe(200);
      expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await refused.text()).toContain('Sign in');
    }
    expect((await client.files.info({ file: file.id })).file?.url_private).toBe(file.url_private);
    expect(await slackError(client.files.info({ file: 'FNOPE' }))).toBe('file_not_found');
  });

  it('serves a file through redirects: Slack’s host asks for the token at every hop, the other host takes none', async () => {
    const content = 'participant_id\nabc\n';
    const file = slack.hostFile({ name: 'grid.csv', content, user: 'U_ALICE', redirects: ['other', 'slack'] });
    const auth = { Authorization: `Bearer ${BOT_TOKEN}` };
    const first = await fetch(file.url_private_download, { headers: auth, redirect: 'manual' });
    expect(first.status).toBe(302);
    const toOther = new URL(first.headers.get('location')!);
    expect(toOther.origin).toBe(new URL(slack.otherHost.url).origin);
    expect(toOther.origin).not.toBe(new URL(slack.url).origin);

    const hop = await fetch(toOther, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const backToSlack = new URL(hop.headers.get('location')!);
    expect(backToSlack.origin).toBe(new URL(slack.url).origin);
    expect(slack.otherHost.requests).toEqual([{ method: 'GET', path: toOther.pathname, authorization: undefined, at: expect.any(Date) }]);

    expect(await (await fetch(backToSlack)).text()).toContain('Sign in');
    const served = await fetch(backToSlack, { headers: auth });
    expect(served.headers.get('content-type')).toBe('text/csv');
    expect(await served.text()).toBe(content);
    // A hop is served only on the host it names.
    expect((await fetch(new URL(backToSlack.pathname, slack.otherHost.url))).status).toBe(404);
  });

  it('hosts a file on the other host when asked, which serves it without a token and records what it was sent', async () => {
    const file = slack.hostFile({ name: 'elsewhere.csv', content: 'id\n1\n', user: 'U_ALICE', at: 'other' });
    expect(file.url_private_download.startsWith(slack.otherHost.url)).toBe(true);
    expect(await (await fetch(file.url_private_download, { headers: { Authorization: 'Bearer sent-anyway' } })).text()).toBe('id\n1\n');
    expect(slack.otherHost.requests.at(-1)).toMatchObject({ authorization: 'Bearer sent-anyway' });
    expect((await fetch(new URL(new URL(file.url_private_download).pathname, slack.url), { headers: { Authorization: `Bearer ${BOT_TOKEN}` } })).status).toBe(404);
  });

  it('serves a hosted file with the content type asked for', async () => {
    const file = slack.hostFile({
      name: 'members.csv',
      content: Buffer.from('id\n1\n'),
      user: 'U_BOB',
      servedContentType: 'application/octet-stream',
    });
    const response = await fetch(file.url_private, { headers: { Authorization: `Bearer ${BOT_TOKEN}` } });
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.mimetype).toBe('text/csv');
  });
});

describe('response_url', () => {
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('records ephemeral and in_channel replies and answers ok', async () => {
    const url = slack.createResponseUrl({ channel: 'C_GENERAL', user: 'U_ALICE' });
    expect(url).toMatch(new RegExp(`^${slack.url}response/`));
    const first = await post(url, { text: 'Working on it…' });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await first.text()).toBe('ok');
    await post(url, { text: 'Replaced pilot', response_type: 'in_channel' });
    expect(slack.messages('C_GENERAL').map((m) => [m.text, m.ephemeralTo, m.source])).toEqual([
      ['Working on it…', 'U_ALICE', 'response_url'],
      ['Replaced pilot', undefined, 'response_url'],
    ]);
  });

  it('can hold every post unanswered and not carried out until released', async () => {
    const url = slack.createResponseUrl({ channel: 'C_GENERAL', user: 'U_ALICE' });
    const before = slack.messages('C_GENERAL').length;
    const hold = slack.holdResponseUrls();
    const answer = post(url, { text: 'held reply' });
    while (hold.held() === 0) await sleep(5);
    expect(slack.messages('C_GENERAL')).toHaveLength(before);
    hold.release();
    expect((await answer).status).toBe(200);
    expect(slack.messages('C_GENERAL').slice(before).map((m) => m.text)).toEqual(['held reply']);
  });

  it('replaces or deletes the message the interaction came from', async () => {
    const posted = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'Confirm?', blocks: [section('Confirm?')] });
    const url = slack.createResponseUrl({ channel: 'C_GENERAL', user: 'U_ALICE', messageTs: posted.ts! });
    await post(url, { replace_original: true, text: 'Confirmed' });
    expect(slack.messages('C_GENERAL')).toEqual([
      expect.objectContaining({ ts: posted.ts, text: 'Confirmed', updatedCount: 1, source: 'api' }),
    ]);
    expect(slack.messages('C_GENERAL')[0]?.blocks).toBeUndefined();
    await post(url, { delete_original: true });
    expect(slack.messages('C_GENERAL')[0]?.deleted).toBe(true);
    expect((await post(url, { delete_original: true })).status).toBe(404);
  });

  it('accepts five posts, then answers 404', async () => {
    const url = slack.createResponseUrl({ channel: 'U_ALICE', user: 'U_ALICE' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await post(url, { text: `update ${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(slack.messages('D_ALICE')).toHaveLength(5);
  });

  it('answers 404 once expired, for unknown ids and while failing', async () => {
    const quick = await LocalSlack.start({ botToken: BOT_TOKEN, responseUrlTtlMs: 20 });
    try {
      const url = quick.createResponseUrl({ channel: 'C_GENERAL', user: 'U_ALICE' });
      await sleep(60);
      expect((await post(url, { text: 'late' })).status).toBe(404);
    } finally {
      await quick.close();
    }
    expect((await post(`${slack.url}response/NOPE`, { text: 'x' })).status).toBe(404);
    const url = slack.createResponseUrl({ channel: 'C_GENERAL', user: 'U_ALICE' });
    slack.failResponseUrls();
    expect((await post(url, { text: 'x' })).status).toBe(404);
    slack.clearFaults();
    expect((await post(url, { text: 'x' })).status).toBe(200);
  });

  it('rejects invalid blocks with 400 invalid_blocks', async () => {
    const url = slack.createResponseUrl({ channel: 'C_GENERAL', user: 'U_ALICE' });
    const response = await post(url, { text: 'x', blocks: [{ type: 'header', text: plain('h'.repeat(151)) }] });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('invalid_blocks');
    expect(slack.blockKitViolations.map((v) => v.source)).toEqual(['response_url']);
  });
});

describe('faults', () => {
  it('answers a rate limit with 429 and Retry-After, which WebClient waits out and retries', async () => {
    const retrying = new WebClient(BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      logger: quietLogger(),
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 1 },
    });
    const waits: number[] = [];
    retrying.on(WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const posted = await retrying.chat.postMessage({ channel: 'C_GENERAL', text: 'after the limit' });
    expect(posted.ok).toBe(true);
    expect(waits).toEqual([1]);
    const [limited, retried] = slack.callsTo('chat.postMessage');
    expect([limited?.status, limited?.error, retried?.ok]).toEqual([429, 'ratelimited', true]);
    // Retry-After: 1 means the retry came no sooner than a second later.
    expect(retried!.at.getTime() - limited!.at.getTime()).toBeGreaterThanOrEqual(950);
    expect(slack.messages('C_GENERAL')).toHaveLength(1);
  });

  it('fails the next calls with an error or an HTTP status', async () => {
    slack.failNext('views.open', { error: 'expired_trigger_id' });
    expect(await slackError(client.views.open({ trigger_id: slack.issueTriggerId('U_ALICE'), view: modal() }))).toBe(
      'expired_trigger_id',
    );
    slack.failNext('users.info', { status: 503 }, 2);
    for (let i = 0; i < 2; i += 1) {
      await expect(client.users.info({ user: 'U_ALICE' })).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    }
    expect((await client.users.info({ user: 'U_ALICE' })).ok).toBe(true);
  });

  it('can carry a call out and then fail it, as Slack failing after it posted', async () => {
    const before = slack.messages('C_GENERAL').length;
    slack.failNext('chat.postMessage', { status: 500, afterApplying: true });
    await expect(client.chat.postMessage({ channel: 'C_GENERAL', text: 'posted, then 500' })).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    expect(slack.messages('C_GENERAL').slice(before).map((m) => m.text)).toEqual(['posted, then 500']);
    expect(slack.callsTo('chat.postMessage').at(-1)).toMatchObject({ ok: false, status: 500, error: 'http_500' });
  });
});

describe('reset', () => {
  it('forgets what happened and keeps people and channels', async () => {
    slack.addChannel({ id: 'C_EXTRA', name: 'extra' });
    await client.chat.postMessage({ channel: 'C_EXTRA', text: 'x' });
    await client.views.open({ trigger_id: slack.issueTriggerId('U_ALICE'), view: modal() });
    slack.reset();
    expect([slack.calls, slack.messages(), slack.views(), slack.files, slack.blockKitViolations]).toEqual([[], [], [], [], []]);
    expect(slack.channel('C_EXTRA')?.name).toBe('extra');
    expect(slack.user('U_ALICE')?.name).toBe('alice');
  });
});

describe('Enterprise Grid and Slack Connect', () => {
  const ORG = { id: 'E0LOCALORG', name: 'Local Org' };
  let grid: LocalSlack;
  let gridClient: WebClient;
  beforeAll(async () => {
    grid = await LocalSlack.start({ botToken: BOT_TOKEN, enterprise: ORG });
    gridClient = clientFor(grid);
  });
  afterAll(async () => {
    await grid.close();
  });

  it('says in auth.test which organisation the workspace belongs to, and whether the app is installed org-wide', async () => {
    expect(await gridClient.auth.test()).toMatchObject({ team_id: 'T0LOCAL', enterprise_id: ORG.id, is_enterprise_install: false });
    const plain = await client.auth.test();
    expect(plain.is_enterprise_install).toBe(false);
    expect(plain.enterprise_id).toBeUndefined();
  });

  it('shows a Grid user’s one fixed team_id and every workspace of the organisation they belong to', async () => {
    grid.addUser({ id: 'W_GRID', name: 'gina', teamId: 'T0SISTER', enterprise: { ...ORG, teams: ['T0SISTER', 'T0LOCAL'] } });
    const { user } = await gridClient.users.info({ user: 'W_GRID' });
    expect(user).toMatchObject({ team_id: 'T0SISTER', enterprise_user: { id: 'W_GRID', enterprise_id: ORG.id, enterprise_name: ORG.name, teams: ['T0SISTER', 'T0LOCAL'] } });
    // The workspace's own people are of the organisation too; a Slack Connect user of another company is not.
    expect((await gridClient.users.info({ user: 'U_ALICE' })).user?.enterprise_user).toMatchObject({ enterprise_id: ORG.id, teams: ['T0LOCAL'] });
    const external = (await gridClient.users.info({ user: 'U_EXT' })).user;
    expect(external?.team_id).toBe('T0OTHER');
    expect(external?.enterprise_user).toBeUndefined();
    // Off Grid, nobody has enterprise_user.
    expect((await client.users.info({ user: 'U_ALICE' })).user?.enterprise_user).toBeUndefined();
  });

  it('fails users.info on demand, as Slack does when it is having trouble', async () => {
    grid.failNext('users.info', { error: 'internal_error' });
    expect(await slackError(gridClient.users.info({ user: 'U_ALICE' }))).toBe('internal_error');
    expect((await gridClient.users.info({ user: 'U_ALICE' })).ok).toBe(true);
  });
});

describe('channel membership', () => {
  it('lets the bot post only in channels it is a member of: not_in_channel for a public one, channel_not_found for a private one', async () => {
    slack.addChannel({ id: 'C_OUTSIDE', name: 'outside', botIsMember: false });
    slack.addChannel({ id: 'G_SECRET', name: 'secret', isPrivate: true, botIsMember: false });
    expect(await slackError(client.chat.postMessage({ channel: 'C_OUTSIDE', text: 'hello' }))).toBe('not_in_channel');
    expect(await slackError(client.chat.postMessage({ channel: 'G_SECRET', text: 'hello' }))).toBe('channel_not_found');
    expect(slack.messages('C_OUTSIDE')).toEqual([]);
    // The app's own DMs and the seeded channels work as before.
    expect((await client.chat.postMessage({ channel: 'C_NOTIFY', text: 'hello' })).ok).toBe(true);
    expect((await client.chat.postMessage({ channel: 'U_ALICE', text: 'hello' })).ok).toBe(true);
  });

  it('says in conversations.info whether the bot is a member, and hides a private channel it is not in', async () => {
    slack.addChannel({ id: 'C_OUTSIDE2', name: 'outside-two', botIsMember: false });
    slack.addChannel({ id: 'G_SECRET2', name: 'secret-two', isPrivate: true, botIsMember: false });
    expect((await client.conversations.info({ channel: 'C_OUTSIDE2' })).channel).toMatchObject({ id: 'C_OUTSIDE2', is_member: false });
    expect((await client.conversations.info({ channel: 'C_GENERAL' })).channel).toMatchObject({ is_member: true });
    expect(await slackError(client.conversations.info({ channel: 'G_SECRET2' }))).toBe('channel_not_found');
  });

  it('follows the bot being invited and removed', async () => {
    slack.addChannel({ id: 'C_LATER', name: 'later', botIsMember: false });
    slack.inviteBot('C_LATER');
    expect((await client.conversations.info({ channel: 'C_LATER' })).channel?.is_member).toBe(true);
    expect((await client.chat.postMessage({ channel: 'C_LATER', text: 'joined' })).ok).toBe(true);
    slack.removeBot('#later');
    expect(await slackError(client.chat.postMessage({ channel: 'C_LATER', text: 'gone' }))).toBe('not_in_channel');
    expect(() => slack.removeBot('C_NOWHERE')).toThrow(/no channel/);
  });
});
