// The server side of one WebSocket (RFC 6455) on a loopback server, for the local Slack's Socket
// Mode endpoint: the opening handshake on an HTTP upgrade, text messages both ways (fragmented ones
// reassembled), answers to pings, and the closing handshake. Enough for Slack's Socket Mode client,
// which talks through undici's WebSocket; no extensions (permessage-deflate is declined by leaving it
// out of the answer), no subprotocols. Plain node:http and node:crypto: there is no WebSocket server
// among the project's dependencies.

import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
/** A message larger than this closes the connection with 1009 (too big). */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** How long a close waits for the peer's close frame before dropping the connection. */
const CLOSE_HANDSHAKE_MS = 1000;

export interface WebSocketEventMap {
  /** A whole text message. */
  message: [text: string];
  /** The connection is gone; `code` is the peer's close code, or 1006 when it went without one. */
  close: [code: number, reason: string];
}

export class WebSocketConnection {
  readonly events = new EventEmitter<WebSocketEventMap>();
  private buffered: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  private fragmentOpcode: number | null = null;
  private closeSent = false;
  private closed = false;
  private closeTimer: NodeJS.Timeout | undefined;

  /**
   * Answers an HTTP upgrade request with the WebSocket handshake. A request that is not a version-13
   * WebSocket upgrade gets 400 and null.
   */
  static accept(req: IncomingMessage, socket: Duplex, head: Buffer): WebSocketConnection | null {
    const key = req.headers['sec-websocket-key'];
    const isUpgrade = req.method === 'GET' && /websocket/i.test(req.headers.upgrade ?? '') && req.headers['sec-websocket-version'] === '13';
    if (!isUpgrade || typeof key !== 'string' || Buffer.from(key, 'base64').length !== 16) {
      refuseUpgrade(socket, 400, 'Bad Request');
      return null;
    }
    const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
    return new WebSocketConnection(socket, head);
  }

  private constructor(
    private readonly socket: Duplex,
    head: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish(1006, ''));
    socket.on('error', () => socket.destroy());
    if (head.length > 0) this.receive(head);
  }

  /** Open: neither side has started closing. */
  get isOpen(): boolean {
    return !this.closeSent && !this.closed;
  }

  send(text: string): void {
    if (!this.isOpen) throw new Error('the WebSocket is closing or closed');
    this.writeFrame(OPCODE.text, Buffer.from(text, 'utf8'));
  }

  /** Starts the closing handshake; the connection is dropped if the peer does not answer in time. */
  close(code = 1000, reason = ''): void {
    if (this.closeSent || this.closed) return;
    this.closeSent = true;
    const reasonBytes = Buffer.from(reason, 'utf8').subarray(0, 123);
    const payload = Buffer.alloc(2 + reasonBytes.length);
    payload.writeUInt16BE(code, 0);
    reasonBytes.copy(payload, 2);
    this.writeFrame(OPCODE.close, payload);
    this.closeTimer = setTimeout(() => this.socket.destroy(), CLOSE_HANDSHAKE_MS);
    this.closeTimer.unref();
  }

  /** Drops the connection without a closing handshake, as a lost network would. */
  terminate(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const frame = readFrame(this.buffered);
      if (frame === 'incomplete') return;
      if (frame.kind === 'error') {
        this.fail(frame.code);
        return;
      }
      this.buffered = this.buffered.subarray(frame.length);
      this.handleFrame(frame.fin, frame.opcode, frame.payload);
      if (this.closed) return;
    }
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OPCODE.ping:
        if (!this.closeSent) this.writeFrame(OPCODE.pong, payload);
        return;
      case OPCODE.pong:
        return;
      case OPCODE.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.subarray(2).toString('utf8');
        if (!this.closeSent) {
          this.closeSent = true;
          this.writeFrame(OPCODE.close, payload.subarray(0, 2));
        }
        this.socket.end();
        this.finish(code, reason);
        return;
      }
      case OPCODE.text:
      case OPCODE.binary:
        if (this.fragmentOpcode !== null) {
          this.fail(1002);
          return;
        }
        this.fragmentOpcode = opcode;
        break;
      case OPCODE.continuation:
        if (this.fragmentOpcode === null) {
          this.fail(1002);
          return;
        }
        break;
      default:
        this.fail(1002);
        return;
    }
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > MAX_MESSAGE_BYTES) {
      this.fail(1009);
      return;
    }
    this.fragments.push(payload);
    if (!fin) return;
    const whole = Buffer.concat(this.fragments);
    const wasText = this.fragmentOpcode === OPCODE.text;
    this.fragments = [];
    this.fragmentBytes = 0;
    this.fragmentOpcode = null;
    // Slack's Socket Mode speaks JSON text only; a binary message is ignored, as Slack's client does.
    if (wasText && !this.closeSent) this.events.emit('message', whole.toString('utf8'));
  }

  private fail(code: number): void {
    this.close(code);
    this.socket.end();
  }

  private writeFrame(opcode: number, payload: Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    const length = payload.length;
    const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    if (length < 126) {
      header[1] = length;
    } else if (length < 65536) {
      header[1] = 126;
      header.writeUInt16BE(length, 2);
    } else {
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
    this.socket.write(Buffer.concat([header, payload]));
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.closeTimer);
    this.events.emit('close', code, reason);
    this.events.removeAllListeners();
  }
}

type ParsedFrame = { kind: 'frame'; fin: boolean; opcode: number; payload: Buffer; length: number } | { kind: 'error'; code: number };

/** One frame from the start of `data`: client frames must be masked; control frames short and whole. */
function readFrame(data: Buffer): ParsedFrame | 'incomplete' {
  if (data.length < 2) return 'incomplete';
  const first = data[0]!;
  const second = data[1]!;
  const fin = (first & 0x80) !== 0;
  const opcode = first & 0x0f;
  if ((first & 0x70) !== 0 || (second & 0x80) === 0) return { kind: 'error', code: 1002 };
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return 'incomplete';
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return 'incomplete';
    const long = data.readBigUInt64BE(2);
    if (long > BigInt(MAX_MESSAGE_BYTES)) return { kind: 'error', code: 1009 };
    length = Number(long);
    offset = 10;
  }
  if (opcode >= 0x8 && (!fin || length > 125)) return { kind: 'error', code: 1002 };
  if (length > MAX_MESSAGE_BYTES) return { kind: 'error', code: 1009 };
  if (data.length < offset + 4 + length) return 'incomplete';
  const mask = data.subarray(offset, offset + 4);
  const payload = Buffer.from(data.subarray(offset + 4, offset + 4 + length));
  for (let i = 0; i < payload.length; i += 1) payload[i]! ^= mask[i % 4]!;
  return { kind: 'frame', fin, opcode, payload, length: offset + 4 + length };
}

/** Answers an upgrade request with a plain HTTP refusal and hangs up. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
