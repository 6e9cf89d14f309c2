// @ts-check
// Building the page from DOM nodes and text nodes, never from HTML strings: group names, file
// contents and Prolific's errors are shown as text, whatever they contain.

/** A child of h(): text, a node, nothing, or a list of children (nested lists are flattened). */
/** @typedef {string | Node | null | undefined | false | unknown[]} Child */

/**
 * An element with attributes (on* are listeners) and children (strings become text nodes).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === 'className') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/**
 * @param {Node & ParentNode} node
 * @param {Child[]} children
 */
function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, /** @type {Child[]} */ (child));
    else node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/**
 * An element of the page by its id; the page's own markup has every id asked for.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The page has no #${id}.`);
  return node;
}

/**
 * A short notice in the corner, gone after six seconds.
 * @param {string} message
 * @param {string} [kind] 'error' unless given
 */
export function toast(message, kind) {
  const node = h('div', { className: `toast ${kind || 'error'}`, role: 'alert' }, message);
  byId('toasts').append(node);
  setTimeout(() => node.remove(), 6000);
}
