// The plumbing the local servers share, exercised over a real loopback socket.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { asRecord, HttpError, listen, readBody, RouteTable, send } from '../../../src/local/http/loopbackHttp';

let server: Server;
let origin: string;
let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

beforeAll(async () => {
  server = createServer((req, res) => {
    void handle(req, res);
  });
  ({ origin } = await listen(server, 0, '127.0.0.1'));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('listen', () => {
  it('picks a free port and gives the origin to reach it', async () => {
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(origin).not.toBe('http://127.0.0.1:0');
    handle = async (_req, res) => send(res, { status: 200, body: 'here' });
    expect(await (await fetch(origin)).text()).toBe('here');
  });

  it('rejects when the port is taken', async () => {
    const port = Number(new URL(origin).port);
    const second = createServer();
    await expect(listen(second, port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('readBody', () => {
  it('reads the whole body, and refuses one past the limit with 413', async () => {
    handle = async (req, res) => {
      try {
        const body = await readBody(req, 10);
        send(res, { status: 200, body: `read ${body.length}` });
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        send(res, { status, body: error instanceof Error ? error.message : '' });
      }
    };
    const small = await fetch(origin, { method: 'POST', body: '0123456789' });
    expect([small.status, await small.text()]).toEqual([200, 'read 10']);
    const large = await fetch(origin, { method: 'POST', body: '0123456789!' });
    expect([large.status, await large.text()]).toEqual([413, 'The request is too large.']);
  });
});

describe('send', () => {
  it('answers with the status, the headers and a Content-Length in bytes', async () => {
    handle = async (_req, res) => send(res, { status: 201, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'é' });
    const answer = await fetch(origin);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(answer.headers.get('content-length')).toBe('2');
  });

  it('keeps a Content-Length given in any case, and gives none with a 204', async () => {
    handle = async (req, res) => {
      if (req.url === '/empty') send(res, { status: 204, body: '' });
      else send(res, { status: 200, headers: { 'Content-Length': '3' }, body: 'abc' });
    };
    const given = await fetch(origin);
    expect([given.headers.get('content-length'), await given.text()]).toEqual(['3', 'abc']);
    const empty = await fetch(`${origin}/empty`);
    expect([empty.status, empty.headers.get('content-length')]).toEqual([204, null]);
  });
});

describe('RouteTable', () => {
  const routes = new RouteTable<string>([
    { path: '/exact', methods: ['GET'], handler: 'exact' },
    { path: /^\/items\/([^/]+)(\/raw)?$/, methods: ['GET', 'HEAD'], handler: 'item' },
    { path: /^\/items\/([^/]+)(\/raw)?$/, methods: ['DELETE'], handler: 'delete item' },
    { path: /^\/any\/(.*)$/, methods: '*', handler: 'any' },
  ]);

  it('finds the first route whose path and method match, with the groups as params', () => {
    expect(routes.find('GET', '/exact')).toEqual({ kind: 'found', handler: 'exact', params: [] });
    expect(routes.find('GET', '/items/42')).toEqual({ kind: 'found', handler: 'item', params: ['42', undefined] });
    expect(routes.find('DELETE', '/items/42/raw')).toEqual({ kind: 'found', handler: 'delete item', params: ['42', '/raw'] });
    expect(routes.find('PATCH', '/any/a/b')).toEqual({ kind: 'found', handler: 'any', params: ['a/b'] });
  });

  it('tells a path served with other methods from a path not served at all', () => {
    expect(routes.find('POST', '/items/42')).toEqual({ kind: 'wrong_method', allow: ['GET', 'HEAD', 'DELETE'] });
    expect(routes.find('GET', '/exact/')).toEqual({ kind: 'none' });
    expect(routes.find('GET', '/nothing')).toEqual({ kind: 'none' });
  });
});

describe('asRecord', () => {
  it('takes JSON objects only', () => {
    expect(asRecord({ a: 1 })).toEqual({ a: 1 });
    for (const other of [null, [], 'text', 3, undefined]) expect(asRecord(other)).toBeUndefined();
  });
});
