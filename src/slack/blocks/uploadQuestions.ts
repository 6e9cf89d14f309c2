// What the app asks about an uploaded file instead of guessing (which column holds the ids; which
// rows of an export to use when none is APPROVED), and the export preview's one-click choices.
import type { KnownBlock } from '@slack/types';
import type { SubmissionStatus } from '../../prolific/studyTypes';
import type { IdSource, MembershipMode } from '../../services/changes';
import type { CsvColumnQuestion, CsvStatusQuestion } from '../../services/csvIds';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, plural } from '../mrkdwn';
import { encodeUploadChoice, type UploadChoice } from '../uploadChoice';
import { actions, button, type SlackMessage, section } from './message';
import { statusCounts } from './studies';

type ChoiceBase = Omit<UploadChoice, 'column' | 'statuses'>;

function statusWords(status: SubmissionStatus): string {
  return status.toLowerCase();
}

/** Two columns hold ids and no header says which are participants: one button per column. */
export function renderColumnQuestion(fileName: string, question: CsvColumnQuestion, base: ChoiceBase & Pick<UploadChoice, 'statuses'>): SlackMessage {
  const blocks: KnownBlock[] = [
    section(
      `:warning: *Which column of ${escapeMrkdwn(fileName)} holds the participant ids?* ${plural(question.columns.length, 'column')} hold ids and no header says which are participants (in an export without headers, submission ids look just like participant ids). Nothing was sent to Prolific.`,
    ),
  ];
  for (const column of question.columns.slice(0, 10)) {
    const name = `Column ${column.index + 1}${column.header ? ` ${bold(column.header)}` : ''}`;
    blocks.push(
      section(
        `${name} (${plural(column.ids, 'id')}): ${column.sample.map((id) => code(id)).join(', ')}${column.ids > column.sample.length ? ' …' : ''}`,
        button(`Use column ${column.index + 1}`, `${ACTIONS.uploadChoice}:col${column.index}`, encodeUploadChoice({ ...base, column: column.index })),
      ),
    );
  }
  return { text: `Which column of ${escapeMrkdwn(fileName)} holds the participant ids?`, blocks };
}

/** An export with no row of the statuses asked for: the statuses it has, one button each, and all rows. */
export function renderStatusQuestion(fileName: string, question: CsvStatusQuestion, base: ChoiceBase & Pick<UploadChoice, 'column'>): SlackMessage {
  const { statuses } = question;
  const present = (Object.entries(statuses.byStatus) as [SubmissionStatus, number][]).filter(([, n]) => n > 0);
  const total = present.reduce((sum, [, n]) => sum + n, 0);
  const asked = statuses.used.map(statusWords).join(' or ');
  const buttons = present
    .slice(0, 4)
    .map(([status, n], i) => button(`Use ${statusWords(status)} rows (${formatCount(n)})`, `${ACTIONS.uploadChoice}:st${i}`, encodeUploadChoice({ ...base, statuses: [status] })));
  buttons.push(button(`Use all rows (${formatCount(total)})`, `${ACTIONS.uploadChoice}:all`, encodeUploadChoice({ ...base, statuses: 'all' })));
  return {
    text: `${escapeMrkdwn(fileName)} has no ${asked} row`,
    blocks: [
      section(
        `:warning: *${escapeMrkdwn(fileName)} has no ${asked} row*, so nobody was chosen and nothing was sent to Prolific. Its rows by status: ${statusCounts({ byStatus: statuses.byStatus, used: [] })}. Which rows should be used?`,
      ),
      actions('upload_statuses', buttons),
    ],
  };
}

/** The export preview's one-click choices: include awaiting review, all rows, or approved only again. */
export function exportChoiceBlocks(source: IdSource, groupId: string, mode: MembershipMode): KnownBlock[] {
  const rows = source.submissions;
  if (!source.file || !rows || rows.study) return [];
  const base = { fileId: source.file.id, groupId, mode, column: source.file.column };
  const count = (status: SubmissionStatus) => rows.byStatus[status] ?? 0;
  const present = (Object.keys(rows.byStatus) as SubmissionStatus[]).filter((status) => count(status) > 0);
  const unused = present.filter((status) => !rows.used.includes(status));
  const buttons = [];
  if (unused.includes('AWAITING REVIEW')) {
    buttons.push(
      button(`Include awaiting review (${formatCount(count('AWAITING REVIEW'))} rows)`, `${ACTIONS.uploadChoice}:review`, encodeUploadChoice({ ...base, statuses: [...rows.used, 'AWAITING REVIEW'] })),
    );
  }
  if (unused.length) {
    const all = present.reduce((sum, status) => sum + count(status), 0);
    buttons.push(button(`Use all rows (${formatCount(all)})`, `${ACTIONS.uploadChoice}:all`, encodeUploadChoice({ ...base, statuses: 'all' })));
  }
  if (count('APPROVED') > 0 && (rows.used.length !== 1 || rows.used[0] !== 'APPROVED')) {
    buttons.push(button(`Only approved rows (${formatCount(count('APPROVED'))})`, `${ACTIONS.uploadChoice}:approved`, encodeUploadChoice({ ...base, statuses: ['APPROVED'] })));
  }
  return buttons.length ? [actions('upload_rows', buttons)] : [];
}
