// How a confirmation's outcome is recorded: the operation's new status, its audit entry and, for an
// applied change, the notifications to send, all in one transaction. None is ever recorded without
// the others: no applied change without its audit entry, no audit entry of an outcome the
// operation does not show, no applied change that nobody is told of.
import { type NewAuditEntry, createAuditStore } from './audit';
import type { Session } from './database';
import { enqueueNotifications, type NewNotifications } from './notificationOutbox';
import { createOperationStore, type Operation, type OperationPatch, type OperationStatus } from './operations';

export interface RecordedOutcome {
  operationId: string;
  /** The statuses it may leave (as transitionOperation); anything else records nothing. */
  from: OperationStatus[];
  to: OperationStatus;
  patch: OperationPatch;
  audit: NewAuditEntry;
  /** For an applied change: who hears of it, and the facts they are told. */
  notify?: Omit<NewNotifications, 'operationId'>;
}

export interface OutcomeStore {
  /**
   * Moves the operation from one of `from` to `to` and, in the same transaction, appends its audit
   * entry and queues its notifications. Returns the updated operation, or null (and records
   * nothing) when the operation was not in one of `from`, e.g. another instance settled it first.
   */
  recordOutcome(outcome: RecordedOutcome): Promise<Operation | null>;
}

export function createOutcomeStore(db: Session): OutcomeStore {
  return {
    recordOutcome: (outcome) =>
      db.transaction(async (tx) => {
        const moved = await createOperationStore(tx).transitionOperation(outcome.operationId, outcome.from, outcome.to, outcome.patch);
        if (!moved) return null;
        await createAuditStore(tx).appendAudit(outcome.audit);
        if (outcome.notify) await enqueueNotifications(tx, { ...outcome.notify, operationId: moved.id });
        return moved;
      }),
  };
}
