// Block Kit limits, checked before a message or view is accepted, as Slack does: Slack answers
// `invalid_blocks` (messages) or `invalid_arguments` (views) for a payload that breaks one.
// The numbers are the app's own table (src/slack/blocks/blockKitLimits.ts), so the renderers and this
// check cannot disagree. Lengths are counted in UTF-16 units, as Slack counts them. Text holding half
// of a surrogate pair is refused here: Slack shows it as a replacement character at best.
// One file past the usual size on purpose: the one recursive walk that holds a payload to the limits
// (sharing the violations and the ids seen) is read and changed as a whole.

import { BLOCK_KIT_LIMITS } from '../../slack/blocks/blockKitLimits';
import { asRecord } from '../http/loopbackHttp';

export { BLOCK_KIT_LIMITS };

export type BlockKitSurface = 'message' | 'modal' | 'home';

const L = BLOCK_KIT_LIMITS;

const KNOWN_BLOCK_TYPES = new Set([
  'section',
  'header',
  'context',
  'actions',
  'input',
  'divider',
  'image',
  'rich_text',
  'file',
  'video',
  'markdown',
  'table',
  'context_actions',
]);

const STATIC_SELECTS = new Set(['static_select', 'multi_static_select']);

type Json = Record<string, unknown>;

/** Slack counts UTF-16 code units, so an emoji outside the Basic Multilingual Plane is two. */
function charCount(text: string): number {
  return text.length;
}

/** Half of a surrogate pair: what a cut by UTF-16 units leaves of an emoji. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const HALF_CHARACTER = 'a lone surrogate (half of an emoji or other character)';

/**
 * The Block Kit limits that `payload` breaks, as sentences naming where (`blocks[3].text`) and which
 * limit. Empty when the payload is fine. For 'message' pass `{ blocks }`; for 'modal' and 'home' pass
 * `{ view }`.
 */
export function checkBlockKitLimits(kind: BlockKitSurface, payload: { blocks?: unknown[]; view?: unknown }): string[] {
  const check = new BlockKitCheck();
  if (kind === 'message') {
    check.blocks(payload.blocks ?? [], 'blocks', L.messageBlocks);
  } else {
    check.view(kind, payload.view);
  }
  return check.violations;
}

class BlockKitCheck {
  readonly violations: string[] = [];
  private readonly blockIds = new Map<string, string>();

  private add(violation: string): void {
    this.violations.push(violation);
  }

  view(kind: 'modal' | 'home', value: unknown): void {
    const view = asRecord(value);
    if (!view) {
      this.add('view: must be an object');
      return;
    }
    if (view['type'] !== kind) {
      this.add(`view.type: must be "${kind}" here, got ${JSON.stringify(view['type'])}`);
    }
    if (kind === 'modal') {
      this.text(view['title'], 'view.title', { max: L.modalTitle, plainOnly: true, required: true, what: 'modal title' });
      this.text(view['submit'], 'view.submit', { max: L.modalButton, plainOnly: true, what: 'modal submit' });
      this.text(view['close'], 'view.close', { max: L.modalButton, plainOnly: true, what: 'modal close' });
    }
    this.string(view['private_metadata'], 'view.private_metadata', L.privateMetadata);
    this.string(view['callback_id'], 'view.callback_id', L.callbackId);
    this.string(view['external_id'], 'view.external_id', L.externalId);
    const blocks = view['blocks'];
    if (!Array.isArray(blocks)) {
      this.add('view.blocks: must be an array');
      return;
    }
    this.blocks(blocks, 'view.blocks', L.viewBlocks);
    // "submit is required when an input block is within the blocks array" (modal view fields).
    if (kind === 'modal' && view['submit'] === undefined && blocks.some((b) => asRecord(b)?.['type'] === 'input')) {
      this.add('view.submit: a modal with an input block needs a submit button');
    }
  }

  blocks(blocks: unknown, path: string, max: number): void {
    if (!Array.isArray(blocks)) {
      this.add(`${path}: must be an array`);
      return;
    }
    if (blocks.length > max) {
      this.add(`${path}: ${blocks.length} blocks, over the limit of ${max}`);
    }
    blocks.forEach((block, index) => {
      this.block(block, `${path}[${index}]`);
    });
  }

