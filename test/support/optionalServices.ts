// The services some tests need and a fresh machine may lack: a Chromium for the browser test and
// a PostgreSQL server for the PostgreSQL half. Where one is missing its tests are skipped and the
// run says so in one line; under CI (CI=true) a missing one fails the run instead, so CI can never
// skip them silently. The test files ask chromiumPath() / postgresUrl(); globalSetup reports.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface MissingService {
  /** Which tests are skipped without it. */
  tests: string;
  /** Why the service was not found, and how to provide it. */
  reason: string;
}

/** True on CI: `.ci/run` runs with CI=true (set by the CI itself). */
export function runningOnCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return Boolean(ci) && ci !== 'false' && ci !== '0';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** CHROMIUM_PATH, or the `chromium` Debian's package puts on the PATH; never a downloaded browser. */
function lookForChromium(env: NodeJS.ProcessEnv): { path: string } | { missing: string } {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    return isExecutable(configured) ? { path: configured } : { missing: `CHROMIUM_PATH=${configured} is not an executable file` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'chromium'))) return { path: join(dir, 'chromium') };
  }
  return { missing: 'no Chromium found (apt-get install chromium, as .ci/run does, or set CHROMIUM_PATH)' };
}

/** The Chromium the browser test drives, or null when this machine has none. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const found = lookForChromium(env);
  return 'path' in found ? found.path : null;
}

/** The PostgreSQL server the PostgreSQL half runs against, or null when DATABASE_URL is unset. */
export function postgresUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.DATABASE_URL?.trim() || null;
}

export function missingServices(env: NodeJS.ProcessEnv = process.env): MissingService[] {
  const missing: MissingService[] = [];
  const chromium = lookForChromium(env);
  if ('missing' in chromium) missing.push({ tests: 'Browser tests', reason: chromium.missing });
  if (!postgresUrl(env)) {
    missing.push({ tests: 'PostgreSQL half', reason: 'DATABASE_URL is not set (run `npm run test:pg` or .ci/run to include it)' });
  }
  return missing;
}

/**
 * One line per skipped part of the suite; under CI, an error naming every missing service.
 * Returns the lines to print.
 */
export function reportMissingServices(env: NodeJS.ProcessEnv = process.env): string[] {
  const missing = missingServices(env);
  if (missing.length > 0 && runningOnCi(env)) {
    throw new Error(
      `CI=true, so every test must run, but ${missing.map((m) => `${m.tests.toLowerCase()}: ${m.reason}`).join('; ')}.`,
    );
  }
  return missing.map((m) => `${m.tests} skipped: ${m.reason}.`);
}
