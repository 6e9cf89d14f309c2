// The action_ids and callback_ids shared by the renderers (which put them on buttons and
// views) and the listeners (which route on them).

export const ACTIONS = {
  listPage: 'list_page',
  showGroup: 'group_show',
  openRename: 'group_rename_open',
  openUpload: 'group_upload_open',
  exportMembers: 'group_export',
  deleteGroup: 'group_delete',
  pickGroup: 'group_pick',
  confirmOperation: 'op_confirm',
  /** Opens the form where a delete is confirmed by typing the group's name. */
  confirmTypedName: 'op_confirm_typed',
  cancelOperation: 'op_cancel',
  undoOperation: 'op_undo',
  /** Previews going back to the group as it was before a change, later changes included. */
  restoreOperation: 'op_restore',
  /** Previews a new group made from the snapshot a delete kept. */
  recreateGroup: 'group_recreate',
  createDespiteName: 'group_create_despite_name',
  createCancel: 'group_create_cancel',
  retryOperation: 'op_retry',
  addBackDropped: 'op_add_back',
  historyPage: 'history_page',
  groupSelect: 'group_select',
  /** The upload form's study picker, which searches the workspace's studies as the user types. */
  studySelect: 'study_select',
  /** The upload form's "Another group" picker: the source of a change that combines two groups. */
  otherGroupSelect: 'other_group_select',
  /** An upload question's or an export preview's choice (which column, which rows): reads the file again. */
  uploadChoice: 'upload_choice',
  homePage: 'home_page',
  /** Confirms `/pgroup forget`: removes the participant everywhere, then purges the id from the app's records. */
  confirmForget: 'participant_forget_confirm',
  cancelForget: 'participant_forget_cancel',
  /** Message members: opens the message form (the card's menu runs the same handler). */
  openMessage: 'group_message_open',
  /** A message preview's danger button, and its Cancel. */
  sendMessage: 'message_send',
  cancelMessage: 'message_cancel',
  /** Personal alerts for a group by DM (offered to whoever created it). */
  watchByDm: 'group_watch_dm',
  /** The card's Add ids and Remove ids: the upload form, the change already chosen. */
  openAddIds: 'group_add_ids_open',
  openRemoveIds: 'group_remove_ids_open',
  /** The card's Watch / Unwatch for the channel it is shown in (as `/pgroup watch|unwatch`). */
  watchHere: 'group_watch_here',
  unwatchHere: 'group_unwatch_here',
  /** The card's History: the answer to `/pgroup history <group>`. */
  showHistory: 'group_history',
  /** The card's overflow menu: each option's value names the action and the group (cardMenuChoice.ts). */
  cardMore: 'group_more',
  /** The "Participant groups" modal: its group search, a recent group, and its buttons. */
  groupsModalPick: 'groups_modal_pick',
  groupsModalRecent: 'groups_modal_recent',
  groupsModalShow: 'groups_modal_show',
  groupsModalUpload: 'groups_modal_upload',
  groupsModalCreate: 'groups_modal_create',
  groupsModalRename: 'groups_modal_rename',
  /** Binds the channel to a Prolific workspace (the choice a command asks for, and /pgroup workspace's buttons). */
  chooseWorkspace: 'workspace_choose',
  /** Chooses the Prolific workspace a person works in from the Home tab (for themselves only). */
  chooseHomeWorkspace: 'home_workspace_choose',
} as const;

/**
 * Action ids must be unique within a block, so buttons of one kind that share a block get a
 * suffix (`group_pick:2`); listeners match the kind with this pattern.
 */
export function actionKind(kind: string): RegExp {
  return new RegExp(`^${kind}(:.*)?$`);
}

export const VIEWS = {
  rename: 'rename_modal',
  upload: 'upload_modal',
  typedDelete: 'typed_delete_modal',
  /** What a shortcut says when it has nothing to offer (a message without ids). */
  shortcutNotice: 'shortcut_notice_modal',
  message: 'message_modal',
  /** The "Participant groups" global shortcut's modal, and the create form it pushes. */
  groupsShortcut: 'groups_shortcut_modal',
  createGroup: 'create_group_modal',
} as const;

/** The callback ids of the app's shortcuts, as manifest.yml declares them. */
export const SHORTCUTS = {
  /** On a message: its ids or its CSV into a group. */
  addToGroup: 'add_to_group',
  /** In the shortcuts menu: find, show, upload to, create and rename groups without a command. */
  participantGroups: 'participant_groups',
} as const;

/** Block and action ids of the modal inputs, read back from view.state.values. */
export const INPUTS = {
  group: { block: 'group', action: ACTIONS.groupSelect },
  name: { block: 'name', action: 'name_input' },
  file: { block: 'file', action: 'file_input' },
  paste: { block: 'paste', action: 'paste_input' },
  mode: { block: 'mode', action: 'mode_choice' },
  typedName: { block: 'typed_name', action: 'typed_name_input' },
  study: { block: 'study', action: ACTIONS.studySelect },
  statuses: { block: 'statuses', action: 'status_choice' },
  otherGroup: { block: 'other_group', action: ACTIONS.otherGroupSelect },
  messageBody: { block: 'message_body', action: 'message_body_input' },
  description: { block: 'description', action: 'description_input' },
} as const;
