// The playground page: shows what the local Slack holds, as Slack's client would show it to the
// person chosen in "Viewing as", and sends their clicks and typing to the app through the server.
// Everything is built from DOM nodes and text nodes, never from HTML strings: group names, file
// contents and Prolific's errors are shown as text, whatever they contain.

(() => {
  const EMOJI = {
    arrows_counterclockwise: '🔄',
    bell: '🔔',
    busts_in_silhouette: '👥',
    eyes: '👀',
    grey_question: '❔',
    heavy_check_mark: '✔️',
    heavy_multiplication_x: '✖️',
    hourglass_flowing_sand: '⏳',
    information_source: 'ℹ️',
    mag: '🔍',
    no_entry: '⛔',
    pencil2: '✏️',
    rotating_light: '🚨',
    see_no_evil: '🙈',
    tada: '🎉',
    thinking_face: '🤔',
    warning: '⚠️',
    wastebasket: '🗑️',
    white_check_mark: '✅',
    x: '❌',
  };
  const REQUIRED = 'Please complete this required field.';
  const SUGGESTIONS = ['/pgroup help', '/pgroup list', '/pgroup show pilot', '/pgroup upload', '/pgroup watch pilot'];
  const TOPICS = {
    general: 'Type /pgroup commands here. Replies only you can see are marked.',
    'pgroup-notifications': 'The app announces every change to a group here.',
  };

  const ui = {
    user: localStorage.getItem('pgroup.playground.user') || 'U_ALICE',
    place: { kind: 'channel', id: 'C_GENERAL' },
    snapshot: null,
    seen: null,
    notes: {},
    stickToBottom: true,
    form: null,
  };

  // ---- Small DOM helpers ----------------------------------------------------------------------

  /** An element with attributes (on* are listeners) and children (strings become text nodes). */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
  }

  function byId(id) {
    return document.getElementById(id);
  }

  async function api(path, body) {
    const response = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.error || `HTTP ${response.status}`);
    return json;
  }

  function toast(message, kind) {
    const node = h('div', { className: `toast ${kind || 'error'}`, role: 'alert' }, message);
    byId('toasts').append(node);
    setTimeout(() => node.remove(), 6000);
  }

  // ---- Slack text: mrkdwn and plain_text ------------------------------------------------------

  /** Slack escapes &, < and > in text; the page shows the characters. */
  function decode(text) {
    return String(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }

  function emojify(text) {
    return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
  }

  function plain(textObject) {
    if (!textObject) return '';
    if (typeof textObject === 'string') return emojify(decode(textObject));
    const shown = decode(textObject.text || '');
    return textObject.type === 'mrkdwn' || textObject.emoji !== false ? emojify(shown) : shown;
  }

  function names() {
    return ui.snapshot ? ui.snapshot.names : { users: {}, channels: {} };
  }

  const DATE_PARTS = {
    date_num: (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`,
    date: (d) => d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric' }),
    date_short: (d) => d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: (d) => d.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    time: (d) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    time_secs: (d) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    ago: (d) => {
      const minutes = Math.round((Date.now() - d.getTime()) / 60000);
      if (Math.abs(minutes) < 1) return 'just now';
      return minutes > 0 ? `${minutes} minute${minutes === 1 ? '' : 's'} ago` : `in ${-minutes} minute${minutes === -1 ? '' : 's'}`;
    },
  };
  function pretty(format) {
    return (d) => {
      const day = new Date(d);
      day.setHours(0, 0, 0, 0);
      const today = new Date();
      today.setHours(0, 0, 0, 0);
      const diff = Math.round((day.getTime() - today.getTime()) / 86400000);
      if (diff === 0) return 'today';
      if (diff === -1) return 'yesterday';
      if (diff === 1) return 'tomorrow';
      return DATE_PARTS[format](d);
    };
  }
  DATE_PARTS.date_pretty = pretty('date');
  DATE_PARTS.date_short_pretty = pretty('date_short');
  DATE_PARTS.date_long_pretty = pretty('date_long');

  /** <!date^unix^format|fallback>: the date in the reader's time zone, or the fallback. */
  function slackDate(token) {
    const bar = token.indexOf('|');
    const fallback = bar >= 0 ? decode(token.slice(bar + 1)) : '';
    const parts = (bar >= 0 ? token.slice(0, bar) : token).split('^');
    const unix = Number(parts[1]);
    if (!Number.isFinite(unix) || !parts[2]) return fallback;
    const date = new Date(unix * 1000);
    return decode(parts[2]).replace(/\{(\w+)\}/g, (whole, key) => (DATE_PARTS[key] ? DATE_PARTS[key](date) : whole));
  }

  /** One <…> token: a mention, a channel, a special command, a date or a link. */
  function angle(token) {
    const bar = token.indexOf('|');
    const target = bar >= 0 ? token.slice(0, bar) : token;
    const label = bar >= 0 ? token.slice(bar + 1) : '';
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return h('span', { className: 'mention' }, `@${names().users[id] || decode(label) || id}`);
    }
    if (target.startsWith('#')) {
      const id = target.slice(1);
      return h('span', { className: 'mention channel' }, `#${names().channels[id] || decode(label) || id}`);
    }
    if (target.startsWith('!date^')) return h('time', { className: 'slack-date' }, slackDate(token.slice(1)));
    if (target.startsWith('!subteam^')) return h('span', { className: 'mention' }, decode(label) || '@group');
    if (target.startsWith('!')) return h('span', { className: 'mention' }, `@${decode(label || target.slice(1))}`);
    const url = decode(target);
    if (/^(https?:|mailto:)/i.test(url)) {
      return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, decode(label) || url);
    }
    return document.createTextNode(decode(label || target));
  }

  const INLINE =
    /<([^<>\n]+)>|`([^`\n]+)`|(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])|(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])|(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])|:([a-z0-9_+-]+):/g;

  /** Inline mrkdwn: bold, italic, strike, code, tokens and emoji; the rest as text. */
  function inline(text, into) {
    const pattern = new RegExp(INLINE.source, 'g');
    let last = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match.index > last) into.append(document.createTextNode(decode(text.slice(last, match.index))));
      const [whole, token, code, bold, italic, strike, emoji] = match;
      if (token !== undefined) into.append(angle(token));
      else if (code !== undefined) into.append(h('code', {}, decode(code)));
      else if (bold !== undefined) into.append(inline(bold, h('strong')));
      else if (italic !== undefined) into.append(inline(italic, h('em')));
      else if (strike !== undefined) into.append(inline(strike, h('s')));
      else into.append(document.createTextNode(EMOJI[emoji] || whole));
      last = match.index + whole.length;
    }
    if (last < text.length) into.append(document.createTextNode(decode(text.slice(last))));
    return into;
  }

  /** A mrkdwn text: code blocks, quotes and lines, each line inline mrkdwn. */
  function mrkdwn(source) {
    const root = h('div', { className: 'mrkdwn' });
    const pieces = String(source || '').split('```');
    pieces.forEach((piece, index) => {
      if (index % 2 === 1 && index < pieces.length - 1) {
        root.append(h('pre', {}, decode(piece.replace(/^\n/, ''))));
        return;
      }
      const lines = (index % 2 === 1 ? `\`\`\`${piece}` : piece).split('\n');
      lines.forEach((line, i) => {
        const quote = /^(?:&gt;|>)\s?(.*)$/.exec(line);
        if (quote) {
          root.append(inline(quote[1], h('blockquote')));
          return;
        }
        inline(line, root);
        if (i < lines.length - 1 && !/^(?:&gt;|>)/.test(lines[i + 1] || '')) root.append(h('br'));
      });
    });
    return root;
  }

  function textObject(object) {
    if (!object) return null;
    return object.type === 'mrkdwn' ? mrkdwn(object.text) : h('span', { className: 'plain' }, plain(object));
  }

  // ---- Blocks --------------------------------------------------------------------------------

  /** Where a block lives: a message (channel + ts) or a view (modal or Home tab). */
  function renderBlocks(blocks, surface) {
    return (blocks || []).map((block) => renderBlock(block, surface)).filter(Boolean);
  }

  function renderBlock(block, surface) {
    const attrs = { 'data-block-id': block.block_id };
    switch (block.type) {
      case 'header':
        return h('div', { ...attrs, className: 'block block-header' }, plain(block.text));
      case 'divider':
        return h('hr', { ...attrs, className: 'block block-divider' });
      case 'section': {
        const main = h('div', { className: 'section-main' });
        if (block.text) main.append(textObject(block.text));
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
          (block.elements || []).map((e) => (e.type === 'image' ? h('span', { className: 'image-alt' }, e.alt_text || '') : textObject(e))),
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

  function renderElement(element, block, surface) {
    switch (element.type) {
      case 'button':
        return renderButton(element, block, surface);
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

  /** Sends a block_actions interaction: from a message, or from a view with what was entered so far. */
  async function act(surface, action) {
    const body = { user: ui.user, ...action };
    if (surface.kind === 'message') Object.assign(body, { channel: surface.channel, messageTs: surface.ts });
    else Object.assign(body, { viewId: surface.view.id, stateValues: surface.kind === 'modal' ? touchedValues() : {} });
    try {
      const answer = await api('/api/click', body);
      if (answer.note) toast(answer.note);
    } catch (err) {
      toast(err.message);
    }
  }

  // ---- Confirm dialog ------------------------------------------------------------------------

  /** Slack's confirm dialog: the click goes through only after the person confirms. */
  function confirmDialog(confirm) {
    return new Promise((resolve) => {
      const root = byId('dialog-root');
      const close = (answer) => {
        root.replaceChildren();
        document.removeEventListener('keydown', onKey);
        resolve(answer);
      };
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

  // ---- Modal inputs --------------------------------------------------------------------------

  function fieldKey(block, element) {
    return `${block.block_id}/${element.action_id}`;
  }

  function optionsOf(element) {
    const all = [...(element.options || [])];
    for (const group of element.option_groups || []) all.push(...(group.options || []));
    return all;
  }

  /** What an element holds: what the person entered, or the element's initial value. */
  function currentValue(block, element) {
    const key = fieldKey(block, element);
    if (ui.form && key in ui.form.values) return ui.form.values[key];
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

  function isEmpty(value) {
    if (value === null || value === undefined || value === '') return true;
    if (Array.isArray(value)) return value.length === 0;
    if (typeof value === 'object' && 'files' in value) return value.files.length === 0;
    if (typeof value === 'string') return value.trim() === '';
    return false;
  }

  function setValue(block, element, value) {
    if (ui.form) ui.form.values[fieldKey(block, element)] = value;
  }

  /** Only what the person changed: Slack fills in the initial values of the rest. */
  function touchedValues() {
    const values = {};
    for (const [key, value] of Object.entries(ui.form ? ui.form.values : {})) {
      values[key] = value && typeof value === 'object' && 'files' in value ? { files: value.files.map((f) => f.id) } : value;
    }
    return values;
  }

  function renderInput(block, surface) {
    const element = block.element || {};
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

  function renderField(element, block, surface, id) {
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
          oninput: (event) => setValue(block, element, event.target.value),
        };
        const field = element.multiline ? h('textarea', { ...attrs, rows: 4 }) : h('input', { ...attrs, type: 'text' });
        field.value = value || '';
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
        select.value = value || '';
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
            box.checked = (value || []).includes(option.value);
            box.addEventListener('change', () => {
              const chosen = new Set(currentValue(block, element) || []);
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

  /** A select whose options come from the app as the person types (block_suggestion). */
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
    box.value = value ? value.text : '';
    const list = h('ul', { className: 'option-list', role: 'listbox', hidden: true });
    let timer = null;
    const load = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        try {
          const answer = await api('/api/options', { user: ui.user, viewId: surface.view.id, actionId: element.action_id, blockId: block.block_id, value: box.value });
          const options = [...answer.options, ...answer.option_groups.flatMap((g) => g.options || [])];
          list.replaceChildren(
            ...(options.length
              ? options.map((o) =>
                  h(
                    'li',
                    {
                      role: 'option',
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
          toast(err.message);
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

  function formatSize(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  /** file_input: the chosen file is uploaded to the local Slack first; the submission then carries its file object. */
  function renderFileInput(element, block, id, value) {
    const accept = (element.filetypes || []).map((t) => `.${t}`).join(',');
    const picker = h('input', { id, type: 'file', className: 'file-picker', accept: accept || undefined, 'data-action-id': element.action_id });
    const status = h('div', { className: 'file-status' });
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
    const choose = (files) => {
      setValue(block, element, { files });
      showFiles(files);
      picker.value = '';
    };
    const upload = async (file) => {
      const extension = file.name.includes('.') ? file.name.split('.').pop().toLowerCase() : '';
      if (element.filetypes?.length && !element.filetypes.includes(extension)) {
        toast(`This field takes ${element.filetypes.join(', ')} files.`);
        return;
      }
      status.replaceChildren(h('div', { className: 'file-chip uploading' }, `Uploading ${file.name}…`));
      try {
        const response = await fetch(`/api/upload?user=${encodeURIComponent(ui.user)}`, {
          method: 'POST',
          headers: { 'x-filename': encodeURIComponent(file.name), 'content-type': 'application/octet-stream' },
          body: file,
        });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
        choose([answer.file]);
      } catch (err) {
        status.replaceChildren();
        toast(`The upload failed: ${err.message}`);
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
      if (event.dataTransfer.files[0]) upload(event.dataTransfer.files[0]);
    });
    showFiles(value?.files || []);
    return h('div', { className: 'file-input' }, zone, status);
  }

  // ---- The modal -----------------------------------------------------------------------------

  function renderModal() {
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
    drawModal(view);
  }

  function drawModal(view) {
    const surface = { kind: 'modal', view };
    const closeText = view.close ? plain(view.close) : 'Cancel';
    const submit = view.submit
      ? h('button', { type: 'submit', className: 'btn primary modal-submit', disabled: ui.form.busy }, ui.form.busy ? 'Sending…' : plain(view.submit))
      : null;
    const form = h(
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
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submitModal(view);
    });
    byId('modal-root').replaceChildren(h('div', { className: 'backdrop modal-backdrop' }, form));
  }

  /**
   * Redraws the form from the newest view the page holds. The app may already have replaced the
   * view (e.g. "Reading file…") before its answer to the submission arrived here.
   */
  function redrawModal(form) {
    const latest = ui.snapshot?.modal;
    if (ui.form === form && latest && latest.id === form.viewId) drawModal(latest);
  }

  async function closeModal(view) {
    try {
      await api('/api/close', { user: ui.user, viewId: view.id });
    } catch (err) {
      toast(err.message);
    }
    refresh();
  }

  async function submitModal(view) {
    const form = ui.form;
    // Slack's client checks required inputs and lengths itself before it sends anything.
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
      drawModal(view);
      return;
    }
    form.busy = true;
    drawModal(view);
    try {
      const answer = await api('/api/submit', { user: ui.user, viewId: view.id, values: touchedValues() });
      const outcome = answer.outcome || {};
      form.busy = false;
      if (outcome.outcome === 'errors') form.errors = outcome.errors;
      else if (outcome.outcome === 'rejected') toast(`Slack would not show the app's answer: ${(outcome.violations || []).join('; ')}`);
      else if (outcome.outcome === 'kept_open') toast(outcome.reason || 'The app did not answer in time.');
    } catch (err) {
      form.busy = false;
      toast(err.message);
    }
    redrawModal(form);
    refresh();
  }

  // ---- Messages ------------------------------------------------------------------------------

  function timeOf(ts) {
    return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function renderMessage(message, channel) {
    const surface = { kind: 'message', channel, ts: message.ts };
    const body = message.blocks?.length ? renderBlocks(message.blocks, surface) : [mrkdwn(message.text)];
    const botName = ui.snapshot.botName;
    return h(
      'article',
      { className: `message${message.ephemeral ? ' ephemeral' : ''}`, 'data-ts': message.ts, 'data-channel': channel },
      h('div', { className: 'avatar', 'aria-hidden': 'true' }, botName.slice(0, 2)),
      h(
        'div',
        { className: 'message-body' },
        h(
          'div',
          { className: 'message-meta' },
          h('span', { className: 'author' }, botName),
          h('span', { className: 'app-badge' }, 'APP'),
          h('time', {}, timeOf(message.ts)),
          message.edited ? h('span', { className: 'edited' }, '(edited)') : null,
        ),
        message.ephemeral ? h('div', { className: 'ephemeral-note' }, '👁 Only visible to you') : null,
        h('div', { className: 'blocks' }, body),
        (message.files || []).map((f) =>
          h(
            'a',
            { className: 'file-card', href: `/api/files/${encodeURIComponent(f.id)}`, download: f.name },
            h('span', { className: 'file-icon' }, '📄'),
            h('span', {}, h('strong', {}, f.title || f.name), h('span', { className: 'file-size' }, `${(f.filetype || '').toUpperCase()} · ${formatSize(f.size)}`)),
          ),
        ),
      ),
    );
  }

  function renderNote(note) {
    return h(
      'article',
      { className: 'message ephemeral local-note' },
      h('div', { className: 'avatar system', 'aria-hidden': 'true' }, '💬'),
      h(
        'div',
        { className: 'message-body' },
        h('div', { className: 'message-meta' }, h('span', { className: 'author' }, 'Playground'), h('time', {}, timeOf(note.ts))),
        h('div', { className: 'ephemeral-note' }, '👁 Only visible to you'),
        h('div', {}, note.text),
      ),
    );
  }

  // ---- The page ------------------------------------------------------------------------------

  function dmChannel() {
    const dm = ui.snapshot.channels.find((c) => c.dm);
    return dm ? dm.id : null;
  }

  /** The conversation the pane shows: a channel, or the app's Messages tab (the DM). */
  function currentChannel() {
    if (ui.place.kind === 'channel') return ui.place.id;
    return ui.place.tab === 'messages' ? dmChannel() : null;
  }

  function render() {
    const snap = ui.snapshot;
    if (!snap) return;
    if (!ui.seen) ui.seen = Object.fromEntries(Object.entries(snap.messages).map(([id, list]) => [id, list.length]));
    const shown = currentChannel();
    if (shown) ui.seen[shown] = (snap.messages[shown] || []).length;

    byId('workspace-name').textContent = snap.workspace;
    const banner = byId('banner');
    banner.className = `banner ${snap.prolific}`;
    banner.textContent =
      snap.prolific === 'sandbox'
        ? 'The real bot, with the embedded Prolific sandbox: nothing here reaches Slack or Prolific.'
        : 'The real bot, with the real Prolific API: changes you confirm here are real.';

    const switcher = byId('user-switch');
    switcher.replaceChildren(
      ...snap.users.map((u) => h('option', { value: u.id }, `${u.name}${u.mayChangeGroups ? '' : ' · read-only'}`)),
    );
    switcher.value = ui.user;
    const me = snap.users.find((u) => u.id === ui.user);
    byId('user-note').textContent = me
      ? `${me.realName}${me.external ? ', from another workspace,' : ''} ${me.mayChangeGroups ? 'may change groups.' : 'may look, but not change groups: try a change to see the refusal.'}`
      : '';

    const unread = (id) => Math.max(0, (snap.messages[id] || []).length - (ui.seen[id] || 0));
    byId('channel-list').replaceChildren(
      ...snap.channels
        .filter((c) => !c.dm)
        .map((c) => {
          const active = ui.place.kind === 'channel' && ui.place.id === c.id;
          const count = active ? 0 : unread(c.id);
          return h(
            'li',
            {},
            h(
              'button',
              { type: 'button', className: `sidebar-item${active ? ' active' : ''}${count ? ' unread' : ''}`, 'data-channel': c.id, onclick: () => go({ kind: 'channel', id: c.id }) },
              h('span', { className: 'hash' }, '#'),
              h('span', { className: 'name' }, c.name),
              count ? h('span', { className: 'badge' }, String(count)) : null,
            ),
          );
        }),
    );
    const dm = dmChannel();
    const appActive = ui.place.kind === 'app';
    const dmCount = dm && !(appActive && ui.place.tab === 'messages') ? unread(dm) : 0;
    byId('app-list').replaceChildren(
      h(
        'li',
        {},
        h(
          'button',
          { type: 'button', className: `sidebar-item${appActive ? ' active' : ''}${dmCount ? ' unread' : ''}`, 'data-app': 'home', onclick: () => go({ kind: 'app', tab: 'home' }) },
          h('span', { className: 'app-dot', 'aria-hidden': 'true' }, snap.botName.slice(0, 1)),
          h('span', { className: 'name' }, snap.botName),
          dmCount ? h('span', { className: 'badge' }, String(dmCount)) : null,
        ),
      ),
    );

    renderPane();
    renderModal();
  }

  function renderPane() {
    const snap = ui.snapshot;
    const list = byId('messages');
    const home = byId('home');
    const tabs = byId('app-tabs');
    const composer = byId('composer-form');
    const channel = currentChannel();
    if (ui.place.kind === 'channel') {
      const info = snap.channels.find((c) => c.id === ui.place.id) || { name: ui.place.id };
      byId('pane-title').textContent = `# ${info.name}`;
      byId('pane-topic').textContent = TOPICS[info.name] || '';
      tabs.hidden = true;
    } else {
      byId('pane-title').textContent = snap.botName;
      byId('pane-topic').textContent = 'The app: its Home tab, and your direct messages with it.';
      tabs.hidden = false;
      for (const tab of tabs.querySelectorAll('[data-tab]')) tab.setAttribute('aria-selected', String(tab.dataset.tab === ui.place.tab));
    }
    const onHome = ui.place.kind === 'app' && ui.place.tab === 'home';
    home.hidden = !onHome;
    list.hidden = onHome;
    composer.hidden = onHome;
    if (onHome) {
      home.replaceChildren(
        ...(snap.home ? renderBlocks(snap.home.blocks, { kind: 'home', view: snap.home }) : [h('p', { className: 'empty-pane' }, 'Opening the Home tab…')]),
      );
      return;
    }
    const composerBox = byId('composer');
    const place = ui.place.kind === 'channel' ? `#${snap.channels.find((c) => c.id === channel)?.name || ''}` : snap.botName;
    composerBox.placeholder = `Message ${place} — type /pgroup help to start`;

    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    const messages = (snap.messages[channel] || []).map((m) => ({ ts: Number(m.ts), node: () => renderMessage(m, channel) }));
    const notes = (ui.notes[`${ui.user}:${channel}`] || []).map((n) => ({ ts: n.ts, node: () => renderNote(n) }));
    const all = [...messages, ...notes].sort((a, b) => a.ts - b.ts);
    list.replaceChildren(
      ...(all.length
        ? all.map((item) => item.node())
        : [
            h(
              'div',
              { className: 'empty-pane' },
              h('strong', {}, ui.place.kind === 'channel' ? `This is the very beginning of ${place}.` : `Your direct messages with ${snap.botName}.`),
              h('p', {}, ui.place.id === 'C_NOTIFY' ? 'Notifications of changes will appear here.' : 'Type /pgroup help, or pick a suggestion below.'),
            ),
          ]),
    );
    if (atBottom || ui.stickToBottom) list.scrollTop = list.scrollHeight;
    ui.stickToBottom = false;
  }

  function go(place) {
    ui.place = place;
    ui.stickToBottom = true;
    render();
    if (place.kind === 'app' && place.tab === 'home') {
      // Each visit to the tab is an app_home_opened event; the app publishes the view.
      api('/api/home', { user: ui.user }).catch((err) => toast(err.message));
    }
  }

  let loading = null;
  let again = false;
  /** Fetches the snapshot for the current person; changes arriving meanwhile trigger one more fetch. */
  async function refresh() {
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      do {
        again = false;
        try {
          const user = ui.user;
          const snap = await api(`/api/state?user=${encodeURIComponent(user)}`);
          if (user === ui.user) ui.snapshot = snap;
          render();
        } catch (err) {
          if (/^unknown user/.test(err.message) && ui.user !== 'U_ALICE') {
            // A person remembered from an earlier run that this workspace does not have.
            ui.user = 'U_ALICE';
            again = true;
          } else {
            toast(`The playground is not answering: ${err.message}`);
          }
        }
      } while (again);
    })();
    try {
      await loading;
    } finally {
      loading = null;
    }
  }

  async function send(text) {
    const channel = currentChannel();
    if (!text.trim() || !channel) return;
    ui.stickToBottom = true;
    try {
      const answer = await api('/api/command', { user: ui.user, channel, text });
      if (answer.note) {
        const key = `${ui.user}:${channel}`;
        ui.notes[key] = [...(ui.notes[key] || []), { ts: Date.now() / 1000, text: answer.note }];
        render();
      }
    } catch (err) {
      toast(err.message);
    }
  }

  function start() {
    const composer = byId('composer');
    byId('composer-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = composer.value;
      composer.value = '';
      send(text);
    });
    composer.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        byId('composer-form').requestSubmit();
      }
    });
    byId('suggestions').replaceChildren(
      ...SUGGESTIONS.map((s) =>
        h(
          'button',
          {
            type: 'button',
            className: 'chip',
            onclick: () => {
              composer.value = s;
              composer.focus();
            },
          },
          s,
        ),
      ),
    );
    byId('user-switch').addEventListener('change', (event) => {
      ui.user = event.target.value;
      localStorage.setItem('pgroup.playground.user', ui.user);
      ui.seen = null;
      ui.form = null;
      ui.snapshot = null;
      byId('modal-root').replaceChildren();
      refresh().then(() => {
        if (ui.place.kind === 'app' && ui.place.tab === 'home') go(ui.place);
      });
    });
    for (const tab of document.querySelectorAll('#app-tabs [data-tab]')) {
      tab.addEventListener('click', () => go({ kind: 'app', tab: tab.dataset.tab }));
    }
    const events = new EventSource('/api/events');
    events.addEventListener('change', () => refresh());
    events.addEventListener('open', () => {
      document.body.classList.remove('offline');
      refresh();
    });
    events.addEventListener('error', () => document.body.classList.add('offline'));
    refresh();
  }

  start();
})();
