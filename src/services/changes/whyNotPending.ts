import type { OperationStore } from '../../store/types';

/** Why an operation can no longer be claimed; each caller names 'already_applied' and 'failed' in its own words. */
export type NotPendingReason = 'missing' | 'already_applied' | 'failed' | 'in_progress' | 'expired' | 'cancelled';

/**
 * The refusal for a click on an operation whose pending → applying claim was not taken: the
 * exactly-once claim of changes and of sends both answer a repeat with this.
 */
export async function whyNotPending(store: Pick<OperationStore, 'getOperation'>, operationId: string, now: Date): Promise<NotPendingReason> {
  const op = await store.getOperation(operationId);
  if (!op) return 'missing';
  switch (op.status) {
    case 'applied':
      return 'already_applied';
    case 'failed':
      return 'failed';
    case 'applying':
      return 'in_progress';
    case 'expired':
      return 'expired';
    case 'pending':
      return op.expiresAt.getTime() <= now.getTime() ? 'expired' : 'in_progress';
    default:
      return 'cancelled';
  }
}
