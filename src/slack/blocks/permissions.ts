import type { ChangeRefusal, MessageRefusal, WorkspaceSwitchRefusal } from '../../services/actor';
import { notice, type SlackMessage } from './message';

/** Why someone may not change groups, in their words; each says reading still works or what to do. */
export function changeRefusalText(refusal: ChangeRefusal): string {
  switch (refusal) {
    case 'other_workspace':
      return 'Only members of the workspace that installed this app can change participant groups. You can still list and view them.';
    case 'not_allowed':
      return 'You are not on the list of people who may change participant groups. Ask an admin of this app to add you to ALLOWED_USER_IDS.';
    case 'workspace_unknown':
      return 'Slack did not tell me which workspace you belong to, so I changed nothing. You can still list and view groups; try again in a moment.';
  }
}

export function renderChangeRefusal(refusal: ChangeRefusal): SlackMessage {
  return notice(changeRefusalText(refusal), ':no_entry:');
}

/** Why someone may not message participants (or forget one); nothing was sent or changed. */
export function messageRefusalText(refusal: MessageRefusal): string {
  switch (refusal) {
    case 'other_workspace':
      return 'Only members of the workspace that installed this app can message participants. Nothing was sent.';
    case 'not_allowed':
      return 'Messaging participants needs more than changing groups: you are not on the list of people who may (MESSAGE_USER_IDS, or ALLOWED_USER_IDS when that is unset). Nothing was sent; ask an admin of this app to add you.';
    case 'no_list':
      return 'Nobody may message participants yet: an admin of this app has to name who may, in MESSAGE_USER_IDS (or ALLOWED_USER_IDS). Nothing was sent.';
    case 'workspace_unknown':
      return 'Slack did not say which workspace you belong to, so nothing was sent. Try again in a moment.';
  }
}

export function renderMessageRefusal(refusal: MessageRefusal): SlackMessage {
  return notice(messageRefusalText(refusal), ':no_entry:');
}

/** Why someone may not switch a channel's Prolific workspace; the channel's workspace is unchanged. */
export function workspaceSwitchRefusalText(refusal: WorkspaceSwitchRefusal): string {
  if (refusal === 'not_admin') return 'Only the admins of this app (ADMIN_USER_IDS) can switch the Prolific workspace a channel works in. Nothing was changed.';
  return `${changeRefusalText(refusal)} The channel’s Prolific workspace was not changed.`;
}

export function renderWorkspaceSwitchRefusal(refusal: WorkspaceSwitchRefusal): SlackMessage {
  return notice(workspaceSwitchRefusalText(refusal), ':no_entry:');
}
