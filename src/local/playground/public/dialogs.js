// @ts-check
// Slack's confirm dialog, shown before a button that asks for one sends its click.

import { byId, h } from './dom.js';
import { plain, textObject } from './mrkdwn.js';

/**
 * Shows the dialog; true once the person confirms, false when they deny or press Escape.
 * @param {import('./slackShapes.js').ConfirmObject} confirm
 * @returns {Promise<boolean>}
 */
export function confirmDialog(confirm) {
  return new Promise((resolve) => {
    const root = byId('dialog-root');
    /** @param {boolean} answer */
    const close = (answer) => {
      root.replaceChildren();
      document.removeEventListener('keydown', onKey);
      resolve(answer);
    };
    /** @param {KeyboardEvent} event */
    const onKey = (event) => {
      if (event.key === 'Escape') close(false);
    };
    const yes = h(
      'button',
      { type: 'button', className: `btn ${confirm.style === 'danger' ? 'danger' : 'primary'} confirm-yes`, onclick: () => close(true) },
      plain(confirm.confirm) || 'Yes',
    );
    const dialog = h(
      'div',
      { className: 'dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'dialog-title' },
      h('h3', { id: 'dialog-title' }, plain(confirm.title) || 'Are you sure?'),
      h('div', { className: 'dialog-text' }, textObject(confirm.text)),
      h(
        'div',
        { className: 'dialog-actions' },
        h('button', { type: 'button', className: 'btn confirm-no', onclick: () => close(false) }, plain(confirm.deny) || 'Cancel'),
        yes,
      ),
    );
    root.replaceChildren(h('div', { className: 'backdrop dialog-backdrop' }, dialog));
    document.addEventListener('keydown', onKey);
    yes.focus();
  });
}
