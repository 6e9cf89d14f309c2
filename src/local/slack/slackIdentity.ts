// Who the local workspace and its app are: the ids and names Slack puts in its answers and payloads.

export interface SlackIdentity {
  /** 'http://127.0.0.1:PORT/': where upload URLs, file URLs and response_urls point. */
  url: string;
  teamId: string;
  teamDomain: string;
  teamName: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** The Enterprise Grid organisation the workspace belongs to; null for a workspace on its own. */
  enterprise: LocalEnterprise | null;
  /** Installed for the whole organisation (org-wide app) rather than this one workspace. */
  enterpriseInstall: boolean;
}

export interface LocalEnterprise {
  id: string;
  name: string;
}

export type SlackIdentityOptions = Partial<Omit<SlackIdentity, 'url'>>;

export function slackIdentity(options: SlackIdentityOptions, url: string): SlackIdentity {
  return {
    url,
    teamId: options.teamId ?? 'T0LOCAL',
    teamDomain: options.teamDomain ?? 'local-workspace',
    teamName: options.teamName ?? 'Local Workspace',
    botUserId: options.botUserId ?? 'U0LOCALBOT',
    botId: options.botId ?? 'B0LOCALBOT',
    appId: options.appId ?? 'A0LOCALAPP',
    enterprise: options.enterprise ?? null,
    enterpriseInstall: options.enterpriseInstall ?? false,
  };
}
