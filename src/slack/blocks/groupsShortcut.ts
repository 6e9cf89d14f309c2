// The "Participant groups" global shortcut's modal: the command-free way in. A group search, the
// groups this person changed last, and buttons to upload, create and rename; choosing a group shows
// it with Show, Upload and Rename.
import type { KnownBlock, ModalView } from '@slack/types';
import type { ParticipantGroup } from '../../prolific/types';
import type { RecentGroup } from '../../services/recentGroups';
import { MAX_GROUP_NAME_LENGTH } from '../../services/groups';
import { ACTIONS, INPUTS, VIEWS } from '../interactionIds';
import { bold, code, plural } from '../mrkdwn';
import { BLOCK_KIT_LIMITS as L } from './blockKitLimits';
import { actions, button, context, divider, section } from './message';
import { encodeModalContext, groupOption, STATIC_SELECT_LIMIT } from './modals';


export const RECENT_GROUPS_SHOWN = 5;

function groupSearch(groups: ParticipantGroup[], selected: ParticipantGroup | null): KnownBlock {
  const initial = selected ? { initial_option: groupOption(selected) } : {};
  const element =
    groups.length <= STATIC_SELECT_LIMIT
      ? {
          type: 'static_select' as const,
          action_id: ACTIONS.groupsModalPick,
          placeholder: { type: 'plain_text' as const, text: 'Find a group' },
          options: groups.map(groupOption),
          ...initial,
        }
      : {
          type: 'external_select' as const,
          action_id: ACTIONS.groupsModalPick,
          placeholder: { type: 'plain_text' as const, text: 'Type to search groups' },
          min_query_length: 0,
          ...initial,
        };
  return { type: 'actions', block_id: 'groups_search', elements: [element] } as KnownBlock;
}

/** The modal; `selected` is the group chosen in the search or from the recent ones. */
export function renderGroupsModal(groups: ParticipantGroup[], recent: RecentGroup[], selected: ParticipantGroup | null): ModalView {
  const blocks: KnownBlock[] = [
    section(groups.length ? `Find one of the ${plural(groups.length, 'participant group')}, or start something new.` : 'There are no participant groups yet. Create one to start.'),
    actions('groups_start', [
      button('Upload ids', ACTIONS.groupsModalUpload, selected?.id),
      button('Create a group', ACTIONS.groupsModalCreate),
      button('Rename a group', ACTIONS.groupsModalRename, selected?.id),
    ]),
  ];
  if (groups.length) blocks.push(groupSearch(groups, selected));
  if (selected) {
    blocks.push(
      section(`${bold(selected.name)} ${code(selected.id)} · ${plural(selected.participant_count, 'member')}`),
      actions('groups_selected', [
        button('Show', ACTIONS.groupsModalShow, selected.id, { style: 'primary' }),
        button('Upload', ACTIONS.groupsModalUpload, selected.id),
        button('Rename', ACTIONS.groupsModalRename, selected.id),
      ]),
    );
  }
  blocks.push(divider(), section('*Your recent groups*'));
  const shown = recent.slice(0, RECENT_GROUPS_SHOWN);
  if (shown.length) {
    for (const [i, r] of shown.entries()) {
      blocks.push(section(`${bold(r.groupName)} ${code(r.groupId)}`, button('Choose', `${ACTIONS.groupsModalRecent}:${i}`, r.groupId)));
    }
  } else {
    blocks.push(context('Groups you change appear here.'));
  }
  return {
    type: 'modal',
    callback_id: VIEWS.groupsShortcut,
    title: { type: 'plain_text', text: 'Participant groups' },
    close: { type: 'plain_text', text: 'Close' },
    private_metadata: encodeModalContext({ channelId: null, groupId: selected?.id ?? null, currentName: null }),
    blocks,
  };
}

/** Creating a group without a command: its name and an optional description. */
export function renderCreateGroupModal(): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.createGroup,
    title: { type: 'plain_text', text: 'Create a group' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Back' },
    private_metadata: encodeModalContext({ channelId: null, groupId: null, currentName: null }),
    blocks: [
      {
        type: 'input',
        block_id: INPUTS.name.block,
        label: { type: 'plain_text', text: 'Name' },
        element: { type: 'plain_text_input', action_id: INPUTS.name.action, max_length: MAX_GROUP_NAME_LENGTH + 50 },
        hint: { type: 'plain_text', text: `Up to ${MAX_GROUP_NAME_LENGTH} characters.` },
      },
      {
        type: 'input',
        block_id: INPUTS.description.block,
        optional: true,
        label: { type: 'plain_text', text: 'Description' },
        element: { type: 'plain_text_input', action_id: INPUTS.description.action, multiline: true, max_length: L.plainTextInputLength },
      },
      context('The group starts empty. Add members with Upload ids afterwards.'),
    ],
  };
}
