// Ids Slack makes up: random ones for views, files and response_urls, and the block_id and
// action_id it fills in where the app left them out.

import { randomBytes } from 'node:crypto';
import { asRecord } from '../http/loopbackHttp';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `length` upper-case letters and digits, as in Slack's ids after their type letter. */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

/** Slack fills in block_id and action_id that the app left out; ours are stable so state keys match. */
export function withSlackIds(blocks: unknown[]): unknown[] {
  return blocks.map((value, blockIndex) => {
    const block = asRecord(value);
    if (!block) return value;
    const filled: Record<string, unknown> = { ...block, block_id: block['block_id'] ?? `gen-${blockIndex}` };
    const fillElement = (element: unknown, elementIndex: number): unknown => {
      const record = asRecord(element);
      if (!record || record['type'] === 'image' || record['type'] === 'plain_text' || record['type'] === 'mrkdwn') {
        return element;
      }
      return { ...record, action_id: record['action_id'] ?? `gen-${blockIndex}-${elementIndex}` };
    };
    if (block['type'] === 'actions' && Array.isArray(block['elements'])) {
      filled['elements'] = block['elements'].map(fillElement);
    }
    if (block['type'] === 'input' && block['element'] !== undefined) filled['element'] = fillElement(block['element'], 0);
    if (block['type'] === 'section' && block['accessory'] !== undefined) {
      filled['accessory'] = fillElement(block['accessory'], 0);
    }
    return filled;
  });
}
