// `npm run sandbox`: a local Prolific API to point the bot at.

import { createSandbox } from './server';

const DEFAULT_PORT = 4010;

async function main(): Promise<void> {
  const port = process.env['SANDBOX_PORT'] ? Number(process.env['SANDBOX_PORT']) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`SANDBOX_PORT is not a port: ${port}`);
  const largeGroupSize = Number(process.env['SANDBOX_LARGE_GROUP_SIZE'] ?? 0);
  if (!Number.isInteger(largeGroupSize) || largeGroupSize < 0) {
    throw new Error(`SANDBOX_LARGE_GROUP_SIZE must be a whole number, got ${process.env['SANDBOX_LARGE_GROUP_SIZE']}`);
  }
  const sandbox = await createSandbox({
    port,
    host: '127.0.0.1',
    // Recorded requests are only readable in-process; a long-running sandbox would just grow.
    recordRequests: false,
    largeGroupSize,
    benchmarkStudies: process.env['SANDBOX_BENCHMARK_STUDIES'] === '1',
    ...(process.env['SANDBOX_TOKEN'] ? { token: process.env['SANDBOX_TOKEN'] } : {}),
  });

  process.stdout.write(
    [
      `Prolific sandbox listening on ${sandbox.url}`,
      `Token: ${sandbox.token}`,
      `Workspace "Psychology Lab": ${sandbox.workspaceId}`,
      '',
      'Point the bot at it with:',
      `  PROLIFIC_API_URL=${sandbox.url}`,
      `  PROLIFIC_API_TOKEN=${sandbox.token}`,
      '',
    ].join('\n'),
  );
  if (process.send) process.send({ url: sandbox.url, token: sandbox.token });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the sandbox\n`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
