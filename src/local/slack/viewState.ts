// What a user's inputs look like in Slack's payloads: the interactive elements of a message or view,
// the options they offer, and view.state.values built from what the user entered (or the elements'
// initial values), with the checks Slack's client makes before it lets a view be submitted.

import { asRecord } from '../http/loopbackHttp';
import type { SlackFile } from './localFiles';

/** An option by its value (its text is looked up in the element), or given whole for external selects. */
export type SelectedOptionInput = string | { text: string; value: string };

/**
 * What a user entered in one input, keyed by action_id (or 'blockId/actionId' when an action_id repeats):
 * a string for text inputs, pickers (user, conversation, date…) and single selects (the option's value);
 * string[] for checkboxes and multi-selects; `{ selected, text? }` for a select (text for external ones);
 * `{ files }` for file_input (files from LocalSlack.hostFile); null to leave it empty.
 */
export type ViewValueInput = string | string[] | { selected: string; text?: string } | { files: SlackFile[] } | null;

export type Json = Record<string, unknown>;

/** What the user did to one element: which one, and the value or options they chose. */
export interface ActionInput {
  actionId: string;
  blockId?: string;
  /** A button's value (defaults to the button's own), a text input's value, or a picker's selection. */
  value?: string;
  selectedOption?: SelectedOptionInput;
  selectedOptions?: SelectedOptionInput[];
}

export interface FoundElement {
  blockId: string;
  block: Json;
  element: Json;
}

export const TEXT_INPUTS = new Set(['plain_text_input', 'number_input', 'email_text_input', 'url_text_input']);
export const SINGLE_SELECTS = new Set(['static_select', 'external_select', 'radio_buttons', 'overflow']);
export const MULTI_SELECTS = new Set(['multi_static_select', 'multi_external_select', 'checkboxes']);
export const PICKERS: Record<string, string> = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};
export const MULTI_PICKERS: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};
const STATEFUL = new Set([
  ...TEXT_INPUTS,
  ...SINGLE_SELECTS,
  ...MULTI_SELECTS,
  ...Object.keys(PICKERS),
  ...Object.keys(MULTI_PICKERS),
  'datetimepicker',
  'file_input',
  'rich_text_input',
]);
STATEFUL.delete('overflow');

export function blocksOf(surface: Json | undefined): unknown[] {
  const blocks = surface?.['blocks'];
  return Array.isArray(blocks) ? blocks : [];
}

/** Every element of the blocks that a user can act on, with its block. */
export function elementsOf(blocks: unknown[]): FoundElement[] {
  const found: FoundElement[] = [];
  for (const value of blocks) {
    const block = asRecord(value);
    if (!block) continue;
    const blockId = String(block['block_id'] ?? '');
    const candidates: unknown[] = [];
    if (Array.isArray(block['elements']) && block['type'] === 'actions') candidates.push(...block['elements']);
    if (block['type'] === 'input') candidates.push(block['element']);
    if (block['type'] === 'section') candidates.push(block['accessory']);
    for (const candidate of candidates) {
      const element = asRecord(candidate);
      if (element && typeof element['action_id'] === 'string') found.push({ blockId, block, element });
    }
  }
  return found;
}

export function findElement(blocks: unknown[], actionId: string, blockId: string | undefined): FoundElement | undefined {
  return elementsOf(blocks).find(
    (f) => f.element['action_id'] === actionId && (blockId === undefined || f.blockId === blockId),
  );
}

function optionsOf(element: Json): Json[] {
  const all: Json[] = [];
  const take = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const option of list) {
      const record = asRecord(option);
      if (record) all.push(record);
    }
  };
  take(element['options']);
  if (Array.isArray(element['option_groups'])) {
    for (const group of element['option_groups']) take(asRecord(group)?.['options']);
  }
  return all;
}

