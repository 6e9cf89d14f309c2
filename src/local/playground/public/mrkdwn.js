// @ts-check
// Slack's text as the client shows it: mrkdwn (bold, italic, strike, code, quotes, code blocks,
// mentions, channel links, dates, links and emoji) and plain_text, built as nodes.

import { h } from './dom.js';
import { ui } from './state.js';

/** @typedef {import('./slackShapes.js').TextObject} TextObject */

/** @type {Record<string, string>} */
const EMOJI = {
  arrows_counterclockwise: '🔄',
  bell: '🔔',
  busts_in_silhouette: '👥',
  eyes: '👀',
  grey_question: '❔',
  heavy_check_mark: '✔️',
  heavy_multiplication_x: '✖️',
  hourglass_flowing_sand: '⏳',
  information_source: 'ℹ️',
  mag: '🔍',
  no_entry: '⛔',
  pencil2: '✏️',
  rotating_light: '🚨',
  see_no_evil: '🙈',
  tada: '🎉',
  thinking_face: '🤔',
  warning: '⚠️',
  wastebasket: '🗑️',
  white_check_mark: '✅',
  x: '❌',
};

/**
 * Slack escapes &, < and > in text; the page shows the characters.
 * @param {unknown} text
 */
function decode(text) {
  return String(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** @param {string} text */
function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
}

/**
 * A text object (or string) as plain text: entities decoded, emoji shown unless turned off.
 * @param {TextObject | string | null | undefined} textObject
 */
export function plain(textObject) {
  if (!textObject) return '';
  if (typeof textObject === 'string') return emojify(decode(textObject));
  const shown = decode(textObject.text || '');
  return textObject.type === 'mrkdwn' || textObject.emoji !== false ? emojify(shown) : shown;
}

function names() {
  return ui.snapshot ? ui.snapshot.names : { users: {}, channels: {} };
}

/** @typedef {(d: Date) => string} DatePart */

/** @type {Record<string, DatePart>} */
const DATE_PARTS = {
  date_num: (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`,
  date: (d) => d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric' }),
  date_short: (d) => d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' }),
  date_long: (d) => d.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
  time: (d) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
  time_secs: (d) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  ago: (d) => {
    const minutes = Math.round((Date.now() - d.getTime()) / 60000);
    if (Math.abs(minutes) < 1) return 'just now';
    return minutes > 0 ? `${minutes} minute${minutes === 1 ? '' : 's'} ago` : `in ${-minutes} minute${minutes === -1 ? '' : 's'}`;
  },
};
/**
 * 'today', 'yesterday' or 'tomorrow' when the date is one of those, else `format`.
 * @param {string} format
 * @returns {DatePart}
 */
function pretty(format) {
  return (d) => {
    const day = new Date(d);
    day.setHours(0, 0, 0, 0);
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const diff = Math.round((day.getTime() - today.getTime()) / 86400000);
    if (diff === 0) return 'today';
    if (diff === -1) return 'yesterday';
    if (diff === 1) return 'tomorrow';
    return DATE_PARTS[format]?.(d) ?? '';
  };
}
DATE_PARTS['date_pretty'] = pretty('date');
DATE_PARTS['date_short_pretty'] = pretty('date_short');
DATE_PARTS['date_long_pretty'] = pretty('date_long');

/**
 * <!date^unix^format|fallback>: the date in the reader's time zone, or the fallback.
 * @param {string} token
 */
function slackDate(token) {
  const bar = token.indexOf('|');
  const fallback = bar >= 0 ? decode(token.slice(bar + 1)) : '';
  const parts = (bar >= 0 ? token.slice(0, bar) : token).split('^');
  const unix = Number(parts[1]);
  if (!Number.isFinite(unix) || !parts[2]) return fallback;
  const date = new Date(unix * 1000);
  return decode(parts[2]).replace(/\{(\w+)\}/g, (whole, key) => DATE_PARTS[key]?.(date) ?? whole);
}

/**
 * One <…> token: a mention, a channel, a special command, a date or a link.
 * @param {string} token
 * @returns {Node}
 */
function angle(token) {
  const bar = token.indexOf('|');
  const target = bar >= 0 ? token.slice(0, bar) : token;
  const label = bar >= 0 ? token.slice(bar + 1) : '';
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return h('span', { className: 'mention' }, `@${names().users[id] || decode(label) || id}`);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return h('span', { className: 'mention channel' }, `#${names().channels[id] || decode(label) || id}`);
  }
  if (target.startsWith('!date^')) return h('time', { className: 'slack-date' }, slackDate(token.slice(1)));
  if (target.startsWith('!subteam^')) return h('span', { className: 'mention' }, decode(label) || '@group');
  if (target.startsWith('!')) return h('span', { className: 'mention' }, `@${decode(label || target.slice(1))}`);
  const url = decode(target);
  if (/^(https?:|mailto:)/i.test(url)) {
    return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, decode(label) || url);
  }
  return document.createTextNode(decode(label || target));
}

const INLINE =
  /<([^<>\n]+)>|`([^`\n]+)`|(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])|(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])|(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])|:([a-z0-9_+-]+):/g;

/**
 * Inline mrkdwn: bold, italic, strike, code, tokens and emoji; the rest as text.
 * @template {HTMLElement} E
 * @param {string} text
 * @param {E} into
 * @returns {E}
 */
function inline(text, into) {
  const pattern = new RegExp(INLINE.source, 'g');
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index > last) into.append(document.createTextNode(decode(text.slice(last, match.index))));
    const [whole, token, code, bold, italic, strike, emoji] = match;
    if (token !== undefined) into.append(angle(token));
    else if (code !== undefined) into.append(h('code', {}, decode(code)));
    else if (bold !== undefined) into.append(inline(bold, h('strong')));
    else if (italic !== undefined) into.append(inline(italic, h('em')));
    else if (strike !== undefined) into.append(inline(strike, h('s')));
    else into.append(document.createTextNode((emoji !== undefined && EMOJI[emoji]) || whole));
    last = match.index + whole.length;
  }
  if (last < text.length) into.append(document.createTextNode(decode(text.slice(last))));
  return into;
}

/**
 * A mrkdwn text: code blocks, quotes and lines, each line inline mrkdwn.
 * @param {string | undefined} source
 */
export function mrkdwn(source) {
  const root = h('div', { className: 'mrkdwn' });
  const pieces = String(source || '').split('```');
  pieces.forEach((piece, index) => {
    if (index % 2 === 1 && index < pieces.length - 1) {
      root.append(h('pre', {}, decode(piece.replace(/^\n/, ''))));
      return;
    }
    const lines = (index % 2 === 1 ? `\`\`\`${piece}` : piece).split('\n');
    lines.forEach((line, i) => {
      const quote = /^(?:&gt;|>)\s?(.*)$/.exec(line);
      if (quote) {
        root.append(inline(quote[1] ?? '', h('blockquote')));
        return;
      }
      inline(line, root);
      if (i < lines.length - 1 && !/^(?:&gt;|>)/.test(lines[i + 1] || '')) root.append(h('br'));
    });
  });
  return root;
}

/**
 * A text object as Slack shows it: mrkdwn, or plain text.
 * @param {TextObject | undefined} object
 */
export function textObject(object) {
  if (!object) return null;
  return object.type === 'mrkdwn' ? mrkdwn(object.text) : h('span', { className: 'plain' }, plain(object));
}
