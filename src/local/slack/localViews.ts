// Modals and Home tabs: views.open, views.push, views.update and views.publish with Slack's rules
// (single-use trigger_ids that expire, stacks of at most three, hashes, unique external_ids), and
// what Slack does with the app's answer to a view_submission or when a user closes a view.

import { randomBytes } from 'node:crypto';
import { asRecord } from '../http/loopbackHttp';
import type { BlockKitViolations } from './blockKitViolations';
import type { LocalConversations } from './localConversations';
import type { LocalSlackEvents } from './localSlackEvents';
import type { SlackIdentity } from './slackIdentity';
import { randomId, withSlackIds } from './slackIds';
import { type ApiAnswer, type ApiArgs, type ApiMethod, fail, stringArg } from './webApiArgs';

export type ViewType = 'modal' | 'home';

export interface LocalView {
  id: string;
  hash: string;
  type: ViewType;
  /** The user the view is shown to. */
  user: string;
  /** The view object as the app sent it (latest version). */
  view: Record<string, unknown>;
  stack: 'root' | 'pushed';
  rootViewId: string;
  previousViewId: string | null;
  externalId?: string;
  closed: boolean;
  updatedCount: number;
}

export interface ViewChange {
  change: 'opened' | 'pushed' | 'updated' | 'published' | 'closed';
  view: LocalView;
}

/** What Slack did with the app's answer to a view_submission. */
export type ViewSubmissionOutcome =
  | { outcome: 'closed' | 'cleared' | 'updated' | 'pushed'; viewId: string }
  | { outcome: 'errors'; errors: Record<string, string> }
  | { outcome: 'kept_open'; reason: string }
  | { outcome: 'rejected'; violations: string[] };

interface TriggerRecord {
  user: string;
  expiresAt: number;
  used: boolean;
}

/** "A view stack can hold up to 3 views": the root and two pushed above it → push_limit_reached. */
const VIEW_STACK_MAX_PUSHED = 2;

export class LocalViews {
  readonly methods: Readonly<Record<string, ApiMethod>> = {
    'views.open': (args) => this.open(args),
    'views.push': (args) => this.push(args),
    'views.update': (args) => this.update(args),
    'views.publish': (args) => this.publish(args),
  };

  private list: LocalView[] = [];
  private readonly triggers = new Map<string, TriggerRecord>();
  private triggerCount = 0;

  constructor(
    private readonly identity: SlackIdentity,
    private readonly conversations: LocalConversations,
    private readonly blockKit: BlockKitViolations,
    private readonly events: LocalSlackEvents,
    /** How long a trigger_id stays usable. */
    private readonly triggerTtlMs: number,
  ) {}

  reset(): void {
    this.list = [];
    this.triggers.clear();
  }

  views(): LocalView[] {
    return this.list.map((v) => structuredClone(v));
  }

  view(viewId: string): LocalView | undefined {
    const found = this.list.find((v) => v.id === viewId);
    return found && structuredClone(found);
  }

  /** The user's open modals, the top of the stack last. */
  openModals(user: string): LocalView[] {
    return this.list.filter((v) => v.type === 'modal' && v.user === user && !v.closed).map((v) => structuredClone(v));
  }

  homeView(user: string): LocalView | undefined {
    const found = this.list.find((v) => v.type === 'home' && v.user === user);
    return found && structuredClone(found);
  }

  /** A view as Slack returns it and puts it in payloads (`state.values` empty), or undefined. */
  viewPayload(viewId: string): Record<string, unknown> | undefined {
    const found = this.list.find((v) => v.id === viewId);
    return found && this.viewObject(found);
  }

