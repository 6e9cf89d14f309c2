// Plays Slack's side towards the app: slash commands, button clicks, modal submissions, Events API
// callbacks and options requests, shaped as Slack documents them and signed with the app's signing
// secret (v0 HMAC-SHA256 of `v0:{timestamp}:{body}`), so the app's real request verification runs.
// Trigger ids, response_urls, messages and views come from (and land in) a LocalSlack.

import { createHmac, randomBytes } from 'node:crypto';
import { asRecord } from '../http/loopbackHttp';
import type { LocalMessage, LocalSlack, SlackFile, ViewSubmissionOutcome } from './slackApi';

export interface SlackDriverOptions {
  slack: LocalSlack;
  /** The app's request URL, e.g. 'http://127.0.0.1:3000/slack/events'. */
  appUrl: string;
  signingSecret: string;
  /** Defaults to the LocalSlack's. */
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** The deprecated verification token Slack still sends in payloads. */
  verificationToken?: string;
}

export interface DriverResponse {
  status: number;
  body: string;
  /** The body parsed, when it is JSON. */
  json?: unknown;
  /** From sending the request to the end of the app's answer: what Slack holds to its 3-second limit. */
  ackMs: number;
}

export interface CommandResponse extends DriverResponse {
  responseUrl: string;
  triggerId: string;
  /** The form fields sent. */
  payload: Record<string, string>;
  /** The message Slack shows for a non-empty acknowledgement body. */
  ackMessage?: LocalMessage;
}

export interface InteractionResponse extends DriverResponse {
  /** The payload sent (the JSON inside `payload=`). */
  payload: Record<string, unknown>;
  triggerId?: string;
  responseUrl?: string;
}

export interface ViewSubmissionResponse extends InteractionResponse {
  /** What Slack did with the answer: closed the view, showed errors, updated, pushed, cleared. */
  outcome: ViewSubmissionOutcome;
}

export type ViewClosedResponse = ({ sent: true } & InteractionResponse) | { sent: false; reason: string };

/** An option by its value (its text is looked up in the element), or given whole for external selects. */
export type SelectedOptionInput = string | { text: string; value: string };

/**
 * What a user entered in one input, keyed by action_id (or 'blockId/actionId' when an action_id repeats):
 * a string for text inputs, pickers (user, conversation, date…) and single selects (the option's value);
 * string[] for checkboxes and multi-selects; `{ selected, text? }` for a select (text for external ones);
 * `{ files }` for file_input (files from LocalSlack.hostFile); null to leave it empty.
 */
export type ViewValueInput = string | string[] | { selected: string; text?: string } | { files: SlackFile[] } | null;

export interface BlockActionInput {
  user: string;
  /** The conversation of the message (required with messageTs). */
  channel?: string;
  actionId: string;
  blockId?: string;
  /** A button's value (defaults to the button's own), a text input's value, or a picker's selection. */
  value?: string;
  selectedOption?: SelectedOptionInput;
  selectedOptions?: SelectedOptionInput[];
  /** The message holding the element: payload.message, container and response_url come from it. */
  messageTs?: string;
  /** The modal or Home tab holding the element. */
  viewId?: string;
  /** What the user had entered in the view's inputs so far (payload.view.state). */
  stateValues?: Record<string, ViewValueInput>;
}

export interface ViewSubmissionInput {
  user: string;
  viewId: string;
  values: Record<string, ViewValueInput>;
  /**
   * Slack's client refuses to submit an empty required input or text outside min/max_length, so by
   * default these throw instead of being sent; false sends them anyway.
   */
  clientChecks?: boolean;
}

export interface EventInput {
  type: string;
  user?: string;
  [field: string]: unknown;
}

export interface OptionsRequestInput {
  user: string;
  actionId: string;
  blockId?: string;
  /** What the user has typed. */
  value: string;
  viewId?: string;
  channel?: string;
  messageTs?: string;
}

type Json = Record<string, unknown>;

interface FoundElement {
  blockId: string;
  block: Json;
  element: Json;
}

const FORM = 'application/x-www-form-urlencoded';
const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

