// @ts-check
// The open modal's form: what the person entered in each input, or the input's initial value, and
// which of it the page sends (only what they changed: Slack fills in the rest).

import { plain } from './mrkdwn.js';
import { ui } from './state.js';

/** @typedef {import('./slackShapes.js').Block} Block */
/** @typedef {import('./slackShapes.js').Element} Element */
/** @typedef {import('./state.js').FieldValue} FieldValue */

/**
 * @param {Block} block
 * @param {Element} element
 */
export function fieldKey(block, element) {
  return `${block.block_id}/${element.action_id}`;
}

/**
 * Every option of a select, radio group or checkbox group, its groups' included.
 * @param {Element} element
 */
export function optionsOf(element) {
  const all = [...(element.options || [])];
  for (const group of element.option_groups || []) all.push(...(group.options || []));
  return all;
}

/**
 * What an element holds: what the person entered, or the element's initial value.
 * @param {Block} block
 * @param {Element} element
 * @returns {FieldValue}
 */
export function currentValue(block, element) {
  const key = fieldKey(block, element);
  if (ui.form && key in ui.form.values) return ui.form.values[key] ?? null;
  switch (element.type) {
    case 'plain_text_input':
      return element.initial_value || '';
    case 'static_select':
    case 'radio_buttons':
      return element.initial_option ? element.initial_option.value : null;
    case 'external_select':
      return element.initial_option ? { selected: element.initial_option.value, text: plain(element.initial_option.text) } : null;
    case 'checkboxes':
      return (element.initial_options || []).map((o) => o.value);
    case 'file_input':
      return { files: [] };
    default:
      return null;
  }
}

/** @param {FieldValue | undefined} value */
export function isEmpty(value) {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && 'files' in value) return value.files.length === 0;
  if (typeof value === 'string') return value.trim() === '';
  return false;
}

/**
 * @param {Block} block
 * @param {Element} element
 * @param {FieldValue} value
 */
export function setValue(block, element, value) {
  if (ui.form) ui.form.values[fieldKey(block, element)] = value;
}

/**
 * Only what the person changed: Slack fills in the initial values of the rest. Files go by id.
 * @returns {Record<string, unknown>}
 */
export function touchedValues() {
  /** @type {Record<string, unknown>} */
  const values = {};
  for (const [key, value] of Object.entries(ui.form ? ui.form.values : {})) {
    values[key] = value && typeof value === 'object' && 'files' in value ? { files: value.files.map((f) => f.id) } : value;
  }
  return values;
}
