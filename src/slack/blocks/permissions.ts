import type { ChangeRefusal } from '../../services/actor';
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
