// A participant across the workspace's groups: `/pgroup find` (where they are) and its progress.
import type { KnownBlock } from '@slack/types';
import type { ParticipantWhereabouts } from '../../services/participantFinder';
import { bold, code, escapeMrkdwn, formatCount, plural, slackDate } from '../mrkdwn';
import { context, type SlackMessage, section } from './message';
import { studyName, studyState } from './studies';

/** Lines of groups per section (a section holds 3,000 characters; a line is at most ~150). */
const LINES_PER_SECTION = 15;
/** Groups listed by name before "…and N more": 10 sections, well within a message's 50 blocks. */
export const HOLDINGS_SHOWN = 150;

export function renderInvalidParticipantId(typed: string): SlackMessage {
  const text = `\`${escapeMrkdwn(typed.slice(0, 40))}\` is not a participant id (24 characters, 0–9 and a–f). Nothing was looked up or changed.`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}

/** A lookup under way: counts only. */
export function renderFindProgress(checked: number, total: number): SlackMessage {
  const text = `Looking through ${plural(total, 'group')}: ${formatCount(checked)} checked so far…`;
  return { text, blocks: [section(`:hourglass_flowing_sand: ${text}`)] };
}

function holdingLine(h: ParticipantWhereabouts['holdings'][number]): string {
  const added = h.addedAt && !Number.isNaN(Date.parse(h.addedAt)) ? ` · added ${slackDate(new Date(h.addedAt), '{date_short}', h.addedAt.slice(0, 10))}` : '';
  return `• ${bold(h.groupName)} ${code(h.groupId)}${added}`;
}

/** The groups, in sections of a few lines, then how many more. */
export function holdingBlocks(holdings: ParticipantWhereabouts['holdings']): KnownBlock[] {
  const lines = holdings.slice(0, HOLDINGS_SHOWN).map(holdingLine);
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION) blocks.push(section(lines.slice(i, i + LINES_PER_SECTION).join('\n')));
  if (holdings.length > HOLDINGS_SHOWN) blocks.push(context(`…and ${plural(holdings.length - HOLDINGS_SHOWN, 'more group')}.`));
  return blocks;
}

/** The live studies the groups gate, each with the groups it uses. */
export function gatedStudyBlocks(where: ParticipantWhereabouts): KnownBlock[] {
  const studies = where.studies;
  if (!studies) return [];
  const names = new Map(where.holdings.map((h) => [h.groupId, h.groupName]));
  const lines = studies.byStudy.slice(0, 10).map(({ study, groupIds }) => `• ${studyName(study)} (${studyState(study)}): uses ${groupIds.map((id) => bold(names.get(id) ?? id)).join(', ')}`);
  const more = studies.byStudy.length > 10 ? `\n…and ${plural(studies.byStudy.length - 10, 'more study', 'more studies')}` : '';
  const blocks: KnownBlock[] = [];
  if (lines.length) blocks.push(section(`*Live studies these groups gate:*\n${lines.join('\n')}${more}`));
  else if (studies.facts.checked) blocks.push(context('No live study uses these groups.'));
  if (!studies.facts.checked) blocks.push(context(':warning: Prolific did not answer for every study, so other live studies may use these groups too.'));
  return blocks;
}

function unreadableBlocks(where: ParticipantWhereabouts): KnownBlock[] {
  if (!where.unreadable.length) return [];
  const names = where.unreadable.slice(0, 10).map((g) => bold(g.groupName)).join(', ');
  const more = where.unreadable.length > 10 ? ` and ${formatCount(where.unreadable.length - 10)} more` : '';
  return [section(`:warning: ${plural(where.unreadable.length, 'group')} could not be read (Prolific did not answer), so the participant may be in ${where.unreadable.length === 1 ? 'it' : 'them'} too: ${names}${more}. Try again in a minute.`)];
}

/** Where a participant is: the groups that hold them (only those), when they joined, and the live studies those groups gate. */
export function renderFound(where: ParticipantWhereabouts): SlackMessage {
  const id = code(where.participantId);
  const of = `of the workspace’s ${plural(where.groupsTotal, 'group')}`;
  if (!where.holdings.length) {
    const text = `${where.participantId} is in none ${of}.`;
    return { text, blocks: [section(`:mag: ${id} is in none ${of}${where.unreadable.length ? ' that could be read' : ''}.`), ...unreadableBlocks(where)] };
  }
  return {
    text: `${where.participantId} is in ${plural(where.holdings.length, 'group')}.`,
    blocks: [
      section(`:mag: ${id} is in ${formatCount(where.holdings.length)} ${of}:`),
      ...holdingBlocks(where.holdings),
      ...gatedStudyBlocks(where),
      ...unreadableBlocks(where),
    ],
  };
}