const TEXT_INPUTS = new Set(['plain_text_input', 'number_input', 'email_text_input', 'url_text_input']);
const SINGLE_SELECTS = new Set(['static_select', 'external_select', 'radio_buttons', 'overflow']);
const MULTI_SELECTS = new Set(['multi_static_select', 'multi_external_select', 'checkboxes']);
const PICKERS: Record<string, string> = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};
const MULTI_PICKERS: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};
const STATEFUL = new Set([
  ...TEXT_INPUTS,
  ...SINGLE_SELECTS,
  ...MULTI_SELECTS,
  ...Object.keys(PICKERS),
  ...Object.keys(MULTI_PICKERS),
  'datetimepicker',
  'file_input',
  'rich_text_input',
]);
STATEFUL.delete('overflow');

function blocksOf(surface: Json | undefined): unknown[] {
  const blocks = surface?.['blocks'];
  return Array.isArray(blocks) ? blocks : [];
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function actionTs(): string {
  const micros = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

/** Every element of the blocks that a user can act on, with its block. */
function elementsOf(blocks: unknown[]): FoundElement[] {
  const found: FoundElement[] = [];
  for (const value of blocks) {
    const block = asRecord(value);
    if (!block) continue;
    const blockId = String(block['block_id'] ?? '');
    const candidates: unknown[] = [];
    if (Array.isArray(block['elements']) && block['type'] === 'actions') candidates.push(...block['elements']);
    if (block['type'] === 'input') candidates.push(block['element']);
    if (block['type'] === 'section') candidates.push(block['accessory']);
    for (const candidate of candidates) {
      const element = asRecord(candidate);
      if (element && typeof element['action_id'] === 'string') found.push({ blockId, block, element });
    }
  }
  return found;
}

function findElement(blocks: unknown[], actionId: string, blockId: string | undefined): FoundElement | undefined {
  return elementsOf(blocks).find(
    (f) => f.element['action_id'] === actionId && (blockId === undefined || f.blockId === blockId),
  );
}

function optionsOf(element: Json): Json[] {
  const all: Json[] = [];
  const take = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const option of list) {
      const record = asRecord(option);
      if (record) all.push(record);
    }
  };
  take(element['options']);
  if (Array.isArray(element['option_groups'])) {
    for (const group of element['option_groups']) take(asRecord(group)?.['options']);
  }
  return all;
}

/** The option as Slack echoes it back: its text object and value (and description when it has one). */
function resolveOption(element: Json, chosen: SelectedOptionInput | { selected: string; text?: string }): Json {
  const value = typeof chosen === 'string' ? chosen : 'selected' in chosen ? chosen.selected : chosen.value;
  const type = String(element['type']);
  if (type === 'external_select' || type === 'multi_external_select') {
    const text = typeof chosen === 'string' ? value : (chosen.text ?? value);
    return { text: { type: 'plain_text', text, emoji: true }, value };
  }
  const option = optionsOf(element).find((o) => o['value'] === value);
  if (!option) {
    throw new Error(`"${value}" is not one of the options of ${type} "${String(element['action_id'])}"`);
  }
  return {
    text: option['text'],
    value: option['value'],
    ...(option['description'] === undefined ? {} : { description: option['description'] }),
  };
}

function isEmptyValue(value: Json): boolean {
  for (const [key, field] of Object.entries(value)) {
    if (key === 'type') continue;
    if (field === null || field === undefined || field === '') continue;
    if (Array.isArray(field) && field.length === 0) continue;
    return false;
  }
  return true;
}

