// @ts-check
// Messages as Slack's client shows them: the app's (or a person's) avatar and name, the time,
// "(edited)", the "Only visible to you" note of ephemeral ones, their blocks (or text), the files
// they share, their "More actions" menu with the app's message shortcut, and the replies in their
// thread behind "N replies", which opens the thread in place; and the playground's own notes to the
// person, styled the same way.

import { api } from './api.js';
import { renderBlocks } from './blocks.js';
import { h, toast } from './dom.js';
import { formatSize } from './modalInputs.js';
import { mrkdwn } from './mrkdwn.js';
import { ui } from './state.js';

/** @typedef {import('./slackShapes.js').SnapshotMessage} SnapshotMessage */

/** @param {string | number} ts */
function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * A top-level message, with the replies in its thread.
 * @param {SnapshotMessage} message
 * @param {string} channel
 * @param {string} botName
 * @param {SnapshotMessage[]} [replies]
 */
export function renderMessage(message, channel, botName, replies = []) {
  const article = messageArticle(message, channel, botName, 'message');
  if (replies.length) article.querySelector('.message-body')?.append(renderThread(message.ts, channel, botName, replies));
  return article;
}

/**
 * "N replies", which opens the thread under its parent (kept open across renders).
 * @param {string} parentTs
 * @param {string} channel
 * @param {string} botName
 * @param {SnapshotMessage[]} replies
 */
function renderThread(parentTs, channel, botName, replies) {
  const key = `${channel}/${parentTs}`;
  const thread = h(
    'details',
    { className: 'thread', open: ui.openThreads.has(key) },
    h('summary', { className: 'thread-summary' }, `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`),
    replies.map((reply) => messageArticle(reply, channel, botName, 'thread-reply')),
  );
  thread.addEventListener('toggle', () => {
    if (thread.open) ui.openThreads.add(key);
    else ui.openThreads.delete(key);
  });
  return thread;
}

/**
 * @param {SnapshotMessage} message
 * @param {string} channel
 * @param {string} botName
 * @param {'message' | 'thread-reply'} kind
 */
function messageArticle(message, channel, botName, kind) {
  /** @type {import('./interactions.js').Surface} */
  const surface = { kind: 'message', channel, ts: message.ts };
  const body = message.blocks?.length ? renderBlocks(message.blocks, surface) : [mrkdwn(message.text)];
  const author = message.author || botName;
  return h(
    'article',
    { className: `${kind}${message.ephemeral ? ' ephemeral' : ''}${message.author ? ' person' : ''}`, 'data-ts': message.ts, 'data-channel': channel },
    h('div', { className: 'avatar', 'aria-hidden': 'true' }, author.slice(0, 2)),
    h(
      'div',
      { className: 'message-body' },
      h(
        'div',
        { className: 'message-meta' },
        h('span', { className: 'author' }, author),
        message.author ? null : h('span', { className: 'app-badge' }, 'APP'),
        h('time', {}, timeOf(message.ts)),
        message.edited ? h('span', { className: 'edited' }, '(edited)') : null,
        // Slack offers an app's message shortcuts on every message but ephemeral ones.
        message.ephemeral ? null : moreActions(channel, message.ts),
      ),
      message.ephemeral ? h('div', { className: 'ephemeral-note' }, '👁 Only visible to you') : null,
      h('div', { className: 'blocks' }, body),
      (message.files || []).map((f) =>
        h(
          'a',
          { className: 'file-card', href: `/api/files/${encodeURIComponent(f.id)}`, download: f.name },
          h('span', { className: 'file-icon' }, '📄'),
          h('span', {}, h('strong', {}, f.title || f.name), h('span', { className: 'file-size' }, `${(f.filetype || '').toUpperCase()} · ${formatSize(f.size)}`)),
        ),
      ),
    ),
  );
}

/**
 * The message's "More actions" menu (⋮) with the app's message shortcut.
 * @param {string} channel
 * @param {string} ts
 */
function moreActions(channel, ts) {
  const menu = h(
    'details',
    { className: 'more-actions' },
    h('summary', { 'aria-label': 'More actions', title: 'More actions' }, '⋮'),
    h(
      'div',
      { className: 'menu', role: 'menu' },
      h('div', { className: 'menu-heading' }, 'pgroup'),
      h(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          'data-shortcut': 'add_to_group',
          onclick: () => {
            menu.open = false;
            api('/api/shortcut', { user: ui.user, channel, messageTs: ts, callbackId: 'add_to_group' }).catch((err) => toast(err.message));
          },
        },
        'Add to a participant group…',
      ),
    ),
  );
  return menu;
}

/** @param {import('./state.js').Note} note */
export function renderNote(note) {
  return h(
    'article',
    { className: 'message ephemeral local-note' },
    h('div', { className: 'avatar system', 'aria-hidden': 'true' }, '💬'),
    h(
      'div',
      { className: 'message-body' },
      h('div', { className: 'message-meta' }, h('span', { className: 'author' }, 'Playground'), h('time', {}, timeOf(note.ts))),
      h('div', { className: 'ephemeral-note' }, '👁 Only visible to you'),
      h('div', {}, note.text),
    ),
  );
}
