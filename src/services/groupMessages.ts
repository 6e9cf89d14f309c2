// Messaging the members of a group: a preview stored as a pending operation, a send claimed exactly
// once by the same atomic status change as a change to a group, and an outcome recorded with its
// audit entry and notifications in one transaction. A message cannot be recalled, so nothing here
// ever sends one twice: Prolific's 204 is the only success, and an answer that was lost is
// recorded as "may have been sent", never sent again.
import { type ProlificClient, ProlificError } from '../prolific';
import type { ParticipantGroup } from '../prolific/types';
import type { AuditOutcome, NewAuditEntry, Operation, OperationStore, OutcomeStore } from '../store/types';
import type { Actor } from './actor';
import { whyNotPending } from './changes/whyNotPending';
import { GroupOutsideWorkspaceError, type ServedGroups } from './servedGroups';

/**
 * The longest body the app sends, in UTF-16 units (as Slack's input counts). Prolific documents
 * none; 2,000 keeps the preview, which shows the body whole, inside one Block Kit section.
 */
export const MAX_MESSAGE_LENGTH = 2000;

/**
 * Prolific's newer pages cap one message at 4,000 recipients by default (the 2025 OpenAPI document
 * says nothing). Above the cap the app refuses at the preview and sends nothing: it never splits a
 * group or sends part of one.
 */
export const DEFAULT_RECIPIENT_CAP = 4000;

export interface MessageStudy {
  id: string;
  name: string;
}

/** What a message preview records, and every outcome repeats. */
export interface GroupMessage {
  body: string;
  study: MessageStudy | null;
  /** Members when previewed: the button says "Send to N participants". */
  recipients: number;
}

/** Why a body cannot be sent as typed; nothing was sent. */
export type MessageBodyProblem = { kind: 'empty' } | { kind: 'too_long'; length: number; max: number };

export function messageBodyProblem(body: string): MessageBodyProblem | null {
  if (!body.trim()) return { kind: 'empty' };
  if (body.length > MAX_MESSAGE_LENGTH) return { kind: 'too_long', length: body.length, max: MAX_MESSAGE_LENGTH };
  return null;
}

export type MessagePreview =
  | { kind: 'preview'; operation: Operation; message: GroupMessage; groupName: string }
  /** A group without members: there is nobody to message. */
  | { kind: 'empty_group'; groupName: string }
  /** More members than one message may reach: nothing is previewed or sent. */
  | { kind: 'over_cap'; groupName: string; recipients: number; cap: number };

export type SendRefusal = 'missing' | 'expired' | 'not_requester' | 'already_sent' | 'in_progress' | 'cancelled' | 'outside_workspace';

/** How a send ended. */
export type SendResult =
  /** Prolific answered 204. `unrecorded`: the database did not take the outcome (the recovery records it). */
  | { kind: 'sent'; operation: Operation; message: GroupMessage; unrecorded?: boolean }
  /** Certainly not sent: Prolific refused it, or it failed before anything was sent. */
  | { kind: 'not_sent'; operation: Operation; message: GroupMessage; said: string | null }
  /** Prolific's answer was lost or unexpected after the message may have reached it: not sent again. */
  | { kind: 'may_have_been_sent'; operation: Operation; message: GroupMessage; said: string | null }
  /** The group's membership count moved since the preview: nothing sent, and a fresh preview. */
  | { kind: 'changed'; previous: Operation; fresh: MessagePreview; before: number; now: number }
  | { kind: 'refused'; reason: SendRefusal; operation: Operation | null };

/** What the outcome of a send records on its operation (result) and tells the notification channel. */
export type MessageOutcome = 'sent' | 'not_sent' | 'may_have_been_sent';

/** The facts a notification of a message keeps in the outbox. */
export interface NotifiedMessage {
  actor: Actor;
  groupId: string;
  groupName: string;
  outcome: MessageOutcome;
  message: GroupMessage;
}

export interface GroupMessagesOptions {
  pendingTtlMs: number;
  /** Members above which nothing is sent (default DEFAULT_RECIPIENT_CAP). */
  recipientCap?: number;
  /** Whether `actor` may send or cancel a preview `requesterId` asked for. */
  mayActFor: (actor: Actor, requesterId: string) => boolean;
  /** The audit log's line for a message that was not, or may have been, sent (the words are the renderers'). */
  failureSummary: (outcome: Exclude<MessageOutcome, 'sent'>, said: string | null) => string;
  /** Channels that hear of every message sent (NOTIFY_CHANNEL), beside those watching the group. */
  announceTo?: string[];
  now?: () => Date;
}

/** A message preview's details, as stored on its operation. */
export function groupMessageOf(op: Pick<Operation, 'details'>): GroupMessage | null {
  const m = (op.details as { message?: Partial<GroupMessage> }).message;
  if (!m || typeof m.body !== 'string') return null;
  return { body: m.body, study: m.study ?? null, recipients: typeof m.recipients === 'number' ? m.recipients : 0 };
}

