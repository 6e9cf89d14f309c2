// The process-level guard, in a real Node process of its own (the compiled module, as the bot runs
// it): a rejected promise nobody handled and an exception nobody caught are logged with secrets
// redacted, and the process goes on; a flood of them ends it with code 1.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const DIST = join(__dirname, '../dist/src');
const SECRET = 'xoxb-guarded-0123456789abcdef';

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const prelude = `
    const { guardProcess } = require(${JSON.stringify(join(DIST, 'guardProcess.js'))});
    const { AppLogger } = require(${JSON.stringify(join(DIST, 'logging.js'))});
    guardProcess(new AppLogger({ json: true, secrets: [${JSON.stringify(SECRET)}] }));
  `;
  const child = spawn(process.execPath, ['-e', `${prelude}\n${script}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('guardProcess', () => {
  it('logs a failure nobody handled, without the secret it carried, and keeps the process running', async () => {
    const result = await run(`
      Promise.reject(new Error('rejected while holding ${SECRET}'));
      setImmediate(() => {
        setImmediate(() => { process.stdout.write('still serving\\n'); process.exit(0); });
        throw new Error('thrown while holding ${SECRET}');
      });
    `);
    expect(result.stdout).toBe('still serving\n');
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.map((l) => l.level)).toEqual(['error', 'error']);
    expect(lines[0]!.msg).toContain('A rejected promise nobody handled, logged and survived: Error: rejected while holding [redacted]');
    expect(lines[1]!.msg).toContain('An exception nobody caught, logged and survived: Error: thrown while holding [redacted]');
    expect(result.stderr).not.toContain(SECRET);
  });

  it('ends the process with code 1 when more than 20 failures escape within a minute', async () => {
    const result = await run(`
      let n = 0;
      const next = () => setImmediate(() => { n += 1; if (n > 30) { process.stdout.write('never stopped\\n'); process.exit(0); } next(); throw new Error('failure ' + n); });
      next();
    `);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('More than 20 unhandled failures in a minute');
  });
});
