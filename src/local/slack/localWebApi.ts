// Answers the Web API calls that reach the local Slack's /api/: the token check, an injected fault
// first, then the family's method; every call is recorded, for tests and the playground's follower.

import type { IncomingMessage } from 'node:http';
import { type HttpReply, plainText } from '../http/loopbackHttp';
import { type LocalFaults, THREAD_REPLY_REQUEST } from './localFaults';
import type { LocalFunctions } from './localFunctions';
import type { LocalSlackEvents } from './localSlackEvents';
import type { LocalSocketMode } from './localSocketMode';
import { type ApiAnswer, type ApiArgs, type ApiMethod, bearerToken, fail, parseApiArgs, stringArg } from './webApiArgs';

export interface RecordedCall {
  method: string;
  /** The arguments as the app sent them, JSON-string fields (blocks, view, files, …) decoded; the token removed. */
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
  /** The HTTP status answered: 200, or the status of an injected fault. */
  status: number;
  at: Date;
}

export class LocalWebApi {
  /** Every Web API call, in order. */
  readonly calls: RecordedCall[] = [];

  constructor(
    private readonly botToken: string,
    private readonly methods: ReadonlyMap<string, ApiMethod>,
    private readonly faults: LocalFaults,
    private readonly socketMode: LocalSocketMode,
    private readonly functions: LocalFunctions,
    private readonly events: LocalSlackEvents,
  ) {}

  async answer(req: IncomingMessage, method: string, body: Buffer, query: URLSearchParams): Promise<HttpReply> {
    let args: ApiArgs;
    try {
      args = await parseApiArgs(req, body, query);
    } catch {
      return this.answerApi(method, {}, 200, fail('invalid_form_data'));
    }
    const token = bearerToken(req.headers.authorization) ?? stringArg(args, 'token');
    delete args['token'];
    const threadReply = method === 'chat.postMessage' && args['thread_ts'] !== undefined;
    const fault = (threadReply ? this.faults.take(THREAD_REPLY_REQUEST) : undefined) ?? this.faults.take(method);
    if (fault) {
      if ('error' in fault) return this.answerApi(method, args, 200, fail(fault.error));
      if ('retryAfterSeconds' in fault) {
        return this.answerApi(method, args, 429, fail('ratelimited'), { 'Retry-After': String(fault.retryAfterSeconds) });
      }
      if ('afterApplying' in fault && fault.afterApplying) {
        const handler = this.methods.get(method);
        if (handler && token === this.botToken) handler(args);
      }
      this.recordCall(method, args, false, `http_${fault.status}`, fault.status);
      return plainText(fault.status, `local slack fault: HTTP ${fault.status}`);
    }
    const handler = this.methods.get(method);
    const tokenProblem = this.tokenProblem(method, token);
    let answer: ApiAnswer;
    if (!handler) {
      answer = fail('unknown_method');
    } else if (tokenProblem) {
      answer = fail(tokenProblem);
    } else {
      answer = handler(args);
    }
    return this.answerApi(method, args, 200, answer);
  }

  /** Socket Mode's method takes the app-level token and nothing else takes it, as on Slack. */
  private tokenProblem(method: string, token: string | undefined): string | undefined {
    const appLevel = method in this.socketMode.methods;
    const expected = appLevel ? this.socketMode.appToken : this.botToken;
    if (token === expected) return undefined;
    // A custom step's run token works like the bot token until the run ends.
    if (!appLevel && this.functions.acceptsToken(token)) return undefined;
    return token === (appLevel ? this.botToken : this.socketMode.appToken) ? 'not_allowed_token_type' : 'invalid_auth';
  }

  private answerApi(method: string, args: ApiArgs, status: number, answer: ApiAnswer, headers: Record<string, string> = {}): HttpReply {
    this.recordCall(method, args, answer.ok, answer.error, status);
    return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(answer) };
  }

  private recordCall(method: string, args: ApiArgs, ok: boolean, error: string | undefined, status: number): void {
    const call: RecordedCall = { method, args, ok, ...(ok || error === undefined ? {} : { error }), status, at: new Date() };
    this.calls.push(call);
    this.events.emit('call', call);
  }
}