/** The option as Slack echoes it back: its text object and value (and description when it has one). */
export function resolveOption(element: Json, chosen: SelectedOptionInput | { selected: string; text?: string }): Json {
  const value = typeof chosen === 'string' ? chosen : 'selected' in chosen ? chosen.selected : chosen.value;
  const type = String(element['type']);
  if (type === 'external_select' || type === 'multi_external_select') {
    const text = typeof chosen === 'string' ? value : (chosen.text ?? value);
    return { text: { type: 'plain_text', text, emoji: true }, value };
  }
  const option = optionsOf(element).find((o) => o['value'] === value);
  if (!option) {
    throw new Error(`"${value}" is not one of the options of ${type} "${String(element['action_id'])}"`);
  }
  return {
    text: option['text'],
    value: option['value'],
    ...(option['description'] === undefined ? {} : { description: option['description'] }),
  };
}

function isEmptyValue(value: Json): boolean {
  for (const [key, field] of Object.entries(value)) {
    if (key === 'type') continue;
    if (field === null || field === undefined || field === '') continue;
    if (Array.isArray(field) && field.length === 0) continue;
    return false;
  }
  return true;
}

/** The state value Slack reports for one element: what the user entered, else the element's initial value. */
function stateValueOf(element: Json, input: ViewValueInput | undefined): Json {
  const type = String(element['type']);
  const given = input !== undefined;
  const asText = (value: ViewValueInput | undefined): string | null => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.join(',');
    if ('selected' in value) return value.selected;
    return null;
  };
  if (TEXT_INPUTS.has(type)) {
    return { type, value: given ? asText(input) : ((element['initial_value'] as string | undefined) ?? null) };
  }
  if (SINGLE_SELECTS.has(type)) {
    if (!given) return { type, selected_option: element['initial_option'] ?? null };
    if (input === null) return { type, selected_option: null };
    if (typeof input === 'string' || (typeof input === 'object' && 'selected' in input && !Array.isArray(input))) {
      return { type, selected_option: resolveOption(element, input) };
    }
    throw new Error(`${type} "${String(element['action_id'])}" takes one option value`);
  }
  if (MULTI_SELECTS.has(type)) {
    if (!given) return { type, selected_options: element['initial_options'] ?? [] };
    const values = input === null ? [] : Array.isArray(input) ? input : typeof input === 'string' ? [input] : undefined;
    if (!values) throw new Error(`${type} "${String(element['action_id'])}" takes a list of option values`);
    return { type, selected_options: values.map((v) => resolveOption(element, v)) };
  }
  const picker = PICKERS[type];
  if (picker) {
    const initialKey = picker.replace('selected_', 'initial_');
    return { type, [picker]: given ? asText(input) : (element[initialKey] ?? null) };
  }
  const multiPicker = MULTI_PICKERS[type];
  if (multiPicker) {
    const initialKey = multiPicker.replace('selected_', 'initial_');
    const values = input === null ? [] : Array.isArray(input) ? input : typeof input === 'string' ? [input] : [];
    return { type, [multiPicker]: given ? values : (element[initialKey] ?? []) };
  }
  if (type === 'datetimepicker') {
    const text = asText(input);
    return { type, selected_date_time: given ? (text === null ? null : Number(text)) : (element['initial_date_time'] ?? null) };
  }
  if (type === 'file_input') {
    const files = input && typeof input === 'object' && !Array.isArray(input) && 'files' in input ? input.files : [];
    return { type, files };
  }
  if (type === 'rich_text_input') {
    const text = asText(input);
    return {
      type,
      rich_text_value:
        text === null
          ? (element['initial_value'] ?? null)
          : { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] },
    };
  }
  return { type };
}

export interface BuiltState {
  values: Record<string, Record<string, Json>>;
  problems: string[];
}

