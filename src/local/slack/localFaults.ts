// The faults a test injects into the local Slack: failing Web API calls, uploads and downloads, and
// holding response_url posts or file downloads unanswered. LocalSlack consults it before answering.

/**
 * `{ error }`: 200 with `ok: false`; `{ status: 429, retryAfterSeconds }`: rate-limited; `{ status }`:
 * that HTTP status, the call not carried out; `{ status, afterApplying: true }`: the call carried out
 * (a message posted), then that status instead of the answer, as when Slack fails after it acted.
 */
export type ApiFault = { error: string } | { status: 429; retryAfterSeconds: number } | { status: number; afterApplying?: boolean };

/**
 * Pseudo-methods that failNext also accepts, for the two requests that are not Web API calls:
 * the POST to an upload_url and the GET of a url_private(_download); and THREAD_REPLY_REQUEST below.
 */
export const FILE_UPLOAD_REQUEST = 'file_upload';
export const FILE_DOWNLOAD_REQUEST = 'file_download';
/**
 * A pseudo-method for chat.postMessage calls that reply in a thread (with thread_ts): a fault queued
 * under it fails only such replies, taken before any fault queued for chat.postMessage itself.
 */
export const THREAD_REPLY_REQUEST = 'chat.postMessage:thread_reply';

interface Hold {
  held: number;
  released: Promise<void>;
  release: () => void;
}

export class LocalFaults {
  private readonly queues = new Map<string, ApiFault[]>();
  private responseUrlHold: Hold | null = null;
  private downloadHold: Hold | null = null;

  failNext(method: string, fault: ApiFault, times: number): void {
    const queue = this.queues.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.queues.set(method, queue);
  }

  take(method: string): ApiFault | undefined {
    const queue = this.queues.get(method);
    const fault = queue?.shift();
    if (queue && queue.length === 0) this.queues.delete(method);
    return fault;
  }

  holdResponseUrls(): { held(): number; release(): void } {
    this.releaseResponseUrls();
    const hold = newHold();
    this.responseUrlHold = hold;
    return {
      held: () => hold.held,
      release: () => {
        if (this.responseUrlHold === hold) this.responseUrlHold = null;
        hold.release();
      },
    };
  }

  holdFileDownloads(): { held(): number; release(): void } {
    this.downloadHold?.release();
    const hold = newHold();
    this.downloadHold = hold;
    return {
      held: () => hold.held,
      release: () => {
        if (this.downloadHold === hold) this.downloadHold = null;
        hold.release();
      },
    };
  }

  /** While response_urls are held: counts one more post held and resolves on release; otherwise undefined. */
  responseUrlWait(): Promise<void> | undefined {
    return waitOn(this.responseUrlHold);
  }

  /** While downloads are held: counts one more download held and resolves on release; otherwise undefined. */
  downloadWait(): Promise<void> | undefined {
    return waitOn(this.downloadHold);
  }

  releaseResponseUrls(): void {
    this.responseUrlHold?.release();
    this.responseUrlHold = null;
  }

  clear(): void {
    this.queues.clear();
    this.releaseResponseUrls();
    this.downloadHold?.release();
    this.downloadHold = null;
  }
}

function newHold(): Hold {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { held: 0, released, release };
}

function waitOn(hold: Hold | null): Promise<void> | undefined {
  if (!hold) return undefined;
  hold.held += 1;
  return hold.released;
}
