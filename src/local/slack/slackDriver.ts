// Plays Slack's side towards the app: slash commands, button clicks, modal submissions, Events API
// callbacks and options requests, shaped as Slack documents them. In HTTP mode they are signed with
// the app's signing secret (SignedRequests), so the app's real request verification runs; in Socket
// Mode they travel as envelopes over the app's own connection (SocketModeDelivery). Trigger ids,
// response_urls, messages and views come from (and land in) Slack through the SlackForDriver interface.
// The fields every payload repeats come from DriverPayloadFields; inputs and answers are typed in
// driverInputs.ts and driverResponses.ts.

import { randomBytes } from 'node:crypto';
import type { AppDelivery, DriverResponse } from './appDelivery';
import { DriverPayloadFields } from './driverPayloadFields';
import type { BlockActionInput, EventInput, OptionsRequestInput, ViewSubmissionInput } from './driverInputs';
import type { CommandResponse, InteractionResponse, ViewClosedResponse, ViewSubmissionResponse } from './driverResponses';
import { SignedRequests } from './signedRequests';
import type { SlackForDriver } from './slackForDriver';
import { SocketModeDelivery } from './socketModeDelivery';
import {
  actionPayload,
  blocksOf,
  buildState,
  findElement,
  type Json,
  responseUrlsFor,
} from './viewState';

export type { DriverResponse } from './appDelivery';
export type { BlockActionInput, EventInput, OptionsRequestInput, ViewSubmissionInput } from './driverInputs';
export type { CommandResponse, InteractionResponse, ViewClosedResponse, ViewSubmissionResponse } from './driverResponses';

/** HTTP mode (the default): signed requests to the app's URL. Socket Mode: envelopes over the app's connection. */
export type DriverTransport =
  | {
      transport?: 'http';
      /** The app's request URL, e.g. 'http://127.0.0.1:3000/slack/events'. */
      appUrl: string;
      signingSecret: string;
    }
  | { transport: 'socket' };

export type SlackDriverOptions = DriverTransport & {
  slack: SlackForDriver;
  /** Defaults to the LocalSlack's. */
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** The deprecated verification token Slack still sends in payloads. */
  verificationToken?: string;
};

export class SlackDriver {
  readonly slack: SlackForDriver;
  readonly transport: 'http' | 'socket';
  /** HTTP mode: the app's request URL; null in Socket Mode. */
  readonly appUrl: string | null;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly apiAppId: string;
  readonly verificationToken: string;
  private readonly delivery: AppDelivery;
  private readonly fields: DriverPayloadFields;
  /** HTTP mode only: signing, and requests sent exactly as given. */
  private readonly signed: SignedRequests | null;

  constructor(options: SlackDriverOptions) {
    this.slack = options.slack;
    if (options.transport === 'socket') {
      this.transport = 'socket';
      this.appUrl = null;
      this.signed = null;
      this.delivery = new SocketModeDelivery(options.slack);
    } else {
      this.transport = 'http';
      this.appUrl = options.appUrl;
      this.signed = new SignedRequests(options.appUrl, options.signingSecret);
      this.delivery = this.signed;
    }
    this.teamId = options.teamId ?? options.slack.teamId;
    this.teamDomain = options.teamDomain ?? options.slack.teamDomain;
    this.apiAppId = options.apiAppId ?? options.slack.appId;
    this.verificationToken = options.verificationToken ?? 'local-verification-token';
    this.fields = new DriverPayloadFields(options.slack, this.teamId, this.teamDomain);
  }

  /** Slack's request signature headers for `body`; `timestamp` (seconds) defaults to now. HTTP mode only. */
  sign(body: string, timestamp?: number): Record<string, string> {
    return this.httpOnly('sign').sign(body, timestamp);
  }

  /** Posts `body` to the app exactly as given: for signature and malformed-request tests. HTTP mode only. */
  async raw(body: string, headers: Record<string, string>): Promise<DriverResponse> {
    return this.httpOnly('raw').post(body, headers);
  }

