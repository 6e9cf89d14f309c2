// The local Slack's Socket Mode: apps.connections.open through the real WebClient, the protocol
// seen by a plain WebSocket client (hello, envelopes, acks by envelope_id, disconnect), and the
// real Socket Mode client reconnecting after a refresh.

import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { WebSocket } from 'undici';
import { LocalSlack } from '../../../src/local/slack/localSlack';
import type { EnvelopeOutcome } from '../../../src/local/slack/localSocketMode';
import { eventually } from '../../support/eventually';
import { quietLogger } from './quietLogger';

const BOT_TOKEN = 'xoxb-local-test-token';
const APP_TOKEN = 'xapp-1-A0LOCALAPP-1-local-app-token';
const ACK_MS = 400;

let slack: LocalSlack;

beforeAll(async () => {
  slack = await LocalSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, ackTimeoutMs: ACK_MS });
});

afterEach(() => {
  slack.reset();
});

afterAll(async () => {
  await slack.close();
});

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const platform = error as WebAPIPlatformError;
    return platform.code === ErrorCode.PlatformError ? platform.data.error : String(error);
  }
}

const clientFor = (token: string) => new WebClient(token, { slackApiUrl: slack.apiUrl, logger: quietLogger(), retryConfig: { retries: 0 } });

async function connectionUrl(): Promise<string> {
  const answer = await clientFor(APP_TOKEN).apps.connections.open();
  return String(answer.url);
}

/** A plain WebSocket on a fresh connection URL, with what it has received, parsed. */
async function rawConnection(): Promise<{ ws: WebSocket; received: Record<string, unknown>[] }> {
  const ws = new WebSocket(await connectionUrl());
  const received: Record<string, unknown>[] = [];
  ws.addEventListener('message', (event) => received.push(JSON.parse(String(event.data))));
  await eventually(() => received.some((m) => m['type'] === 'hello'), 'hello');
  return { ws, received };
}

async function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return;
  await new Promise((resolve) => {
    ws.addEventListener('close', resolve);
    ws.close();
  });
  await eventually(() => slack.socketMode.openConnections === 0, 'the stand-in to see the close');
}

