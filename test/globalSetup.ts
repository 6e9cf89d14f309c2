import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { reportMissingServices } from './support/optionalServices';

// Tests that run the bot as a real process (a crash and restart, SIGTERM, the playground)
// start the compiled entry point, so the build runs once before any test; so does the PGlite
// template that every embedded store the tests open starts from (made only when missing).
export default function globalSetup(): void {
  // Before the build, so that CI with a service missing fails at once.
  const skipped = reportMissingServices();
  execFileSync(process.execPath, [join(__dirname, '../node_modules/typescript/bin/tsc'), '-p', join(__dirname, '../tsconfig.build.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(__dirname, '../dist/src/store/buildPgliteTemplate.js')], { stdio: 'inherit' });
  // One line per skipped part, once per run, so nobody mistakes a partial run for full coverage.
  for (const line of skipped) process.stdout.write(`\n${line}\n`);
}
