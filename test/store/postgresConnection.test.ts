// The PostgreSQL driver's behaviour when the connection fails: no crash, recovery once the
// server is back, and never the password in an error or a log line.
import { createServer, type AddressInfo, connect, type Server, type Socket } from 'node:net';
import type { StoreLog } from '../../src/store/database';
import { openStore, redactDatabaseUrl } from '../../src/store/index';
import { openPostgresDatabase } from '../../src/store/postgresDatabase';
import type { NewOperation, Store } from '../../src/store/types';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { eventually } from '../support/eventually';
import { sleep } from '../support/sleep';

const PASSWORD = 'Hunter2-very-secret';

interface LogLine {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

function capturingLog(): { log: StoreLog; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, log: (level, msg, fields) => lines.push({ level, msg, fields }) };
}


/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A TCP relay in front of the database: taking it down drops every connection and refuses new
 * ones, as a server outage would, without disturbing other test files on the same server.
 */
class DatabaseLink {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

function operation(): NewOperation {
  return {
    kind: 'add',
    groupId: 'group-outage',
    groupName: 'Outage',
    slackUserId: 'U0001',
    slackTeamId: 'T0001',
    channelId: 'C0001',
    participantIds: ['5f0c2b1d9e8a7b6c5d4e3f21'],
    baselineIds: [],
    baselineName: 'Outage',
    newName: null,
    snapshotId: null,
    details: {},
    message: null,
    ttlMs: 60_000,
  };
}

const healthy = (store: Store) => async () => (await store.health()).ok;

describe('database URL redaction', () => {
  it('removes the password from URLs and from bare mentions', () => {
    const url = `postgres://pgroup:${PASSWORD}@db.internal:5432/pgroup`;
    expect(redactDatabaseUrl(`cannot reach ${url} now`)).toBe(
      'cannot reach postgres://pgroup:***@db.internal:5432/pgroup now',
    );
    expect(redactDatabaseUrl('postgresql://u:p@ss@h/db')).toBe('postgresql://u:***@h/db');
    expect(redactDatabaseUrl(`auth with ${PASSWORD} failed`, url)).toBe('auth with *** failed');
    expect(redactDatabaseUrl('postgres://u:pct%40word-x@h/db', 'postgres://u:pct%40word-x@h/db')).toBe(
      'postgres://u:***@h/db',
    );
    expect(redactDatabaseUrl(`said pct@word-x`, 'postgres://u:pct%40word-x@h/db')).toBe('said ***');
    // Short passwords are only removed from URLs, not from ordinary words.
    expect(redactDatabaseUrl('password authentication failed', 'postgres://u:pass@h/db')).toBe(
      'password authentication failed',
    );
    expect(redactDatabaseUrl('postgres://pgroup@h/db')).toBe('postgres://pgroup@h/db');
  });

  it('an unreachable server fails opening without revealing the password', async () => {
    const { log, lines } = capturingLog();
    const databaseUrl = `postgres://pgroup:${PASSWORD}@127.0.0.1:${await closedPort()}/pgroup`;
    const error: Error = await openStore({ databaseUrl, log }).then(
      () => {
        throw new Error('expected openStore to fail');
      },
      (err: Error) => err,
    );
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`).not.toContain(PASSWORD);
    expect(JSON.stringify(lines)).not.toContain(PASSWORD);
  });
});

// The PostgreSQL half: registered only when a server is available.
if (process.env.DATABASE_URL) {
  describe('postgres connection failures', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(async () => {
      await database?.drop();
    });

    it('survives the server going away and works again once it is back', async () => {
      const direct = new URL(database.url);
      const link = new DatabaseLink({ host: direct.hostname, port: Number(direct.port || 5432) });
      await link.up();
      const viaLink = new URL(database.url);
      viaLink.host = `127.0.0.1:${link.port}`;
      // The test server trusts local connections, so the password is carried but never checked.
      viaLink.username = viaLink.username || 'postgres';
      viaLink.password = PASSWORD;
      const { log, lines } = capturingLog();
      const store = await openStore({ databaseUrl: viaLink.toString(), log });
      try {
        const created = await store.createOperation(operation());
        expect(await store.health()).toEqual({ ok: true, driver: 'postgres', checks: { heartbeat: true } });

        await link.down();
        await sleep(100);
        const down = await store.health();
        expect(down).toMatchObject({ ok: false, driver: 'postgres' });
        expect(down.error).toEqual(expect.any(String));
        expect(down.error).not.toContain(PASSWORD);
        const failure: Error = await store.getOperation(created.id).then(
          () => {
            throw new Error('expected the query to fail');
          },
          (err: Error) => err,
        );
        expect(`${failure.message}\n${failure.stack}`).not.toContain(PASSWORD);
        expect(lines.some((l) => l.level === 'warn' && l.msg.includes('lost an idle database connection'))).toBe(true);

        await link.up();
        await eventually(() => healthy(store)().catch(() => false), 'the store to answer again');
        expect(await store.getOperation(created.id)).toEqual(created);
        expect((await store.transitionOperation(created.id, ['pending'], 'applying'))?.status).toBe('applying');
        expect(JSON.stringify(lines)).not.toContain(PASSWORD);
      } finally {
        await store.close();
        await link.down();
      }
    });

    it('recovers when the server ends every connection', async () => {
      const { log, lines } = capturingLog();
      const store = await openStore({ databaseUrl: database.url, log });
      try {
        const created = await store.createOperation(operation());
        // Several idle connections in the pool, all of which the server is about to end.
        await Promise.all(Array.from({ length: 5 }, () => store.getOperation(created.id)));
        expect(await database.terminateConnections()).toBeGreaterThan(0);
        await sleep(100);
        await eventually(() => healthy(store)().catch(() => false), 'the store to answer again');
        expect(await store.getOperation(created.id)).toEqual(created);
        expect(lines.some((l) => l.msg.includes('lost an idle database connection'))).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('a connection ended in the middle of a transaction fails that transaction only', async () => {
      const { log, lines } = capturingLog();
      const db = await openPostgresDatabase(database.url, log);
      try {
        const running = db.transaction(async (tx) => {
          await tx.query('select pg_sleep(30)');
        });
        const outcome = running.then(
          () => 'committed',
          () => 'failed',
        );
        // Let the transaction reach the server before ending its connection.
        for (let attempt = 0; attempt < 50; attempt++) {
          const busy = await db.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and query like 'select pg_sleep%'`,
          );
          if ((busy[0]?.n ?? 0) > 0) break;
          await sleep(50);
        }
        await database.terminateConnections();
        expect(await outcome).toBe('failed');
        await eventually(() => db.query('select 1').then((rows) => rows.length === 1, () => false), 'the database to answer again');
        expect(await db.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);
        expect(lines.some((l) => l.msg.includes('failed while in use'))).toBe(true);
      } finally {
        await db.close();
      }
    });
  });
}
