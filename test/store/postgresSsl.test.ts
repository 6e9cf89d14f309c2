// Managed PostgreSQL (Heroku Postgres and the like) is reached over TLS with a certificate no
// public CA signed, and its URLs say `?sslmode=require`. libpq, psql and the providers' docs read
// that as "encrypt, do not verify"; pg 8 on its own reads it as verify-full and refuses the
// connection. These tests put a TLS-terminating stand-in with a self-signed certificate in front
// of the database and check which sslmode connects.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { openStore } from '../../src/store';
import { libpqConnectionString } from '../../src/store/postgresDatabase';
import { createTestDatabase } from '../support/postgres';

/** The first message of a PostgreSQL connection that asks for TLS: length 8, code 80877103. */
const SSL_REQUEST_CODE = 80877103;

interface TlsFront {
  port: number;
  /** Connections that completed a TLS handshake. */
  handshakes: number;
  /** Connections that started without asking for TLS. */
  plainStartups: number;
  /** TLS handshakes the client broke off (e.g. it refused the certificate). */
  refused: number;
  close(): Promise<void>;
}

/**
 * Speaks the start of PostgreSQL's protocol: answers an SSLRequest with 'S' and completes TLS with
 * the given certificate. With an upstream, it then relays the decrypted stream to the real server;
 * without one, it hangs up once the handshake is done (the client sees a dropped connection).
 */
async function startTlsFront(tls: { key: Buffer; cert: Buffer }, upstream?: { host: string; port: number }): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const front = { handshakes: 0, plainStartups: 0, refused: 0 };
  const relay = (client: Socket, first: Buffer | null) => {
    if (!upstream) {
      client.destroy();
      return;
    }
    const server = createConnection(upstream);
    sockets.add(server);
    server.on('error', () => client.destroy());
    client.on('error', () => server.destroy());
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
    if (first) server.write(first);
    client.pipe(server);
    server.pipe(client);
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', (chunk) => {
      if (chunk.length === 8 && chunk.readInt32BE(0) === 8 && chunk.readInt32BE(4) === SSL_REQUEST_CODE) {
        socket.write('S');
        const secure = new TLSSocket(socket, { isServer: true, key: tls.key, cert: tls.cert });
        secure.on('error', () => {
          front.refused += 1;
          socket.destroy();
        });
        secure.once('secure', () => {
          front.handshakes += 1;
          relay(secure as unknown as Socket, null);
        });
        return;
      }
      front.plainStartups += 1;
      relay(socket, chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    get handshakes() {
      return front.handshakes;
    },
    get plainStartups() {
      return front.plainStartups;
    },
    get refused() {
      return front.refused;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let certDir: string;
let tls: { key: Buffer; cert: Buffer };

beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'pgroup-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=db.internal', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')],
    { stdio: 'ignore' },
  );
  tls = { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) };
});
afterAll(() => {
  rmSync(certDir, { recursive: true, force: true });
});

describe('sslmode means what it means in libpq', () => {
  const url = 'postgres://app:s3cr%40t-pass@db.example.com:5432/pgroup';

  it('asks pg for libpq semantics when the URL names an sslmode, keeping the rest of the URL byte for byte', () => {
    expect(libpqConnectionString(`${url}?sslmode=require`, {})).toBe(`${url}?sslmode=require&uselibpqcompat=true`);
    expect(libpqConnectionString(`${url}?application_name=pgroup&sslmode=verify-full`, {})).toBe(`${url}?application_name=pgroup&sslmode=verify-full&uselibpqcompat=true`);
  });

  it('takes PGSSLMODE when the URL names none (Heroku: the add-on owns DATABASE_URL, the app owns its config vars)', () => {
    expect(libpqConnectionString(url, { PGSSLMODE: 'require' })).toBe(`${url}?sslmode=require&uselibpqcompat=true`);
    expect(libpqConnectionString(`${url}?sslmode=disable`, { PGSSLMODE: 'require' })).toBe(`${url}?sslmode=disable&uselibpqcompat=true`);
  });

  it('leaves URLs alone that need no translation', () => {
    expect(libpqConnectionString(url, {})).toBe(url);
    // pg's own value, already "encrypt without verifying".
    expect(libpqConnectionString(`${url}?sslmode=no-verify`, {})).toBe(`${url}?sslmode=no-verify`);
    expect(libpqConnectionString(url, { PGSSLMODE: 'no-verify' })).toBe(url);
    expect(libpqConnectionString(`${url}?sslmode=require&uselibpqcompat=false`, {})).toBe(`${url}?sslmode=require&uselibpqcompat=false`);
  });
});

