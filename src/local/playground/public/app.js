// @ts-check
// The playground page: shows what the local Slack holds, as Slack's client would show it to the
// person chosen in "Viewing as", and sends their clicks and typing to the app through the server.
// This entry module wires the page's controls and the server's change stream to the modules that
// draw it: page (the frame), messages, blocks, modal and modalInputs, dialogs and mrkdwn.

import { api, uploadFile } from './api.js';
import { byId, h, toast } from './dom.js';
import { go, render, renderAttached, send } from './page.js';
import { drawWith, refresh } from './refresh.js';
import { ui } from './state.js';

const SUGGESTIONS = ['/pgroup help', '/pgroup list', '/pgroup show pilot', '/pgroup upload', '/pgroup watch pilot'];

function start() {
  drawWith(render);
  const composer = /** @type {HTMLTextAreaElement} */ (byId('composer'));
  const composerForm = /** @type {HTMLFormElement} */ (byId('composer-form'));
  composerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = composer.value;
    composer.value = '';
    send(text);
  });
  composer.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      composerForm.requestSubmit();
    }
  });
  byId('suggestions').replaceChildren(
    ...SUGGESTIONS.map((s) =>
      h(
        'button',
        {
          type: 'button',
          className: 'chip',
          onclick: () => {
            composer.value = s;
            composer.focus();
          },
        },
        s,
      ),
    ),
  );
  // The shortcuts menu: the app's global shortcut.
  const shortcuts = /** @type {HTMLDetailsElement} */ (byId('shortcuts-menu'));
  for (const item of shortcuts.querySelectorAll('[data-shortcut]')) {
    item.addEventListener('click', () => {
      shortcuts.open = false;
      const callbackId = /** @type {HTMLElement} */ (item).dataset['shortcut'];
      api('/api/shortcut', { user: ui.user, callbackId }).catch((err) => toast(err.message));
    });
  }
  // A file for the next message, hosted as Slack hosts a shared file.
  const attach = /** @type {HTMLInputElement} */ (byId('attach-file'));
  attach.addEventListener('change', async () => {
    const file = attach.files?.[0];
    attach.value = '';
    if (!file) return;
    try {
      ui.attached = [...ui.attached, await uploadFile(ui.user, file)];
      renderAttached();
    } catch (err) {
      toast(/** @type {Error} */ (err).message);
    }
  });
  // The Workflow panel: Workflow Builder running the app's step with these inputs.
  const workflow = /** @type {HTMLFormElement} */ (byId('workflow-form'));
  workflow.addEventListener('submit', async (event) => {
    event.preventDefault();
    const field = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id)).value;
    const result = byId('workflow-result');
    result.textContent = 'Running…';
    try {
      const answer = await api('/api/workflow', { user: ui.user, group: field('workflow-group'), participantIds: field('workflow-ids'), onBehalfOf: field('workflow-user') });
      const outcome = answer.outcome;
      result.textContent = !answer.ok
        ? answer.note
        : outcome.kind === 'success'
          ? `Step completed: ${outcome.outputs.added_count} added, ${outcome.outputs.new_count} members now.`
          : `Step failed: ${outcome.error}`;
      result.className = `workflow-result ${answer.ok && outcome.kind === 'success' ? 'success' : 'error'}`;
    } catch (err) {
      result.textContent = /** @type {Error} */ (err).message;
    }
  });
  byId('user-switch').addEventListener('change', (event) => {
    ui.user = /** @type {HTMLSelectElement} */ (event.target).value;
    localStorage.setItem('pgroup.playground.user', ui.user);
    ui.seen = null;
    ui.form = null;
    ui.snapshot = null;
    byId('modal-root').replaceChildren();
    refresh().then(() => {
      if (ui.place.kind === 'app' && ui.place.tab === 'home') go(ui.place);
    });
  });
  for (const tab of document.querySelectorAll('#app-tabs [data-tab]')) {
    const name = /** @type {HTMLElement} */ (tab).dataset['tab'] === 'messages' ? 'messages' : 'home';
    tab.addEventListener('click', () => go({ kind: 'app', tab: name }));
  }
  const events = new EventSource('/api/events');
  events.addEventListener('change', () => refresh());
  events.addEventListener('open', () => {
    document.body.classList.remove('offline');
    refresh();
  });
  events.addEventListener('error', () => document.body.classList.add('offline'));
  refresh();
}

start();
