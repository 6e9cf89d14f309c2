// @ts-check
// The page around the messages: the banner, the person switcher, the sidebar with unread badges,
// the pane (a channel, or the app's Home and Messages tabs) and the composer that sends commands.

import { api } from './api.js';
import { renderBlocks } from './blocks.js';
import { byId, h, toast } from './dom.js';
import { renderMessage, renderNote } from './messages.js';
import { renderModal } from './modal.js';
import { ui } from './state.js';

/** @typedef {import('./slackShapes.js').Snapshot} Snapshot */
/** @typedef {import('./state.js').Place} Place */

/**
 * Messages a channel's unread badge counts: as in Slack, a reply in a thread is not one.
 * @param {import('./slackShapes.js').SnapshotMessage[]} list
 */
function topLevelCount(list) {
  return list.filter((m) => m.threadTs === null).length;
}

/** @type {Record<string, string>} */
const TOPICS = {
  general: 'Type /pgroup commands here. Replies only you can see are marked.',
  'pgroup-notifications': 'The app announces every change to a group here.',
};

/** @param {Snapshot} snap */
function dmChannel(snap) {
  const dm = snap.channels.find((c) => c.dm);
  return dm ? dm.id : null;
}

/**
 * The conversation the pane shows: a channel, or the app's Messages tab (the DM).
 * @param {Snapshot} snap
 */
function currentChannel(snap) {
  if (ui.place.kind === 'channel') return ui.place.id;
  return ui.place.tab === 'messages' ? dmChannel(snap) : null;
}

/** Draws the whole page from the last snapshot. */
export function render() {
  const snap = ui.snapshot;
  if (!snap) return;
  if (!ui.seen) ui.seen = Object.fromEntries(Object.entries(snap.messages).map(([id, list]) => [id, topLevelCount(list)]));
  const seen = ui.seen;
  const shown = currentChannel(snap);
  if (shown) seen[shown] = topLevelCount(snap.messages[shown] || []);

  byId('workspace-name').textContent = snap.workspace;
  const banner = byId('banner');
  banner.className = `banner ${snap.prolific}`;
  banner.textContent =
    snap.prolific === 'sandbox'
      ? 'The real bot, with the embedded Prolific sandbox: nothing here reaches Slack or Prolific.'
      : 'The real bot, with the real Prolific API: changes you confirm here are real.';

  const switcher = /** @type {HTMLSelectElement} */ (byId('user-switch'));
  switcher.replaceChildren(...snap.users.map((u) => h('option', { value: u.id }, `${u.name}${u.mayChangeGroups ? '' : ' · read-only'}`)));
  switcher.value = ui.user;
  const onBehalf = /** @type {HTMLSelectElement} */ (byId('workflow-user'));
  const chosen = onBehalf.value || ui.user;
  onBehalf.replaceChildren(...snap.users.map((u) => h('option', { value: u.id }, u.name)));
  onBehalf.value = chosen;
  const me = snap.users.find((u) => u.id === ui.user);
  byId('user-note').textContent = me
    ? `${me.realName}${me.external ? ', from another workspace,' : ''} ${me.mayChangeGroups ? 'may change groups.' : 'may look, but not change groups: try a change to see the refusal.'}`
    : '';

  /** @param {string} id */
  const unread = (id) => Math.max(0, topLevelCount(snap.messages[id] || []) - (seen[id] || 0));
  byId('channel-list').replaceChildren(
    ...snap.channels
      .filter((c) => !c.dm)
      .map((c) => {
        const active = ui.place.kind === 'channel' && ui.place.id === c.id;
        const count = active ? 0 : unread(c.id);
        return h(
          'li',
          {},
          h(
            'button',
            { type: 'button', className: `sidebar-item${active ? ' active' : ''}${count ? ' unread' : ''}`, 'data-channel': c.id, onclick: () => go({ kind: 'channel', id: c.id }) },
            h('span', { className: 'hash' }, '#'),
            h('span', { className: 'name' }, c.name),
            count ? h('span', { className: 'badge' }, String(count)) : null,
          ),
        );
      }),
  );
  const dm = dmChannel(snap);
  const appActive = ui.place.kind === 'app';
  const dmCount = dm && !(ui.place.kind === 'app' && ui.place.tab === 'messages') ? unread(dm) : 0;
  byId('app-list').replaceChildren(
    h(
      'li',
      {},
      h(
        'button',
        { type: 'button', className: `sidebar-item${appActive ? ' active' : ''}${dmCount ? ' unread' : ''}`, 'data-app': 'home', onclick: () => go({ kind: 'app', tab: 'home' }) },
        h('span', { className: 'app-dot', 'aria-hidden': 'true' }, snap.botName.slice(0, 1)),
        h('span', { className: 'name' }, snap.botName),
        dmCount ? h('span', { className: 'badge' }, String(dmCount)) : null,
      ),
    ),
  );

  renderPane(snap);
  renderModal();
}