export class GroupMessages {
  private readonly now: () => Date;
  /** Sends this instance has claimed and not yet recorded: never taken for stuck. */
  private readonly sending = new Set<string>();

  constructor(
    private readonly client: ProlificClient,
    private readonly groups: Pick<ServedGroups, 'get'>,
    private readonly store: OperationStore & OutcomeStore,
    private readonly options: GroupMessagesOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  get recipientCap(): number {
    return this.options.recipientCap ?? DEFAULT_RECIPIENT_CAP;
  }

  /** Reads the group (a served one only) and stores the message as a pending operation; nothing is sent. */
  async preview(input: { groupId: string; body: string; study: MessageStudy | null; actor: Actor; channelId: string | null }): Promise<MessagePreview> {
    const group = await this.groups.get(input.groupId);
    return this.previewFor(group, input);
  }

  private async previewFor(group: ParticipantGroup, input: { body: string; study: MessageStudy | null; actor: Actor; channelId: string | null }): Promise<MessagePreview> {
    const recipients = group.participant_count;
    if (recipients === 0) return { kind: 'empty_group', groupName: group.name };
    if (recipients > this.recipientCap) return { kind: 'over_cap', groupName: group.name, recipients, cap: this.recipientCap };
    const message: GroupMessage = { body: input.body, study: input.study, recipients };
    const operation = await this.store.createOperation({
      kind: 'message',
      groupId: group.id,
      groupName: group.name,
      slackUserId: input.actor.userId,
      slackTeamId: input.actor.teamId,
      channelId: input.channelId,
      participantIds: [],
      baselineIds: [],
      baselineName: group.name,
      newName: null,
      snapshotId: null,
      details: { message },
      message: null,
      ttlMs: this.options.pendingTtlMs,
    });
    return { kind: 'preview', operation, message, groupName: group.name };
  }

  /**
   * Sends a previewed message, once. A second click, a retried delivery or another instance is
   * refused by the store's atomic pending → applying change, never sent again. The group is read
   * again first: a count that moved since the preview sends nothing and previews again.
   */
  async send(operationId: string, actor: Actor): Promise<SendResult> {
    const op = await this.store.getOperation(operationId);
    if (op?.kind !== 'message') return { kind: 'refused', reason: 'missing', operation: null };
    if (!this.options.mayActFor(actor, op.slackUserId)) return { kind: 'refused', reason: 'not_requester', operation: op };
    if (op.status !== 'pending') return { kind: 'refused', reason: await this.whyNotPending(op.id), operation: op };
    if (op.expiresAt.getTime() <= this.now().getTime()) {
      await this.store.transitionOperation(op.id, ['pending'], 'expired');
      return { kind: 'refused', reason: 'expired', operation: op };
    }
    const claimed = await this.store.transitionOperation(op.id, ['pending'], 'applying');
    if (!claimed) return { kind: 'refused', reason: await this.whyNotPending(op.id), operation: await this.store.getOperation(op.id) };
    this.sending.add(claimed.id);
    try {
      return await this.sendClaimed(claimed, actor);
    } finally {
      this.sending.delete(claimed.id);
    }
  }

  private async sendClaimed(op: Operation, actor: Actor): Promise<SendResult> {
    const message = groupMessageOf(op)!;
    let group: ParticipantGroup;
    try {
      group = await this.groups.get(op.groupId);
    } catch (err) {
      if (err instanceof GroupOutsideWorkspaceError) {
        const cancelled = await this.store.transitionOperation(op.id, ['applying'], 'cancelled');
        return { kind: 'refused', reason: 'outside_workspace', operation: cancelled ?? op };
      }
      // Nothing was sent: the group could not be read.
      return this.record(op, actor, message, 'not_sent', err instanceof ProlificError ? err.message : null);
    }
    if (group.participant_count !== message.recipients) {
      await this.store.transitionOperation(op.id, ['applying'], 'cancelled');
      const fresh = await this.previewFor(group, { body: message.body, study: message.study, actor: { userId: op.slackUserId, teamId: op.slackTeamId }, channelId: op.channelId });
      return { kind: 'changed', previous: op, fresh, before: message.recipients, now: group.participant_count };
    }

    let outcome: MessageOutcome;
    let said: string | null = null;
    try {
      const answer = await this.client.sendGroupMessage({
        participant_group_id: op.groupId,
        body: message.body,
        ...(message.study ? { study_id: message.study.id } : {}),
      });
      // 204 is the only documented success; any other 2xx may or may not have sent it.
      outcome = answer.status === 204 ? 'sent' : 'may_have_been_sent';
      if (outcome !== 'sent') said = `HTTP ${answer.status}`;
    } catch (err) {
      if (err instanceof ProlificError) {
        outcome = err.ambiguous ? 'may_have_been_sent' : 'not_sent';
        said = err.message;
      } else {
        // Not a failure the client understood: whether the request left cannot be told.
        outcome = 'may_have_been_sent';
      }
    }
    return this.record(op, actor, message, outcome, said);
  }

  /** The outcome, its audit entry and its notifications: all recorded in one transaction, or none. */
  private async record(op: Operation, actor: Actor, message: GroupMessage, outcome: MessageOutcome, said: string | null): Promise<SendResult> {
    const notify = outcome === 'not_sent' ? undefined : { channels: this.options.announceTo ?? [], watchersOf: op.groupId, change: notifiedFacts(op, actor, outcome, message) };
    let moved: Operation | null;
    try {
      moved = await this.store.recordOutcome({
        operationId: op.id,
        from: ['applying'],
        to: outcome === 'sent' ? 'applied' : 'failed',
        patch: { result: { outcome, said }, error: said },
        audit: auditEntry(op, actor, outcome, outcome === 'sent' ? null : this.options.failureSummary(outcome, said)),
        ...(notify ? { notify } : {}),
      });
    } catch {
      // The database did not answer: the operation stays 'applying' for recoverStuck() to record.
      if (outcome === 'sent') return { kind: 'sent', operation: op, message, unrecorded: true };
      moved = null;
    }
    const operation = moved ?? op;
    if (outcome === 'sent') return { kind: 'sent', operation, message };
    return { kind: outcome, operation, message, said };
  }

  async cancel(operationId: string, actor: Actor): Promise<{ ok: true; operation: Operation } | { ok: false; reason: SendRefusal; operation: Operation | null }> {
    const op = await this.store.getOperation(operationId);
    if (op?.kind !== 'message') return { ok: false, reason: 'missing', operation: null };
    if (!this.options.mayActFor(actor, op.slackUserId)) return { ok: false, reason: 'not_requester', operation: op };
    const cancelled = await this.store.transitionOperation(op.id, ['pending'], 'cancelled');
    if (cancelled) return { ok: true, operation: cancelled };
    return { ok: false, reason: await this.whyNotPending(op.id), operation: await this.store.getOperation(op.id) };
  }

  /**
   * Sends left 'applying' longer than `olderThanMs` (the process or its database went away between
   * the claim and the recorded outcome) are recorded as "may have been sent": whether Prolific got
   * the message cannot be read back, so it is never sent again. Returns those recorded.
   */
  async recoverStuck(olderThanMs: number, now = this.now()): Promise<Operation[]> {
    const stuck = await this.store.listOperations({ status: ['applying'], updatedBefore: new Date(now.getTime() - olderThanMs) });
    const settled: Operation[] = [];
    for (const op of stuck) {
      if (op.kind !== 'message' || this.sending.has(op.id)) continue;
      const message = groupMessageOf(op);
      if (!message) continue;
      const actor = { userId: op.slackUserId, teamId: op.slackTeamId };
      const result = await this.record(op, actor, message, 'may_have_been_sent', null).catch(() => null);
      if (result && 'operation' in result && result.operation?.status === 'failed') settled.push(result.operation);
    }
    return settled;
  }

  private async whyNotPending(operationId: string): Promise<SendRefusal> {
    const reason = await whyNotPending(this.store, operationId, this.now());
    // A send that failed or may have been sent is settled: it is never sent from this preview again.
    return reason === 'already_applied' || reason === 'failed' ? 'already_sent' : reason;
  }
}

function notifiedFacts(op: Operation, actor: Actor, outcome: MessageOutcome, message: GroupMessage): Record<string, unknown> {
  const facts: NotifiedMessage = { actor: { userId: actor.userId, teamId: actor.teamId }, groupId: op.groupId, groupName: op.groupName, outcome, message };
  return { ...facts };
}

/** A notification's facts as stored in the outbox, read back. */
export function notifiedMessage(op: Operation, facts: Record<string, unknown>): NotifiedMessage {
  const f = facts as Partial<NotifiedMessage>;
  return {
    actor: f.actor ?? { userId: op.slackUserId, teamId: op.slackTeamId },
    groupId: f.groupId ?? op.groupId,
    groupName: f.groupName ?? op.groupName,
    outcome: f.outcome ?? 'sent',
    message: f.message ?? groupMessageOf(op) ?? { body: '', study: null, recipients: 0 },
  };
}

function auditEntry(op: Operation, actor: Actor, outcome: MessageOutcome, error: string | null): NewAuditEntry {
  const audited: Record<MessageOutcome, AuditOutcome> = { sent: 'applied', not_sent: 'failed', may_have_been_sent: 'unknown' };
  return {
    slackUserId: actor.userId,
    slackTeamId: actor.teamId,
    action: 'message',
    groupId: op.groupId,
    groupName: op.groupName,
    beforeName: null,
    afterName: null,
    beforeCount: null,
    afterCount: null,
    added: 0,
    removed: 0,
    outcome: audited[outcome],
    error,
    operationId: op.id,
    snapshotId: null,
  };
}
