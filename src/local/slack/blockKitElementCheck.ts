// The checks of what blocks hold (interactive elements, options, confirmation dialogs, images,
// text objects and plain strings) against the app's table of Block Kit limits. Lengths are counted
// in UTF-16 units, as Slack counts them. Text holding half of a surrogate pair is refused here:
// Slack shows it as a replacement character at best. The walk of views and blocks (blockKitLimits.ts)
// extends this class so both add to one list of violations.

import { BLOCK_KIT_LIMITS } from '../../slack/blocks/blockKitLimits';
import { asRecord } from '../http/loopbackHttp';

const L = BLOCK_KIT_LIMITS;

const STATIC_SELECTS = new Set(['static_select', 'multi_static_select']);

export type Json = Record<string, unknown>;

/** Slack counts UTF-16 code units, so an emoji outside the Basic Multilingual Plane is two. */
function charCount(text: string): number {
  return text.length;
}

/** Half of a surrogate pair: what a cut by UTF-16 units leaves of an emoji. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const HALF_CHARACTER = 'a lone surrogate (half of an emoji or other character)';

export class BlockKitElementCheck {
  readonly violations: string[] = [];

  protected add(violation: string): void {
    this.violations.push(violation);
  }

  protected image(image: Json, path: string): void {
    this.string(image['alt_text'], `${path}.alt_text`, L.imageAltText);
    if (typeof image['alt_text'] !== 'string' || image['alt_text'] === '') {
      this.add(`${path}.alt_text: an image needs alt_text`);
    }
    this.string(image['image_url'], `${path}.image_url`, L.imageUrl);
    if (image['image_url'] === undefined && image['slack_file'] === undefined) {
      this.add(`${path}: an image needs image_url or slack_file`);
    }
  }

  protected element(value: unknown, path: string, actionIds: Map<string, string>): void {
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
  protected text(
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

  protected string(value: unknown, path: string, max: number): void {
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
