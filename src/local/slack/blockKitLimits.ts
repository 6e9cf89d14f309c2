// Block Kit limits, checked before a message or view is accepted, as Slack does: Slack answers
// `invalid_blocks` (messages) or `invalid_arguments` (views) for a payload that breaks one.
// The numbers are the app's own table (src/slack/blocks/blockKitLimits.ts), so the renderers and this
// check cannot disagree. This file walks views and blocks; the checks of elements, options and text
// objects they hold are in blockKitElementCheck.ts.

import { BLOCK_KIT_LIMITS } from '../../slack/blocks/blockKitLimits';
import { asRecord } from '../http/loopbackHttp';
import { BlockKitElementCheck, type Json } from './blockKitElementCheck';

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

class BlockKitCheck extends BlockKitElementCheck {
  private readonly blockIds = new Map<string, string>();

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
}
