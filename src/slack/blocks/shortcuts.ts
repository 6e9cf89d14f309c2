// The shortcuts' own views: what the message shortcut says when a message gives it nothing to add.
// The form it opens when it does is the upload form (modals.ts) with the message as its source.
import type { ModalView } from '@slack/types';
import { VIEWS } from '../interactionIds';
import { escapeMrkdwn, formatCount, plural } from '../mrkdwn';
import { section } from './message';

function shortcutNoticeModal(text: string, emoji: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.shortcutNotice,
    title: { type: 'plain_text', text: 'Add to a group' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(`${emoji} ${text}`)],
  };
}

/** The message holds no participant id and no CSV, TSV or TXT file. */
export function renderNothingToAddModal(found: { otherFiles: string[]; invalidCount: number }): ModalView {
  const files = found.otherFiles.length
    ? ` Its ${found.otherFiles.length === 1 ? 'file' : 'files'} (${found.otherFiles.slice(0, 3).map(escapeMrkdwn).join(', ')}${found.otherFiles.length > 3 ? ', …' : ''}) ${found.otherFiles.length === 1 ? 'is' : 'are'} not CSV, TSV or TXT.`
    : '';
  const words = found.invalidCount ? ` None of its ${plural(found.invalidCount, 'word')} is a participant id (24 characters, 0–9 and a–f).` : '';
  return shortcutNoticeModal(
    `This message has no participant ids and no CSV, TSV or TXT file to read, so there is nothing to add.${words}${files} Nothing was sent to Prolific. Use the shortcut on a message that lists ids or shares an export, or use \`/pgroup upload\`.`,
    ':information_source:',
  );
}

/** The message holds more ids than the form can carry to its preview. */
export function renderTooManyIdsModal(count: number): ModalView {
  return shortcutNoticeModal(
    `This message lists ${formatCount(count)} participant ids, more than the shortcut can carry. Nothing was sent to Prolific. Share them as a CSV file and use the shortcut on that message, or use \`/pgroup upload\`.`,
    ':warning:',
  );
}

/** A person who may not change groups: said at once, before they choose anything. */
export function renderShortcutRefusalModal(refusalText: string): ModalView {
  return shortcutNoticeModal(`${escapeMrkdwn(refusalText)} Nothing was sent to Prolific.`, ':no_entry:');
}
