// The HTTP receiver for Slack's requests: one step before Bolt that verifies the signature, rejects
// a timestamp more than 5 minutes off either way (Bolt checks only the past), parses the body once,
// answers anything that is not a JSON object with 400 (a signed `payload=null` used to crash the
// process inside Bolt's receiver), and then hands the request to Bolt through the delivery gate
// (redacted answers, repeats stopped after the ack).
// Built on Bolt's exported pieces (verifySlackRequest, HTTPModuleFunctions, HTTPResponseAck) so that
// what Slack sees from it is what Bolt's HTTPReceiver answers; /healthz and other routes are exact
// paths.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenOptions } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import {
  type App,
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type Logger,
  type Receiver,
  type ReceiverEvent,
  verifySlackRequest,
} from '@slack/bolt';
import { type DeliveryGate, isRepeatDelivery } from './deliveryGate';
import { deliveryKey } from './deliveryKeys';

import { SIGNATURE_WINDOW_SECONDS } from './signatureWindow';

export interface ReceiverRoute {
  /** An exact path, e.g. '/healthz'. */
  path: string;
  methods: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
}

export interface SignedHttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Redacts every acknowledgement and stops repeated deliveries, after the ack. */
  gate: DeliveryGate;
  /** Where Slack posts: default '/slack/events'. */
  endpoint?: string;
  routes?: ReceiverRoute[];
  /** Default Bolt's (4 MB). */
  bodyLimitBytes?: number;
  /** The clock, in milliseconds; tests move it. */
  now?: () => number;
}

/** What a Slack request was, once verified and parsed. */
export interface VerifiedRequest {
  body: Record<string, unknown>;
  /** The signed timestamp (seconds), and the signature verified against it and the raw body. */
  timestamp: number;
  signature: string;
}

type Refusal = { status: number; warning: string };

const FORM = 'application/x-www-form-urlencoded';

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export class SignedHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly endpoint: string;
  private readonly now: () => number;

  constructor(private readonly options: SignedHttpReceiverOptions) {
    this.endpoint = options.endpoint ?? '/slack/events';
    this.now = options.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  /** Listens on a port (0: any free one), or on `{ port, host }`; resolves with the server once it listens. */
  async start(listen: number | ListenOptions): Promise<Server> {
    if (this.server) throw new Error('The receiver is already started.');
    const server = createServer((req, res) => {
      // Nothing one request does may reach the process: every failure ends as an answer to it.
      this.route(req, res).catch((err: unknown) => {
        this.options.logger.error(`An unexpected error while answering ${req.method} ${new URL(req.url ?? '/', 'http://receiver.invalid').pathname}: ${String(err)}`);
        if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 500);
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://receiver.invalid').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === this.endpoint && method === 'POST') return this.receive(req, res);
    const route = this.options.routes?.find((r) => r.path === path && r.methods.includes(method));
    if (route) return route.handler(req, res);
    this.options.logger.info(`Unhandled HTTP request (${method}) made to ${path}`);
    HTTPModuleFunctions.buildNoBodyResponse(res, 404);
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, this.options.bodyLimitBytes ?? HTTPModuleFunctions.defaultBodyLimit);
    } catch (err) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(err) && (err.type === 'entity.too.large' || err.statusCode === 413);
      this.options.logger.warn(tooLarge ? 'A request body over the size limit was refused.' : `A request body could not be read: ${String(err)}`);
      HTTPModuleFunctions.buildNoBodyResponse(res, tooLarge ? 413 : 400);
      return;
    }
    const checked = this.verifyAndParse(buffered);
    if (checked === 'ssl_check') {
      HTTPModuleFunctions.buildSSLCheckResponse(res);
      return;
    }
    if ('status' in checked) {
      this.options.logger.warn(checked.warning);
      HTTPModuleFunctions.buildNoBodyResponse(res, checked.status);
      return;
    }
    const { body } = checked;
    if (body['type'] === 'url_verification') {
      HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
      return;
    }
    await this.handOver(buffered, res, checked);
  }

  /**
   * Signature, timestamp and body, each checked once. An `ssl_check` needs no signature (Slack sends
   * none) and carries nothing else: it is answered and nothing runs.
   */
  private verifyAndParse(req: BufferedIncomingMessage): VerifiedRequest | Refusal | 'ssl_check' {
    const rawBody = req.rawBody.toString('utf8');
    const contentType = (singleHeader(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const form = contentType === FORM ? parseQueryString(rawBody) : null;
    if (form?.['ssl_check'] === '1') return 'ssl_check';

    const signature = singleHeader(req, 'x-slack-signature');
    const timestampText = singleHeader(req, 'x-slack-request-timestamp');
    const timestamp = Number(timestampText);
    if (!signature || !timestampText || !Number.isInteger(timestamp)) {
      return { status: 401, warning: 'Refused a request without a valid signature: the signature or timestamp header is missing or malformed.' };
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    if (timestamp > nowSeconds + SIGNATURE_WINDOW_SECONDS) {
      return { status: 401, warning: 'Refused a request without a valid signature: its timestamp is more than 5 minutes in the future.' };
    }
    try {
      // Checks the signature, and that the timestamp is no more than 5 minutes old.
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: rawBody,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: this.now(),
      });
    } catch (err) {
      return { status: 401, warning: `Refused a request without a valid signature: ${err instanceof Error ? err.message : String(err)}` };
    }

    let body: unknown;
    try {
      if (form) {
        const payload = form['payload'];
        if (payload !== undefined && typeof payload !== 'string') return { status: 400, warning: 'Refused a signed request whose form has more than one payload.' };
        body = payload === undefined ? { ...form } : JSON.parse(payload);
      } else {
        body = JSON.parse(rawBody);
      }
    } catch {
      return { status: 400, warning: 'Refused a signed request whose body is not valid JSON.' };
    }
    if (!isJsonObject(body)) return { status: 400, warning: `Refused a signed request whose body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}, not an object.` };
    return { body, timestamp, signature };
  }

  /** Bolt handles the request; its listeners ack through HTTPResponseAck, as with Bolt's own receiver. */
  private async handOver(req: BufferedIncomingMessage, res: ServerResponse, request: VerifiedRequest): Promise<void> {
    const { logger, gate } = this.options;
    const responseAck = new HTTPResponseAck({ logger, processBeforeResponse: false, httpRequest: req, httpRequestBody: request.body, httpResponse: res });
    const event: ReceiverEvent = {
      body: request.body,
      ack: responseAck.bind(),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
    };
    try {
      if (!this.app) throw new Error('The receiver was started before Bolt initialised it.');
      await this.app.processEvent(gate.guard(event, deliveryKey(request.body, request, new Date(this.now()))));
    } catch (error) {
      // A repeat was answered by its ack; stopping it there is the point, not a failure.
      if (isRepeatDelivery(error)) return;
      const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: responseAck.storedResponse,
      });
      if (acknowledged) responseAck.ack();
    }
  }
}
