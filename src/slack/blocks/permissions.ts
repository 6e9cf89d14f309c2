import type { ChangeRefusal, Helpers, MessageRefusal, WorkspaceSwitchRefusal } from '../../services/actor';
import { mentionUser } from '../mrkdwn';
import { type SlackMessage, section } from './message';

/** `<@A>, <@B> or <@C>` */
function mentions(userIds: string[]): string {
  const named = userIds.map(mentionUser);
  return named.length <= 1 ? (named[0] ?? '') : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}

/**
 * Whom to ask, named: the admins of the app, else someone already allowed. In plain text (a form's
 * inline error, where a mention would show as `<@U…>`) they are described, not named.
 */
export function whomToAsk(helpers: Helpers | undefined, plain = false): string {
  if (helpers?.admins.length) return plain ? 'an admin of this app' : `${mentions(helpers.admins)} (${helpers.admins.length === 1 ? 'the admin' : 'the admins'} of this app)`;
  if (helpers?.allowed.length) return plain ? 'someone who may change groups' : `${mentions(helpers.allowed)}, who may change groups,`;
  return 'whoever set up this app';
}

/**
 * Why someone may not change groups, in their words; each says reading still works or what to do.
 * `plain`: for plain text (a form's inline error), with no mentions.
 */
export function changeRefusalText(refusal: ChangeRefusal, helpers?: Helpers, plain = false): string {
  switch (refusal) {
    case 'other_workspace':
      return 'Only members of the workspace that installed this app can change participant groups. You can still list and view them.';
    case 'not_allowed':
      return `You are not on the list of people who may change participant groups. Ask ${whomToAsk(helpers, plain)} to add you. You can still list and view them.`;
    case 'workspace_unknown':
      return 'Slack did not tell me which workspace you belong to, so I changed nothing. You can still list and view groups; try again in a moment.';
  }
}

/** The refusal as a message: the people to ask are mentions (the text has no user text to escape). */
export function renderChangeRefusal(refusal: ChangeRefusal, helpers?: Helpers): SlackMessage {
  const text = changeRefusalText(refusal, helpers);
  return { text: changeRefusalText(refusal, helpers, true), blocks: [section(`:no_entry: ${text}`)] };
}

/** Why someone may not message participants (or forget one); nothing was sent or changed. `plain`: no mentions. */
export function messageRefusalText(refusal: MessageRefusal, helpers?: Helpers, plain = true): string {
  switch (refusal) {
    case 'other_workspace':
      return 'Only members of the workspace that installed this app can message participants. Nothing was sent.';
    case 'not_allowed':
      return `Messaging participants needs more than changing groups: you are not on the list of people who may. Nothing was sent; ask ${whomToAsk(helpers, plain)} to add you.`;
    case 'no_list':
      return `Nobody may message participants yet: ${whomToAsk(helpers, plain)} has to name who may. Nothing was sent.`;
    case 'workspace_unknown':
      return 'Slack did not say which workspace you belong to, so nothing was sent. Try again in a moment.';
  }
}

export function renderMessageRefusal(refusal: MessageRefusal, helpers?: Helpers): SlackMessage {
  return { text: messageRefusalText(refusal, helpers), blocks: [section(`:no_entry: ${messageRefusalText(refusal, helpers, false)}`)] };
}

/** Why someone may not switch a channel's Prolific workspace; the channel's workspace is unchanged. */
export function workspaceSwitchRefusalText(refusal: WorkspaceSwitchRefusal, helpers?: Helpers, plain = true): string {
  if (refusal === 'not_admin') {
    const admins = helpers?.admins.length && !plain ? ` (${mentions(helpers.admins)})` : '';
    return `Only the admins of this app${admins} can switch the Prolific workspace a channel works in. Nothing was changed.`;
  }
  return `${changeRefusalText(refusal, helpers, plain)} The channel’s Prolific workspace was not changed.`;
}

export function renderWorkspaceSwitchRefusal(refusal: WorkspaceSwitchRefusal, helpers?: Helpers): SlackMessage {
  return { text: workspaceSwitchRefusalText(refusal, helpers), blocks: [section(`:no_entry: ${workspaceSwitchRefusalText(refusal, helpers, false)}`)] };
}