  private block(value: unknown, path: string): void {
    const block = asRecord(value);
    if (!block) {
      this.add(`${path}: a block must be an object`);
      return;
    }
    const type = block['type'];
    if (typeof type !== 'string') {
      this.add(`${path}.type: missing`);
      return;
    }
    if (!KNOWN_BLOCK_TYPES.has(type)) {
      this.add(`${path}.type: unknown block type "${type}"`);
    }
    const blockId = block['block_id'];
    if (blockId !== undefined) {
      if (typeof blockId !== 'string' || blockId === '') {
        this.add(`${path}.block_id: must be a non-empty string`);
      } else {
        this.string(blockId, `${path}.block_id`, L.blockId);
        const firstUse = this.blockIds.get(blockId);
        if (firstUse !== undefined) {
          this.add(`${path}.block_id: "${blockId}" is already used by ${firstUse}; block_id must be unique`);
        } else {
          this.blockIds.set(blockId, path);
        }
      }
    }
    const actionIds = new Map<string, string>();
    switch (type) {
      case 'section':
        this.section(block, path, actionIds);
        break;
      case 'header':
        this.text(block['text'], `${path}.text`, { max: L.headerText, plainOnly: true, required: true, what: 'header' });
        break;
      case 'context':
        this.context(block, path);
        break;
      case 'actions':
        this.elementList(block['elements'], `${path}.elements`, L.actionsElements, actionIds);
        break;
      case 'input':
        this.text(block['label'], `${path}.label`, { max: L.inputLabel, plainOnly: true, required: true, what: 'label' });
        this.text(block['hint'], `${path}.hint`, { max: L.inputHint, plainOnly: true, what: 'hint' });
        if (block['element'] === undefined) {
          this.add(`${path}.element: an input block needs an element`);
        } else {
          this.element(block['element'], `${path}.element`, actionIds);
        }
        break;
      case 'image':
        this.image(block, path);
        this.text(block['title'], `${path}.title`, { max: L.imageTitle, plainOnly: true, what: 'image title' });
        break;
      case 'markdown':
        this.string(block['text'], `${path}.text`, L.markdownText);
        break;
      default:
        break;
    }
  }

  private section(block: Json, path: string, actionIds: Map<string, string>): void {
    const fields = block['fields'];
    if (block['text'] === undefined && fields === undefined) {
      this.add(`${path}: a section needs text or fields`);
    }
    this.text(block['text'], `${path}.text`, { max: L.sectionText, what: 'section text' });
    if (fields !== undefined) {
      if (!Array.isArray(fields)) {
        this.add(`${path}.fields: must be an array`);
      } else {
        if (fields.length > L.sectionFields) {
          this.add(`${path}.fields: ${fields.length} fields, over the limit of ${L.sectionFields}`);
        }
        fields.forEach((field, index) => {
          this.text(field, `${path}.fields[${index}]`, { max: L.sectionFieldText, required: true, what: 'section field' });
        });
      }
    }
    if (block['accessory'] !== undefined) {
      this.element(block['accessory'], `${path}.accessory`, actionIds);
    }
  }

  private context(block: Json, path: string): void {
    const elements = block['elements'];
    if (!Array.isArray(elements) || elements.length === 0) {
      this.add(`${path}.elements: a context block needs at least one element`);
      return;
    }
    if (elements.length > L.contextElements) {
      this.add(`${path}.elements: ${elements.length} elements, over the limit of ${L.contextElements}`);
    }
    elements.forEach((value, index) => {
      const element = asRecord(value);
      const at = `${path}.elements[${index}]`;
      if (element?.['type'] === 'image') {
        this.image(element, at);
      } else {
        this.text(value, at, { max: L.contextText, required: true, what: 'context text' });
      }
    });
  }

  private image(image: Json, path: string): void {
    this.string(image['alt_text'], `${path}.alt_text`, L.imageAltText);
    if (typeof image['alt_text'] !== 'string' || image['alt_text'] === '') {
      this.add(`${path}.alt_text: an image needs alt_text`);
    }
    this.string(image['image_url'], `${path}.image_url`, L.imageUrl);
    if (image['image_url'] === undefined && image['slack_file'] === undefined) {
      this.add(`${path}: an image needs image_url or slack_file`);
    }
  }

  private elementList(value: unknown, path: string, max: number, actionIds: Map<string, string>): void {
    if (!Array.isArray(value) || value.length === 0) {
      this.add(`${path}: needs at least one element`);
      return;
    }
    if (value.length > max) {
      this.add(`${path}: ${value.length} elements, over the limit of ${max}`);
    }
    value.forEach((element, index) => {
      this.element(element, `${path}[${index}]`, actionIds);
    });
  }

