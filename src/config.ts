import { existsSync } from 'node:fs';
import dotenv from 'dotenv';

/** The bot's settings, read from the environment (and `.env`). Names are part of the interface. */
export interface AppConfig {
  /** Null when no Slack credentials are set: `npm start` then runs the local playground. */
  slack: {
    botToken: string;
    /** Verifies Slack's HTTP requests. Null only in Socket Mode, which does not use it. */
    signingSecret: string | null;
    /** The app-level token (xapp-): when set, the bot runs in Socket Mode. */
    appToken: string | null;
    apiUrl: string | null;
  } | null;
  prolific: {
    /** Null when unset: the bot then runs against the embedded sandbox. */
    token: string | null;
    apiUrl: string;
  };
  workspaceId: string | null;
  notifyChannel: string | null;
  /** NOTIFY_SHOW_IDS=true: channel notifications show sample participant ids; by default they show counts only. */
  notifyShowIds: boolean;
  /** Null means everyone in the installing workspace may change groups. */
  allowedUserIds: string[] | null;
  /** May confirm, cancel or retry previews other people asked for, and switch a channel's Prolific workspace. */
  adminUserIds: string[];
  /** MESSAGE_USER_IDS: who may message participants; null when unset (ALLOWED_USER_IDS then decides; with neither, nobody). */
  messageUserIds: string[] | null;
  /** MESSAGE_RECIPIENT_CAP: the most members a group may have to be messaged (default 4,000, Prolific's default cap). */
  messageRecipientCap: number;
  /** WORKSPACE_IDS: the only Prolific workspaces the app serves; null when unset (every workspace the token sees). */
  workspaceIds: string[] | null;
  /** PORT, default 3000: where HTTP mode serves Slack's requests and /healthz (and the playground its page). */
  port: number;
  /** Socket Mode serves /healthz, and nothing else, on PORT when it is set; null when PORT is unset. */
  socketModeHealthPort: number | null;
  dataDir: string;
  /** PGLITE_TEMPLATE=off: a new embedded database runs initdb instead of starting from the template. */
  pgliteTemplate: boolean;
  databaseUrl: string | null;
  pendingTtlMinutes: number;
  snapshotRetentionDays: number;
  watchIntervalSeconds: number;
  production: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration has ${problems.length === 1 ? 'a problem' : 'problems'}:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

const SLACK_USER_ID = /^[UW][A-Z0-9_]{2,}$/;

/** Loads `.env` (if present) without overriding variables already set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) dotenv.config({ path, quiet: true });
}

/**
 * Reads and checks the configuration. Every problem is reported at once, by variable name,
 * and no value of a secret is ever quoted back.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): { config: AppConfig; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const value = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };

  const botToken = value('SLACK_BOT_TOKEN');
  const signingSecret = value('SLACK_SIGNING_SECRET');
  const appToken = value('SLACK_APP_TOKEN');
  let slack: AppConfig['slack'] = null;
  if (botToken || signingSecret || appToken) {
    if (!botToken) problems.push('SLACK_BOT_TOKEN is missing (the bot token, starting xoxb-).');
    else if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN does not look like a bot token (it should start with xoxb-).');
    // Socket Mode receives everything over the app's own connection, so nothing needs a signature.
    if (!signingSecret && !appToken) {
      problems.push('SLACK_SIGNING_SECRET is missing (Basic Information → App Credentials); Socket Mode needs SLACK_APP_TOKEN instead.');
    }
    if (appToken && !appToken.startsWith('xapp-')) problems.push('SLACK_APP_TOKEN does not look like an app-level token (it should start with xapp-).');
    if (botToken && (signingSecret || appToken)) {
      slack = { botToken, signingSecret, appToken, apiUrl: null };
    }
  }
  const slackApiUrl = value('SLACK_API_URL');
  if (slackApiUrl) {
    if (!isHttpUrl(slackApiUrl)) problems.push('SLACK_API_URL must be an http(s) URL such as http://127.0.0.1:4000/api/.');
    else if (slack) slack.apiUrl = slackApiUrl.endsWith('/') ? slackApiUrl : `${slackApiUrl}/`;
  }

  // Without a token the bot runs on the embedded demo sandbox. Serving a real Slack workspace from
  // made-up groups is refused in production and shouted about everywhere else.
  const production = env.NODE_ENV === 'production';
  const prolificToken = value('PROLIFIC_API_TOKEN');
  if (slack && !prolificToken) {
    if (production) {
      problems.push(
        'PROLIFIC_API_TOKEN is missing. With NODE_ENV=production the app does not serve a Slack workspace from the demo sandbox’s made-up groups: set PROLIFIC_API_TOKEN (Prolific → Settings → API tokens).',
      );
    } else {
      warnings.push(
        'PROLIFIC_API_TOKEN is not set: this Slack workspace is served from the DEMO SANDBOX, made-up groups and participants, and nothing reaches Prolific. Every reply and notification is marked as demo data. Set PROLIFIC_API_TOKEN to connect to Prolific (NODE_ENV=production refuses to start without it).',
      );
    }
  }

  const prolificApiUrl = value('PROLIFIC_API_URL') ?? 'https://api.prolific.com';
  if (!isHttpUrl(prolificApiUrl)) problems.push('PROLIFIC_API_URL must be an http(s) URL.');

  const allowed = value('ALLOWED_USER_IDS');
  const allowedUserIds = allowed ? userIds('ALLOWED_USER_IDS', allowed) : null;
  const adminUserIds = userIds('ADMIN_USER_IDS', value('ADMIN_USER_IDS') ?? '');
  if (!allowed && slack) {
    warnings.push('ALLOWED_USER_IDS is not set: everyone in the workspace may change participant groups.');
  }
  const messaging = value('MESSAGE_USER_IDS');
  const messageUserIds = messaging ? userIds('MESSAGE_USER_IDS', messaging) : null;
  if (!messaging && !allowed && slack) {
    warnings.push('Neither MESSAGE_USER_IDS nor ALLOWED_USER_IDS is set: nobody may message participants or forget one.');
  }

  const notifyChannel = value('NOTIFY_CHANNEL');
  if (notifyChannel && !/^[CGD][A-Z0-9]{2,}$/.test(notifyChannel) && !/^[A-Z0-9_]+$/.test(notifyChannel)) {
    problems.push('NOTIFY_CHANNEL must be a channel id such as C0123456789.');
  }
  const notifyShowIds = value('NOTIFY_SHOW_IDS')?.toLowerCase() ?? 'false';
  if (notifyShowIds !== 'true' && notifyShowIds !== 'false') problems.push('NOTIFY_SHOW_IDS must be true or false.');
  const workspaceId = value('PROLIFIC_WORKSPACE_ID');
  if (workspaceId && !/^[0-9a-f]{24}$/i.test(workspaceId)) {
    problems.push('PROLIFIC_WORKSPACE_ID must be a Prolific workspace id (24 hexadecimal characters).');
  }
  const workspaceList = value('WORKSPACE_IDS');
  const workspaceIds = workspaceList
    ? workspaceList
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean)
    : null;
  const badWorkspaces = (workspaceIds ?? []).filter((id) => !/^[0-9a-f]{24}$/.test(id));
  if (badWorkspaces.length) problems.push(`WORKSPACE_IDS has entries that are not Prolific workspace ids (24 hexadecimal characters): ${badWorkspaces.join(', ')}.`);
  if (workspaceId && workspaceIds && !workspaceIds.includes(workspaceId.toLowerCase())) {
    problems.push('PROLIFIC_WORKSPACE_ID is not one of WORKSPACE_IDS: the default workspace must be one the app serves.');
  }

  const port = integer('PORT', 3000, 0, 65535);
  const socketModeHealthPort = value('PORT') === null ? null : port;
  const pendingTtlMinutes = integer('PENDING_TTL_MINUTES', 30, 1, 24 * 60);
  const snapshotRetentionDays = integer('SNAPSHOT_RETENTION_DAYS', 30, 1, 3650);
  const watchIntervalSeconds = integer('WATCH_INTERVAL_SECONDS', 300, 1, 86400);
  const messageRecipientCap = integer('MESSAGE_RECIPIENT_CAP', 4000, 1, 1_000_000);

  const pgliteTemplate = value('PGLITE_TEMPLATE')?.toLowerCase() ?? 'on';
  if (pgliteTemplate !== 'on' && pgliteTemplate !== 'off') problems.push('PGLITE_TEMPLATE must be on or off.');

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/db).');
  }
  // A Heroku dyno's disk is emptied at every restart and deploy: the embedded store would start empty each time.
  if (!databaseUrl && env.DYNO) {
    warnings.push(
      'DATA_DIR is on the dyno’s own disk, which Heroku empties at every restart and deploy: previews, history, undo snapshots and watch lists are lost each time. Set DATABASE_URL (Heroku Postgres) to keep them.',
    );
  }

  if (problems.length) throw new ConfigError(problems);
  return {
    config: {
      slack,
      prolific: { token: prolificToken, apiUrl: prolificApiUrl },
      workspaceId: workspaceId?.toLowerCase() ?? null,
      notifyChannel,
      notifyShowIds: notifyShowIds === 'true',
      allowedUserIds,
      adminUserIds,
      messageUserIds,
      messageRecipientCap,
      workspaceIds,
      port,
      socketModeHealthPort,
      dataDir: value('DATA_DIR') ?? './data',
      pgliteTemplate: pgliteTemplate !== 'off',
      databaseUrl,
      pendingTtlMinutes,
      snapshotRetentionDays,
      watchIntervalSeconds,
      production,
    },
    warnings,
  };

  function userIds(name: string, list: string): string[] {
    const ids = list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !SLACK_USER_ID.test(id));
    if (bad.length) problems.push(`${name} has entries that are not Slack user ids: ${bad.join(', ')}.`);
    return ids;
  }

  function integer(name: string, fallback: number, min: number, max: number): number {
    const raw = value(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}.`);
      return fallback;
    }
    return n;
  }
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
