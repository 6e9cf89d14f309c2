// Forgetting a participant: the preview of `/pgroup forget` and its outcome.
import type { KnownBlock } from '@slack/types';
import type { MessageRefusal } from '../../services/actor';
import type { ParticipantWhereabouts } from '../../services/participantFinder';
import type { ForgetOutcome, NotRemovedReason } from '../../services/participantForgetting';
import { ACTIONS } from '../interactionIds';
import { bold, code, formatCount, plural } from '../mrkdwn';
import { actions, button, context, notice, type SlackMessage, section } from './message';
import { gatedStudyBlocks, holdingBlocks } from './participants';

const WHAT_IS_PURGED =
  'the app’s snapshots (so Undo and Restore cannot bring the id back), previews and other stored id lists, notifications waiting to be sent, and member lists it keeps for lookups';

/** What `/pgroup forget` will do: the groups, the live studies they gate, and what the app deletes of its own. */
export function renderForgetPreview(where: ParticipantWhereabouts): SlackMessage {
  const id = code(where.participantId);
  const groups = where.holdings.length;
  const blocks: KnownBlock[] = [
    section(
      groups
        ? `*Forget* ${id}*?* The participant will be removed from ${plural(groups, 'group')} of the workspace’s ${formatCount(where.groupsTotal)}:`
        : `*Forget* ${id}*?* No group of the workspace’s ${formatCount(where.groupsTotal)} holds the id.`,
    ),
    ...holdingBlocks(where.holdings),
    ...gatedStudyBlocks(where),
  ];
  if (where.unreadable.length) {
    blocks.push(section(`:warning: ${plural(where.unreadable.length, 'group')} could not be read just now; they are read again when you confirm.`));
  }
  blocks.push(
    section(
      `Then the app deletes the id from its own records: ${WHAT_IS_PURGED}. The history keeps that a participant was forgotten, by you and when, with a one-way hash of the id and never the id. Channels hear of each removal without the id.`,
    ),
    context('Nothing has been written yet. Every group is read again when you confirm, and one the participant joined meanwhile is included.'),
    actions('forget', [
      button('Forget this participant', ACTIONS.confirmForget, where.participantId, {
        style: 'danger',
        confirm: {
          title: 'Forget this participant?',
          text: `They will be removed from ${plural(groups, 'group')}, and the app will delete the id from its records. This cannot be undone.`,
          confirm: 'Forget',
        },
      }),
      button('Cancel', ACTIONS.cancelForget),
    ]),
  );
  return { text: `Forget participant ${where.participantId}? Review before confirming.`, blocks };
}

const NOT_REMOVED: Partial<Record<NotRemovedReason, string>> = {
  failed: 'Prolific did not take the removal',
  moved: 'the group kept changing while it was being written',
  group_busy: 'another change to the group was still being written',
  outside_workspace: 'the group is not in this workspace',
};

/** The outcome, in place of the preview: counts and group names only, never the id. */
export function renderForgotten(outcome: ForgetOutcome): SlackMessage {
  const removed = outcome.removed.filter((c) => c.removed > 0);
  const groups = removed.map((c) => bold(c.afterName)).join(', ');
  const blocks: KnownBlock[] = [
    section(
      removed.length
        ? `:white_check_mark: Done: the participant was removed from ${plural(removed.length, 'group')} (${groups}) and the app deleted the id from its records.`
        : ':white_check_mark: Done: no group held the participant, and the app deleted the id from its records.',
    ),
  ];
  if (outcome.notRemoved.length) {
    const lines = outcome.notRemoved.map((g) => `• ${bold(g.groupName)}: ${NOT_REMOVED[g.reason] ?? 'the removal was refused'}`);
    blocks.push(section(`:warning: *Still in ${plural(outcome.notRemoved.length, 'group')}:*\n${lines.join('\n')}\nRun \`/pgroup forget\` with the id again to remove them.`));
  }
  if (outcome.unreadable.length) {
    blocks.push(section(`:warning: ${plural(outcome.unreadable.length, 'group')} could not be read, so the participant may still be in ${outcome.unreadable.length === 1 ? 'it' : 'them'}: ${outcome.unreadable.map((g) => bold(g.groupName)).join(', ')}. Run \`/pgroup forget\` with the id again.`));
  }
  const e = outcome.erased;
  blocks.push(
    context(
      `Deleted from ${plural(e.operations, 'stored change')}, ${plural(e.snapshots, 'snapshot')}, ${plural(e.notifications, 'notification')} and ${plural(e.watchedGroups, 'watched group list')}. The history keeps hash ${code(outcome.hash.slice(0, 12))}.`,
    ),
  );
  return { text: removed.length ? `The participant was removed from ${plural(removed.length, 'group')} and forgotten.` : 'The participant was forgotten.', blocks };
}

export function renderForgetCancelled(): SlackMessage {
  return { text: 'Cancelled: nothing was written.', blocks: [section(':heavy_multiplication_x: Cancelled: nobody was forgotten and nothing was written.')] };
}

/** A forget starting: the groups are read again and written one at a time. */
export function renderForgetting(): SlackMessage {
  return { text: 'Forgetting the participant…', blocks: [section(':hourglass_flowing_sand: Removing the participant from each group, one at a time…')] };
}

/** Forgetting takes the messaging permission, not just the right to change groups. */
export function renderForgetRefusal(refusal: MessageRefusal): SlackMessage {
  const why: Record<MessageRefusal, string> = {
    other_workspace: 'Only members of the workspace that installed this app can forget a participant.',
    not_allowed:
      'Forgetting a participant needs more than changing groups: you are not on the list of people who may (MESSAGE_USER_IDS, or ALLOWED_USER_IDS when that is unset). Ask an admin of this app to add you.',
    no_list: 'Nobody may forget participants yet: an admin of this app has to name who may, in MESSAGE_USER_IDS (or ALLOWED_USER_IDS).',
    workspace_unknown: 'Slack did not say which workspace you belong to. Try again in a moment.',
  };
  return notice(`${why[refusal]} Nothing was changed.`, ':no_entry:');
}