  private element(value: unknown, path: string, actionIds: Map<string, string>): void {
    const element = asRecord(value);
    if (!element) {
      this.add(`${path}: an element must be an object`);
      return;
    }
    const type = element['type'];
    if (typeof type !== 'string') {
      this.add(`${path}.type: missing`);
      return;
    }
    const actionId = element['action_id'];
    if (actionId !== undefined) {
      if (typeof actionId !== 'string' || actionId === '') {
        this.add(`${path}.action_id: must be a non-empty string`);
      } else {
        this.string(actionId, `${path}.action_id`, L.actionId);
        const firstUse = actionIds.get(actionId);
        if (firstUse !== undefined) {
          this.add(`${path}.action_id: "${actionId}" is already used by ${firstUse} in the same block`);
        } else {
          actionIds.set(actionId, path);
        }
      }
    }
    this.text(element['placeholder'], `${path}.placeholder`, { max: L.placeholder, plainOnly: true, what: 'placeholder' });
    if (element['confirm'] !== undefined) {
      this.confirm(element['confirm'], `${path}.confirm`);
    }
    switch (type) {
      case 'button':
        this.text(element['text'], `${path}.text`, { max: L.buttonText, plainOnly: true, required: true, what: 'button' });
        if (element['value'] === '') this.add(`${path}.value: must not be empty (leave value out instead)`);
        this.string(element['value'], `${path}.value`, L.buttonValue);
        this.string(element['url'], `${path}.url`, L.buttonUrl);
        this.string(element['accessibility_label'], `${path}.accessibility_label`, L.buttonAccessibilityLabel);
        if (element['style'] !== undefined && element['style'] !== 'primary' && element['style'] !== 'danger') {
          this.add(`${path}.style: must be "primary" or "danger"`);
        }
        break;
      case 'static_select':
      case 'multi_static_select':
        this.staticSelect(element, path);
        break;
      case 'overflow':
        this.optionList(element['options'], `${path}.options`, { min: 1, max: L.overflowOptions, plainOnly: true });
        break;
      case 'radio_buttons':
        this.optionList(element['options'], `${path}.options`, { min: 1, max: L.radioOptions, plainOnly: false });
        this.initialOptions(element, path);
        break;
      case 'checkboxes':
        this.optionList(element['options'], `${path}.options`, { min: 1, max: L.checkboxOptions, plainOnly: false });
        this.initialOptions(element, path);
        break;
      case 'plain_text_input':
        this.plainTextInput(element, path);
        break;
      case 'file_input': {
        const maxFiles = element['max_files'];
        if (maxFiles !== undefined && (typeof maxFiles !== 'number' || maxFiles < 1 || maxFiles > L.fileInputMaxFiles)) {
          this.add(`${path}.max_files: must be between 1 and ${L.fileInputMaxFiles}`);
        }
        break;
      }
      case 'image':
        this.image(element, path);
        break;
      default:
        break;
    }
  }

  private staticSelect(element: Json, path: string): void {
    const options = element['options'];
    const groups = element['option_groups'];
    if (options === undefined && groups === undefined) {
      this.add(`${path}: a static select needs options or option_groups`);
    }
    if (options !== undefined && groups !== undefined) {
      this.add(`${path}: a static select takes options or option_groups, not both`);
    }
    if (options !== undefined) {
      this.optionList(options, `${path}.options`, { min: 1, max: L.selectOptions, plainOnly: true });
    }
    if (groups !== undefined) {
      if (!Array.isArray(groups) || groups.length === 0) {
        this.add(`${path}.option_groups: needs at least one group`);
      } else {
        if (groups.length > L.selectOptionGroups) {
          this.add(`${path}.option_groups: ${groups.length} groups, over the limit of ${L.selectOptionGroups}`);
        }
        groups.forEach((value, index) => {
          const group = asRecord(value);
          const at = `${path}.option_groups[${index}]`;
          this.text(group?.['label'], `${at}.label`, {
            max: L.optionGroupLabel,
            plainOnly: true,
            required: true,
            what: 'option group label',
          });
          this.optionList(group?.['options'], `${at}.options`, { min: 1, max: L.optionGroupOptions, plainOnly: true });
        });
      }
    }
    this.initialOptions(element, path);
  }

  /** Slack rejects an initial option that is not one of the element's options. */
  private initialOptions(element: Json, path: string): void {
    const type = String(element['type']);
    if (!STATIC_SELECTS.has(type) && type !== 'radio_buttons' && type !== 'checkboxes') return;
    const available: unknown[] = [];
    if (Array.isArray(element['options'])) available.push(...element['options']);
    if (Array.isArray(element['option_groups'])) {
      for (const group of element['option_groups']) {
        const options = asRecord(group)?.['options'];
        if (Array.isArray(options)) available.push(...options);
      }
    }
    const matches = (option: unknown): boolean => {
      const wanted = asRecord(option);
      return available.some((candidate) => {
        const have = asRecord(candidate);
        return (
          have !== undefined &&
          wanted !== undefined &&
          have['value'] === wanted['value'] &&
          asRecord(have['text'])?.['text'] === asRecord(wanted['text'])?.['text']
        );
      });
    };
    if (element['initial_option'] !== undefined && !matches(element['initial_option'])) {
      this.add(`${path}.initial_option: must exactly match one of the options`);
    }
    const initial = element['initial_options'];
    if (Array.isArray(initial)) {
      initial.forEach((option, index) => {
        if (!matches(option)) this.add(`${path}.initial_options[${index}]: must exactly match one of the options`);
      });
    }
  }

