import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Tests that run the bot as a real process (a crash and restart, SIGTERM, the playground)
// start the compiled entry point, so the build runs once before any test.
export default function globalSetup(): void {
  execFileSync(process.execPath, [join(__dirname, '../node_modules/typescript/bin/tsc'), '-p', join(__dirname, '../tsconfig.build.json')], { stdio: 'inherit' });
  // One line, once per run, so nobody mistakes a PGlite-only run for full coverage.
  if (!process.env.DATABASE_URL) {
    process.stdout.write('\nPostgreSQL half skipped: DATABASE_URL is not set (run `npm run test:pg` or .ci/run to include it).\n');
  }
}
