// Socket Mode as Slack runs it, for an app that connects instead of being reachable over HTTP:
// apps.connections.open (the app-level token, never the bot token) hands out a single-use
// ws:// URL; the connection opens with `hello`; each user action reaches the app as an envelope
// {envelope_id, type, payload, accepts_response_payload, retry_attempt, retry_reason} that the app
// must ack by envelope_id within 3 seconds; `disconnect` (refresh_requested) asks it to reconnect.
//
// Between connections Slack holds what users do: a slash command or an interaction waits until the
// user's 3 seconds are up and then fails with `dispatch_failed` (Slack shows the user an error; the
// app never saw it); an Events API event waits for the next connection, as Slack retries events.
// Acks that never come, come late, twice, or for an unknown envelope are recorded as violations,
// which a clean run leaves empty, like the Block Kit check.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { asRecord } from '../http/loopbackHttp';
import { refuseUpgrade, WebSocketConnection } from '../http/webSocketConnection';
import type { SlackIdentity } from './slackIdentity';
import { randomId } from './slackIds';
import type { ApiAnswer, ApiMethod } from './webApiArgs';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** The path of the URL apps.connections.open hands out. */
export const SOCKET_MODE_PATH = '/link/';

export interface EnvelopeDelivery {
  /** Slack's retry_attempt and retry_reason, for an event Slack is sending again. */
  retryAttempt?: number;
  retryReason?: string;
}

export type EnvelopeOutcome =
  | { acked: true; envelopeId: string; payload: Record<string, unknown>; ackMs: number }
  /**
   * dispatch_failed: no connection was open in time, so the app never saw it; operation_timeout: it was
   * delivered and not acked in time. Slack shows the user an error either way.
   */
  | { acked: false; envelopeId: string; error: 'dispatch_failed' | 'operation_timeout'; ackMs: number };

export interface SocketModeViolation {
  problem: 'unacked' | 'late_ack' | 'duplicate_ack' | 'unknown_envelope' | 'unexpected_response_payload' | 'malformed_message';
  envelopeId: string | null;
  detail: string;
  at: Date;
}

/** One connection's life, on the performance.now() clock, for tests that time a reconnection. */
export interface SocketModeConnectionRecord {
  id: number;
  helloAt: number;
  disconnectSentAt?: number;
  closedAt?: number;
  closeCode?: number;
}

export interface LocalSocketModeOptions {
  /** The app-level token apps.connections.open accepts; null turns Socket Mode off. */
  appToken: string | null;
  /** Slack's 3 seconds to ack an envelope. */
  ackTimeoutMs: number;
  /** How long a connection URL stays usable; Slack's last a short while. */
  ticketTtlMs?: number;
  /** After a disconnect, how long Slack leaves the old connection open for the app to close it. */
  refreshGraceMs?: number;
}

interface PendingEnvelope {
  envelope: Record<string, unknown> & { envelope_id: string; type: EnvelopeType };
  acceptsResponse: boolean;
  startedAt: number;
  delivered: boolean;
  timer: NodeJS.Timeout | undefined;
  resolve: (outcome: EnvelopeOutcome) => void;
}

interface LiveConnection {
  socket: WebSocketConnection;
  record: SocketModeConnectionRecord;
  /** Sent `disconnect`: no new envelope goes to it. */
  draining: boolean;
}

/** Remembered acked and expired envelope ids, to tell a duplicate or a late ack from an unknown one. */
const FINISHED_IDS_KEPT = 1000;

export class LocalSocketMode {
  readonly methods: Readonly<Record<string, ApiMethod>> = {
    'apps.connections.open': () => this.connectionsOpen(),
  };
  readonly appToken: string | null;
  readonly violations: SocketModeViolation[] = [];
  /** Envelopes no connection took before the user's 3 seconds were up (dispatch_failed). */
  readonly undelivered: { envelopeId: string; type: EnvelopeType; at: Date }[] = [];
  readonly connections: SocketModeConnectionRecord[] = [];

