// Messaging a group's members: the form, the preview with the exact text, the outcomes, the
// refusals, and the channel notification (the first line of the body only).
import type { KnownBlock, ModalView } from '@slack/types';
import type { ParticipantGroup } from '../../prolific/types';
import type { GroupMessage, MessageBodyProblem, MessageOutcome, MessagePreview, NotifiedMessage, SendRefusal, SendResult } from '../../services/groupMessages';
import { MAX_MESSAGE_LENGTH } from '../../services/groupMessages';
import type { Operation } from '../../store/types';
import { ACTIONS, INPUTS, VIEWS } from '../interactionIds';
import { bold, escapeMrkdwn, formatCount, mentionUser, plural, slackDate, truncate } from '../mrkdwn';
import { BLOCK_KIT_LIMITS as L } from './blockKitLimits';
import { actions, button, context, type SlackMessage, section, type ThreadedNotice } from './message';
import { encodeModalContext, type ModalContext, studyPicker } from './modals';
import { messageRefusalText } from './permissions';
import type { MessageRefusal } from '../../services/actor';

/** How much of the body's first line a notification or the history shows. */
export const FIRST_LINE_LENGTH = 150;

/** The body's first non-blank line, cut at FIRST_LINE_LENGTH; "…" when more follows. */
export function firstLine(body: string): string {
  const lines = body.split(/\r?\n/);
  const first = lines.find((line) => line.trim()) ?? '';
  const more = lines.filter((line) => line.trim()).length > 1;
  const cut = truncate(first.trim(), FIRST_LINE_LENGTH);
  return more && !cut.endsWith('…') ? `${cut} …` : cut;
}

function participants(n: number): string {
  return plural(n, 'participant');
}

function studyLine(message: GroupMessage): string {
  return message.study ? `*About study:* ${bold(message.study.name)}` : '*About study:* none';
}

/** The form: the body (multi-line, with its limit), and optionally the study it is about. */
export function renderMessageModal(group: ParticipantGroup, ctx: ModalContext): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.message,
    title: { type: 'plain_text', text: 'Message participants' },
    submit: { type: 'plain_text', text: 'Preview' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalContext(ctx),
    blocks: [
      section(`To every member of ${bold(group.name)} (${participants(group.participant_count)} now), in their Prolific inbox.`),
      {
        type: 'input',
        block_id: INPUTS.messageBody.block,
        label: { type: 'plain_text', text: 'Message' },
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.messageBody.action,
          multiline: true,
          max_length: MAX_MESSAGE_LENGTH,
          placeholder: { type: 'plain_text', text: 'What participants will read' },
        },
        hint: { type: 'plain_text', text: `Up to ${formatCount(MAX_MESSAGE_LENGTH)} characters, sent as typed. A message cannot be recalled.` },
      },
      studyPicker('About a study', 'Optional: participants see the message as about this study.'),
      section('Nothing is sent until you confirm the preview that follows.'),
    ],
  };
}

/** The form's inline error for a body that cannot be sent. */
export function messageBodyProblemText(problem: MessageBodyProblem): string {
  if (problem.kind === 'empty') return 'Write the message participants will read.';
  return `A message can be at most ${formatCount(problem.max)} characters; this one has ${formatCount(problem.length)}.`;
}

/** The form's inline error, if any: who may not message, what is wrong with the body, or a form that lost its group. Nothing is sent. */
export function messageFormError(refusal: MessageRefusal | null, problem: MessageBodyProblem | null, groupId: string | null): string | null {
  if (refusal) return messageRefusalText(refusal);
  if (problem) return messageBodyProblemText(problem);
  return groupId ? null : 'This form no longer knows its group. Close it and run `/pgroup message <group>` again. Nothing was sent.';
}

function sendButtonText(recipients: number): string {
  return `Send to ${participants(recipients)}`;
}