describe('apps.connections.open', () => {
  it('takes the app-level token only, and answers a single-use ws:// URL on loopback', async () => {
    expect(await slackError(clientFor(BOT_TOKEN).apps.connections.open())).toBe('not_allowed_token_type');
    expect(await slackError(clientFor('xapp-1-wrong').apps.connections.open())).toBe('invalid_auth');
    expect(await slackError(clientFor(APP_TOKEN).chat.postMessage({ channel: 'C_GENERAL', text: 'x' }))).toBe('not_allowed_token_type');
    const url = await connectionUrl();
    expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${new URL(slack.url).port}/link/\\?ticket=[a-z0-9]+&app_id=A0LOCALAPP$`));

    const first = new WebSocket(url);
    await new Promise((resolve) => first.addEventListener('open', resolve));
    const again = new WebSocket(url);
    await new Promise((resolve) => again.addEventListener('error', resolve));
    expect(again.readyState).toBe(again.CLOSED);
    await closed(first);
    // The app-level token is never in what the stand-in records.
    expect(JSON.stringify(slack.calls)).not.toContain(APP_TOKEN);
  });
});

describe('the Socket Mode protocol', () => {
  it('opens with hello, sends each envelope with its six fields, and matches the ack by envelope_id', async () => {
    const { ws, received } = await rawConnection();
    expect(received[0]).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0LOCALAPP' } });

    const command = slack.sendEnvelope('slash_commands', { command: '/pgroup', text: 'list' });
    const event = slack.sendEnvelope('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } }, { retryAttempt: 1, retryReason: 'timeout' });
    const envelopes = await eventually(() => (received.length >= 3 ? received.slice(1) : undefined), 'two envelopes');
    expect(envelopes[0]).toEqual({
      envelope_id: expect.any(String),
      type: 'slash_commands',
      payload: { command: '/pgroup', text: 'list' },
      accepts_response_payload: true,
      retry_attempt: 0,
      retry_reason: '',
    });
    expect(envelopes[1]).toMatchObject({ type: 'events_api', accepts_response_payload: false, retry_attempt: 1, retry_reason: 'timeout' });

    // Acked out of order: each ack settles its own envelope.
    ws.send(JSON.stringify({ envelope_id: envelopes[1]!['envelope_id'], payload: {} }));
    ws.send(JSON.stringify({ envelope_id: envelopes[0]!['envelope_id'], payload: { text: 'Looking…' } }));
    expect(await command).toMatchObject({ acked: true, envelopeId: envelopes[0]!['envelope_id'], payload: { text: 'Looking…' } });
    expect(await event).toMatchObject({ acked: true, payload: {} });
    expect(slack.socketMode.violations).toEqual([]);
    await closed(ws);
  });

  it('records an envelope not acked in time, and acks that are late, repeated, unknown or not acks', async () => {
    const { ws, received } = await rawConnection();
    const unacked = await slack.sendEnvelope('interactive', { type: 'block_actions' });
    expect(unacked).toMatchObject({ acked: false, error: 'operation_timeout' });
    expect(unacked.ackMs).toBeGreaterThanOrEqual(ACK_MS - 5);

    const twice = slack.sendEnvelope('interactive', { type: 'block_actions' });
    const sent = await eventually(() => {
      const envelopes = received.filter((m) => m['envelope_id']);
      return envelopes.length === 2 && envelopes;
    }, 'both envelopes');
    const [lateId, twiceId] = sent.map((m) => m['envelope_id']);
    ws.send(JSON.stringify({ envelope_id: twiceId, payload: { text: 'not for a click' } }));
    await twice;
    for (const message of [{ envelope_id: twiceId, payload: {} }, { envelope_id: lateId, payload: {} }, { envelope_id: 'never-sent', payload: {} }, { hello: 1 }]) {
      ws.send(JSON.stringify(message));
    }
    await eventually(() => slack.socketMode.violations.length >= 6, 'every violation');
    expect(slack.socketMode.violations.map((v) => [v.problem, v.envelopeId])).toEqual([
      ['unacked', lateId],
      ['unexpected_response_payload', twiceId],
      ['duplicate_ack', twiceId],
      ['late_ack', lateId],
      ['unknown_envelope', 'never-sent'],
      ['malformed_message', null],
    ]);
    await closed(ws);
  });

  it('holds a command while no connection is open, then fails it with dispatch_failed; holds an event until one opens', async () => {
    expect(slack.socketMode.openConnections).toBe(0);
    const command: Promise<EnvelopeOutcome> = slack.sendEnvelope('slash_commands', { command: '/pgroup', text: 'list' });
    const event = slack.sendEnvelope('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } });
    expect(await command).toMatchObject({ acked: false, error: 'dispatch_failed' });
    expect(slack.socketMode.undelivered.map((u) => u.type)).toEqual(['slash_commands']);

    const { ws, received } = await rawConnection();
    const delivered = await eventually(() => received.find((m) => m['type'] === 'events_api'), 'the held event');
    ws.send(JSON.stringify({ envelope_id: delivered['envelope_id'], payload: {} }));
    expect(await event).toMatchObject({ acked: true });
    expect(received.some((m) => m['type'] === 'slash_commands')).toBe(false);
    await closed(ws);
  });

  it('refuses an upgrade on another path', async () => {
    const ws = new WebSocket(`${slack.url.replace('http', 'ws')}elsewhere`);
    await new Promise((resolve) => ws.addEventListener('error', resolve));
    expect(ws.readyState).toBe(ws.CLOSED);
  });
});

describe('the real Socket Mode client', () => {
  it('connects through SLACK_API_URL, acks envelopes, and reconnects after a refresh_requested disconnect', async () => {
    const client = new SocketModeClient({
      appToken: APP_TOKEN,
      logger: quietLogger(),
      clientOptions: { slackApiUrl: slack.apiUrl },
      clientPingTimeout: 600,
    });
    client.on('slash_commands', async ({ ack, body }) => {
      await ack({ text: `heard ${body.text}` });
    });
    await client.start();
    try {
      expect(await slack.sendEnvelope('slash_commands', { command: '/pgroup', text: 'one' })).toMatchObject({ acked: true, payload: { text: 'heard one' } });

      const before = slack.socketMode.connections.length;
      slack.socketMode.requestRefresh();
      const next = await eventually(() => slack.socketMode.connections[before], 'a new connection');
      const old = slack.socketMode.connections[before - 1]!;
      expect(old.closeCode).toBe(1000);
      expect(next.helloAt).toBeGreaterThan(old.disconnectSentAt!);
      expect(await slack.sendEnvelope('slash_commands', { command: '/pgroup', text: 'two' })).toMatchObject({ acked: true, payload: { text: 'heard two' } });
      expect(slack.socketMode.violations).toEqual([]);
    } finally {
      await client.disconnect();
    }
  });
});