  private readonly ackTimeoutMs: number;
  private readonly ticketTtlMs: number;
  private readonly refreshGraceMs: number;
  private readonly tickets = new Map<string, number>();
  private readonly live = new Map<number, LiveConnection>();
  private readonly queue: PendingEnvelope[] = [];
  private readonly awaitingAck = new Map<string, PendingEnvelope>();
  private readonly finished = new Map<string, 'acked' | 'expired'>();

  constructor(
    private readonly identity: SlackIdentity,
    options: LocalSocketModeOptions,
  ) {
    this.appToken = options.appToken;
    this.ackTimeoutMs = options.ackTimeoutMs;
    this.ticketTtlMs = options.ticketTtlMs ?? 30_000;
    this.refreshGraceMs = options.refreshGraceMs ?? 10_000;
  }

  /** Connections open and not asked to go. */
  get openConnections(): number {
    return [...this.live.values()].filter((c) => !c.draining).length;
  }

  /**
   * Sends the app an envelope over an open connection, or holds it until one opens (see the header).
   * Resolves with the app's ack, or with why there was none once the 3 seconds are up.
   */
  send(type: EnvelopeType, payload: Record<string, unknown>, delivery: EnvelopeDelivery = {}): Promise<EnvelopeOutcome> {
    const envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: acceptsResponsePayload(type, payload),
      retry_attempt: delivery.retryAttempt ?? 0,
      retry_reason: delivery.retryReason ?? '',
    };
    return new Promise((resolve) => {
      const pending: PendingEnvelope = {
        envelope,
        acceptsResponse: envelope.accepts_response_payload,
        startedAt: performance.now(),
        delivered: false,
        timer: undefined,
        resolve,
      };
      // An event waits for a connection however long it takes; the user's 3 seconds start at once.
      if (type !== 'events_api') this.startDeadline(pending);
      this.queue.push(pending);
      this.flush();
    });
  }

  /** Slack recycling its end: every open connection gets `disconnect` (refresh_requested). */
  requestRefresh(): void {
    for (const connection of this.live.values()) {
      if (connection.draining) continue;
      connection.draining = true;
      connection.record.disconnectSentAt = performance.now();
      connection.socket.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'applink-local' } }));
      setTimeout(() => connection.socket.close(1001, 'refresh'), this.refreshGraceMs).unref();
    }
  }

  /** Takes a WebSocket upgrade request to SOCKET_MODE_PATH; anything but a valid, unused ticket is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.identity.url);
    const ticket = url.searchParams.get('ticket') ?? '';
    const expiresAt = this.tickets.get(ticket);
    if (url.pathname !== SOCKET_MODE_PATH) {
      refuseUpgrade(socket, 404, 'not_found');
      return;
    }
    if (expiresAt === undefined || expiresAt < Date.now()) {
      refuseUpgrade(socket, 401, 'invalid_ticket');
      return;
    }
    this.tickets.delete(ticket);
    const ws = WebSocketConnection.accept(req, socket, head);
    if (!ws) return;
    const record: SocketModeConnectionRecord = { id: this.connections.length + 1, helloAt: performance.now() };
    this.connections.push(record);
    const connection: LiveConnection = { socket: ws, record, draining: false };
    this.live.set(record.id, connection);
    ws.events.on('message', (text) => this.receive(text));
    ws.events.on('close', (code) => {
      record.closedAt = performance.now();
      record.closeCode = code;
      this.live.delete(record.id);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.live.size,
        debug_info: { host: 'applink-local', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.identity.appId },
      }),
    );
    this.flush();
  }

  /** Forgets violations and undelivered envelopes; connections stay open. */
  reset(): void {
    this.violations.length = 0;
    this.undelivered.length = 0;
  }

  /** Drops every connection and settles every envelope still waiting as undelivered. */
  close(): void {
    for (const pending of [...this.queue, ...this.awaitingAck.values()]) {
      clearTimeout(pending.timer);
      pending.resolve({ acked: false, envelopeId: pending.envelope.envelope_id, error: 'dispatch_failed', ackMs: performance.now() - pending.startedAt });
    }
    this.queue.length = 0;
    this.awaitingAck.clear();
    for (const connection of this.live.values()) connection.socket.terminate();
    this.live.clear();
  }

  private connectionsOpen(): ApiAnswer {
    const ticket = randomId(32).toLowerCase();
    this.tickets.set(ticket, Date.now() + this.ticketTtlMs);
    const base = this.identity.url.replace(/^http/, 'ws');
    return { ok: true, url: `${base}${SOCKET_MODE_PATH.slice(1)}?ticket=${ticket}&app_id=${this.identity.appId}` };
  }

  /** Hands queued envelopes to the newest connection not asked to go. */
  private flush(): void {
    const target = [...this.live.values()].reverse().find((c) => !c.draining && c.socket.isOpen);
    if (!target) return;
    while (this.queue.length > 0) {
      const pending = this.queue.shift()!;
      pending.delivered = true;
      this.awaitingAck.set(pending.envelope.envelope_id, pending);
      if (pending.timer === undefined) this.startDeadline(pending);
      target.socket.send(JSON.stringify(pending.envelope));
    }
  }

  private startDeadline(pending: PendingEnvelope): void {
    pending.timer = setTimeout(() => this.expire(pending), this.ackTimeoutMs);
  }

  private expire(pending: PendingEnvelope): void {
    const id = pending.envelope.envelope_id;
    const ackMs = performance.now() - pending.startedAt;
    if (!pending.delivered) {
      this.queue.splice(this.queue.indexOf(pending), 1);
      this.undelivered.push({ envelopeId: id, type: pending.envelope.type, at: new Date() });
      pending.resolve({ acked: false, envelopeId: id, error: 'dispatch_failed', ackMs });
      return;
    }
    this.awaitingAck.delete(id);
    this.remember(id, 'expired');
    this.violate('unacked', id, `${pending.envelope.type} envelope not acked within ${this.ackTimeoutMs} ms`);
    pending.resolve({ acked: false, envelopeId: id, error: 'operation_timeout', ackMs });
  }

  private receive(text: string): void {
    let message: Record<string, unknown> | undefined;
    try {
      message = asRecord(JSON.parse(text));
    } catch {
      message = undefined;
    }
    const id = message?.['envelope_id'];
    if (!message || typeof id !== 'string') {
      this.violate('malformed_message', null, `not an ack: ${text.slice(0, 200)}`);
      return;
    }
    const pending = this.awaitingAck.get(id);
    if (!pending) {
      const before = this.finished.get(id);
      if (before === 'expired') this.violate('late_ack', id, `acked after the ${this.ackTimeoutMs} ms limit`);
      else if (before === 'acked') this.violate('duplicate_ack', id, 'acked twice');
      else this.violate('unknown_envelope', id, 'ack for an envelope that was never sent');
      return;
    }
    clearTimeout(pending.timer);
    this.awaitingAck.delete(id);
    this.remember(id, 'acked');
    const payload = asRecord(message['payload']) ?? {};
    if (!pending.acceptsResponse && Object.keys(payload).length > 0) {
      this.violate('unexpected_response_payload', id, `${pending.envelope.type} envelopes take no response payload`);
    }
    pending.resolve({ acked: true, envelopeId: id, payload, ackMs: performance.now() - pending.startedAt });
  }

  private remember(id: string, how: 'acked' | 'expired'): void {
    this.finished.set(id, how);
    if (this.finished.size > FINISHED_IDS_KEPT) this.finished.delete(this.finished.keys().next().value!);
  }

  private violate(problem: SocketModeViolation['problem'], envelopeId: string | null, detail: string): void {
    this.violations.push({ problem, envelopeId, detail, at: new Date() });
  }
}

/** Slack takes a response in the ack where the answer matters: commands, view submissions, options. */
function acceptsResponsePayload(type: EnvelopeType, payload: Record<string, unknown>): boolean {
  if (type === 'slash_commands') return true;
  if (type === 'interactive') return payload['type'] === 'view_submission' || payload['type'] === 'block_suggestion';
  return false;
}
