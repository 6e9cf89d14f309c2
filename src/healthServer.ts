// In Socket Mode nothing reaches the app over HTTP, but a host may still probe a port (Heroku's
// web dynos, a container platform's health check). This serves GET /healthz, and nothing else, on
// PORT. It is not Bolt's Socket Mode `customRoutes` server on purpose: that one is started without
// waiting and without an error listener (a port in use kills the process with a stack trace), it
// cannot say which port 0 picked, it answers 3000 when no port is given, and its stop does not wait.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export class HealthServer {
  private constructor(
    private readonly server: Server,
    /** The port bound (the one picked, when asked for 0). */
    readonly port: number,
  ) {}

  /** Listens on `port` on every interface; refuses with a clear error when the port is taken. */
  static async start(port: number, health: HealthHandler): Promise<HealthServer> {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://health.invalid').pathname;
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        Promise.resolve(health(req, res)).catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
        return;
      }
      res.writeHead(path === '/healthz' ? 405 : 404, path === '/healthz' ? { allow: 'GET, HEAD' } : {});
      res.end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE' ? new Error(`PORT ${port} is already in use, so /healthz cannot be served there. Free it, or set another PORT.`) : err);
      });
      server.listen(port, () => resolve());
    });
    return new HealthServer(server, (server.address() as AddressInfo).port);
  }

  /** Stops listening and closes idle connections; resolves once the server is closed. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }
}
