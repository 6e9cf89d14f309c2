// What happens at the ack, for both receivers (HTTP and Socket Mode). The answer passes the secret
// redaction of everything sent to Slack. Then deduplication, after the ack: the answer goes out first (Slack's 3
// seconds are never spent waiting for the database), then the delivery is recorded in the store
// that every instance shares. For a repeat, the ack throws RepeatDelivery once the answer is sent:
// a listener awaits its ack before doing any work, so it stops there, and for an event Bolt acks
// before any middleware runs, so nothing runs at all. Slack gets its 2xx either way.
import type { Logger, ReceiverEvent } from '@slack/bolt';
import type { SecretRedactor } from '../secretRedactor';
import type { DeliveryStore } from '../store/types';
import type { DeliveryKey } from './deliveryKeys';

/** Thrown by the ack of a delivery already handled; ends its handling without an error reply. */
export class RepeatDelivery extends Error {
  /** Bolt passes errors with a code through as they are. */
  readonly code = 'pgroup_repeat_delivery';

  constructor(readonly key: string) {
    super(`a repeat of delivery ${key}`);
    this.name = 'RepeatDelivery';
  }
}

/** Whether an error (as Bolt hands it on: itself, wrapped, or among several listeners') is a stopped repeat. */
export function isRepeatDelivery(err: unknown): boolean {
  if (err instanceof RepeatDelivery) return true;
  const e = err as { original?: unknown; originals?: unknown[] } | null;
  if (e?.original !== undefined) return isRepeatDelivery(e.original);
  return Array.isArray(e?.originals) && e.originals.length > 0 && e.originals.every(isRepeatDelivery);
}

export class DeliveryGate {
  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly logger: Logger,
    private readonly redactor: SecretRedactor,
  ) {}

  /**
   * The event with an ack that sends the answer redacted and then, for a delivery with a key,
   * records it and stops a repeat.
   */
  guard(event: ReceiverEvent, key: DeliveryKey | null): ReceiverEvent {
    const ack = event.ack;
    return {
      ...event,
      ack: async (response?: unknown) => {
        await ack(this.redactor.redactJson(response));
        if (key) await this.admit(key, event.retryNum);
      },
    };
  }

  private async admit(key: DeliveryKey, retryNum: number | undefined): Promise<void> {
    let first: boolean;
    try {
      first = await this.deliveries.recordDelivery(key.key, key.expiresAt);
    } catch (err) {
      // Handling it is better than losing it: the ack is sent, so Slack will not send it again, and
      // confirmations keep their own exactly-once claim.
      this.logger.warn(`Could not record a delivery (${err instanceof Error ? err.message : String(err)}); handling it without the repeat check.`);
      return;
    }
    if (first) return;
    this.logger.info(`A repeat of a delivery already handled${retryNum ? ` (Slack's retry ${retryNum})` : ''}: acknowledged, nothing done.`);
    throw new RepeatDelivery(key.key);
  }
}
