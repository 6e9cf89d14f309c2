// @ts-check
// The playground page: shows what the local Slack holds, as Slack's client would show it to the
// person chosen in "Viewing as", and sends their clicks and typing to the app through the server.
// This entry module wires the page's controls and the server's change stream to the modules that
// draw it: page (the frame), messages, blocks, modal and modalInputs, dialogs and mrkdwn.

import { byId, h } from './dom.js';
import { go, render, send } from './page.js';
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
