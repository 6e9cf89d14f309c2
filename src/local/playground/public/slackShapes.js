// @ts-check
// The shapes the page works with: Block Kit as the app sends it (the parts the page draws), and
// what the page server answers at /api/state. Types only: the page never loads this module.

/** @typedef {{ type?: string, text?: string, emoji?: boolean }} TextObject */
/** @typedef {{ text: TextObject, value: string, description?: TextObject }} Option */
/** @typedef {{ label: TextObject, options: Option[] }} OptionGroup */
/** What a context block holds: text objects and images. */
/** @typedef {{ type: string, text?: string, emoji?: boolean, alt_text?: string }} ContextElement */
/** @typedef {{ title?: TextObject, text?: TextObject, confirm?: TextObject, deny?: TextObject, style?: string }} ConfirmObject */

/**
 * An interactive element.
 * @typedef {{
 *   type: string,
 *   action_id: string,
 *   text?: TextObject,
 *   value?: string,
 *   style?: string,
 *   url?: string,
 *   confirm?: ConfirmObject,
 *   placeholder?: TextObject,
 *   options?: Option[],
 *   option_groups?: OptionGroup[],
 *   initial_option?: Option,
 *   initial_options?: Option[],
 *   initial_value?: string,
 *   multiline?: boolean,
 *   min_length?: number,
 *   max_length?: number,
 *   filetypes?: string[],
 *   alt_text?: string,
 * }} Element
 */

/**
 * @typedef {{
 *   type: string,
 *   block_id: string,
 *   text?: TextObject,
 *   fields?: TextObject[],
 *   accessory?: Element,
 *   elements?: Element[],
 *   element?: Element,
 *   label?: TextObject,
 *   hint?: TextObject,
 *   optional?: boolean,
 *   dispatch_action?: boolean,
 *   alt_text?: string,
 * }} Block
 */

/**
 * A modal or Home tab as Slack shows it, with how often the app has updated it.
 * @typedef {{
 *   id: string,
 *   hash: string,
 *   callback_id: string,
 *   title?: TextObject,
 *   submit?: TextObject | null,
 *   close?: TextObject | null,
 *   blocks: Block[],
 *   updatedCount: number,
 * }} ViewObject
 */

/** @typedef {{ id: string, name: string, title?: string, size: number, filetype?: string }} SharedFile */

/**
 * A message as the person sees it.
 * @typedef {{ ts: string, author: string | null, text: string, blocks: Block[], ephemeral: boolean, edited: boolean, files: SharedFile[], threadTs: string | null }} SnapshotMessage
 */

/** @typedef {{ id: string, name: string, realName: string, external: boolean, mayChangeGroups: boolean }} Person */
/** @typedef {{ id: string, name: string, dm: boolean }} Conversation */

/**
 * What the page server answers at /api/state for the person the page is viewed as.
 * @typedef {{
 *   workspace: string,
 *   botName: string,
 *   prolific: 'sandbox' | 'real',
 *   user: string,
 *   users: Person[],
 *   channels: Conversation[],
 *   names: { users: Record<string, string>, channels: Record<string, string> },
 *   messages: Record<string, SnapshotMessage[]>,
 *   modal: ViewObject | null,
 *   home: ViewObject | null,
 * }} Snapshot
 */

export {};
