// @ts-check
// The inputs of a modal (and the selects and text inputs of actions blocks): text, static and
// external selects, radio buttons, checkboxes and file inputs, each keeping what the person entered
// in the form and, where the element dispatches actions, telling the app as they choose.

import { api, uploadFile } from './api.js';
import { h, toast } from './dom.js';
import { currentValue, optionsOf, setValue } from './form.js';
import { act } from './interactions.js';
import { plain } from './mrkdwn.js';
import { ui } from './state.js';

/** @typedef {import('./slackShapes.js').Block} Block */
/** @typedef {import('./slackShapes.js').Element} Element */
/** @typedef {import('./slackShapes.js').SharedFile} SharedFile */
/** @typedef {import('./interactions.js').Surface} Surface */
/** @typedef {import('./state.js').FieldValue} FieldValue */

/**
 * A file size as Slack shows it: B, KB or MB.
 * @param {number} bytes
 */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * An input block: its label, its element, the error Slack shows under it and its hint.
 * @param {Block} block
 * @param {Surface} surface
 */
export function renderInput(block, surface) {
  const element = block.element || /** @type {Element} */ ({});
  const id = `input-${block.block_id}-${element.action_id}`.replace(/[^\w-]/g, '_');
  const error = ui.form?.errors[block.block_id];
  return h(
    'div',
    { className: `block block-input${error ? ' has-error' : ''}`, 'data-block-id': block.block_id },
    h('label', { className: 'input-label', for: id }, plain(block.label), block.optional ? h('span', { className: 'optional' }, ' (optional)') : null),
    renderField(element, block, surface, id),
    error ? h('div', { className: 'input-error', role: 'alert' }, error) : null,
    block.hint ? h('div', { className: 'input-hint' }, plain(block.hint)) : null,
  );
}

/**
 * @param {Element} element
 * @param {Block} block
 * @param {Surface} surface
 * @param {string} [id]
 * @returns {HTMLElement}
 */
export function renderField(element, block, surface, id) {
  const dispatch = block.type === 'actions' || block.dispatch_action === true;
  const value = currentValue(block, element);
  switch (element.type) {
    case 'plain_text_input': {
      const attrs = {
        id,
        className: 'text-input',
        placeholder: element.placeholder ? plain(element.placeholder) : undefined,
        maxlength: element.max_length,
        'data-action-id': element.action_id,
        /** @param {Event} event */
        oninput: (event) => setValue(block, element, /** @type {HTMLInputElement} */ (event.target).value),
      };
      const field = element.multiline ? h('textarea', { ...attrs, rows: 4 }) : h('input', { ...attrs, type: 'text' });
      field.value = typeof value === 'string' ? value : '';
      return field;
    }
    case 'static_select': {
      const select = h(
        'select',
        { id, className: 'select', 'data-action-id': element.action_id },
        h('option', { value: '' }, element.placeholder ? plain(element.placeholder) : 'Select an item'),
        (element.option_groups || []).map((g) => h('optgroup', { label: plain(g.label) }, g.options.map((o) => h('option', { value: o.value }, plain(o.text))))),
        (element.options || []).map((o) => h('option', { value: o.value }, plain(o.text))),
      );
      select.value = typeof value === 'string' ? value : '';
      select.addEventListener('change', () => {
        const chosen = select.value || null;
        setValue(block, element, chosen);
        if (dispatch && chosen) act(surface, { actionId: element.action_id, blockId: block.block_id, selectedOption: chosen });
      });
      return select;
    }
    case 'external_select':
      return renderExternalSelect(element, block, surface, id, value, dispatch);
    case 'radio_buttons':
      return h(
        'div',
        { className: 'radios', role: 'radiogroup', id, 'data-action-id': element.action_id },
        optionsOf(element).map((option) => {
          const radio = h('input', { type: 'radio', name: id, value: option.value });
          radio.checked = value === option.value;
          radio.addEventListener('change', () => {
            setValue(block, element, option.value);
            if (dispatch) act(surface, { actionId: element.action_id, blockId: block.block_id, selectedOption: option.value });
          });
          return h(
            'label',
            { className: 'radio' },
            radio,
            h('span', {}, h('span', { className: 'radio-text' }, plain(option.text)), option.description ? h('span', { className: 'radio-description' }, plain(option.description)) : null),
          );
        }),
      );
    case 'checkboxes':
      return h(
        'div',
        { className: 'radios', id, 'data-action-id': element.action_id },
        optionsOf(element).map((option) => {
          const box = h('input', { type: 'checkbox', value: option.value });
          box.checked = Array.isArray(value) && value.includes(option.value);
          box.addEventListener('change', () => {
            const now = currentValue(block, element);
            const chosen = new Set(Array.isArray(now) ? now : []);
            if (box.checked) chosen.add(option.value);
            else chosen.delete(option.value);
            setValue(block, element, [...chosen]);
          });
          return h('label', { className: 'radio' }, box, h('span', { className: 'radio-text' }, plain(option.text)));
        }),
      );
    case 'file_input':
      return renderFileInput(element, block, id, value);
    default:
      return h('div', { className: 'unsupported' }, `(${element.type} is not shown in the playground)`);
  }
}

