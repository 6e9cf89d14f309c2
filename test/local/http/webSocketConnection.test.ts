// The server side of a WebSocket, against undici's WebSocket client (the one Slack's Socket Mode
// client uses) and against hand-made frames for what that client never sends (fragments, unmasked
// frames).

import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ping, WebSocket } from 'undici';
import { listen } from '../../../src/local/http/loopbackHttp';
import { WebSocketConnection } from '../../../src/local/http/webSocketConnection';
import { eventually } from '../../support/eventually';

let server: Server;
let origin: string;
const accepted: WebSocketConnection[] = [];
const closes: { code: number; reason: string }[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => res.end());
  server.on('upgrade', (req, socket, head) => {
    const ws = WebSocketConnection.accept(req, socket, head);
    if (!ws) return;
    accepted.push(ws);
    // Echoes every message, so each test sees what the server read.
    ws.events.on('message', (text) => ws.send(`echo:${text}`));
    ws.events.on('close', (code, reason) => closes.push({ code, reason }));
  });
  ({ origin } = await listen(server, 0, '127.0.0.1'));
});

afterAll(async () => {
  for (const ws of accepted) ws.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A connected undici client and the messages it has received. */
async function client(): Promise<{ ws: WebSocket; received: string[]; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(origin.replace('http', 'ws'));
  const received: string[] = [];
  ws.addEventListener('message', (event) => received.push(String(event.data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })));
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('the handshake failed')));
  });
  return { ws, received, closed };
}

describe('WebSocketConnection', () => {
  it('completes the handshake and carries text both ways, at every length encoding', async () => {
    const { ws, received } = await client();
    const long = 'x'.repeat(70_000);
    for (const text of ['hi', 'é'.repeat(100), long]) ws.send(text);
    await eventually(() => received.length === 3, 'three echoes');
    expect(received).toEqual(['echo:hi', `echo:${'é'.repeat(100)}`, `echo:${long}`]);
    ws.close();
  });

  it('answers a ping with a pong carrying the same data', async () => {
    const { ws } = await client();
    const pongs: string[] = [];
    const onPong = (message: unknown) => pongs.push(String((message as { payload: Buffer }).payload));
    subscribe('undici:websocket:pong', onPong);
    try {
      ping(ws, Buffer.from('are you there'));
      await eventually(() => pongs.includes('are you there'), 'the pong');
    } finally {
      unsubscribe('undici:websocket:pong', onPong);
      ws.close();
    }
  });

  it('closes with a code and reason the client reads, and reports the client’s close', async () => {
    const first = await client();
    accepted[accepted.length - 1]!.close(1001, 'refresh');
    expect(await first.closed).toEqual({ code: 1001, reason: 'refresh' });

    const second = await client();
    const before = closes.length;
    second.ws.close(4000, 'done here');
    await eventually(() => closes.length > before, 'the server to see the close');
    expect(closes[closes.length - 1]).toEqual({ code: 4000, reason: 'done here' });
    expect(accepted[accepted.length - 1]!.isOpen).toBe(false);
  });

  it('refuses an upgrade that is not a WebSocket handshake', async () => {
    const answer = await rawExchange('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('reassembles a fragmented message, and closes with 1002 on an unmasked frame', async () => {
    const socket = await rawWebSocket();
    const received = collect(socket);
    socket.write(Buffer.concat([maskedFrame(0x1, 'frag', false), maskedFrame(0x9, 'ping-in-between'), maskedFrame(0x0, 'mented', true)]));
    await eventually(() => textFrames(Buffer.concat(received)).includes('echo:fragmented'), 'the echo of the whole message');

    socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69])); // "hi", not masked
    await eventually(() => closeCode(Buffer.concat(received)) === 1002, 'a close frame with 1002');
    socket.destroy();
  });
});

// ---- Hand-made frames ------------------------------------------------------------------------

function maskedFrame(opcode: number, text: string, fin = true): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]), mask, masked]);
}

/** Text frames in what the server sent (unmasked, short ones). */
function textFrames(data: Buffer): string[] {
  const texts: string[] = [];
  let offset = 0;
  while (offset + 2 <= data.length) {
    const length = data[offset + 1]! & 0x7f;
    if ((data[offset]! & 0x0f) === 0x1) texts.push(data.subarray(offset + 2, offset + 2 + length).toString('utf8'));
    offset += 2 + length;
  }
  return texts;
}

function closeCode(data: Buffer): number | undefined {
  let offset = 0;
  while (offset + 2 <= data.length) {
    const length = data[offset + 1]! & 0x7f;
    if ((data[offset]! & 0x0f) === 0x8) return data.readUInt16BE(offset + 2);
    offset += 2 + length;
  }
  return undefined;
}

function collect(socket: Socket): Buffer[] {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return chunks;
}

async function rawExchange(request: string): Promise<Buffer> {
  const socket = connect(Number(new URL(origin).port), '127.0.0.1');
  const chunks = collect(socket);
  socket.write(request);
  await new Promise((resolve) => socket.on('close', resolve));
  return Buffer.concat(chunks);
}

/** A socket past the handshake, with the handshake's answer already read. */
async function rawWebSocket(): Promise<Socket> {
  const socket = connect(Number(new URL(origin).port), '127.0.0.1');
  const key = randomBytes(16).toString('base64');
  socket.write(`GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n\r\n`);
  await new Promise<void>((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
  });
  return socket;
}
