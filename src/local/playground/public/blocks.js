// @ts-check
// Block Kit blocks as Slack's client draws them: headers, dividers, sections with fields and an
// accessory, context, actions, inputs and images; buttons ask for confirmation when the app set one;
// an overflow menu is a ⋯ button that lists its options.

import { confirmDialog } from './dialogs.js';
import { h } from './dom.js';
import { act } from './interactions.js';
import { renderField, renderInput } from './modalInputs.js';
import { plain, textObject } from './mrkdwn.js';

/** @typedef {import('./slackShapes.js').Block} Block */
/** @typedef {import('./slackShapes.js').Element} Element */
/** @typedef {import('./interactions.js').Surface} Surface */

/**
 * The blocks of a message or view, each drawn for its surface.
 * @param {Block[] | undefined} blocks
 * @param {Surface} surface
 */
export function renderBlocks(blocks, surface) {
  return (blocks || []).map((block) => renderBlock(block, surface)).filter(Boolean);
}

/**
 * @param {Block} block
 * @param {Surface} surface
 * @returns {HTMLElement}
 */
function renderBlock(block, surface) {
  const attrs = { 'data-block-id': block.block_id };
  switch (block.type) {
    case 'header':
      return h('div', { ...attrs, className: 'block block-header' }, plain(block.text));
    case 'divider':
      return h('hr', { ...attrs, className: 'block block-divider' });
    case 'section': {
      const main = h('div', { className: 'section-main' });
      if (block.text) main.append(/** @type {Node} */ (textObject(block.text)));
      if (block.fields) main.append(h('div', { className: 'fields' }, block.fields.map((f) => h('div', { className: 'field' }, textObject(f)))));
      return h(
        'div',
        { ...attrs, className: 'block block-section' },
        main,
        block.accessory ? h('div', { className: 'accessory' }, renderElement(block.accessory, block, surface)) : null,
      );
    }
    case 'context':
      return h(
        'div',
        { ...attrs, className: 'block block-context' },
        contextElements(block).map((e) => (e.type === 'image' ? h('span', { className: 'image-alt' }, e.alt_text || '') : textObject(e))),
      );
    case 'actions':
      return h('div', { ...attrs, className: 'block block-actions' }, (block.elements || []).map((e) => renderElement(e, block, surface)));
    case 'input':
      return renderInput(block, surface);
    case 'image':
      return h('div', { ...attrs, className: 'block block-context' }, `[image: ${block.alt_text || ''}]`);
    default:
      return h('div', { ...attrs, className: 'block block-unknown' }, `(a ${block.type} block, not shown in the playground)`);
  }
}

/**
 * A context block's elements are text objects and images, not interactive elements.
 * @param {Block} block
 * @returns {import('./slackShapes.js').ContextElement[]}
 */
function contextElements(block) {
  return /** @type {import('./slackShapes.js').ContextElement[]} */ (/** @type {unknown} */ (block.elements || []));
}

/**
 * @param {Element} element
 * @param {Block} block
 * @param {Surface} surface
 */
function renderElement(element, block, surface) {
  switch (element.type) {
    case 'button':
      return renderButton(element, block, surface);
    case 'overflow':
      return renderOverflow(element, block, surface);
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
    case 'plain_text_input':
    case 'checkboxes':
      return renderField(element, block, surface);
    default:
      return h('span', { className: 'unsupported' }, `(${element.type})`);
  }
}

/**
 * @param {Element} element
 * @param {Block} block
 * @param {Surface} surface
 */
function renderButton(element, block, surface) {
  const style = element.style === 'danger' ? ' danger' : element.style === 'primary' ? ' primary' : '';
  const button = h('button', { type: 'button', className: `btn${style}`, 'data-action-id': element.action_id }, plain(element.text));
  button.addEventListener('click', async () => {
    if (element.confirm && !(await confirmDialog(element.confirm))) return;
    if (element.url && /^https?:/i.test(element.url)) window.open(element.url, '_blank', 'noopener');
    button.disabled = true;
    button.classList.add('busy');
    try {
      await act(surface, { actionId: element.action_id, blockId: block.block_id, value: element.value });
    } finally {
      button.disabled = false;
      button.classList.remove('busy');
    }
  });
  return button;
}

/**
 * An overflow menu: a ⋯ button that opens its options; choosing one closes it and sends it as the
 * element's selected_option, after the confirmation the app set on the menu, if any.
 * @param {Element} element
 * @param {Block} block
 * @param {Surface} surface
 */
function renderOverflow(element, block, surface) {
  const toggle = h('button', { type: 'button', className: 'btn', 'aria-label': 'More actions', title: 'More actions', 'aria-haspopup': 'menu', 'aria-expanded': 'false' }, '⋯');
  /** @param {boolean} open */
  const show = (open) => {
    list.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  const list = h(
    'div',
    { className: 'menu', role: 'menu', hidden: true },
    (element.options || []).map((option) =>
      h(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          'data-value': option.value,
          onclick: async () => {
            show(false);
            if (element.confirm && !(await confirmDialog(element.confirm))) return;
            await act(surface, { actionId: element.action_id, blockId: block.block_id, selectedOption: { value: option.value, text: plain(option.text) } });
          },
        },
        plain(option.text),
      ),
    ),
  );
  toggle.addEventListener('click', () => show(list.hidden));
  return h('div', { className: 'overflow', 'data-action-id': element.action_id }, toggle, list);
}
