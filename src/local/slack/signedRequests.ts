// Slack's HTTP requests to the app: signed with the app's signing secret (v0 HMAC-SHA256 of
// `v0:{timestamp}:{body}`) and timed from sending to the end of the app's answer, which is what
// Slack holds to its 3-second limit.

import { createHmac } from 'node:crypto';
import type { AppDelivery, DriverResponse } from './appDelivery';

export const FORM = 'application/x-www-form-urlencoded';
const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

export class SignedRequests implements AppDelivery {
  constructor(
    private readonly appUrl: string,
    private readonly signingSecret: string,
  ) {}

  /** Slack's request signature headers for `body`; `timestamp` (seconds) defaults to now. */
  sign(body: string, timestamp: number = Math.floor(Date.now() / 1000)): Record<string, string> {
    const signature = createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
    return { 'X-Slack-Signature': `v0=${signature}`, 'X-Slack-Request-Timestamp': String(timestamp) };
  }

  /** A slash command, as Slack sends it: its fields as a form. */
  async command(fields: Record<string, string>): Promise<DriverResponse> {
    return this.postSigned(new URLSearchParams(fields).toString(), FORM);
  }

  /** An interaction payload, as Slack sends it: a form with one `payload` field of JSON. */
  async interaction(payload: Record<string, unknown>): Promise<DriverResponse> {
    return this.postSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  }

  /** An Events API callback as JSON; a retry carries Slack's X-Slack-Retry-* headers. */
  async event(payload: Record<string, unknown>, retry: { retryNum?: number; retryReason?: string }): Promise<DriverResponse> {
    const headers: Record<string, string> = {};
    if (retry.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(retry.retryNum);
    if (retry.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = retry.retryReason;
    return this.postSigned(JSON.stringify(payload), 'application/json', headers);
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
