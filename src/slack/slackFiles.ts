import type { WebClient } from '@slack/web-api';
import { request } from 'undici';
import { mayCarryBotToken } from './mayCarryBotToken';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Redirects followed for one download. Enterprise Grid sends a download from files.slack.com to
 * another of its hosts; a few hops are normal, a long chain is a loop.
 */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The fields of a Slack file object that reading an upload needs. */
export interface SlackFileRef {
  id: string;
  name?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

/** Why a file could not be read, as facts; slack/blocks/downloads.ts words them. */
export type DownloadProblem =
  | { kind: 'no_link' }
  | { kind: 'too_large'; maxBytes: number }
  | { kind: 'status'; status: number }
  | { kind: 'sign_in_page' }
  | { kind: 'too_many_redirects'; limit: number };

export type DownloadResult = { ok: true; name: string; data: Buffer } | { ok: false; name: string; problem: DownloadProblem };

export interface DownloadOptions {
  /** SLACK_API_URL, whose host counts as Slack's (mayCarryBotToken); null for Slack's own. */
  slackApiUrl: string | null;
  maxBytes?: number;
}

/**
 * Downloads a file shared with the app. Redirects are followed here, not by the HTTP client: at each
 * hop the bot token goes along only when mayCarryBotToken allows that host (the client would drop it
 * on any cross-origin hop, and Enterprise Grid's second file host would then answer its sign-in page).
 * When Slack answers with its sign-in page instead of the file (lost auth), or the file is over the
 * limit, it says so instead of handing on something that is not the file.
 */
export async function downloadSlackFile(client: WebClient, botToken: string, file: SlackFileRef, options: DownloadOptions): Promise<DownloadResult> {
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  let info = file;
  if (!info.url_private_download && !info.url_private) {
    const res = await client.files.info({ file: file.id });
    info = (res.file as SlackFileRef | undefined) ?? file;
  }
  const name = info.name ?? 'the file';
  const refuse = (problem: DownloadProblem): DownloadResult => ({ ok: false, name, problem });
  const link = info.url_private_download ?? info.url_private;
  if (!link) return refuse({ kind: 'no_link' });
  if (info.size !== undefined && info.size > maxBytes) return refuse({ kind: 'too_large', maxBytes });

  let url = new URL(link);
  for (let redirects = 0; ; redirects += 1) {
    const res = await request(url, {
      method: 'GET',
      headers: mayCarryBotToken(url, options.slackApiUrl) ? { authorization: `Bearer ${botToken}` } : {},
      headersTimeout: 15_000,
      bodyTimeout: 30_000,
    });
    if (REDIRECT_STATUSES.has(res.statusCode)) {
      await res.body.dump();
      const location = res.headers.location;
      const next = typeof location === 'string' ? new URL(location, url) : null;
      if (!next || (next.protocol !== 'https:' && next.protocol !== 'http:')) return refuse({ kind: 'status', status: res.statusCode });
      if (redirects >= MAX_REDIRECTS) return refuse({ kind: 'too_many_redirects', limit: MAX_REDIRECTS });
      url = next;
      continue;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      return refuse({ kind: 'status', status: res.statusCode });
    }
    if (String(res.headers['content-type'] ?? '').includes('text/html')) {
      await res.body.dump();
      return refuse({ kind: 'sign_in_page' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        return refuse({ kind: 'too_large', maxBytes });
      }
      chunks.push(chunk as Buffer);
    }
    return { ok: true, name, data: Buffer.concat(chunks) };
  }
}