  private plainTextInput(element: Json, path: string): void {
    const maxLength = element['max_length'];
    const minLength = element['min_length'];
    if (maxLength !== undefined && (typeof maxLength !== 'number' || maxLength < 1 || maxLength > L.plainTextInputLength)) {
      this.add(`${path}.max_length: must be between 1 and ${L.plainTextInputLength}`);
    }
    if (minLength !== undefined && (typeof minLength !== 'number' || minLength < 0 || minLength > L.plainTextInputLength)) {
      this.add(`${path}.min_length: must be between 0 and ${L.plainTextInputLength}`);
    }
    if (typeof maxLength === 'number' && typeof minLength === 'number' && minLength > maxLength) {
      this.add(`${path}.min_length: ${minLength} is more than max_length ${maxLength}`);
    }
    const initial = element['initial_value'];
    if (typeof initial === 'string' && typeof maxLength === 'number' && charCount(initial) > maxLength) {
      this.add(`${path}.initial_value: ${charCount(initial)} characters, over the element's max_length ${maxLength}`);
    }
  }

  private optionList(value: unknown, path: string, rule: { min: number; max: number; plainOnly: boolean }): void {
    if (!Array.isArray(value)) {
      this.add(`${path}: must be an array`);
      return;
    }
    if (value.length < rule.min) {
      this.add(`${path}: needs at least ${rule.min} option${rule.min === 1 ? '' : 's'}`);
    }
    if (value.length > rule.max) {
      this.add(`${path}: ${value.length} options, over the limit of ${rule.max}`);
    }
    value.forEach((option, index) => {
      this.option(option, `${path}[${index}]`, rule.plainOnly);
    });
  }

  private option(value: unknown, path: string, plainOnly: boolean): void {
    const option = asRecord(value);
    if (!option) {
      this.add(`${path}: an option must be an object`);
      return;
    }
    this.text(option['text'], `${path}.text`, { max: L.optionText, plainOnly, required: true, what: 'option text' });
    if (typeof option['value'] !== 'string' || option['value'] === '') {
      this.add(`${path}.value: an option needs a value`);
    } else {
      this.string(option['value'], `${path}.value`, L.optionValue);
    }
    this.text(option['description'], `${path}.description`, { max: L.optionDescription, what: 'option description' });
    this.string(option['url'], `${path}.url`, L.optionUrl);
  }

  private confirm(value: unknown, path: string): void {
    const confirm = asRecord(value);
    if (!confirm) {
      this.add(`${path}: a confirmation dialog must be an object`);
      return;
    }
    const plain = { plainOnly: true, required: true };
    this.text(confirm['title'], `${path}.title`, { ...plain, max: L.confirmTitle, what: 'confirm title' });
    this.text(confirm['text'], `${path}.text`, { required: true, max: L.confirmText, what: 'confirm text' });
    this.text(confirm['confirm'], `${path}.confirm`, { ...plain, max: L.confirmButton, what: 'confirm button' });
    this.text(confirm['deny'], `${path}.deny`, { ...plain, max: L.confirmButton, what: 'deny button' });
  }

  /** A text object: `{ type: 'plain_text' | 'mrkdwn', text }`, non-empty, within `max`. */
  private text(
    value: unknown,
    path: string,
    rule: { max?: number; plainOnly?: boolean; required?: boolean; what: string },
  ): void {
    if (value === undefined) {
      if (rule.required) this.add(`${path}: missing ${rule.what}`);
      return;
    }
    const text = asRecord(value);
    if (!text) {
      this.add(`${path}: ${rule.what} must be a text object`);
      return;
    }
    const type = text['type'];
    if (type !== 'plain_text' && type !== 'mrkdwn') {
      this.add(`${path}.type: must be "plain_text" or "mrkdwn"`);
    } else if (rule.plainOnly && type !== 'plain_text') {
      this.add(`${path}.type: ${rule.what} must be plain_text`);
    }
    const content = text['text'];
    if (typeof content !== 'string' || content === '') {
      this.add(`${path}.text: ${rule.what} must not be empty`);
      return;
    }
    if (rule.max !== undefined && charCount(content) > rule.max) {
      this.add(`${path}.text: ${rule.what} is ${charCount(content)} characters, over the limit of ${rule.max}`);
    }
    if (LONE_SURROGATE.test(content)) {
      this.add(`${path}.text: ${rule.what} holds ${HALF_CHARACTER}`);
    }
  }

  private string(value: unknown, path: string, max: number): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.add(`${path}: must be a string`);
      return;
    }
    if (charCount(value) > max) {
      this.add(`${path}: ${charCount(value)} characters, over the limit of ${max}`);
    }
    if (LONE_SURROGATE.test(value)) {
      this.add(`${path}: holds ${HALF_CHARACTER}`);
    }
  }
}