/** The body exactly as typed: plain text, so nothing in it is read as formatting. */
function bodyBlock(body: string): KnownBlock {
  return { type: 'section', text: { type: 'plain_text', text: truncate(body, L.sectionText), emoji: false } };
}

/** The preview: the exact text, the recipients, the study, and that it cannot be recalled; or why there is none. */
export function renderMessagePreview(preview: MessagePreview): SlackMessage {
  if (preview.kind === 'empty_group') {
    return {
      text: `${escapeMrkdwn(preview.groupName)} has no members: nothing was sent.`,
      blocks: [section(`:information_source: ${bold(preview.groupName)} has no members, so there is nobody to message. Nothing was sent.`)],
    };
  }
  if (preview.kind === 'over_cap') {
    const text = `${bold(preview.groupName)} has ${participants(preview.recipients)}, more than the ${formatCount(preview.cap)} one Prolific message may reach. Nothing was sent, and the app does not split a group: message a smaller group (for example one made with \`/pgroup create\` and \`/pgroup add\`).`;
    return { text: `Too many recipients: nothing was sent to ${escapeMrkdwn(preview.groupName)}.`, blocks: [section(`:no_entry: ${text}`)] };
  }
  const { operation: op, message } = preview;
  const expires = slackDate(op.expiresAt, '{time}', `at ${op.expiresAt.toISOString().slice(11, 16)} UTC`);
  return {
    text: `Message ${participants(message.recipients)} of ${escapeMrkdwn(preview.groupName)}? Review the preview before sending.`,
    blocks: [
      section(`:rotating_light: *Message to the ${participants(message.recipients)} of* ${bold(preview.groupName)}. Participants will read exactly this:`),
      bodyBlock(message.body),
      section(`*Recipients:* ${formatCount(message.recipients)}\n${studyLine(message)}`),
      context(`A message cannot be recalled: every member gets it in their Prolific inbox. Nothing has been sent yet. This preview expires ${expires}.`),
      actions('message', [
        button(sendButtonText(message.recipients), ACTIONS.sendMessage, op.id, {
          style: 'danger',
          confirm: {
            title: 'Send this message?',
            text: `${formatCount(message.recipients)} participants of ${escapeMrkdwn(preview.groupName)} will get it in their Prolific inbox. It cannot be recalled.`,
            confirm: sendButtonText(message.recipients),
          },
        }),
        button('Cancel', ACTIONS.cancelMessage, op.id),
      ]),
    ],
  };
}

const REFUSALS: Record<SendRefusal, string> = {
  missing: 'This message preview no longer exists; nothing was sent. Start again with `/pgroup message <group>`.',
  expired: 'This message preview has expired and nothing was sent. Start again with `/pgroup message <group>`.',
  not_requester: 'Only the person who wrote this message (or an admin of the app, ADMIN_USER_IDS) can send or cancel it. Nothing was sent.',
  already_sent: 'This message was already sent, or tried and settled: it is never sent twice. Nothing was sent again; `/pgroup history` shows what happened.',
  in_progress: 'This message is being sent right now. You will see the outcome here in a moment.',
  cancelled: 'This message preview was cancelled or replaced; nothing was sent.',
  outside_workspace: 'This group was not found in this workspace, so this app does not message its members. Nothing was sent.',
};

export function renderSendRefused(reason: SendRefusal): SlackMessage {
  return { text: REFUSALS[reason], blocks: [section(`:no_entry: ${REFUSALS[reason]}`)] };
}

export function renderMessageCancelled(op: Operation): SlackMessage {
  return { text: 'Cancelled', blocks: [section(`:heavy_multiplication_x: Cancelled: the message to ${bold(op.groupName)}. Nothing was sent.`)] };
}

/** The audit log's line for a message that was not, or may have been, sent. */
export function messageFailureSummary(outcome: Exclude<MessageOutcome, 'sent'>, said: string | null): string {
  if (outcome === 'not_sent') return `Not sent${said ? `: Prolific said ${said}` : ''}. Nothing was sent.`;
  return `May have been sent: Prolific did not confirm it${said ? ` (${said})` : ''}. It was not sent again.`;
}

