// Times in what the app shows are Slack date tokens (`<!date^…|fallback>`), so each reader sees
// their own time zone; a bare "14:02" is in nobody's in particular. useE2E checks every message
// and view of every end-to-end test with this.
import type { LocalSlack } from '../../src/local/slack';

/** Keys whose strings are not shown to anyone (ids, what a button carries, links). */
const NOT_SHOWN = new Set(['action_id', 'block_id', 'value', 'url', 'image_url', 'callback_id', 'private_metadata', 'external_id', 'ts', 'thread_ts']);

/** A clock time not inside a date token: `9:30`, `14:02`. */
const BARE_TIME = /(?<![\w:./-])(?:[01]?\d|2[0-3]):[0-5]\d(?![\w:])/g;

function shownStrings(value: unknown, out: string[], key = ''): void {
  if (NOT_SHOWN.has(key)) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) shownStrings(item, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) shownStrings(v, out, k);
}

/** The bare times in a text, once its Slack date tokens are taken out. */
export function bareTimesIn(text: string): string[] {
  return text.replace(/<!date\^[^>]*>/g, '').match(BARE_TIME) ?? [];
}

/** Every message and view the app sent that shows a bare time, with the time. */
export function bareTimes(slack: LocalSlack): string[] {
  const found: string[] = [];
  const surfaces = [
    ...slack.messages().map((m) => ({ where: `message ${m.channel}/${m.ts}`, body: { text: m.text, blocks: m.blocks } })),
    ...slack.views().map((v) => ({ where: `view ${v.id}`, body: v.view })),
  ];
  for (const { where, body } of surfaces) {
    const strings: string[] = [];
    shownStrings(body, strings);
    for (const text of strings) for (const time of bareTimesIn(text)) found.push(`${where}: ${time} in ${JSON.stringify(text.slice(0, 120))}`);
  }
  return found;
}