describe('connecting to a server with a self-signed certificate', () => {
  let front: TlsFront;
  beforeEach(async () => {
    front = await startTlsFront(tls);
  });
  afterEach(async () => {
    await front.close();
  });

  it('?sslmode=require encrypts and does not verify the certificate, like psql', async () => {
    const password = 'hunter2-very-secret';
    const err = await openStore({ databaseUrl: `postgres://app:${password}@127.0.0.1:${front.port}/pgroup?sslmode=require` }).then(
      () => null,
      (e: Error) => e,
    );
    // The stand-in hangs up after the handshake, so opening fails, but only after TLS succeeded.
    expect(err).toBeInstanceOf(Error);
    expect(front.handshakes).toBeGreaterThanOrEqual(1);
    expect(front.refused).toBe(0);
    expect(front.plainStartups).toBe(0);
    expect(String(err?.message)).not.toMatch(/self[- ]signed|certificate/i);
    expect(`${err?.message}\n${err?.stack}`).not.toContain(password);
  });

  it('?sslmode=verify-full refuses a certificate it cannot verify', async () => {
    const err = await openStore({ databaseUrl: `postgres://app:pw-not-shown@127.0.0.1:${front.port}/pgroup?sslmode=verify-full` }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/self[- ]signed certificate|unable to verify|Hostname\/IP does not match/i);
    expect(front.handshakes).toBe(0);
  });

  it('PGSSLMODE=require does the same for a URL without sslmode (as Heroku Postgres sets DATABASE_URL)', async () => {
    const saved = process.env.PGSSLMODE;
    process.env.PGSSLMODE = 'require';
    try {
      await expect(openStore({ databaseUrl: `postgres://app:pw@127.0.0.1:${front.port}/pgroup` })).rejects.toThrow();
    } finally {
      if (saved === undefined) delete process.env.PGSSLMODE;
      else process.env.PGSSLMODE = saved;
    }
    expect(front.handshakes).toBeGreaterThanOrEqual(1);
    expect(front.refused).toBe(0);
  });

  it('?sslmode=disable never asks for TLS', async () => {
    await expect(openStore({ databaseUrl: `postgres://app:pw@127.0.0.1:${front.port}/pgroup?sslmode=disable` })).rejects.toThrow();
    expect(front.plainStartups).toBe(1);
    expect(front.handshakes).toBe(0);
  });
});

// Registered only with a real server: the whole store works through TLS with sslmode=require.
if (process.env.DATABASE_URL) {
  describe('PostgreSQL behind TLS with a self-signed certificate', () => {
    it('opens, migrates and confirms an operation over ?sslmode=require', async () => {
      const db = await createTestDatabase();
      const real = new URL(db.url);
      const front = await startTlsFront(tls, { host: real.hostname, port: Number(real.port) });
      const viaTls = new URL(db.url);
      viaTls.port = String(front.port);
      viaTls.search = '?sslmode=require';
      const store = await openStore({ databaseUrl: viaTls.toString() });
      try {
        expect(await store.health()).toEqual({ ok: true, driver: 'postgres', checks: { heartbeat: true } });
        const op = await store.createOperation({
          kind: 'add',
          groupId: 'g1',
          groupName: 'Group',
          slackUserId: 'U_ALICE',
          slackTeamId: 'T0LOCAL',
          channelId: null,
          participantIds: ['a'.repeat(24)],
          baselineIds: [],
          baselineName: 'Group',
          newName: null,
          snapshotId: null,
          details: {},
          message: null,
          ttlMs: 60_000,
        });
        expect((await store.transitionOperation(op.id, ['pending'], 'applying'))?.status).toBe('applying');
        expect(front.handshakes).toBeGreaterThanOrEqual(1);
        expect(front.plainStartups).toBe(0);
      } finally {
        await store.close();
        await front.close();
        await db.drop();
      }
    });
  });
}
