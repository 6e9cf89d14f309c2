// @ts-check
// A person acting on an element: the click, choice or entry goes to the app as Slack's block_actions.

import { api } from './api.js';
import { toast } from './dom.js';
import { touchedValues } from './form.js';
import { ui } from './state.js';

/**
 * Where an element lives: a message (channel + ts) or a view (modal or Home tab).
 * @typedef {{ kind: 'message', channel: string, ts: string } | { kind: 'modal' | 'home', view: import('./slackShapes.js').ViewObject }} Surface
 */

/**
 * Sends a block_actions interaction: from a message, or from a view with what was entered so far.
 * @param {Surface} surface
 * @param {{ actionId: string, blockId: string, value?: string, selectedOption?: string | { value: string, text: string } }} action
 */
export async function act(surface, action) {
  /** @type {Record<string, unknown>} */
  const body = { user: ui.user, ...action };
  if (surface.kind === 'message') Object.assign(body, { channel: surface.channel, messageTs: surface.ts });
  else Object.assign(body, { viewId: surface.view.id, stateValues: surface.kind === 'modal' ? touchedValues() : {} });
  try {
    const answer = await api('/api/click', body);
    if (answer.note) toast(answer.note);
  } catch (err) {
    toast(/** @type {Error} */ (err).message);
  }
}
