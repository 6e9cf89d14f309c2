// @ts-check
// The open modal: drawn from the newest view the app has shown, with what the person entered kept
// across the app's updates, checked as Slack's client checks it before a submission, and closed.

import { api } from './api.js';
import { byId, h, toast } from './dom.js';
import { currentValue, fieldKey, isEmpty, touchedValues } from './form.js';
import { renderBlocks } from './blocks.js';
import { plain } from './mrkdwn.js';
import { refresh } from './refresh.js';
import { ui } from './state.js';

/** @typedef {import('./slackShapes.js').ViewObject} ViewObject */
/** @typedef {import('./state.js').Form} Form */

const REQUIRED = 'Please complete this required field.';

/** Draws the snapshot's modal (or none), starting a form for a new view and keeping one across updates. */
export function renderModal() {
  const root = byId('modal-root');
  const view = ui.snapshot?.modal;
  if (!view) {
    ui.form = null;
    root.replaceChildren();
    return;
  }
  if (!ui.form || ui.form.viewId !== view.id) {
    ui.form = { viewId: view.id, hash: view.hash, values: {}, errors: {}, busy: false };
  } else if (ui.form.hash !== view.hash) {
    // Slack keeps what was entered in inputs whose block_id and action_id survive an update.
    const keep = new Set();
    for (const block of view.blocks) if (block.type === 'input' && block.element) keep.add(fieldKey(block, block.element));
    ui.form.values = Object.fromEntries(Object.entries(ui.form.values).filter(([key]) => keep.has(key)));
    Object.assign(ui.form, { hash: view.hash, errors: {}, busy: false });
  } else if (root.firstChild) {
    return;
  }
  drawModal(view, ui.form);
}

/**
 * @param {ViewObject} view
 * @param {Form} form
 */
function drawModal(view, form) {
  /** @type {import('./interactions.js').Surface} */
  const surface = { kind: 'modal', view };
  const closeText = view.close ? plain(view.close) : 'Cancel';
  const submit = view.submit
    ? h('button', { type: 'submit', className: 'btn primary modal-submit', disabled: form.busy }, form.busy ? 'Sending…' : plain(view.submit))
    : null;
  const modal = h(
    'form',
    { className: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'modal-title', 'data-view-id': view.id, 'data-callback-id': view.callback_id },
    h(
      'div',
      { className: 'modal-head' },
      h('h2', { id: 'modal-title' }, plain(view.title)),
      h('button', { type: 'button', className: 'modal-x', 'aria-label': 'Close', onclick: () => closeModal(view) }, '×'),
    ),
    h('div', { className: 'modal-body' }, renderBlocks(view.blocks, surface)),
    h('div', { className: 'modal-foot' }, h('button', { type: 'button', className: 'btn modal-close', onclick: () => closeModal(view) }, closeText), submit),
  );
  modal.addEventListener('submit', (event) => {
    event.preventDefault();
    submitModal(view);
  });
  byId('modal-root').replaceChildren(h('div', { className: 'backdrop modal-backdrop' }, modal));
}

/**
 * Redraws the form from the newest view the page holds. The app may already have replaced the
 * view (e.g. "Reading file…") before its answer to the submission arrived here.
 * @param {Form} form
 */
function redrawModal(form) {
  const latest = ui.snapshot?.modal;
  if (ui.form === form && latest && latest.id === form.viewId) drawModal(latest, form);
}

/** @param {ViewObject} view */
async function closeModal(view) {
  try {
    await api('/api/close', { user: ui.user, viewId: view.id });
  } catch (err) {
    toast(/** @type {Error} */ (err).message);
  }
  refresh();
}

/** @param {ViewObject} view */
async function submitModal(view) {
  const form = /** @type {Form} */ (ui.form);
  // Slack's client checks required inputs and lengths itself before it sends anything.
  /** @type {Record<string, string>} */
  const errors = {};
  for (const block of view.blocks) {
    if (block.type !== 'input' || !block.element) continue;
    const value = currentValue(block, block.element);
    if (!block.optional && isEmpty(value)) errors[block.block_id] = REQUIRED;
    const min = block.element.min_length;
    if (typeof value === 'string' && value && min && value.length < min) errors[block.block_id] = `Please enter at least ${min} characters.`;
  }
  form.errors = errors;
  if (Object.keys(errors).length) {
    drawModal(view, form);
    return;
  }
  form.busy = true;
  drawModal(view, form);
  try {
    const answer = await api('/api/submit', { user: ui.user, viewId: view.id, values: touchedValues() });
    const outcome = answer.outcome || {};
    form.busy = false;
    if (outcome.outcome === 'errors') form.errors = outcome.errors;
    else if (outcome.outcome === 'rejected') toast(`Slack would not show the app's answer: ${(outcome.violations || []).join('; ')}`);
    else if (outcome.outcome === 'kept_open') toast(outcome.reason || 'The app did not answer in time.');
  } catch (err) {
    form.busy = false;
    toast(/** @type {Error} */ (err).message);
  }
  redrawModal(form);
  refresh();
}
