// @ts-check
// What the page holds between renders: who it is viewed as, where they are, the last snapshot from
// the server, and what they have entered in the open modal.

/** @typedef {import('./slackShapes.js').Snapshot} Snapshot */
/** @typedef {import('./slackShapes.js').SharedFile} SharedFile */

/**
 * What a person entered in one input: text, an option's value, a list of values, an external
 * select's choice with its text, or the files chosen for a file_input.
 * @typedef {string | string[] | null | { selected: string, text: string } | { files: SharedFile[] }} FieldValue
 */

/**
 * The open modal's form: entered values by 'blockId/actionId', the errors shown by block_id, and
 * whether a submission is on its way. `hash` tells an update of the same view from a new one.
 * @typedef {{ viewId: string, hash: string, values: Record<string, FieldValue>, errors: Record<string, string>, busy: boolean }} Form
 */

/** @typedef {{ kind: 'channel', id: string } | { kind: 'app', tab: 'home' | 'messages' }} Place */

/**
 * A note the playground itself shows the person (e.g. that only slash commands reach the app).
 * @typedef {{ ts: number, text: string }} Note
 */

export const ui = {
  user: localStorage.getItem('pgroup.playground.user') || 'U_ALICE',
  /** @type {Place} */
  place: { kind: 'channel', id: 'C_GENERAL' },
  /** @type {Snapshot | null} */
  snapshot: null,
  /** How many messages of each conversation the person has seen, for the unread badges. @type {Record<string, number> | null} */
  seen: null,
  /** The playground's own notes, by 'user:channel'. @type {Record<string, Note[]>} */
  notes: {},
  stickToBottom: true,
  /** @type {Form | null} */
  form: null,
  /** Files chosen for the next message (hosted already). @type {SharedFile[]} */
  attached: [],
  /** The threads the person opened, by 'channel/ts' of their parent, kept open across renders. @type {Set<string>} */
  openThreads: new Set(),
};
