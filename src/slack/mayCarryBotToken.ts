// The one rule for where the bot token may be sent beside the Web API: to Slack's file hosts
// (`*.slack.com`, `*.slack-edge.com`, over HTTPS on the default port) or to the host of the
// configured SLACK_API_URL (scheme, host and port alike: a local stand-in or a proxy), and never to
// whatever other host a file object or a redirect names. File downloads ask it for every request,
// redirects included.

const SLACK_FILE_DOMAINS = ['slack.com', 'slack-edge.com'];

/** Slack's Web API when SLACK_API_URL is not set. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export function mayCarryBotToken(url: URL, slackApiUrl: string | null): boolean {
  // user:password@ in a URL is a way to make a foreign host look like another one.
  if (url.username !== '' || url.password !== '') return false;
  const api = new URL(slackApiUrl ?? DEFAULT_SLACK_API_URL);
  if (url.protocol === api.protocol && url.host === api.host) return true;
  if (url.protocol !== 'https:' || url.port !== '') return false;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  return SLACK_FILE_DOMAINS.some((domain) => host.endsWith(`.${domain}`));
}