  /** A user typing `/command text` in `channel` (a user id means their DM with the app). */
  async command(
    command: string,
    text: string,
    options: { user: string; channel?: string; channelName?: string },
  ): Promise<CommandResponse> {
    const channelId = this.fields.conversationId(options.channel ?? options.user);
    const responseUrl = this.slack.createResponseUrl({ channel: channelId, user: options.user });
    const triggerId = this.slack.issueTriggerId(options.user);
    const payload: Record<string, string> = {
      token: this.verificationToken,
      team_id: this.teamId,
      team_domain: this.teamDomain,
      channel_id: channelId,
      channel_name: options.channelName ?? this.fields.channelName(channelId),
      user_id: options.user,
      user_name: this.slack.user(options.user)?.name ?? options.user,
      command,
      text,
      api_app_id: this.apiAppId,
      ...(this.slack.enterprise ? { enterprise_id: this.slack.enterprise.id, enterprise_name: this.slack.enterprise.name } : {}),
      is_enterprise_install: String(this.slack.enterpriseInstall),
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    const answer = await this.delivery.command(payload);
    const ackMessage =
      answer.status === 200
        ? this.slack.recordCommandAck({ channel: channelId, user: options.user, body: answer.body, json: answer.json })
        : undefined;
    return { ...answer, responseUrl, triggerId, payload, ...(ackMessage ? { ackMessage } : {}) };
  }

  /** A user clicking a button, choosing an option or entering text in an interactive element. */
  async blockAction(input: BlockActionInput): Promise<InteractionResponse> {
    const triggerId = this.slack.issueTriggerId(input.user);
    const payload: Json = {
      type: 'block_actions',
      user: this.fields.userObject(input.user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
    };
    let blocks: unknown[] = [];
    let responseUrl: string | undefined;
    const surface: Json = {};
    if (input.viewId) {
      const view = this.fields.openView(input.viewId, input.user);
      blocks = blocksOf(view);
      const state = buildState(blocks, input.stateValues ?? {}, false);
      if (state.problems.length > 0) throw new Error(state.problems.join('; '));
      payload['container'] = { type: 'view', view_id: input.viewId };
      surface['view'] = { ...view, state: { values: state.values } };
    } else if (input.messageTs) {
      if (!input.channel) throw new Error('blockAction with messageTs needs the channel of the message');
      const channelId = this.fields.conversationId(input.channel);
      const stored = this.slack.message(channelId, input.messageTs);
      if (!stored || stored.deleted) throw new Error(`no message ${input.messageTs} in ${channelId}`);
      if (stored.ephemeralTo !== undefined && stored.ephemeralTo !== input.user) {
        throw new Error(`message ${input.messageTs} is ephemeral to ${stored.ephemeralTo}, not ${input.user}`);
      }
      const message = this.slack.slackMessageObject(channelId, input.messageTs) ?? {};
      blocks = blocksOf(message);
      const ephemeral = stored.ephemeralTo !== undefined;
      payload['container'] = { type: 'message', message_ts: stored.ts, channel_id: channelId, is_ephemeral: ephemeral };
      surface['channel'] = { id: channelId, name: this.fields.channelName(channelId) };
      // Slack leaves the message out of payloads for ephemeral messages.
      if (!ephemeral) surface['message'] = message;
      surface['state'] = { values: buildState(blocks, input.stateValues ?? {}, false).values };
      responseUrl = this.slack.createResponseUrl({ channel: channelId, user: input.user, messageTs: stored.ts });
      surface['response_url'] = responseUrl;
    } else if (input.channel) {
      const channelId = this.fields.conversationId(input.channel);
      payload['container'] = { type: 'message', channel_id: channelId, is_ephemeral: false };
      surface['channel'] = { id: channelId, name: this.fields.channelName(channelId) };
      responseUrl = this.slack.createResponseUrl({ channel: channelId, user: input.user });
      surface['response_url'] = responseUrl;
    } else {
      payload['container'] = {};
    }
    const found = findElement(blocks, input.actionId, input.blockId);
    if (!found && (input.viewId || input.messageTs)) {
      throw new Error(`no element with action_id "${input.actionId}" in ${input.viewId ?? `message ${input.messageTs}`}`);
    }
    Object.assign(payload, {
      trigger_id: triggerId,
      ...this.fields.workspaceFields(),
      ...surface,
      actions: [{ ...actionPayload(input, found), action_ts: this.fields.actionTs() }],
    });
    const answer = await this.delivery.interaction(payload);
    return { ...answer, payload, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /**
   * A user choosing one of the app's shortcuts on a message (its "More actions" menu): Slack sends a
   * message_action with the whole message (its text and files), a trigger_id and a response_url.
   */
  async messageShortcut(input: { user: string; channel: string; messageTs: string; callbackId: string }): Promise<InteractionResponse> {
    const channelId = this.fields.conversationId(input.channel);
    const message = this.slack.slackMessageObject(channelId, input.messageTs);
    if (!message) throw new Error(`no message ${input.messageTs} in ${channelId}`);
    const triggerId = this.slack.issueTriggerId(input.user);
    const responseUrl = this.slack.createResponseUrl({ channel: channelId, user: input.user });
    const payload: Json = {
      type: 'message_action',
      token: this.verificationToken,
      action_ts: this.fields.actionTs(),
      ...this.fields.workspaceFields(),
      user: this.fields.userObject(input.user),
      channel: { id: channelId, name: this.fields.channelName(channelId) },
      callback_id: input.callbackId,
      trigger_id: triggerId,
      message_ts: input.messageTs,
      message,
      response_url: responseUrl,
      api_app_id: this.apiAppId,
    };
    const answer = await this.delivery.interaction(payload);
    return { ...answer, payload, triggerId, responseUrl };
  }

  /** A user choosing one of the app's global shortcuts (the shortcuts menu): no channel, no message, no response_url. */
  async globalShortcut(input: { user: string; callbackId: string }): Promise<InteractionResponse> {
    const triggerId = this.slack.issueTriggerId(input.user);
    const payload: Json = {
      type: 'shortcut',
      token: this.verificationToken,
      action_ts: this.fields.actionTs(),
      ...this.fields.workspaceFields(),
      user: { id: input.user, username: this.slack.user(input.user)?.name ?? input.user, team_id: this.slack.user(input.user)?.teamId ?? this.teamId },
      callback_id: input.callbackId,
      trigger_id: triggerId,
      api_app_id: this.apiAppId,
    };
    const answer = await this.delivery.interaction(payload);
    return { ...answer, payload, triggerId };
  }

  /** A user pressing the submit button of an open modal. The app's answer is applied to the LocalSlack's views. */
  async viewSubmission(input: ViewSubmissionInput): Promise<ViewSubmissionResponse> {
    const view = this.fields.openView(input.viewId, input.user);
    const rootViewId = view['root_view_id'];
    const stack = this.slack.openModals(input.user).filter((v) => v.rootViewId === rootViewId);
    const top = stack[stack.length - 1];
    if (top && top.id !== input.viewId) {
      throw new Error(`view ${input.viewId} is under ${top.id}; only the top view of a stack can be submitted`);
    }
    const blocks = blocksOf(view);
    const state = buildState(blocks, input.values, input.clientChecks !== false);
    if (state.problems.length > 0) throw new Error(`Slack would not submit this view: ${state.problems.join('; ')}`);
    const triggerId = this.slack.issueTriggerId(input.user);
    const payload: Json = {
      type: 'view_submission',
      team: this.fields.teamObject(),
      user: this.fields.userObject(input.user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      trigger_id: triggerId,
      view: { ...view, state: { values: state.values } },
      response_urls: responseUrlsFor(blocks, state.values, (channel) => this.slack.createResponseUrl({ channel, user: input.user })),
      ...this.fields.enterpriseFields(),
    };
    const answer = await this.delivery.interaction(payload);
    const outcome = this.slack.applyViewSubmissionAnswer(input.viewId, answer);
    return { ...answer, payload, triggerId, outcome };
  }

  /**
   * A user closing a modal (its close button or the X). The view closes in the LocalSlack; like Slack,
   * the app is told only when the view asked for it with notify_on_close.
   */
  async viewClosed(input: { user: string; viewId: string; isCleared?: boolean }): Promise<ViewClosedResponse> {
    const view = this.fields.openView(input.viewId, input.user);
    const isCleared = input.isCleared ?? view['clear_on_close'] === true;
    this.slack.closeView(input.viewId, { clearStack: isCleared });
    if (view['notify_on_close'] !== true) {
      return { sent: false, reason: 'the view does not set notify_on_close, so Slack does not tell the app' };
    }
    const payload: Json = {
      type: 'view_closed',
      team: this.fields.teamObject(),
      user: this.fields.userObject(input.user),
      view,
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      is_cleared: isCleared,
      ...this.fields.enterpriseFields(),
    };
    const answer = await this.delivery.interaction(payload);
    return { sent: true, ...answer, payload };
  }

  /**
   * An Events API callback (`event_callback` envelope, JSON body). For app_home_opened the DM channel,
   * tab ('home') and the published Home view are filled in from the LocalSlack.
   */
  async event(
    input: EventInput,
    delivery: { retryNum?: number; retryReason?: string } = {},
  ): Promise<DriverResponse & { payload: Json }> {
    const event: Json = { ...input, event_ts: this.fields.actionTs() };
    if (input.type === 'app_home_opened' && input.user) {
      event['channel'] ??= this.slack.dmChannelFor(input.user);
      event['tab'] ??= 'home';
      const home = this.slack.homeView(input.user);
      if (event['tab'] === 'home' && home && event['view'] === undefined) {
        event['view'] = this.slack.slackViewObject(home.id);
      }
    }
    const payload: Json = {
      token: this.verificationToken,
      team_id: this.teamId,
      ...(this.slack.enterprise ? { enterprise_id: this.slack.enterprise.id } : {}),
      context_team_id: this.teamId,
      context_enterprise_id: this.slack.enterprise?.id ?? null,
      api_app_id: this.apiAppId,
      event,
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          enterprise_id: this.slack.enterprise?.id ?? null,
          team_id: this.slack.enterpriseInstall ? null : this.teamId,
          user_id: this.slack.botUserId,
          is_bot: true,
          is_enterprise_install: this.slack.enterpriseInstall,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(JSON.stringify({ type: input.type, team: this.teamId })).toString('base64url')}`,
    };
    const answer = await this.delivery.event(payload, delivery);
    return { ...answer, payload };
  }

  /**
   * Workflow Builder running the app's custom step: Slack starts a run and sends function_executed
   * with the step's inputs, the execution id and the run's token. No user and no workflow name come
   * with it. Resolves once the app has acked; the run ends when the app calls functions.complete*.
   */
  async functionExecuted(input: { callbackId: string; inputs: Record<string, unknown>; title?: string }): Promise<DriverResponse & { executionId: string }> {
    const run = this.slack.startFunction(input.callbackId, input.inputs);
    const answer = await this.event({
      type: 'function_executed',
      function: { id: `Fn${randomBytes(5).toString('hex').toUpperCase()}`, callback_id: input.callbackId, title: input.title ?? input.callbackId, type: 'app', app_id: this.apiAppId },
      inputs: input.inputs,
      function_execution_id: run.executionId,
      workflow_execution_id: `Wx${randomBytes(6).toString('hex').toUpperCase()}`,
      bot_access_token: run.token,
    });
    return { ...answer, executionId: run.executionId };
  }

  /** Slack's check of a new request URL: the app must echo the challenge. HTTP mode only. */
  async urlVerification(challenge = randomBytes(16).toString('hex')): Promise<DriverResponse & { challenge: string }> {
    const body = JSON.stringify({ token: this.verificationToken, challenge, type: 'url_verification' });
    return { ...(await this.httpOnly('urlVerification').postSigned(body, 'application/json')), challenge };
  }

  /** A user typing in an external_select: Slack asks the app for options (block_suggestion). */
  async optionsRequest(input: OptionsRequestInput): Promise<InteractionResponse> {
    const payload: Json = {
      type: 'block_suggestion',
      user: this.fields.userObject(input.user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      ...this.fields.workspaceFields(),
    };
    let blocks: unknown[] = [];
    if (input.viewId) {
      const view = this.fields.openView(input.viewId, input.user);
      blocks = blocksOf(view);
      payload['container'] = { type: 'view', view_id: input.viewId };
      payload['view'] = view;
    } else if (input.messageTs && input.channel) {
      const channelId = this.fields.conversationId(input.channel);
      const message = this.slack.slackMessageObject(channelId, input.messageTs);
      if (!message) throw new Error(`no message ${input.messageTs} in ${channelId}`);
      blocks = blocksOf(message);
      payload['container'] = { type: 'message', message_ts: input.messageTs, channel_id: channelId, is_ephemeral: false };
      payload['channel'] = { id: channelId, name: this.fields.channelName(channelId) };
      payload['message'] = message;
    }
    const found = findElement(blocks, input.actionId, input.blockId);
    if (!found && input.blockId === undefined) {
      throw new Error(`no element with action_id "${input.actionId}"; pass blockId to send the request anyway`);
    }
    Object.assign(payload, {
      action_id: input.actionId,
      block_id: input.blockId ?? found?.blockId,
      value: input.value,
      action_ts: this.fields.actionTs(),
    });
    const answer = await this.delivery.interaction(payload);
    return { ...answer, payload };
  }

  // ---- Internals ---------------------------------------------------------------------------

  private httpOnly(what: string): SignedRequests {
    if (!this.signed) throw new Error(`${what} is for HTTP mode: in Socket Mode nothing is signed or posted to the app`);
    return this.signed;
  }
}