/** @param {Snapshot} snap */
function renderPane(snap) {
  const place = ui.place;
  const list = byId('messages');
  const home = byId('home');
  const tabs = byId('app-tabs');
  const composer = byId('composer-form');
  const channel = currentChannel(snap);
  if (place.kind === 'channel') {
    const info = snap.channels.find((c) => c.id === place.id) || { name: place.id };
    byId('pane-title').textContent = `# ${info.name}`;
    byId('pane-topic').textContent = TOPICS[info.name] || '';
    tabs.hidden = true;
  } else {
    byId('pane-title').textContent = snap.botName;
    byId('pane-topic').textContent = 'The app: its Home tab, and your direct messages with it.';
    tabs.hidden = false;
    for (const tab of tabs.querySelectorAll('[data-tab]')) tab.setAttribute('aria-selected', String(/** @type {HTMLElement} */ (tab).dataset['tab'] === place.tab));
  }
  const onHome = place.kind === 'app' && place.tab === 'home';
  home.hidden = !onHome;
  list.hidden = onHome;
  composer.hidden = onHome;
  if (onHome) {
    home.replaceChildren(
      ...(snap.home ? renderBlocks(snap.home.blocks, { kind: 'home', view: snap.home }) : [h('p', { className: 'empty-pane' }, 'Opening the Home tab…')]),
    );
    return;
  }
  const composerBox = /** @type {HTMLTextAreaElement} */ (byId('composer'));
  const where = place.kind === 'channel' ? `#${snap.channels.find((c) => c.id === channel)?.name || ''}` : snap.botName;
  composerBox.placeholder = `Message ${where} — type /pgroup help to start`;

  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  // Replies are shown in their parent's thread, as Slack's client does; the channel shows the parents.
  const shown = channel === null ? [] : snap.messages[channel] || [];
  const known = new Set(shown.map((m) => m.ts));
  const replies = shown.filter((m) => m.threadTs !== null && known.has(m.threadTs));
  const topLevel = shown.filter((m) => !replies.includes(m));
  const messages = topLevel.map((m) => ({
    ts: Number(m.ts),
    node: () => renderMessage(m, channel ?? '', snap.botName, replies.filter((r) => r.threadTs === m.ts)),
  }));
  const notes = (ui.notes[`${ui.user}:${channel}`] || []).map((n) => ({ ts: n.ts, node: () => renderNote(n) }));
  const all = [...messages, ...notes].sort((a, b) => a.ts - b.ts);
  list.replaceChildren(
    ...(all.length
      ? all.map((item) => item.node())
      : [
          h(
            'div',
            { className: 'empty-pane' },
            h('strong', {}, place.kind === 'channel' ? `This is the very beginning of ${where}.` : `Your direct messages with ${snap.botName}.`),
            h('p', {}, place.kind === 'channel' && place.id === 'C_NOTIFY' ? 'Notifications of changes will appear here.' : 'Type /pgroup help, or pick a suggestion below.'),
          ),
        ]),
  );
  if (atBottom || ui.stickToBottom) list.scrollTop = list.scrollHeight;
  ui.stickToBottom = false;
}

/**
 * Moves the pane to `place`; the Home tab tells the app it was opened.
 * @param {Place} place
 */
export function go(place) {
  ui.place = place;
  ui.stickToBottom = true;
  render();
  if (place.kind === 'app' && place.tab === 'home') {
    // Each visit to the tab is an app_home_opened event; the app publishes the view.
    api('/api/home', { user: ui.user }).catch((err) => toast(err.message));
  }
}

/**
 * What the person typed in the composer: a slash command goes to the app; anything else is posted
 * as their message (with the files they attached), on which the app's message shortcut works.
 * @param {string} text
 */
export async function send(text) {
  const channel = ui.snapshot ? currentChannel(ui.snapshot) : null;
  const files = ui.attached;
  if ((!text.trim() && !files.length) || !channel) return;
  ui.stickToBottom = true;
  try {
    if (!text.trim().startsWith('/')) {
      ui.attached = [];
      renderAttached();
      await api('/api/post', { user: ui.user, channel, text, files: files.map((f) => f.id) });
      return;
    }
    const answer = await api('/api/command', { user: ui.user, channel, text });
    if (answer.note) {
      const key = `${ui.user}:${channel}`;
      ui.notes[key] = [...(ui.notes[key] || []), { ts: Date.now() / 1000, text: answer.note }];
      render();
    }
  } catch (err) {
    toast(/** @type {Error} */ (err).message);
  }
}

/** The files attached to the next message, shown under the composer. */
export function renderAttached() {
  byId('attached').replaceChildren(...ui.attached.map((f) => h('span', { className: 'chip attached-file' }, `📄 ${f.name}`)));
}
