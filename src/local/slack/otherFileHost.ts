// A host that is not Slack's, on a second loopback port: where a file's redirect, or a file object
// itself, can point (LocalFiles decides what it serves). The app must never send it the bot token;
// it records every request with its Authorization header, so a test can see what it was sent.
// Slack's own host is the one its API is on: the other port is as foreign to the app as any server.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type HttpReply, listen, plainText, send } from '../http/loopbackHttp';

export interface OtherHostRequest {
  method: string;
  path: string;
  /** The Authorization header as received; undefined when none was sent. */
  authorization: string | undefined;
  at: Date;
}

export type OtherHostAnswer = (req: IncomingMessage, path: string) => HttpReply;

export class OtherFileHost {
  /** Every request it received, in order. */
  readonly requests: OtherHostRequest[] = [];

  private constructor(
    private readonly server: Server,
    /** 'http://127.0.0.1:PORT/' */
    readonly url: string,
  ) {}

  static async start(host: string, answer: () => OtherHostAnswer): Promise<OtherFileHost> {
    const server = createServer();
    const { origin } = await listen(server, 0, host);
    const other = new OtherFileHost(server, `${origin}/`);
    server.on('request', (req, res) => {
      const path = new URL(req.url ?? '/', other.url).pathname;
      other.requests.push({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, at: new Date() });
      try {
        send(res, answer()(req, path));
      } catch (error) {
        send(res, plainText(500, `other host error: ${String(error)}`));
      }
    });
    return other;
  }

  reset(): void {
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
    });
  }
}
