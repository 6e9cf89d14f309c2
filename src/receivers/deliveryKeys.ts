// Which deliveries are repeats of one another. Slack retries an Events API callback with a new
// timestamp and signature but the same event_id; anyone replaying a command or an interaction within
// the signature window sends the same signed bytes, so the same signature: a verified signature is
// already a digest of exactly those bytes (HMAC-SHA256 of the timestamp and body), and hashing them
// again cost each request more than the rest of its key. Socket Mode has no signature: an envelope
// Slack sends again carries the same payload, so its trigger_id (or, without one, the payload itself).
import { createHash } from 'node:crypto';
import { SIGNATURE_WINDOW_SECONDS } from './signatureWindow';

export interface DeliveryKey {
  key: string;
  /** Until when a repeat could still arrive and be accepted; the key is kept that long. */
  expiresAt: Date;
}

/** Slack retries an event three times over about five minutes; an hour leaves room for a slow retry. */
const EVENT_KEY_MS = 60 * 60_000;
/** A signed request is accepted up to 5 minutes after its timestamp; a minute more for clocks apart. */
const SIGNED_KEY_MS = (SIGNATURE_WINDOW_SECONDS + 60) * 1000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The key of a delivery, or null for one that is not worth remembering: an options request for an
 * external select is answered in its acknowledgement and changes nothing, and comes at every keystroke.
 * `signed` is the signed timestamp (seconds) and verified signature of an HTTP request; null in Socket Mode.
 */
export function deliveryKey(body: Record<string, unknown>, signed: { timestamp: number; signature: string } | null, now: Date = new Date()): DeliveryKey | null {
  if (body['type'] === 'block_suggestion') return null;
  if (body['type'] === 'event_callback' && typeof body['event_id'] === 'string') {
    return { key: `event:${body['event_id']}`, expiresAt: new Date(now.getTime() + EVENT_KEY_MS) };
  }
  if (signed) {
    return { key: `signed:${signed.signature}`, expiresAt: new Date(signed.timestamp * 1000 + SIGNED_KEY_MS) };
  }
  const triggerId = body['trigger_id'];
  if (typeof triggerId === 'string' && triggerId !== '') return { key: `trigger:${triggerId}`, expiresAt: new Date(now.getTime() + EVENT_KEY_MS) };
  return { key: `payload:${sha256(JSON.stringify(body))}`, expiresAt: new Date(now.getTime() + EVENT_KEY_MS) };
}
