// One line, once per run, so nobody mistakes a PGlite-only run for full coverage.
export default function globalSetup(): void {
  if (!process.env.DATABASE_URL) {
    process.stdout.write(
      '\nPostgreSQL half skipped: DATABASE_URL is not set (run `npm run test:pg` or .ci/run to include it).\n',
    );
  }
}