/** The state value Slack reports for one element: what the user entered, else the element's initial value. */
function stateValueOf(element: Json, input: ViewValueInput | undefined): Json {
  const type = String(element['type']);
  const given = input !== undefined;
  const asText = (value: ViewValueInput | undefined): string | null => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.join(',');
    if ('selected' in value) return value.selected;
    return null;
  };
  if (TEXT_INPUTS.has(type)) {
    return { type, value: given ? asText(input) : ((element['initial_value'] as string | undefined) ?? null) };
  }
  if (SINGLE_SELECTS.has(type)) {
    if (!given) return { type, selected_option: element['initial_option'] ?? null };
    if (input === null) return { type, selected_option: null };
    if (typeof input === 'string' || (typeof input === 'object' && 'selected' in input && !Array.isArray(input))) {
      return { type, selected_option: resolveOption(element, input) };
    }
    throw new Error(`${type} "${String(element['action_id'])}" takes one option value`);
  }
  if (MULTI_SELECTS.has(type)) {
    if (!given) return { type, selected_options: element['initial_options'] ?? [] };
    const values = input === null ? [] : Array.isArray(input) ? input : typeof input === 'string' ? [input] : undefined;
    if (!values) throw new Error(`${type} "${String(element['action_id'])}" takes a list of option values`);
    return { type, selected_options: values.map((v) => resolveOption(element, v)) };
  }
  const picker = PICKERS[type];
  if (picker) {
    const initialKey = picker.replace('selected_', 'initial_');
    return { type, [picker]: given ? asText(input) : (element[initialKey] ?? null) };
  }
  const multiPicker = MULTI_PICKERS[type];
  if (multiPicker) {
    const initialKey = multiPicker.replace('selected_', 'initial_');
    const values = input === null ? [] : Array.isArray(input) ? input : typeof input === 'string' ? [input] : [];
    return { type, [multiPicker]: given ? values : (element[initialKey] ?? []) };
  }
  if (type === 'datetimepicker') {
    const text = asText(input);
    return { type, selected_date_time: given ? (text === null ? null : Number(text)) : (element['initial_date_time'] ?? null) };
  }
  if (type === 'file_input') {
    const files = input && typeof input === 'object' && !Array.isArray(input) && 'files' in input ? input.files : [];
    return { type, files };
  }
  if (type === 'rich_text_input') {
    const text = asText(input);
    return {
      type,
      rich_text_value:
        text === null
          ? (element['initial_value'] ?? null)
          : { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] },
    };
  }
  return { type };
}

interface BuiltState {
  values: Record<string, Record<string, Json>>;
  problems: string[];
}

/** view.state.values for the blocks, from what the user entered (`inputs`) and the elements' initial values. */
function buildState(blocks: unknown[], inputs: Record<string, ViewValueInput>, checkClient: boolean): BuiltState {
  const values: Record<string, Record<string, Json>> = {};
  const problems: string[] = [];
  const used = new Set<string>();
  for (const { blockId, block, element } of elementsOf(blocks)) {
    const type = String(element['type']);
    if (!STATEFUL.has(type)) continue;
    const actionId = String(element['action_id']);
    const qualified = `${blockId}/${actionId}`;
    const key = qualified in inputs ? qualified : actionId in inputs ? actionId : undefined;
    if (key !== undefined) used.add(key);
    const value = stateValueOf(element, key === undefined ? undefined : inputs[key]);
    values[blockId] = { ...values[blockId], [actionId]: value };
    if (!checkClient || block['type'] !== 'input') continue;
    if (block['optional'] !== true && isEmptyValue(value)) {
      problems.push(`the required input "${actionId}" (block "${blockId}") is empty`);
    }
    const text = value['value'];
    if (type === 'plain_text_input' && typeof text === 'string') {
      const length = [...text].length;
      const min = element['min_length'];
      const max = element['max_length'];
      if (typeof min === 'number' && length < min) problems.push(`"${actionId}" needs at least ${min} characters`);
      if (typeof max === 'number' && length > max) problems.push(`"${actionId}" allows at most ${max} characters`);
    }
    const files = value['files'];
    if (type === 'file_input' && Array.isArray(files)) {
      const maxFiles = typeof element['max_files'] === 'number' ? element['max_files'] : 10;
      if (files.length > maxFiles) problems.push(`"${actionId}" takes at most ${maxFiles} files`);
      const filetypes = element['filetypes'];
      if (Array.isArray(filetypes)) {
        // filetypes lists file extensions (Slack's filetype for .txt is "text", so it cannot be compared).
        for (const file of files as SlackFile[]) {
          const extension = file.name.includes('.') ? (file.name.split('.').pop() ?? '').toLowerCase() : '';
          if (!filetypes.includes(extension)) problems.push(`"${actionId}" does not take .${extension} files`);
        }
      }
    }
  }
  for (const key of Object.keys(inputs)) {
    if (!used.has(key)) problems.push(`no input with action_id "${key}" in the view`);
  }
  return { values, problems };
}

