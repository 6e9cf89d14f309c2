import { type AppConfig, ConfigError, loadDotEnv, readConfig } from './config';
import { guardProcess } from './guardProcess';
import { AppLogger } from './logging';
import { connectProlific, type ProlificStandIn, type RunningBot, startBot } from './runtime';

async function main(): Promise<void> {
  loadDotEnv();
  let read: ReturnType<typeof readConfig>;
  try {
    read = readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee README.md (Configuration) for what each variable means.\n`);
      process.exit(1);
    }
    throw err;
  }
  const { config, warnings } = read;
  const logger = new AppLogger({ json: config.production, secrets: [config.prolific.token, config.slack?.botToken, config.slack?.signingSecret, config.slack?.appToken] });
  for (const w of warnings) logger.warn(w);
  guardProcess(logger);

  // The stand-ins for Slack and Prolific are loaded only when a credential is missing.
  if (!config.slack) {
    // No Slack credentials: the local playground, the real bot behind a page that stands in for Slack.
    const { startPlayground } = await import('./local/playground');
    const playground = await startPlayground(config, logger);
    onShutdown(logger, () => playground.stop());
    return;
  }

  const running: RunningBot = await startBot(config, logger, connectProlific(config, logger, await prolificStandIn(config, logger)));
  logger.info(
    config.slack.appToken
      ? `pgroup is running in Socket Mode${running.port === null ? ' (no PORT set, so no /healthz).' : `, with health at GET /healthz on port ${running.port}.`}`
      : `pgroup is listening on port ${running.port}: Slack requests at POST /slack/events, health at GET /healthz.`,
  );
  onShutdown(logger, () => running.stop({ drainMs: 10_000 }));
}

/** Without PROLIFIC_API_TOKEN: the embedded Prolific sandbox, seeded with demo groups, on a loopback port. */
async function prolificStandIn(config: AppConfig, logger: AppLogger): Promise<ProlificStandIn | null> {
  if (config.prolific.token) return null;
  const { startEmbeddedSandbox } = await import('./local/prolific-sandbox');
  return startEmbeddedSandbox(logger);
}

/** On SIGTERM (a dyno restart) or SIGINT: stop taking requests, let work in flight finish, close the store, exit 0. */
function onShutdown(logger: AppLogger, stop: () => Promise<{ drained: boolean } | undefined>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing work in flight, then stopping.`);
    stop()
      .then((result) => {
        if (result && 'drained' in result && !result.drained) logger.warn('Some work was still running after the wait; stopping anyway.');
        logger.info('Stopped.');
        process.exit(0);
      })
      .catch((err) => {
        logger.error('Stopping failed:', err instanceof Error ? err.message : err);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`pgroup could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