  /** A trigger_id for `user`: single use, usable for triggerTtlMs. */
  issueTriggerId(user: string): string {
    this.triggerCount += 1;
    const triggerId = `${this.triggerCount}.${Date.now()}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(triggerId, { user, expiresAt: Date.now() + this.triggerTtlMs, used: false });
    return triggerId;
  }

  /** Closes a view and any pushed above it; `clearStack` closes its whole stack (response_action clear, clear_on_close). */
  closeView(viewId: string, options: { clearStack?: boolean } = {}): void {
    const view = this.list.find((v) => v.id === viewId);
    if (!view) return;
    const stack = this.list.filter((v) => v.rootViewId === view.rootViewId && v.type === view.type);
    const from = options.clearStack ? 0 : stack.indexOf(view);
    for (const closing of stack.slice(from)) {
      if (closing.closed) continue;
      closing.closed = true;
      this.emit('closed', closing);
    }
  }

  /**
   * Applies the app's answer to a view_submission the way Slack does: an empty 200 closes the view;
   * response_action errors keeps it open; update replaces it; push stacks a new one; clear closes them all.
   */
  applyViewSubmissionAnswer(viewId: string, answer: { status: number; body: string; json?: unknown }): ViewSubmissionOutcome {
    const view = this.list.find((v) => v.id === viewId);
    if (!view) return { outcome: 'kept_open', reason: `no view ${viewId}` };
    if (answer.status !== 200) {
      return { outcome: 'kept_open', reason: `the app answered HTTP ${answer.status}; Slack shows a connection error` };
    }
    const json = asRecord(answer.json);
    const action = json?.['response_action'];
    if (answer.body.trim() === '' || json === undefined || action === undefined) {
      this.closeView(viewId);
      return { outcome: 'closed', viewId };
    }
    switch (action) {
      case 'errors': {
        const errors = asRecord(json['errors']) ?? {};
        const inputBlockIds = new Set(
          withSlackIds(Array.isArray(view.view['blocks']) ? view.view['blocks'] : [])
            .map(asRecord)
            .filter((b) => b?.['type'] === 'input')
            .map((b) => b?.['block_id']),
        );
        const unknown = Object.keys(errors).filter((blockId) => !inputBlockIds.has(blockId));
        if (unknown.length > 0) {
          const violations = unknown.map((id) => `errors.${id}: not the block_id of an input block in the view`);
          this.blockKit.record('view_submission_response', 'modal', violations);
          return { outcome: 'rejected', violations };
        }
        return { outcome: 'errors', errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)])) };
      }
      case 'update':
      case 'push': {
        const next = asRecord(json['view']);
        const violations = this.blockKit.check('view_submission_response', 'modal', { view: next });
        if (!next || violations.length > 0) return { outcome: 'rejected', violations };
        if (action === 'update') {
          this.replace(view, next);
          return { outcome: 'updated', viewId: view.id };
        }
        const pushedAlready = this.list.filter((v) => v.rootViewId === view.rootViewId && !v.closed && v.stack === 'pushed');
        if (pushedAlready.length >= VIEW_STACK_MAX_PUSHED) {
          return { outcome: 'rejected', violations: ['response_action push: the view stack already holds 3 views'] };
        }
        const pushed = this.create({ type: 'modal', user: view.user, view: next, stack: 'pushed', rootViewId: view.rootViewId, previousViewId: view.id });
        this.emit('pushed', pushed);
        return { outcome: 'pushed', viewId: pushed.id };
      }
      case 'clear':
        this.closeView(viewId, { clearStack: true });
        return { outcome: 'cleared', viewId };
      default:
        return { outcome: 'rejected', violations: [`response_action: unknown value ${JSON.stringify(action)}`] };
    }
  }

  private open(args: ApiArgs): ApiAnswer {
    const trigger = this.checkTrigger(args);
    if ('error' in trigger) return trigger.error;
    const view = this.checkView('views.open', args, 'modal');
    if ('error' in view) return view.error;
    trigger.record.used = true;
    const opened = this.create({ type: 'modal', user: trigger.record.user, view: view.view, stack: 'root', previousViewId: null });
    this.emit('opened', opened);
    return { ok: true, view: this.viewObject(opened) };
  }

  private push(args: ApiArgs): ApiAnswer {
    const trigger = this.checkTrigger(args);
    if ('error' in trigger) return trigger.error;
    const view = this.checkView('views.push', args, 'modal');
    if ('error' in view) return view.error;
    const open = this.list.filter((v) => v.type === 'modal' && v.user === trigger.record.user && !v.closed);
    const top = open[open.length - 1];
    if (!top) return fail('not_found');
    if (open.filter((v) => v.rootViewId === top.rootViewId && v.stack === 'pushed').length >= VIEW_STACK_MAX_PUSHED) {
      return fail('push_limit_reached');
    }
    trigger.record.used = true;
    const pushed = this.create({ type: 'modal', user: top.user, view: view.view, stack: 'pushed', rootViewId: top.rootViewId, previousViewId: top.id });
    this.emit('pushed', pushed);
    return { ok: true, view: this.viewObject(pushed) };
  }

  private update(args: ApiArgs): ApiAnswer {
    const viewId = stringArg(args, 'view_id');
    const externalId = stringArg(args, 'external_id');
    if (!viewId && !externalId) {
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view_id or external_id is required'] } });
    }
    const existing = this.list.find((v) => (viewId ? v.id === viewId : v.externalId !== undefined && v.externalId === externalId));
    if (!existing || existing.closed) return fail('not_found');
    const hash = stringArg(args, 'hash');
    if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
    const view = this.checkView('views.update', args, existing.type, existing.id);
    if ('error' in view) return view.error;
    this.replace(existing, view.view);
    return { ok: true, view: this.viewObject(existing) };
  }

  private publish(args: ApiArgs): ApiAnswer {
    const user = stringArg(args, 'user_id');
    if (!user || !this.conversations.hasUser(user)) return fail('user_not_found');
    const existing = this.list.find((v) => v.type === 'home' && v.user === user);
    const view = this.checkView('views.publish', args, 'home', existing?.id);
    if ('error' in view) return view.error;
    const hash = stringArg(args, 'hash');
    if (existing) {
      if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
      existing.view = view.view;
      existing.hash = newHash();
      existing.updatedCount += 1;
      this.emit('published', existing);
      return { ok: true, view: this.viewObject(existing) };
    }
    const published = this.create({ type: 'home', user, view: view.view, stack: 'root', previousViewId: null });
    this.emit('published', published);
    return { ok: true, view: this.viewObject(published) };
  }

  private checkTrigger(args: ApiArgs): { record: TriggerRecord } | { error: ApiAnswer } {
    const triggerId = stringArg(args, 'trigger_id');
    if (!triggerId) return { error: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing trigger_id'] } }) };
    const record = this.triggers.get(triggerId);
    // Unknown ids get invalid_trigger_id; expired and already-exchanged ones get expired_trigger_id.
    if (!record) return { error: fail('invalid_trigger_id') };
    if (record.used || Date.now() > record.expiresAt) return { error: fail('expired_trigger_id') };
    return { record };
  }

  private checkView(method: string, args: ApiArgs, kind: ViewType, exceptViewId?: string): { view: Record<string, unknown> } | { error: ApiAnswer } {
    const view = asRecord(args['view']);
    if (!view) {
      return { error: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view must be a JSON object'] } }) };
    }
    const violations = this.blockKit.check(method, kind, { view });
    if (violations.length > 0) {
      return { error: fail('invalid_arguments', { response_metadata: { messages: violations.map((v) => `[ERROR] ${v}`) } }) };
    }
    // "It must be unique for all views on a team."
    const externalId = typeof view['external_id'] === 'string' ? view['external_id'] : undefined;
    if (externalId && this.list.some((v) => v.externalId === externalId && v.id !== exceptViewId && !v.closed)) {
      return { error: fail('duplicate_external_id') };
    }
    return { view };
  }

  private create(fields: {
    type: ViewType;
    user: string;
    view: Record<string, unknown>;
    stack: 'root' | 'pushed';
    rootViewId?: string;
    previousViewId: string | null;
  }): LocalView {
    const id = `V${randomId(10)}`;
    const externalId = typeof fields.view['external_id'] === 'string' ? fields.view['external_id'] : undefined;
    const view: LocalView = {
      id,
      hash: newHash(),
      type: fields.type,
      user: fields.user,
      view: fields.view,
      stack: fields.stack,
      rootViewId: fields.rootViewId ?? id,
      previousViewId: fields.previousViewId,
      ...(externalId ? { externalId } : {}),
      closed: false,
      updatedCount: 0,
    };
    this.list.push(view);
    return view;
  }

  private replace(view: LocalView, next: Record<string, unknown>): void {
    view.view = next;
    view.hash = newHash();
    view.updatedCount += 1;
    if (typeof next['external_id'] === 'string' && next['external_id'] !== '') view.externalId = next['external_id'];
    this.emit('updated', view);
  }

  private emit(change: ViewChange['change'], view: LocalView): void {
    this.events.emit('view', { change, view: structuredClone(view) });
  }

  private viewObject(view: LocalView): Record<string, unknown> {
    const source = view.view;
    const { teamId, appId, botId } = this.identity;
    return {
      id: view.id,
      team_id: teamId,
      type: view.type,
      ...(view.type === 'modal' ? { title: source['title'], submit: source['submit'] ?? null, close: source['close'] ?? null } : {}),
      blocks: Array.isArray(source['blocks']) ? withSlackIds(source['blocks']) : [],
      private_metadata: typeof source['private_metadata'] === 'string' ? source['private_metadata'] : '',
      callback_id: typeof source['callback_id'] === 'string' ? source['callback_id'] : '',
      state: { values: {} },
      hash: view.hash,
      clear_on_close: source['clear_on_close'] === true,
      notify_on_close: source['notify_on_close'] === true,
      root_view_id: view.rootViewId,
      previous_view_id: view.previousViewId,
      app_id: appId,
      external_id: view.externalId ?? '',
      app_installed_team_id: teamId,
      bot_id: botId,
    };
  }
}

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
}