export class SlackDriver {
  readonly slack: LocalSlack;
  readonly appUrl: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly apiAppId: string;
  readonly verificationToken: string;
  private readonly signingSecret: string;

  constructor(options: SlackDriverOptions) {
    this.slack = options.slack;
    this.appUrl = options.appUrl;
    this.signingSecret = options.signingSecret;
    this.teamId = options.teamId ?? options.slack.teamId;
    this.teamDomain = options.teamDomain ?? options.slack.teamDomain;
    this.apiAppId = options.apiAppId ?? options.slack.appId;
    this.verificationToken = options.verificationToken ?? 'local-verification-token';
  }

  /** Slack's request signature headers for `body`; `timestamp` (seconds) defaults to now. */
  sign(body: string, timestamp: number = nowSeconds()): Record<string, string> {
    const signature = createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
    return { 'X-Slack-Signature': `v0=${signature}`, 'X-Slack-Request-Timestamp': String(timestamp) };
  }

  /** Posts `body` to the app exactly as given: for signature and malformed-request tests. */
  async raw(body: string, headers: Record<string, string>): Promise<DriverResponse> {
    return this.post(body, headers);
  }

  /** A user typing `/command text` in `channel` (a user id means their DM with the app). */
  async command(
    command: string,
    text: string,
    options: { user: string; channel?: string; channelName?: string },
  ): Promise<CommandResponse> {
    const channelId = this.conversationId(options.channel ?? options.user);
    const responseUrl = this.slack.createResponseUrl({ channel: channelId, user: options.user });
    const triggerId = this.slack.issueTriggerId(options.user);
    const payload: Record<string, string> = {
      token: this.verificationToken,
      team_id: this.teamId,
      team_domain: this.teamDomain,
      channel_id: channelId,
      channel_name: options.channelName ?? this.channelName(channelId),
      user_id: options.user,
      user_name: this.slack.user(options.user)?.name ?? options.user,
      command,
      text,
      api_app_id: this.apiAppId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    const answer = await this.postSigned(new URLSearchParams(payload).toString(), FORM);
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
      user: this.userObject(input.user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
    };
    let blocks: unknown[] = [];
    let responseUrl: string | undefined;
    const surface: Json = {};
    if (input.viewId) {
      const view = this.openView(input.viewId, input.user);
      blocks = blocksOf(view);
      const state = buildState(blocks, input.stateValues ?? {}, false);
      if (state.problems.length > 0) throw new Error(state.problems.join('; '));
      payload['container'] = { type: 'view', view_id: input.viewId };
      surface['view'] = { ...view, state: { values: state.values } };
    } else if (input.messageTs) {
      if (!input.channel) throw new Error('blockAction with messageTs needs the channel of the message');
      const channelId = this.conversationId(input.channel);
      const stored = this.slack.message(channelId, input.messageTs);
      if (!stored || stored.deleted) throw new Error(`no message ${input.messageTs} in ${channelId}`);
      if (stored.ephemeralTo !== undefined && stored.ephemeralTo !== input.user) {
        throw new Error(`message ${input.messageTs} is ephemeral to ${stored.ephemeralTo}, not ${input.user}`);
      }
      const message = this.slack.slackMessageObject(channelId, input.messageTs) ?? {};
      blocks = blocksOf(message);
      const ephemeral = stored.ephemeralTo !== undefined;
      payload['container'] = { type: 'message', message_ts: stored.ts, channel_id: channelId, is_ephemeral: ephemeral };
      surface['channel'] = { id: channelId, name: this.channelName(channelId) };
      // Slack leaves the message out of payloads for ephemeral messages.
      if (!ephemeral) surface['message'] = message;
      surface['state'] = { values: buildState(blocks, input.stateValues ?? {}, false).values };
      responseUrl = this.slack.createResponseUrl({ channel: channelId, user: input.user, messageTs: stored.ts });
      surface['response_url'] = responseUrl;
    } else if (input.channel) {
      const channelId = this.conversationId(input.channel);
      payload['container'] = { type: 'message', channel_id: channelId, is_ephemeral: false };
      surface['channel'] = { id: channelId, name: this.channelName(channelId) };
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
      team: { id: this.teamId, domain: this.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      ...surface,
      actions: [this.actionObject(input, found)],
    });
    const answer = await this.postInteraction(payload);
    return { ...answer, payload, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /** A user pressing the submit button of an open modal. The app's answer is applied to the LocalSlack's views. */
  async viewSubmission(input: ViewSubmissionInput): Promise<ViewSubmissionResponse> {
    const view = this.openView(input.viewId, input.user);
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
      team: { id: this.teamId, domain: this.teamDomain },
      user: this.userObject(input.user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      trigger_id: triggerId,
      view: { ...view, state: { values: state.values } },
      response_urls: this.responseUrlsFor(blocks, state.values, input.user),
      is_enterprise_install: false,
      enterprise: null,
    };
    const answer = await this.postInteraction(payload);
    const outcome = this.slack.applyViewSubmissionAnswer(input.viewId, answer);
    return { ...answer, payload, triggerId, outcome };
  }

  /**
   * A user closing a modal (its close button or the X). The view closes in the LocalSlack; like Slack,
   * the app is told only when the view asked for it with notify_on_close.
   */
  async viewClosed(input: { user: string; viewId: string; isCleared?: boolean }): Promise<ViewClosedResponse> {
    const view = this.openView(input.viewId, input.user);
    const isCleared = input.isCleared ?? view['clear_on_close'] === true;
    this.slack.closeView(input.viewId, { clearStack: isCleared });
    if (view['notify_on_close'] !== true) {
      return { sent: false, reason: 'the view does not set notify_on_close, so Slack does not tell the app' };
    }
    const payload: Json = {
      type: 'view_closed',
      team: { id: this.teamId, domain: this.teamDomain },
      user: this.userObject(input.user),
      view,
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      is_cleared: isCleared,
      is_enterprise_install: false,
      enterprise: null,
    };
    const answer = await this.postInteraction(payload);
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
    const event: Json = { ...input, event_ts: actionTs() };
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
      context_team_id: this.teamId,
      context_enterprise_id: null,
      api_app_id: this.apiAppId,
      event,
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: nowSeconds(),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.teamId,
          user_id: this.slack.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(JSON.stringify({ type: input.type, team: this.teamId })).toString('base64url')}`,
    };
    const retryHeaders: Record<string, string> = {};
    if (delivery.retryNum !== undefined) retryHeaders['X-Slack-Retry-Num'] = String(delivery.retryNum);
    if (delivery.retryReason !== undefined) retryHeaders['X-Slack-Retry-Reason'] = delivery.retryReason;
    const answer = await this.postSigned(JSON.stringify(payload), 'application/json', retryHeaders);
    return { ...answer, payload };
  }

  /** Slack's check of a new request URL: the app must echo the challenge. */
  async urlVerification(challenge = randomBytes(16).toString('hex')): Promise<DriverResponse & { challenge: string }> {
    const body = JSON.stringify({ token: this.verificationToken, challenge, type: 'url_verification' });
    return { ...(await this.postSigned(body, 'application/json')), challenge };
  }

  /** A user typing in an external_select: Slack asks the app for options (block_suggestion). */
  async optionsRequest(input: OptionsRequestInput): Promise<InteractionResponse> {
    const payload: Json = {
      type: 'block_suggestion',
      user: this.userObject(input.user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      team: { id: this.teamId, domain: this.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
    };
    let blocks: unknown[] = [];
    if (input.viewId) {
      const view = this.openView(input.viewId, input.user);
      blocks = blocksOf(view);
      payload['container'] = { type: 'view', view_id: input.viewId };
      payload['view'] = view;
    } else if (input.messageTs && input.channel) {
      const channelId = this.conversationId(input.channel);
      const message = this.slack.slackMessageObject(channelId, input.messageTs);
      if (!message) throw new Error(`no message ${input.messageTs} in ${channelId}`);
      blocks = blocksOf(message);
      payload['container'] = { type: 'message', message_ts: input.messageTs, channel_id: channelId, is_ephemeral: false };
      payload['channel'] = { id: channelId, name: this.channelName(channelId) };
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
      action_ts: actionTs(),
    });
    const answer = await this.postInteraction(payload);
    return { ...answer, payload };
  }

  // ---- Internals ---------------------------------------------------------------------------

  private async postInteraction(payload: Json): Promise<DriverResponse> {
    return this.postSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  }

  private async postSigned(body: string, contentType: string, extra: Record<string, string> = {}): Promise<DriverResponse> {
    return this.post(body, { 'Content-Type': contentType, 'User-Agent': SLACK_USER_AGENT, ...this.sign(body), ...extra });
  }

  private async post(body: string, headers: Record<string, string>): Promise<DriverResponse> {
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

  private userObject(user: string): Json {
    const known = this.slack.user(user);
    return { id: user, username: known?.name ?? user, name: known?.name ?? user, team_id: known?.teamId ?? this.teamId };
  }

  private conversationId(ref: string): string {
    return this.slack.channel(ref)?.id ?? ref;
  }

  private channelName(channelId: string): string {
    const channel = this.slack.channel(channelId);
    if (!channel) return channelId;
    return channel.isIm ? 'directmessage' : channel.name;
  }

  /** The view as Slack puts it in payloads; throws when the user could not be looking at it. */
  private openView(viewId: string, user: string): Json {
    const stored = this.slack.view(viewId);
    if (!stored) throw new Error(`no view ${viewId}`);
    if (stored.closed) throw new Error(`view ${viewId} is closed`);
    if (stored.user !== user) throw new Error(`view ${viewId} is shown to ${stored.user}, not ${user}`);
    return this.slack.slackViewObject(viewId) ?? {};
  }

  private actionObject(input: BlockActionInput, found: FoundElement | undefined): Json {
    const element = found?.element ?? { type: 'button', action_id: input.actionId };
    const type = String(element['type']);
    const action: Json = { type, action_id: input.actionId, block_id: input.blockId ?? found?.blockId ?? '' };
    if (type === 'button') {
      if (element['text'] !== undefined) action['text'] = element['text'];
      const value = input.value ?? element['value'];
      if (value !== undefined) action['value'] = value;
      if (element['style'] !== undefined) action['style'] = element['style'];
    } else if (SINGLE_SELECTS.has(type)) {
      const chosen = input.selectedOption ?? input.value;
      action['selected_option'] = chosen === undefined ? null : resolveOption(element, chosen);
    } else if (MULTI_SELECTS.has(type)) {
      action['selected_options'] = (input.selectedOptions ?? []).map((o) => resolveOption(element, o));
    } else if (PICKERS[type]) {
      action[PICKERS[type]] = input.value ?? null;
    } else if (MULTI_PICKERS[type]) {
      action[MULTI_PICKERS[type]] = input.value === undefined ? [] : [input.value];
    } else if (TEXT_INPUTS.has(type)) {
      action['value'] = input.value ?? '';
    } else if (input.value !== undefined) {
      action['value'] = input.value;
    }
    if (element['placeholder'] !== undefined && type !== 'button') action['placeholder'] = element['placeholder'];
    action['action_ts'] = actionTs();
    return action;
  }

  /** response_urls for conversation pickers with response_url_enabled, as Slack adds them to view_submission. */
  private responseUrlsFor(blocks: unknown[], values: BuiltState['values'], user: string): Json[] {
    const urls: Json[] = [];
    for (const { blockId, element } of elementsOf(blocks)) {
      if (element['response_url_enabled'] !== true) continue;
      const actionId = String(element['action_id']);
      const state = values[blockId]?.[actionId];
      const channel = state?.['selected_conversation'] ?? state?.['selected_channel'];
      if (typeof channel !== 'string') continue;
      urls.push({
        block_id: blockId,
        action_id: actionId,
        channel_id: channel,
        response_url: this.slack.createResponseUrl({ channel, user }),
      });
    }
    return urls;
  }
}