/** How a send ended, in place of the preview (a refusal is a new message: see reportSendResult). */
export function renderSendResult(result: Exclude<SendResult, { kind: 'refused' }>): SlackMessage {
  switch (result.kind) {
    case 'sent': {
      const { message } = result;
      return {
        text: `Sent to ${participants(message.recipients)} of ${escapeMrkdwn(result.operation.groupName)}`,
        blocks: [
          section(`:white_check_mark: Sent to the ${participants(message.recipients)} of ${bold(result.operation.groupName)}.`),
          bodyBlock(message.body),
          context(studyLine(message)),
        ],
      };
    }
    case 'may_have_been_sent':
      return {
        text: `The message to ${escapeMrkdwn(result.operation.groupName)} may have been sent`,
        blocks: [
          section(
            `:grey_question: The message to the ${participants(result.message.recipients)} of ${bold(result.operation.groupName)} *may have been sent*: Prolific did not confirm it${result.said ? ` (${escapeMrkdwn(result.said)})` : ''}. It was not sent again, so that nobody gets it twice. Check the messages in Prolific before sending it again.`,
          ),
          bodyBlock(result.message.body),
        ],
      };
    case 'not_sent':
      return {
        text: `The message to ${escapeMrkdwn(result.operation.groupName)} was not sent`,
        blocks: [section(`:x: The message to ${bold(result.operation.groupName)} was not sent${result.said ? `: Prolific said ${escapeMrkdwn(result.said)}` : ''}. Nothing was sent; you can preview it again with \`/pgroup message\`.`)],
      };
    case 'changed': {
      const fresh = renderMessagePreview(result.fresh);
      return {
        text: 'The group changed since your preview; nothing was sent.',
        blocks: [
          section(`:arrows_counterclockwise: ${bold(result.previous.groupName)} has ${participants(result.now)} now, not ${formatCount(result.before)} as in your preview. Nothing was sent. Here is a fresh preview:`),
          ...fresh.blocks,
        ],
      };
    }
  }
}

/** The channel notification: who messaged which group, how many, and the first line of the body only. */
export function renderMessageNotification(n: NotifiedMessage): ThreadedNotice {
  const who = mentionUser(n.actor.userId);
  const line = firstLine(n.message.body);
  const quoted = line ? `“${escapeMrkdwn(line)}”` : '';
  const study = n.message.study ? ` · about ${bold(n.message.study.name)}` : '';
  const head =
    n.outcome === 'sent'
      ? `:envelope: ${who} messaged the ${participants(n.message.recipients)} of ${bold(n.groupName)}${study}.`
      : `:grey_question: ${who}’s message to the ${participants(n.message.recipients)} of ${bold(n.groupName)}${study} *may have been sent*: Prolific did not confirm it. It was not sent again.`;
  // The top line says who messaged whom; the message's first line and the group go in its thread.
  return {
    top: {
      text: `<@${n.actor.userId}> ${n.outcome === 'sent' ? 'messaged' : 'may have messaged'} the members of ${escapeMrkdwn(n.groupName)}`,
      blocks: [section(head)],
    },
    threadReply: {
      text: `Details of the message to the members of ${escapeMrkdwn(n.groupName)}`,
      blocks: [...(quoted ? [section(`*First line:* ${quoted}`)] : []), context(`Group \`${n.groupId}\` · \`/pgroup history ${n.groupId}\``)],
    },
  };
}

/** A message's line in the history: recipients, study and first line. */
export function describeMessage(message: GroupMessage): string {
  const line = firstLine(message.body);
  const study = message.study ? ` · about ${escapeMrkdwn(message.study.name)}` : '';
  return ` · to ${participants(message.recipients)}${study}${line ? `: “${escapeMrkdwn(line)}”` : ''}`;
}
