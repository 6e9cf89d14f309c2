// The reply fallback chain (response_url → chat.update when replacing → chat.postEphemeral → DM),
// against the local Slack Web API over HTTP.
import type { RespondFn } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { LocalSlack } from '../../src/local/slack';
import { AppLogger } from '../../src/logging';
import { notice } from '../../src/slack/blocks/message';
import { bindReply, replyTo, type ReplyTarget } from '../../src/slack/replies';

const ALICE = 'U_ALICE';
const message = notice('Hello from the app');
let slack: LocalSlack;
let client: WebClient;
let logs: string[];
let logger: AppLogger;

beforeAll(async () => {
  slack = await LocalSlack.start({ botToken: 'xoxb-replies-test' });
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.reset();
  logs = [];
  logger = new AppLogger({ level: LogLevel.DEBUG, sink: (line) => logs.push(line) });
});

/** What Bolt's respond() does: POST the message as JSON to the response_url, and throw when Slack does not accept it. */
function respondTo(url: string): RespondFn {
  return async (args) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(typeof args === 'string' ? { text: args } : args) });
    if (!res.ok) throw Object.assign(new Error(`response_url answered ${res.status}`), { statusCode: res.status });
    // Bolt types its answer as its own fetch's response; callers only await it.
    return res as unknown as Awaited<ReturnType<RespondFn>>;
  };
}

const inGeneral = (extra: Partial<ReplyTarget> = {}): ReplyTarget => ({ userId: ALICE, channelId: 'C_GENERAL', ...extra });
const newest = () => slack.messages().at(-1)!;
const methods = () => slack.calls.map((call) => `${call.method}${call.ok ? '' : `:${call.error ?? call.status}`}`);

describe('replyTo', () => {
  it('answers through the response_url when the request carried one', async () => {
    const respond = respondTo(slack.createResponseUrl({ channel: 'C_GENERAL', user: ALICE }));
    expect(await replyTo(client, logger, inGeneral({ respond }), message)).toEqual({ channel: 'C_GENERAL' });
    expect(newest()).toMatchObject({ channel: 'C_GENERAL', ephemeralTo: ALICE, source: 'response_url', text: message.text });
    expect(methods()).toEqual([]);
  });

  it('falls back to an ephemeral message in the channel when the response_url is refused', async () => {
    const respond = respondTo(slack.createResponseUrl({ channel: 'C_GENERAL', user: ALICE }));
    slack.failResponseUrls(404);
    const landed = await replyTo(client, logger, inGeneral({ respond }), message);
    expect(landed).toEqual({ channel: 'C_GENERAL', ts: newest().ts });
    expect(newest()).toMatchObject({ channel: 'C_GENERAL', ephemeralTo: ALICE, source: 'api' });
    expect(methods()).toEqual(['chat.postEphemeral']);
    expect(logs.join('\n')).toContain('reply through response_url failed (http_404)');
  });

  it('falls back to a direct message when the channel refuses an ephemeral one', async () => {
    const landed = await replyTo(client, logger, { userId: ALICE, channelId: 'C_GONE' }, message);
    expect(landed).toEqual({ channel: 'D_ALICE', ts: newest().ts });
    expect(newest()).toMatchObject({ channel: 'D_ALICE', source: 'api' });
    expect(newest().ephemeralTo).toBeUndefined();
    expect(methods()).toEqual(['chat.postEphemeral:channel_not_found', 'chat.postMessage']);
    expect(logs.join('\n')).toContain('chat.postEphemeral failed (channel_not_found); sending a direct message instead');
  });

  it('goes straight to a direct message from a DM, and when there is no channel', async () => {
    await replyTo(client, logger, { userId: ALICE, channelId: 'D_ALICE' }, message);
    await replyTo(client, logger, { userId: ALICE, channelId: null }, message);
    expect(methods()).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(slack.messages('D_ALICE')).toHaveLength(2);
  });

  it('replaces the message the request came from with chat.update when asked and there is no response_url', async () => {
    const posted = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'A preview' });
    const target = inGeneral({ message: { channel: 'C_GENERAL', ts: posted.ts! } });
    expect(await replyTo(client, logger, target, message, { replaceOriginal: true })).toEqual({ channel: 'C_GENERAL', ts: posted.ts });
    expect(slack.message('C_GENERAL', posted.ts!)).toMatchObject({ text: message.text, updatedCount: 1 });
    // Without replaceOriginal the same target gets a new message instead.
    await replyTo(client, logger, target, message);
    expect(methods()).toEqual(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);
  });

  it('sends a new message when the message to replace cannot be updated', async () => {
    const target = inGeneral({ message: { channel: 'C_GENERAL', ts: '1.000001' } });
    const landed = await replyTo(client, logger, target, message, { replaceOriginal: true });
    expect(landed).toEqual({ channel: 'C_GENERAL', ts: newest().ts });
    expect(methods()).toEqual(['chat.update:message_not_found', 'chat.postEphemeral']);
  });

  it('returns null, and logs it, when every route fails', async () => {
    const respond = respondTo(slack.createResponseUrl({ channel: 'C_GENERAL', user: ALICE }));
    slack.failResponseUrls(404);
    slack.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    slack.failNext('chat.postMessage', { error: 'cannot_dm_bot' });
    expect(await replyTo(client, logger, inGeneral({ respond }), message)).toBeNull();
    expect(slack.messages()).toEqual([]);
    expect(logs.join('\n')).toContain(`could not reach user ${ALICE} by any route (cannot_dm_bot)`);
  });
});

describe('bindReply', () => {
  it('sends every reply of one request along the same route', async () => {
    const reply = bindReply(client, logger, { userId: ALICE, channelId: 'C_GONE' });
    await reply(message);
    await reply(notice('Second'));
    expect(slack.messages('D_ALICE').map((m) => m.text)).toEqual([message.text, 'Second']);
  });
});
