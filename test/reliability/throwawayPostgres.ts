// A PostgreSQL server of one test file's own, which the test may stop and start again as an
// outage or a restart would, without disturbing the shared server other files use. Started the
// way scripts/with-postgres.sh starts the shared one: initdb and pg_ctl on loopback, and as an
// unprivileged user when the tests run as root (initdb refuses root).
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/freePort';

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (if it runs) and deletes its files. */
  destroy(): void;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'pgroup-reliability-pg-'));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const osUser = process.env.PGROUP_TEST_PG_OSUSER ?? 'nobody';
  if (asRoot) execFileSync('chown', [osUser, dir]);
  const argv = (command: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', osUser, '--', command, ...args]] : [command, args]);
  // Asynchronous, so the bot in the test process keeps running while the server stops or starts.
  const run = (command: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, list] = argv(command, args);
      execFile(file, list, (err, _stdout, stderr) => (err ? reject(new Error(`${command} failed: ${stderr}`)) : resolve()));
    });
  const data = join(dir, 'data');
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const startArgs = ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start'];
  const stopArgs = ['-D', data, '-m', 'fast', '-w', 'stop'];
  await run('pg_ctl', startArgs);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => run('pg_ctl', startArgs),
    stop: () => run('pg_ctl', stopArgs),
    destroy() {
      try {
        execFileSync(...argv('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'pipe' });
      } catch {
        // Already stopped.
      }
      if (asRoot) chownSync(dir, 0, 0);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
