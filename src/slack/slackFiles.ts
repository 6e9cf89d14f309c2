import type { WebClient } from '@slack/web-api';
import { Agent, interceptors, request } from 'undici';

// Slack may redirect a download to its file servers.
const downloads = new Agent().compose(interceptors.redirect({ maxRedirections: 3 }));

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The fields of a Slack file object that reading an upload needs. */
export interface SlackFileRef {
  id: string;
  name?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

export type DownloadResult = { ok: true; name: string; data: Buffer } | { ok: false; message: string };

/**
 * Downloads a file shared with the app, with the bot token as a Bearer header. When Slack
 * answers with its sign-in page instead of the file (lost auth), or the file is over the
 * limit, it says so instead of handing on something that is not the file.
 */
export async function downloadSlackFile(client: WebClient, botToken: string, file: SlackFileRef, maxBytes = MAX_UPLOAD_BYTES): Promise<DownloadResult> {
  let info = file;
  if (!info.url_private_download && !info.url_private) {
    const res = await client.files.info({ file: file.id });
    info = (res.file as SlackFileRef | undefined) ?? file;
  }
  const name = info.name ?? 'the file';
  const url = info.url_private_download ?? info.url_private;
  if (!url) return { ok: false, message: `Slack did not give a download link for ${name}. Upload it again.` };
  if (info.size !== undefined && info.size > maxBytes) return { ok: false, message: tooLarge(name) };

  const res = await request(url, {
    method: 'GET',
    headers: { authorization: `Bearer ${botToken}` },
    dispatcher: downloads,
    headersTimeout: 15_000,
    bodyTimeout: 30_000,
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    return { ok: false, message: `Slack answered ${res.statusCode} when the file ${name} was downloaded. Upload it again.` };
  }
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('text/html')) {
    await res.body.dump();
    return { ok: false, message: `Slack sent a sign-in page instead of ${name}: the app may have lost access. Reinstall or re-authorise the app, then upload again.` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      res.body.destroy();
      return { ok: false, message: tooLarge(name) };
    }
    chunks.push(chunk as Buffer);
  }
  return { ok: true, name, data: Buffer.concat(chunks) };
}

function tooLarge(name: string): string {
  return `${name} is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it, or keep only the participant id column, and upload again.`;
}
