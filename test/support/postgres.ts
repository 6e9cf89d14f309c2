// A fresh PostgreSQL database per test file, so test files running in parallel never share
// tables. Needs DATABASE_URL (an account allowed to CREATE DATABASE), e.g. from
// `bash scripts/with-postgres.sh npx jest ...`.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  /** Ends every connection to the database, as a server restart would; returns how many. */
  terminateConnections(): Promise<number>;
  /** Ends every connection to the database and drops it. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('createTestDatabase needs DATABASE_URL (run under scripts/with-postgres.sh)');
  return url;
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  // A server going away must fail the test, not crash the runner.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const terminate = (client: Client, name: string) =>
  client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
    name,
  ]);

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `pgroup_test_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`create database "${name}"`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    terminateConnections: () => onServer(async (client) => (await terminate(client, name)).rowCount ?? 0),
    drop: () =>
      onServer(async (client) => {
        await terminate(client, name);
        await client.query(`drop database if exists "${name}"`);
      }),
  };
}
