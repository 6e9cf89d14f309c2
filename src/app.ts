import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { App, type SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { AppConfig } from './config';
import { HealthServer } from './healthServer';
import { InFlight } from './inFlight';
import { registerListeners } from './listeners';
import { type RequestScope, requestScope } from './listeners/requestScope';
import { type AppLogger, requestContext } from './logging';
import type { ProlificClient } from './prolific';
import { DeliveryGate, isRepeatDelivery } from './receivers/deliveryGate';
import { GatedSocketModeReceiver } from './receivers/gatedSocketModeReceiver';
import { SignedHttpReceiver } from './receivers/signedHttpReceiver';
import { ChangePermissions } from './services/actor';
import { ChangeService, DEFAULT_STUCK_AFTER_MS } from './services/changes';
import { GroupMessages } from './services/groupMessages';
import { GroupMembersCache } from './services/groupMembersCache';
import { GroupWatcher } from './services/groupWatcher';
import { GroupDirectory } from './services/groups';
import { ParticipantFinder } from './services/participantFinder';
import { ParticipantForgetting } from './services/participantForgetting';
import { ServedGroups, servesWorkspaces } from './services/servedGroups';
import { StudyDirectory, StudyIndex, WorkspaceProjects } from './services/studies';
import { WatchList } from './services/watchList';
import { loadServedWorkspaces, type ServedWorkspace, Workspaces } from './services/workspaces';
import type { Store } from './store/types';
import { Announcer } from './slack/announcer';
import { markAsDemo } from './slack/blocks/demoSandbox';
import { failureSummary } from './slack/blocks/failedChange';
import { messageFailureSummary } from './slack/blocks/groupMessages';
import { renderWatchNotification } from './slack/blocks/watch';
import type { BotContext } from './slack/flows/botContext';
import { reportRecovered } from './slack/flows/changeFlows';
import { LostChannels } from './slack/lostChannels';
import { NotifyChannelStatus } from './slack/notifyChannelStatus';
import { redactingFetch } from './slack/redactingFetch';
import { UserTeams } from './slack/userTeams';

export interface BotOptions {
  slack: NonNullable<AppConfig['slack']>;
  config: AppConfig;
  logger: AppLogger;
  prolific: ProlificClient;
  store: Store;
  /** The default Prolific workspace (PROLIFIC_WORKSPACE_ID, or the only one); null when a channel must choose. */
  workspaceId: string | null;
  /** The workspaces served; listed from Prolific (limited by WORKSPACE_IDS) when omitted. */
  workspaces?: ServedWorkspace[];
  /** Polling for changes made outside the bot; off when omitted. */
  watch?: { intervalMs: number; fullReadEvery?: number; instanceId?: string };
  /** Whether Prolific answered the last request; shown by /healthz. */
  prolificStatus?: () => { ok: boolean; at: string | null; detail: string | null };
  /** How long a preview stays confirmable; default PENDING_TTL_MINUTES. */
  pendingTtlMs?: number;
  /** Prolific is the embedded demo sandbox: every reply, notification and App Home is marked as demo data. */
  demoSandbox?: boolean;
}

export interface Bot {
  app: App<RequestScope>;
  ctx: BotContext;
  watcher: GroupWatcher;
  /**
   * Starts serving. HTTP mode: Slack's requests and /healthz on `port` (0: any free port). Socket Mode:
   * connects to Slack, and serves /healthz alone on `port` unless it is null. Returns the HTTP port, if any.
   * `host` binds HTTP mode's port to one interface (the playground: loopback only); default every interface.
   */
  start(port: number | null, options?: { host?: string }): Promise<number | null>;
  /** Stops taking requests, waits (bounded) for work in flight, and closes the store and the Prolific client. */
  stop(options?: { drainMs?: number }): Promise<{ drained: boolean }>;
  /**
   * The retention sweep a timer runs every 5 minutes: pending operations past their expiry become expired, and
   * snapshots older than SNAPSHOT_RETENTION_DAYS are deleted, and delivery keys past their expiry are forgotten
   * (`forgotten`). The audit log is kept. `now` lets a test look ahead.
   */
  sweep(now?: Date): Promise<{ expired: number; pruned: number; recovered: number; forgotten: number; notified: number }>;
}

/** Slack's WebClient retries with backoff and honours Retry-After; a few tries keep a reply from waiting minutes. */
const SLACK_RETRIES = { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 3000 };

/** HTTP mode verifies every request with the signing secret; the configuration requires it there. */
function signingSecretFor(slack: BotOptions['slack']): string {
  if (!slack.signingSecret) throw new Error('HTTP mode needs SLACK_SIGNING_SECRET to verify Slack’s requests.');
  return slack.signingSecret;
}

/**
 * Bolt's Socket Mode receiver builds a Web API client of its own for apps.connections.open: it gets
 * SLACK_API_URL too, so a proxy or the local stand-in is honoured. Its retries are left at the Socket
 * Mode client's (many, quick), which keep it reconnecting through a Slack outage.
 */
function socketModeReceiver(appToken: string, apiUrl: string | null, logger: AppLogger, gate: DeliveryGate): SocketModeReceiver {
  return new GatedSocketModeReceiver(
    {
      appToken,
      logger,
      logLevel: logger.getLevel(),
      installerOptions: { clientOptions: apiUrl ? { slackApiUrl: apiUrl } : {} },
    },
    gate,
  );
}

export async function createBot(options: BotOptions): Promise<Bot> {
  const { slack, config, logger, store } = options;
  logger.addSecret(slack.botToken);
  logger.addSecret(slack.signingSecret);
  logger.addSecret(slack.appToken);

  const socketMode = Boolean(slack.appToken);
  // Whether the app can post in NOTIFY_CHANNEL: checked once Slack answers, shown by /healthz.
  const notifyStatus = config.notifyChannel ? new NotifyChannelStatus(config.notifyChannel) : null;
  const healthRoute = {
    path: '/healthz',
    methods: ['GET', 'HEAD'],
    handler: async (_req: unknown, res: import('node:http').ServerResponse) => {
      const db = await store.health();
      const prolific = options.prolificStatus?.() ?? { ok: true, at: null, detail: null };
      res.writeHead(db.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: db.ok, store: db, prolific, notifyChannel: notifyStatus?.current ?? null }));
    },
  };
  // Both receivers hand requests to Bolt through one gate: answers redacted, repeats stopped after the ack.
  const gate = new DeliveryGate(store, logger, logger.redactor);
  const receiver = slack.appToken
    ? socketModeReceiver(slack.appToken, slack.apiUrl, logger, gate)
    : new SignedHttpReceiver({ signingSecret: signingSecretFor(slack), routes: [healthRoute], logger, gate });
  const app = new App<RequestScope>({
    token: slack.botToken,
    receiver,
    logger,
    logLevel: logger.getLevel(),
    // Bolt's conversation store (in memory, one instance's only) is not used: without it no request
    // pays for its lookup, which fails with a new Error for every conversation it has not seen.
    convoStore: false,
    // Every text the app sends to Slack passes the logs' secret redaction (Bolt's response_url posts use this fetch too).
    clientOptions: { ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}), retryConfig: SLACK_RETRIES, fetch: redactingFetch(logger.redactor) },
  });

  // One request id per Slack request, on every log line written while handling it.
  app.use(async ({ next }) => {
    await requestContext.run({ requestId: randomUUID().slice(0, 8) }, next);
  });

  const auth = await app.client.auth.test();
  const homeTeamId = String(auth.team_id ?? '');
  const installation = { teamId: homeTeamId, enterpriseId: auth.enterprise_id ? String(auth.enterprise_id) : null, enterpriseInstall: auth.is_enterprise_install === true };
  // A NOTIFY_CHANNEL the app is not in would swallow every notification: said in the log at once.
  await notifyStatus?.check(app.client, logger);
  const demoSandbox = options.demoSandbox ?? false;
  // Notifications are posted by a client that never repeats a call by itself: Slack may have posted
  // a message it answers with a 5xx, and a blind repeat would post it twice (see Announcer).
  const notificationClient = new WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 30_000,
    fetch: redactingFetch(logger.redactor),
    logger,
    logLevel: logger.getLevel(),
  });
  const mark = demoSandbox ? markAsDemo : undefined;
  const lostChannels = new LostChannels(app.client, store, notifyStatus, logger, mark);
  // The workspaces served, and each request scoped to its channel's (see Workspaces).
  const chosen = options.workspaces
    ? { served: options.workspaces, defaultId: options.workspaceId }
    : await loadServedWorkspaces(options.prolific, config.workspaceIds, options.workspaceId);
  const workspaces = new Workspaces(store, chosen.served, chosen.defaultId);
  // Every group read by id goes through this, so a group outside the channel's workspace is never shown or changed.
  const served = new ServedGroups(options.prolific, servesWorkspaces(chosen.served.map((w) => w.id)), workspaces);
  const announcer = new Announcer(notificationClient, store, config.notifyChannel, logger, {
    mark,
    lostChannels,
    showIds: config.notifyShowIds,
    // With several workspaces, each notification names the group's.
    ...(workspaces.several ? { workspaceOf: (groupId: string) => workspaces.get(served.workspaceOf(groupId))?.title ?? null } : {}),
  });
  // One id for this instance, as the holder of its leases (the watcher's and the group write locks).
  const instanceId = options.watch?.instanceId ?? randomUUID();
  const watcher = new GroupWatcher({
    client: options.prolific,
    groups: served,
    store,
    intervalMs: options.watch?.intervalMs ?? config.watchIntervalSeconds * 1000,
    fullReadEvery: options.watch?.fullReadEvery,
    instanceId,
    announce: async (change, channels) => {
      await announcer.announce(change.groupId, renderWatchNotification(change, { showIds: config.notifyShowIds }), channels);
    },
    log: (level, msg) => logger[level](msg),
  });
  // Prolific lists studies account-wide: the index looks only at those of the request's workspace.
  const studies = new StudyIndex(options.prolific, store, {
    scope: { workspaceIds: () => workspaces.scopeIds(), projects: new WorkspaceProjects((id) => options.prolific.listProjects(id)) },
  });
  const memberCache = new GroupMembersCache((group) => served.listedMembers(group));
  const groups = new GroupDirectory(options.prolific, served, store, () => workspaces.currentId());
  const finder = new ParticipantFinder(groups, memberCache, studies);
  const permissions = new ChangePermissions(installation, config.allowedUserIds, config.adminUserIds, config.messageUserIds);
  const changes = new ChangeService(options.prolific, store, {
    groups: served,
    pendingTtlMs: options.pendingTtlMs ?? config.pendingTtlMinutes * 60_000,
    onApplied: (change) => {
      memberCache.invalidate(change.groupId);
      return watcher.noteApplied(change);
    },
    mayActFor: (actor, requesterId) => permissions.mayActFor(actor, requesterId),
    failureSummary,
    instanceId,
    log: (level, msg) => logger[level](msg),
    studies,
    announceTo: config.notifyChannel ? [config.notifyChannel] : [],
    ...(chosen.defaultId ? { workspaceId: chosen.defaultId } : {}),
  });

  const ctx: BotContext = {
    config,
    logger,
    botToken: slack.botToken,
    homeTeamId,
    store,
    groups,
    memberCache,
    finder,
    changes,
    forgetting: new ParticipantForgetting(finder, changes, store, memberCache),
    messages: new GroupMessages(options.prolific, served, store, {
      pendingTtlMs: options.pendingTtlMs ?? config.pendingTtlMinutes * 60_000,
      recipientCap: config.messageRecipientCap,
      mayActFor: (actor, requesterId) => permissions.mayActFor(actor, requesterId),
      failureSummary: messageFailureSummary,
      announceTo: config.notifyChannel ? [config.notifyChannel] : [],
    }),
    studies,
    studyDirectory: new StudyDirectory(options.prolific, () => workspaces.currentId()),
    workspaces,
    watchList: new WatchList(store),
    permissions,
    announcer,
    inFlight: new InFlight(),
    userTeams: new UserTeams(),
    demoSandbox,
  };
  // Who asked and how to answer them, once per request, before any listener runs.
  app.use(requestScope(ctx));
  registerListeners(app, ctx);
  app.error(async (err) => {
    // A repeated delivery stops at its ack, by design; the gate has logged it.
    if (isRepeatDelivery(err)) return;
    logger.error('unhandled error in a listener:', err instanceof Error ? `${err.name}: ${err.message}` : err);
  });

  // Retention: pending operations expire; snapshots are kept for SNAPSHOT_RETENTION_DAYS; the audit log is kept.
  // Confirmations left 'applying' (the database or the process went away mid-way) are settled from
  // what the group shows, and their requesters told; then every notification still due in the
  // outbox (one a stopped process never posted) is posted; at startup and with every sweep.
  const recover = async (now?: Date) => {
    const settled = await ctx.changes.recoverStuckOperations(now ? { now } : {});
    await reportRecovered(ctx, app.client, settled);
    // Sends cut short are recorded as "may have been sent" (never sent again); their notifications go out with the drain.
    const messages = await ctx.messages.recoverStuck(DEFAULT_STUCK_AFTER_MS, now);
    for (const op of messages) logger.warn(`message ${op.id} to group ${op.groupId} was cut short: recorded as may have been sent, not sent again`);
    return settled.length + messages.length;
  };
  const recoverAndNotify = async (now?: Date) => {
    const recovered = await recover(now);
    return { recovered, notified: await announcer.drain() };
  };
  const sweep = async (now?: Date) => {
    const [expired, pruned, { recovered, notified }, forgotten] = await Promise.all([
      store.expireOperations(now),
      store.pruneSnapshots(config.snapshotRetentionDays, now),
      recoverAndNotify(now),
      store.forgetExpiredDeliveries(now),
      // Draft studies' cached details past their expiry: read afresh next time anyway.
      store.pruneStudyDetails(),
    ]);
    return { expired, pruned, recovered, forgotten, notified };
  };
  const retention = setInterval(() => {
    sweep().catch((err) => logger.warn('retention sweep failed:', err instanceof Error ? err.message : err));
  }, 5 * 60_000);
  retention.unref();

  let server: Server | null = null;
  let healthServer: HealthServer | null = null;
  return {
    app,
    ctx,
    watcher,
    sweep,
    async start(port, { host } = {}) {
      if (socketMode) {
        // The health port first: a port in use stops the start before the bot connects to Slack.
        if (port !== null) healthServer = await HealthServer.start(port, healthRoute.handler);
        await app.start().catch(async (err: unknown) => {
          await healthServer?.close();
          throw err;
        });
      } else {
        if (port === null) throw new Error('HTTP mode needs a port to serve Slack’s requests on.');
        server = (await app.start(host ? { port, host } : port)) as Server;
      }
      if (options.watch) watcher.start();
      void ctx.inFlight.track(
        recoverAndNotify().catch((err) => logger.warn('recovering unfinished confirmations and notifications failed:', err instanceof Error ? err.message : err)),
      );
      if (!server) return healthServer?.port ?? null;
      const address = server.address();
      return typeof address === 'object' && address ? address.port : port;
    },
    async stop({ drainMs = 10_000 } = {}) {
      // Stop accepting requests first; then let confirmations in flight finish.
      if (server) {
        server.close();
        server.closeIdleConnections();
      } else {
        await Promise.all([app.stop().catch(() => undefined), healthServer?.close()]);
      }
      clearInterval(retention);
      const drained = await ctx.inFlight.drain(drainMs);
      await watcher.stop();
      await store.close();
      await options.prolific.close();
      return { drained };
    },
  };
}
