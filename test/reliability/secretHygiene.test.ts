// The end-to-end harness's close() is the one assertion that no captured log line, Slack call,
// message, view or file holds the Prolific token, the bot token or the signing secret. It only
// covers a harness that is closed: this checks that every test file that starts a harness
// (directly or through a helper that wraps startE2E) either starts it with useE2E, which closes it
// after the file's tests, or closes each one it starts itself. Files that run the bot as a process
// scan its stdout and stderr themselves (see process.test.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { leakedSecrets } from '../harness/e2e';

const TEST_ROOT = join(__dirname, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const sources = new Map(filesUnder(TEST_ROOT).map((path) => [path, readFileSync(path, 'utf8')]));

/** startE2E and every exported helper whose body starts one. */
function harnessStarters(): string[] {
  const starters = new Set(['startE2E']);
  for (const [path, text] of sources) {
    if (path.endsWith('.test.ts') || path.endsWith(join('harness', 'e2e.ts'))) continue;
    for (const m of text.matchAll(/export async function (\w+)\([\s\S]*?\n}/g)) {
      if (/\bstartE2E\(/.test(m[0])) starters.add(m[1]!);
    }
  }
  return [...starters];
}

describe('every end-to-end test file goes through the harness’s secret scan', () => {
  const starters = harnessStarters();
  /** Helpers that start harnesses before a file's tests and close them after (checked below). */
  const users = ['useE2E', 'useTwoInstances'];
  const files = [...sources].filter(([path, text]) => path.endsWith('.test.ts') && [...users, ...starters].some((s) => new RegExp(`\\b${s}\\(`).test(text)));
  const harness = sources.get(join(TEST_ROOT, 'harness', 'e2e.ts')) ?? '';
  const twoInstances = sources.get(join(TEST_ROOT, 'harness', 'twoInstances.ts')) ?? '';

  it('finds the files that start a harness', () => {
    expect(starters).toContain('startE2E');
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it('useE2E closes the harness it starts, after the tests', () => {
    const body = /export function useE2E\([\s\S]*?\n}/.exec(harness)?.[0] ?? '';
    expect(body).toMatch(/afterAll\(async \(\) => \{\s*await current\?\.close\(\);/);
  });

  it('useTwoInstances closes both instances it starts, after the tests', () => {
    const body = /export function useTwoInstances\([\s\S]*?\n}/.exec(twoInstances)?.[0] ?? '';
    expect(body).toMatch(/afterAll\(async \(\) => \{\s*await current\?\.a\.close\(\);\s*await current\?\.b\.close\(\);/);
  });

  it.each(files.map(([path, text]) => [relative(TEST_ROOT, path), text] as const))('%s closes every harness it starts', (_path, text) => {
    const started = [...text.matchAll(new RegExp(`(\\w+) = await (?:${starters.join('|')})\\(`, 'g'))].map((m) => m[1]!);
    // A file starts its harnesses through useE2E or useTwoInstances, or by hand (then it must close them).
    expect(/\buse(E2E|TwoInstances)\(/.test(text) || started.length > 0).toBe(true);
    for (const name of new Set(started)) expect({ harness: name, closed: new RegExp(`\\b${name}\\??\\.close\\(\\)`).test(text) }).toEqual({ harness: name, closed: true });
  });

  it('the scan finds a secret wherever it is in the material, and names it only by its start', () => {
    const secret = 'xoxb-abcdef123456';
    expect(leakedSecrets(`log line ${secret} end`, [secret, 'other-secret-value'])).toEqual(['xoxb…']);
    expect(leakedSecrets('nothing here', [secret])).toEqual([]);
  });
});