/** view.state.values for the blocks, from what the user entered (`inputs`) and the elements' initial values. */
export function buildState(blocks: unknown[], inputs: Record<string, ViewValueInput>, checkClient: boolean): BuiltState {
  const values: Record<string, Record<string, Json>> = {};
  const problems: string[] = [];
  const used = new Set<string>();
  for (const { blockId, block, element } of elementsOf(blocks)) {
    const type = String(element['type']);
    if (!STATEFUL.has(type)) continue;
    const actionId = String(element['action_id']);
    const qualified = `${blockId}/${actionId}`;
    const key = qualified in inputs ? qualified : actionId in inputs ? actionId : undefined;
    if (key !== undefined) used.add(key);
    const value = stateValueOf(element, key === undefined ? undefined : inputs[key]);
    values[blockId] = { ...values[blockId], [actionId]: value };
    if (!checkClient || block['type'] !== 'input') continue;
    if (block['optional'] !== true && isEmptyValue(value)) {
      problems.push(`the required input "${actionId}" (block "${blockId}") is empty`);
    }
    const text = value['value'];
    if (type === 'plain_text_input' && typeof text === 'string') {
      const length = [...text].length;
      const min = element['min_length'];
      const max = element['max_length'];
      if (typeof min === 'number' && length < min) problems.push(`"${actionId}" needs at least ${min} characters`);
      if (typeof max === 'number' && length > max) problems.push(`"${actionId}" allows at most ${max} characters`);
    }
    const files = value['files'];
    if (type === 'file_input' && Array.isArray(files)) {
      const maxFiles = typeof element['max_files'] === 'number' ? element['max_files'] : 10;
      if (files.length > maxFiles) problems.push(`"${actionId}" takes at most ${maxFiles} files`);
      const filetypes = element['filetypes'];
      if (Array.isArray(filetypes)) {
        // filetypes lists file extensions (Slack's filetype for .txt is "text", so it cannot be compared).
        for (const file of files as SlackFile[]) {
          const extension = file.name.includes('.') ? (file.name.split('.').pop() ?? '').toLowerCase() : '';
          if (!filetypes.includes(extension)) problems.push(`"${actionId}" does not take .${extension} files`);
        }
      }
    }
  }
  for (const key of Object.keys(inputs)) {
    if (!used.has(key)) problems.push(`no input with action_id "${key}" in the view`);
  }
  return { values, problems };
}

/** What a block_actions payload reports for the element acted on (action_ts left to the sender). */
export function actionPayload(input: ActionInput, found: FoundElement | undefined): Json {
  const element = found?.element ?? { type: 'button', action_id: input.actionId };
  const type = String(element['type']);
  const action: Json = { type, action_id: input.actionId, block_id: input.blockId ?? found?.blockId ?? '' };
  if (type === 'button') {
    if (element['text'] !== undefined) action['text'] = element['text'];
    const value = input.value ?? element['value'];
    if (value !== undefined) action['value'] = value;
    if (element['style'] !== undefined) action['style'] = element['style'];
  } else if (SINGLE_SELECTS.has(type)) {
    const chosen = input.selectedOption ?? input.value;
    action['selected_option'] = chosen === undefined ? null : resolveOption(element, chosen);
  } else if (MULTI_SELECTS.has(type)) {
    action['selected_options'] = (input.selectedOptions ?? []).map((o) => resolveOption(element, o));
  } else if (PICKERS[type]) {
    action[PICKERS[type]] = input.value ?? null;
  } else if (MULTI_PICKERS[type]) {
    action[MULTI_PICKERS[type]] = input.value === undefined ? [] : [input.value];
  } else if (TEXT_INPUTS.has(type)) {
    action['value'] = input.value ?? '';
  } else if (input.value !== undefined) {
    action['value'] = input.value;
  }
  if (element['placeholder'] !== undefined && type !== 'button') action['placeholder'] = element['placeholder'];
  return action;
}

/** response_urls for conversation pickers with response_url_enabled, as Slack adds them to view_submission. */
export function responseUrlsFor(blocks: unknown[], values: BuiltState['values'], createUrl: (channel: string) => string): Json[] {
  const urls: Json[] = [];
  for (const { blockId, element } of elementsOf(blocks)) {
    if (element['response_url_enabled'] !== true) continue;
    const actionId = String(element['action_id']);
    const state = values[blockId]?.[actionId];
    const channel = state?.['selected_conversation'] ?? state?.['selected_channel'];
    if (typeof channel !== 'string') continue;
    urls.push({
      block_id: blockId,
      action_id: actionId,
      channel_id: channel,
      response_url: createUrl(channel),
    });
  }
  return urls;
}