/**
 * A select whose options come from the app as the person types (block_suggestion).
 * @param {Element} element
 * @param {Block} block
 * @param {Surface} surface
 * @param {string | undefined} id
 * @param {FieldValue} value
 * @param {boolean} dispatch
 */
function renderExternalSelect(element, block, surface, id, value, dispatch) {
  const box = h('input', {
    id,
    type: 'text',
    className: 'text-input',
    role: 'combobox',
    autocomplete: 'off',
    placeholder: element.placeholder ? plain(element.placeholder) : 'Type to search',
    'data-action-id': element.action_id,
  });
  box.value = value && typeof value === 'object' && 'text' in value ? value.text : '';
  const list = h('ul', { className: 'option-list', role: 'listbox', hidden: true });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const load = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        // External selects live in views: the options request names the view.
        const viewId = /** @type {{ view: { id: string } }} */ (surface).view.id;
        const answer = await api('/api/options', { user: ui.user, viewId, actionId: element.action_id, blockId: block.block_id, value: box.value });
        /** @type {import('./slackShapes.js').Option[]} */
        const options = [...answer.options, ...answer.option_groups.flatMap((/** @type {{ options?: unknown[] }} */ g) => g.options || [])];
        list.replaceChildren(
          ...(options.length
            ? options.map((o) =>
                h(
                  'li',
                  {
                    role: 'option',
                    /** @param {MouseEvent} event */
                    onmousedown: (event) => {
                      event.preventDefault();
                      const chosen = { selected: o.value, text: plain(o.text) };
                      setValue(block, element, chosen);
                      box.value = chosen.text;
                      list.hidden = true;
                      if (dispatch) act(surface, { actionId: element.action_id, blockId: block.block_id, selectedOption: { value: o.value, text: chosen.text } });
                    },
                  },
                  plain(o.text),
                ),
              )
            : [h('li', { className: 'empty' }, 'No matches')]),
        );
        list.hidden = false;
      } catch (err) {
        toast(/** @type {Error} */ (err).message);
      }
    }, 150);
  };
  box.addEventListener('focus', load);
  box.addEventListener('input', load);
  box.addEventListener('blur', () => {
    list.hidden = true;
  });
  return h('div', { className: 'combobox' }, box, list);
}

/**
 * file_input: the chosen file is uploaded to the local Slack first; the submission then carries its file object.
 * @param {Element} element
 * @param {Block} block
 * @param {string | undefined} id
 * @param {FieldValue} value
 */
function renderFileInput(element, block, id, value) {
  const accept = (element.filetypes || []).map((t) => `.${t}`).join(',');
  const picker = h('input', { id, type: 'file', className: 'file-picker', accept: accept || undefined, 'data-action-id': element.action_id });
  const status = h('div', { className: 'file-status' });
  /** @param {SharedFile[]} files */
  const showFiles = (files) => {
    status.replaceChildren(
      ...files.map((f) =>
        h(
          'div',
          { className: 'file-chip' },
          h('span', { className: 'file-icon' }, '📄'),
          h('span', { className: 'file-name' }, f.name),
          h('span', { className: 'file-size' }, formatSize(f.size)),
          h('button', { type: 'button', className: 'file-remove', 'aria-label': `Remove ${f.name}`, onclick: () => choose([]) }, '×'),
        ),
      ),
    );
  };
  /** @param {SharedFile[]} files */
  const choose = (files) => {
    setValue(block, element, { files });
    showFiles(files);
    picker.value = '';
  };
  /** @param {File} file */
  const upload = async (file) => {
    const extension = file.name.includes('.') ? (file.name.split('.').pop() ?? '').toLowerCase() : '';
    if (element.filetypes?.length && !element.filetypes.includes(extension)) {
      toast(`This field takes ${element.filetypes.join(', ')} files.`);
      return;
    }
    status.replaceChildren(h('div', { className: 'file-chip uploading' }, `Uploading ${file.name}…`));
    try {
      choose([await uploadFile(ui.user, file)]);
    } catch (err) {
      status.replaceChildren();
      toast(`The upload failed: ${/** @type {Error} */ (err).message}`);
    }
  };
  picker.addEventListener('change', () => {
    if (picker.files?.[0]) upload(picker.files[0]);
  });
  const zone = h(
    'label',
    { className: 'file-drop', for: id },
    h('span', {}, 'Drag a file here or '),
    h('span', { className: 'link' }, 'upload from your computer'),
    picker,
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer?.files[0]) upload(event.dataTransfer.files[0]);
  });
  showFiles(value && typeof value === 'object' && 'files' in value ? value.files : []);
  return h('div', { className: 'file-input' }, zone, status);
}
