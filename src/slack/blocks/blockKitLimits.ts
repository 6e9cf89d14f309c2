// Block Kit's limits, one table for the renderers (which cut text to fit) and for the local Slack's
// check of every payload (which refuses what breaks one, as Slack does). Numbers come from Slack's
// reference pages under docs.slack.dev/reference/block-kit/ and docs.slack.dev/reference/views/modal-views,
// cited beside each limit. Lengths are in UTF-16 code units, as Slack counts them: an emoji outside
// the Basic Multilingual Plane counts two.

export const BLOCK_KIT_LIMITS = {
  /** "You can include up to 50 blocks in each message, and 100 blocks in modals or Home tabs." (block-kit/blocks) */
  messageBlocks: 50,
  viewBlocks: 100,
  /** Section block: text 1–3000 characters; fields at most 10 items of at most 2000 characters each. */
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  /** Header block: plain_text of at most 150 characters. */
  headerText: 150,
  /** Context block: at most 10 elements, each text a text object of at most 3000 characters (composition-objects/text-object). */
  contextElements: 10,
  contextText: 3000,
  /** Actions block: "There is a maximum of 25 elements in each action block." */
  actionsElements: 25,
  /** Input block: label and hint at most 2000 characters. */
  inputLabel: 2000,
  inputHint: 2000,
  /** Image block: alt_text and title at most 2000 characters, image_url at most 3000. */
  imageAltText: 2000,
  imageTitle: 2000,
  imageUrl: 3000,
  /** Markdown block: a cumulative limit of 12,000 characters. */
  markdownText: 12000,
  /** Every block: block_id at most 255 characters, unique within a message or view. */
  blockId: 255,
  /** Every interactive element: action_id at most 255 characters, unique within its block. */
  actionId: 255,
  /** Button element: text 75, value 2000, url 3000, accessibility_label 75. */
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  buttonAccessibilityLabel: 75,
  /** Select menus: placeholder at most 150 characters; at most 100 options or 100 option groups. */
  placeholder: 150,
  selectOptions: 100,
  selectOptionGroups: 100,
  /** Overflow menu: 1–5 options. Radio buttons and checkboxes: at most 10 options. */
  overflowOptions: 5,
  radioOptions: 10,
  checkboxOptions: 10,
  /** Option object: text 75, value 150, description 75, url 3000 (composition-objects/option-object). */
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  optionUrl: 3000,
  /** Option group: label 75, at most 100 options. */
  optionGroupLabel: 75,
  optionGroupOptions: 100,
  /** Plain-text input: min_length and max_length at most 3000. */
  plainTextInputLength: 3000,
  /** File input: max_files 1–10. */
  fileInputMaxFiles: 10,
  /** Confirmation dialog: title 100, text 300, confirm and deny 30. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Modal view: title, submit and close at most 24 characters. */
  modalTitle: 24,
  modalButton: 24,
  /** Views: private_metadata 3000, callback_id 255, external_id 255. */
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
} as const;
