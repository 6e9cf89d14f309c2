// Slack treats &, < and > as control characters in mrkdwn: `<!channel>` pings everyone and
// `<@U123>` pings a person. Everything a user, a file or Prolific supplied goes through here.

import { truncate } from '../truncate';

export { truncate };

/** Escapes text for mrkdwn and plain_text alike. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text and shows it as inline code (backticks inside are softened so they cannot close it). */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
}

/** Bold, escaped. Asterisks inside are softened so they cannot end the bold early. */
export function bold(text: string): string {
  const escaped = escapeMrkdwn(text).replace(/\*/g, '∗');
  return escaped.trim() ? `*${escaped}*` : escaped;
}

/** Slack sends the text of a slash command with &, < and > escaped; this undoes that. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `<url|label>`, or the label alone when the url is not a plain http(s) link (it could break out of the link). */
export function link(url: string | null, label: string): string {
  return url && /^https?:\/\/[^\s|<>]+$/.test(url) ? `<${url}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

export function mentionUser(userId: string): string {
  return /^[UW][A-Z0-9_]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/**
 * A time as Slack shows it, in each reader's own time zone and locale (`format` takes Slack's
 * tokens, e.g. `{date_short_pretty} {time}`); where Slack cannot (some notifications, old
 * clients) the fallback is shown: the time in UTC unless given.
 */
export function slackDate(at: Date, format: string, fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${fallback}>`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * Cuts mrkdwn to at most `max` UTF-16 units between graphemes, marking the cut, without leaving half
 * an entity (`&am…` shows as such) or half a `<…>` sequence the app wrote (a mention, a channel, a date).
 */
export function truncateMrkdwn(text: string, max: number): string {
  return truncate(text, max, (kept) => kept.replace(/&[a-z]*$/, '').replace(/<[^>]*$/, ''));
}
