// Slack's HTTP requests to the app: signed with the app's signing secret (v0 HMAC-SHA256 of
// `v0:{timestamp}:{body}`) and timed from sending to the end of the app's answer, which is what
// Slack holds to its 3-second limit.

import { createHmac } from 'node:crypto';

export interface DriverResponse {
  status: number;
  body: string;
  /** The body parsed, when it is JSON. */
  json?: unknown;
  /** From sending the request to the end of the app's answer: what Slack holds to its 3-second limit. */
  ackMs: number;
}

export const FORM = 'application/x-www-form-urlencoded';
const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

export class SignedRequests {
  constructor(
    private readonly appUrl: string,
    private readonly signingSecret: string,
  ) {}

  /** Slack's request signature headers for `body`; `timestamp` (seconds) defaults to now. */
  sign(body: string, timestamp: number = Math.floor(Date.now() / 1000)): Record<string, string> {
    const signature = createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
    return { 'X-Slack-Signature': `v0=${signature}`, 'X-Slack-Request-Timestamp': String(timestamp) };
  }

  /** An interaction payload, as Slack sends it: a form with one `payload` field of JSON. */
  async postInteraction(payload: Record<string, unknown>): Promise<DriverResponse> {
    return this.postSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  }

  async postSigned(body: string, contentType: string, extra: Record<string, string> = {}): Promise<DriverResponse> {
    return this.post(body, { 'Content-Type': contentType, 'User-Agent': SLACK_USER_AGENT, ...this.sign(body), ...extra });
  }

  /** Posts `body` with exactly these headers. */
  async post(body: string, headers: Record<string, string>): Promise<DriverResponse> {
    const started = performance.now();
    const response = await fetch(this.appUrl, { method: 'POST', headers, body });
    const text = await response.text();
    const ackMs = performance.now() - started;
    let json: unknown;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: response.status, body: text, ...(json === undefined ? {} : { json }), ackMs };
  }
}
