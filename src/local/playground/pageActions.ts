// What the playground page does, as the person it is viewed as: type a slash command or a message,
// click, submit or close a modal, type in an external select, open the Home tab, pick a file, use a
// shortcut (on a message or from the shortcuts menu), run the Workflow Builder step. Each request is
// checked field by field (the page is loopback-only, but its input is still not trusted) and turned
// into the SlackDriver request Slack's client would cause.

import type { IncomingMessage } from 'node:http';
import { asRecord, HttpError, readBody } from '../http/loopbackHttp';
import type { LocalSlack, SelectedOptionInput, SlackDriver, SlackFile, ViewValueInput } from '../slack';
import { conversationsOf } from './pageSnapshot';

/** The one command installed in the local workspace. */
const COMMAND = '/pgroup';
/** The app's shortcuts, as manifest.yml declares them. */
const SHORTCUTS = [
  { callbackId: 'add_to_group', type: 'message' },
  { callbackId: 'participant_groups', type: 'global' },
] as const;
/** The app's Workflow Builder step. */
const WORKFLOW_STEP = 'add_participants_to_group';
/** Larger than the app's own 10 MB limit, so a too-large file reaches the app and gets its refusal. */
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

type Json = Record<string, unknown>;

function text(body: Json, field: string, options: { required?: boolean; max?: number; pattern?: RegExp } = {}): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    if (options.required) throw new HttpError(400, `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new HttpError(400, `${field} must be a string`);
  if (value.length > (options.max ?? 200)) throw new HttpError(400, `${field} is too long`);
  if (options.pattern && !options.pattern.test(value)) throw new HttpError(400, `${field} is malformed`);
  return value;
}

const VIEW_ID = /^V[A-Z0-9]{4,20}$/;
const MESSAGE_TS = /^\d{9,11}\.\d{6}$/;
const ELEMENT_ID = /^[\w:./-]{1,255}$/;

/** Slack's client escapes &, < and > in what a person types after a slash command. */
function escapeCommandText(raw: string): string {
  return raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class PageActions {
  /** Files people chose in a file_input, by id: a submission names them, the server hands over Slack's objects. */
  private readonly hostedFiles = new Map<string, SlackFile>();

  constructor(
    private readonly slack: LocalSlack,
    private readonly driver: SlackDriver,
  ) {}

  person(value: unknown): string {
    if (typeof value !== 'string') throw new HttpError(400, 'user is required');
    const known = this.slack.user(value);
    if (!known || known.isBot || known.deleted) throw new HttpError(400, `unknown user ${value.slice(0, 40)}`);
    return known.id;
  }

  /** A conversation the person can see: any channel, or their own DM with the app. */
  private conversation(user: string, value: unknown): string {
    if (typeof value !== 'string') throw new HttpError(400, 'channel is required');
    if (!conversationsOf(this.slack, user).some((c) => c.id === value)) throw new HttpError(400, `unknown channel ${value.slice(0, 40)}`);
    return value;
  }

  async command(user: string, body: Json): Promise<Json> {
    const channel = this.conversation(user, body['channel']);
    const typed = (text(body, 'text', { required: true, max: 4000 }) ?? '').trim();
    const match = /^(\/\S+)(?:\s+([\s\S]*))?$/.exec(typed);
    if (!match) {
      return { ok: false, note: `Only slash commands reach the app here. Try ${COMMAND} help.` };
    }
    if (match[1]!.toLowerCase() !== COMMAND) {
      return { ok: false, note: `${match[1]} is not a command in this workspace. The app's command is ${COMMAND}.` };
    }
    const answer = await this.driver.command(COMMAND, escapeCommandText(match[2] ?? ''), { user, channel });
    return answer.status === 200 ? { ok: true } : { ok: false, note: `The app answered HTTP ${answer.status}.` };
  }

  async click(user: string, body: Json): Promise<Json> {
    const viewId = text(body, 'viewId', { pattern: VIEW_ID });
    const messageTs = text(body, 'messageTs', { pattern: MESSAGE_TS });
    const channel = body['channel'] === undefined ? undefined : this.conversation(user, body['channel']);
    if (!viewId && !(messageTs && channel)) throw new HttpError(400, 'a click needs a viewId, or a channel and messageTs');
    const selectedOption = this.selectedOption(body['selectedOption']);
    const stateValues = body['stateValues'] === undefined ? undefined : this.viewValues(user, body['stateValues']);
    const value = text(body, 'value', { max: 2000 });
    const blockId = text(body, 'blockId', { max: 255 });
    const answer = await this.driver.blockAction({
      user,
      actionId: text(body, 'actionId', { required: true, pattern: ELEMENT_ID })!,
      ...(viewId ? { viewId } : { channel: channel!, messageTs: messageTs! }),
      ...(blockId !== undefined ? { blockId } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(selectedOption !== undefined ? { selectedOption } : {}),
      ...(stateValues !== undefined ? { stateValues } : {}),
    });
    return answer.status === 200 ? { ok: true } : { ok: false, note: `The app answered HTTP ${answer.status}.` };
  }

  async submit(user: string, body: Json): Promise<Json> {
    const viewId = text(body, 'viewId', { required: true, pattern: VIEW_ID })!;
    const values = this.viewValues(user, body['values']);
    const answer = await this.driver.viewSubmission({ user, viewId, values });
    return { ok: answer.status === 200, outcome: answer.outcome };
  }

  async closeView(user: string, body: Json): Promise<Json> {
    const viewId = text(body, 'viewId', { required: true, pattern: VIEW_ID })!;
    const answer = await this.driver.viewClosed({ user, viewId });
    return { ok: !answer.sent || answer.status === 200 };
  }

  /** An external_select asking the app for options as the person types. */
  async requestOptions(user: string, body: Json): Promise<Json> {
    const viewId = text(body, 'viewId', { required: true, pattern: VIEW_ID })!;
    const blockId = text(body, 'blockId', { max: 255 });
    const answer = await this.driver.optionsRequest({
      user,
      viewId,
      actionId: text(body, 'actionId', { required: true, pattern: ELEMENT_ID })!,
      ...(blockId !== undefined ? { blockId } : {}),
      value: text(body, 'value', { max: 200 }) ?? '',
    });
    const json = asRecord(answer.json) ?? {};
    return { ok: answer.status === 200, options: json['options'] ?? [], option_groups: json['option_groups'] ?? [] };
  }

  /** Opening the app's Home tab: Slack sends app_home_opened and the app publishes the view. */
  async openHome(user: string): Promise<Json> {
    const answer = await this.driver.event({ type: 'app_home_opened', user });
    return { ok: answer.status === 200 };
  }

  /** A file chosen from disk for a file_input: hosted as Slack hosts a shared file, its object returned. */
  async upload(req: IncomingMessage, url: URL): Promise<Json> {
    const user = this.person(url.searchParams.get('user'));
    // A custom header, so another site's form cannot post here without a preflight this server never grants.
    const rawName = req.headers['x-filename'];
    if (typeof rawName !== 'string' || rawName === '') throw new HttpError(400, 'X-Filename is required');
    let name: string;
    try {
      name = decodeURIComponent(rawName).replace(/[\\/]/g, '_').slice(0, 255);
    } catch {
      throw new HttpError(400, 'X-Filename is malformed');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BYTES) throw new HttpError(413, `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
    const content = await readBody(req, MAX_UPLOAD_BYTES);
    const file = this.slack.hostFile({ name, content, user });
    this.hostedFiles.set(file.id, file);
    return { ok: true, file };
  }

  /** A person posting a message (not a command) in a conversation, with files they chose first. */
  async postMessage(user: string, body: Json): Promise<Json> {
    const channel = this.conversation(user, body['channel']);
    const typed = text(body, 'text', { max: 4000 }) ?? '';
    const fileIds = Array.isArray(body['files']) ? (body['files'] as unknown[]).slice(0, 10) : [];
    const files = fileIds.map((id) => {
      const hosted = typeof id === 'string' ? this.hostedFiles.get(id) : undefined;
      if (!hosted || hosted.user !== user) throw new HttpError(400, 'files: upload the file first');
      return hosted;
    });
    if (!typed.trim() && !files.length) throw new HttpError(400, 'a message needs text or a file');
    // Slack's client escapes &, < and > in what people type, as in a command.
    const posted = this.slack.postAsUser({ channel, user, text: escapeCommandText(typed), files });
    return { ok: true, ts: posted.ts };
  }

  /** One of the app's shortcuts: on a message (callback add_to_group) or from the shortcuts menu. */
  async shortcut(user: string, body: Json): Promise<Json> {
    const callbackId = text(body, 'callbackId', { required: true, pattern: ELEMENT_ID })!;
    const shortcut = SHORTCUTS.find((s) => s.callbackId === callbackId);
    if (!shortcut) throw new HttpError(400, `unknown shortcut ${callbackId.slice(0, 40)}`);
    const answer =
      shortcut.type === 'message'
        ? await this.driver.messageShortcut({
            user,
            channel: this.conversation(user, body['channel']),
            messageTs: text(body, 'messageTs', { required: true, pattern: MESSAGE_TS })!,
            callbackId,
          })
        : await this.driver.globalShortcut({ user, callbackId });
    return answer.status === 200 ? { ok: true } : { ok: false, note: `The app answered HTTP ${answer.status}.` };
  }

  /**
   * The Workflow panel: Workflow Builder running the app's step with these inputs. Resolves with how
   * the run ended (the outputs, or the error its run log would show).
   */
  async runWorkflowStep(_user: string, body: Json): Promise<Json> {
    const inputs = {
      group: text(body, 'group', { max: 200 }) ?? '',
      participant_ids: text(body, 'participantIds', { max: 40_000 }) ?? '',
      on_behalf_of: body['onBehalfOf'] === undefined || body['onBehalfOf'] === '' ? '' : this.person(body['onBehalfOf']),
    };
    const run = await this.driver.functionExecuted({ callbackId: WORKFLOW_STEP, inputs, title: 'Add participants to a group' });
    if (run.status !== 200) return { ok: false, note: `The app answered HTTP ${run.status}.` };
    const deadline = Date.now() + 20_000;
    for (;;) {
      const outcome = this.slack.functionExecution(run.executionId)?.outcome;
      if (outcome) return { ok: true, executionId: run.executionId, outcome };
      if (Date.now() > deadline) return { ok: false, note: 'The step is still running.' };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private selectedOption(value: unknown): SelectedOptionInput | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.length <= 2000) return value;
    const record = asRecord(value);
    if (record && typeof record['value'] === 'string' && typeof record['text'] === 'string') {
      return { value: record['value'].slice(0, 2000), text: record['text'].slice(0, 200) };
    }
    throw new HttpError(400, 'selectedOption must be a value or {text, value}');
  }

  /** What the person entered in a view, checked input by input; files are named by id and must be theirs. */
  private viewValues(user: string, value: unknown): Record<string, ViewValueInput> {
    const record = asRecord(value);
    if (!record) throw new HttpError(400, 'values must be an object');
    const out: Record<string, ViewValueInput> = {};
    for (const [key, entry] of Object.entries(record)) {
      if (!ELEMENT_ID.test(key)) throw new HttpError(400, `values has a malformed key`);
      if (entry === null || typeof entry === 'string') {
        if (typeof entry === 'string' && entry.length > 10_000) throw new HttpError(400, `${key} is too long`);
        out[key] = entry;
      } else if (Array.isArray(entry) && entry.every((v) => typeof v === 'string' && v.length <= 2000) && entry.length <= 100) {
        out[key] = entry as string[];
      } else if (asRecord(entry) && typeof (entry as Json)['selected'] === 'string') {
        const chosen = entry as Json;
        out[key] = {
          selected: String(chosen['selected']).slice(0, 2000),
          ...(typeof chosen['text'] === 'string' ? { text: chosen['text'].slice(0, 200) } : {}),
        };
      } else if (asRecord(entry) && Array.isArray((entry as Json)['files'])) {
        const files = ((entry as Json)['files'] as unknown[]).slice(0, 10).map((f) => {
          const id = typeof f === 'string' ? f : asRecord(f)?.['id'];
          const hosted = typeof id === 'string' ? this.hostedFiles.get(id) : undefined;
          if (!hosted || hosted.user !== user) throw new HttpError(400, `${key}: upload the file first`);
          return hosted;
        });
        out[key] = { files };
      } else {
        throw new HttpError(400, `${key} has a value of an unknown shape`);
      }
    }
    return out;
  }
}
