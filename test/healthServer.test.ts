import { HealthServer } from '../src/healthServer';

describe('HealthServer (Socket Mode’s only HTTP port)', () => {
  let server: HealthServer;
  let asked = 0;

  beforeAll(async () => {
    server = await HealthServer.start(0, (_req, res) => {
      asked += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  it('answers GET /healthz with the handler, on the port it picked', async () => {
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(url('/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect((await fetch(url('/healthz?probe=1'))).status).toBe(200);
  });

  it('serves nothing else: not Slack’s endpoint, not the OAuth paths, not other methods', async () => {
    const before = asked;
    const answers = await Promise.all([
      fetch(url('/slack/events'), { method: 'POST', body: '{}' }),
      fetch(url('/slack/install')),
      fetch(url('/slack/oauth_redirect')),
      fetch(url('/')),
      fetch(url('/healthz/extra')),
      fetch(url('/healthz'), { method: 'POST', body: '' }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 405]);
    expect(asked).toBe(before);
  });

  it('refuses a port in use with a message that names PORT, instead of crashing', async () => {
    await expect(HealthServer.start(server.port, () => undefined)).rejects.toThrow(`PORT ${server.port} is already in use`);
  });

  it('stops listening when closed', async () => {
    const other = await HealthServer.start(0, (_req, res) => {
      res.end('ok');
    });
    expect((await fetch(`http://127.0.0.1:${other.port}/healthz`)).status).toBe(200);
    await other.close();
    await expect(fetch(`http://127.0.0.1:${other.port}/healthz`)).rejects.toThrow();
  });
});
