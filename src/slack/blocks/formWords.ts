// The words of the app's forms and of the status a form shows while the app works: inline
// errors under a field, the "Reading…" and "preview is ready" views, and the refusals a form
// ends with. Flows pick one; only this file words them (docs/MESSAGES.md).
import type { ModalView } from '@slack/types';
import { escapeMrkdwn } from '../mrkdwn';
import { describeFailure } from './failures';

/** Inline errors under a form's field (plain text: Slack shows them as typed). */
export const FORM_ERRORS = {
  chooseGroup: 'Choose a group.',
  noSource: 'Choose a CSV file, paste ids or choose a study below.',
  oneSource: 'Use one source: the file, pasted ids, a study or another group.',
  noStatus: 'Tick at least one status: whose submissions should be used?',
  sameGroup: 'Choose a group other than the one you change.',
  noMode: 'Choose what should happen.',
  keepNeedsGroup: 'Keeping only those in another group needs the other group: choose it above.',
  deletePreviewGone: 'This preview no longer exists; nothing was written. Start again with /pgroup delete.',
} as const;

export function typedNameMismatch(groupName: string): string {
  return `That is not the group’s name. Type “${groupName}” exactly to delete it, or cancel.`;
}

/** Modal titles (Slack cuts them at 24 characters). */
export const FORM_TITLES = { upload: 'Upload participant ids', fromMessage: 'Add to a group', message: 'Message participants' } as const;

/** The light view a form opens with while the app reads what it needs (the trigger id expires in 3 s). */
export function renderLoadingModal(title: string, what: 'groups' | 'group'): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:hourglass_flowing_sand: Loading the ${what === 'groups' ? 'groups' : 'group'}…` } }],
  };
}

/** The members file sent to the person who asked: its name, title and the comment it comes with (mrkdwn). */
export function membersFileWords(groupName: string, count: number): { filename: string; title: string; comment: string } {
  return {
    filename: `${groupName.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'group'}-members.csv`,
    title: `Members of ${groupName}`,
    comment: `Members of ${escapeMrkdwn(groupName)} (${count.toLocaleString('en-US')})`,
  };
}

/** What a form shows while the app works. */
export const FORM_STATUS = { loadingGroups: 'Loading the groups…' } as const;

/** What the upload form shows while it reads its source. */
export function readingText(source: { otherGroup: boolean; study: boolean; fileName: string | null | undefined; hasFile: boolean; message: boolean }): string {
  if (source.otherGroup) return 'Reading both groups…';
  if (source.study) return 'Reading the study’s submissions…';
  if (source.hasFile) return `Reading ${source.fileName ?? 'your file'}…`;
  if (source.message) return 'Reading the message’s ids…';
  return 'Reading the pasted ids…';
}

/** Where a preview from a form was posted: the channel the form came from, the DM, or nowhere Slack allowed. */
export type PreviewPlace = 'channel' | 'dm' | null;

export function previewReadyText(place: PreviewPlace): { text: string; emoji: string } {
  if (place === null) return { text: 'The preview is ready, but Slack would not let me show it to you. Try again from a channel the app is in.', emoji: ':warning:' };
  const where = place === 'channel' ? 'in the channel (only you can see it)' : 'in your direct messages with the app';
  return { text: `The preview is ready ${where}. Nothing changes until you confirm it there.`, emoji: ':white_check_mark:' };
}

/** How a form ends when it makes no preview; nothing was sent to Prolific in any of them. */
export const FORM_ENDINGS = {
  fileQuestion: 'The app has a question about your file: see its message. Nothing was sent to Prolific.',
  studyGone: 'That study is no longer in this workspace. Nothing was sent to Prolific.',
  noStatusRows: 'No submission of the study has the statuses you ticked: see the message from the app. Nothing was sent to Prolific.',
  noPastedIds: 'None of the pasted text is a participant id (24 characters, 0–9 and a–f). Nothing was sent to Prolific.',
  messageStudyGone: 'The study chosen in the form was not found in this workspace, so no preview was made. Nothing was sent.',
  staleUploadButton: 'This button no longer works. Upload the file again with /pgroup upload. Nothing was sent to Prolific.',
} as const;

export function formFailedText(err: unknown): string {
  return `${describeFailure(err)} Nothing was sent to Prolific.`;
}

/** A rename refused for its name: the reason, and that nothing changed. */
export function renameRefusedText(problem: string, currentName: string): string {
  return `${problem} The group is still called “${currentName}”.`;
}

/** A copy refused for its name. */
export function copyRefusedText(problem: string): string {
  return `${problem} No group was created.`;
}

/** How a preview names ids that did not come from a file or a study. */
export const INLINE_SOURCES = { typed: 'ids typed in the command', pasted: 'pasted ids', message: 'ids in a message' } as const;
