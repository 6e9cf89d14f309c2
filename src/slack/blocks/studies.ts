// Studies in words: which studies use a group (the card's "Used by") and what a change to the
// group may do to them (the warnings at the top of risky previews).
import type { KnownBlock } from '@slack/types';
import type { StudySummary, SubmissionStatus } from '../../prolific/studyTypes';
import type { PlanSummary, SubmissionSource } from '../../services/changes/types';
import type { GroupUse, StudyFacts, StudyUsage } from '../../services/studies';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, plural } from '../mrkdwn';
import { actions, button, context, type SlackMessage, section } from './message';

/** Studies listed by name before "…and N more". */
export const STUDIES_SHOWN = 8;

/** A study by its public name, and its internal name too when researchers know it by another. */
export function studyName(study: Pick<StudyUsage, 'name' | 'internalName'>): string {
  const internal = study.internalName?.trim();
  return internal && internal !== study.name.trim() ? `${bold(study.name)} “${escapeMrkdwn(internal)}”` : bold(study.name);
}

/** Its state, and for a live study how full it is: `ACTIVE, 212 of 400 places taken`. */
export function studyState(study: StudyUsage): string {
  if (study.phase === 'draft') return `${escapeMrkdwn(study.status)}, a draft`;
  return `${escapeMrkdwn(study.status)}, ${formatCount(study.placesTaken)} of ${formatCount(study.totalPlaces)} places taken`;
}

type ListUse = Extract<GroupUse, { via: unknown }>;

function isListUse(use: GroupUse): use is ListUse {
  return use.kind === 'allowlist' || use.kind === 'blocklist';
}

/** How a study uses the group, in a few words for the card. */
function useText(use: GroupUse): string {
  if (!isListUse(use)) {
    const verb = use.kind === 'feeds' ? 'adds people to it' : 'removes people from it';
    return use.code ? `${verb} (completion code ${code(use.code)})` : verb;
  }
  const where = [
    use.via === 'filter_set' && use.filterSet
      ? `in filter set ${code(use.filterSet.id)}${use.filterSet.version !== null ? ` version ${use.filterSet.version}` : ''}`
      : '',
    use.nested ? 'inside a combined filter' : '',
    use.sharedWith.length ? `with ${plural(use.sharedWith.length, 'other group')}` : '',
  ].filter(Boolean);
  return `${use.kind}${where.length ? ` (${where.join(', ')})` : ''}`;
}

function failureText(facts: StudyFacts): string {
  const why = facts.failure?.status === 429 ? 'Prolific is busy (too many requests)' : 'Prolific did not answer';
  return `:warning: Could not check which studies use this group: ${why}.`;
}

function moreLine(total: number): string[] {
  return total > STUDIES_SHOWN ? [`…and ${formatCount(total - STUDIES_SHOWN)} more`] : [];
}

/** The group card's "Used by" section: every live or draft study that uses the group, and how. */
export function renderUsedBy(facts: StudyFacts): KnownBlock {
  const lines = facts.studies.slice(0, STUDIES_SHOWN).map((s) => `• ${studyName(s)} (${studyState(s)}): ${s.uses.map(useText).join('; ')}`);
  lines.push(...moreLine(facts.studies.length));
  if (!facts.checked) {
    lines.push(`${failureText(facts)} ${facts.studies.length ? 'Other studies may use it too.' : 'Studies may still use it.'} Try again in a minute.`);
  } else if (!lines.length) {
    lines.push('No live or draft study uses this group.');
  }
  return section(`*Used by*\n${lines.join('\n')}`);
}

/** What a membership change may do to the people a study admits, by how the study uses the group. */
function accessEffect(use: GroupUse, s: PlanSummary): string | null {
  const { toAdd, toRemove } = s;
  if (use.kind === 'allowlist') {
    const parts = [toRemove ? `${plural(toRemove, 'person', 'people')} may lose access` : '', toAdd ? `${formatCount(toAdd)} may gain it` : ''];
    if (!toRemove && toAdd) parts[1] = `${plural(toAdd, 'person', 'people')} may gain access`;
    return parts.filter(Boolean).join(' and ') || null;
  }
  if (use.kind === 'blocklist') {
    const parts = [toAdd ? `${plural(toAdd, 'person', 'people')} may be shut out` : '', toRemove ? `${formatCount(toRemove)} may be let in` : ''];
    if (!toAdd && toRemove) parts[1] = `${plural(toRemove, 'person', 'people')} may be let in`;
    return parts.filter(Boolean).join(' and ') || null;
  }
  return null;
}

function listPhrase(use: ListUse): string {
  const via = use.via === 'filter_set' ? ' through its filter set' : use.nested ? ' inside a combined filter' : '';
  return `as its ${use.kind}${via}`;
}

/** One warning line for a live study, given the change's kind and counts. */
function warningLine(study: StudyUsage, kind: 'membership' | 'delete', s: PlanSummary | null): string {
  const who = `:warning: ${studyName(study)} (${studyState(study)})`;
  const lists = study.uses.filter(isListUse);
  const codes = study.uses.filter((u) => !isListUse(u));
  const sentences: string[] = [];
  if (lists.length) {
    const as = [...new Set(lists.map(listPhrase))].join(' and ');
    if (kind === 'delete') {
      sentences.push(`${who} uses this group ${as}: its filter will then point at a deleted group.`);
    } else {
      const effects = [...new Set(lists.map((u) => (s ? accessEffect(u, s) : null)).filter((e): e is string => Boolean(e)))];
      sentences.push(`${who} uses this group ${as}${effects.length ? `: ${effects.join('; ')}` : ''}.`);
    }
  }
  if (codes.length) {
    const what = codes.map((u) => (u.kind === 'feeds' ? 'adds people to this group' : 'removes people from this group'));
    const how = `${[...new Set(what)].join(' and ')} when they finish`;
    const after = kind === 'delete' ? ' Its completion codes will then point at a deleted group.' : ' It will go on doing so after this change.';
    sentences.push(lists.length ? `It also ${how}.${after}` : `${who} ${how}.${after}`);
  }
  return sentences.join(' ');
}

/**
 * The warnings at the top of a risky preview: each live study that uses the group and what the
 * change may do to it ("may": other filters apply too, and people who took part already are not
 * affected), the drafts in one line, or that the check could not be made.
 */
export function renderStudyWarnings(facts: StudyFacts | null, kind: 'membership' | 'delete', s: PlanSummary | null): KnownBlock[] {
  if (!facts) return [];
  const blocks: KnownBlock[] = [];
  const live = facts.studies.filter((study) => study.phase === 'live');
  const drafts = facts.studies.filter((study) => study.phase === 'draft');
  if (live.length) {
    const lines = live.slice(0, STUDIES_SHOWN).map((study) => warningLine(study, kind, s));
    lines.push(...moreLine(live.length));
    blocks.push(section(lines.join('\n')));
  }
  if (!facts.checked) {
    blocks.push(section(`${failureText(facts)} ${live.length ? 'Other live studies may use it too.' : 'Live studies may use it.'} Check in Prolific before you confirm.`));
  }
  if (drafts.length) {
    const shown = drafts.slice(0, STUDIES_SHOWN).map((study) => `${studyName(study)} (${study.uses.map((u) => u.kind).join(', ')})`);
    blocks.push(context(`Draft ${drafts.length === 1 ? 'study' : 'studies'} using this group: ${shown.join(', ')}${drafts.length > STUDIES_SHOWN ? ` …and ${formatCount(drafts.length - STUDIES_SHOWN)} more` : ''}.`));
  }
  return blocks;
}

/** Whether a live study uses the group: a delete then asks for the group's name to be typed. */
export function liveStudiesUse(facts: StudyFacts | null): boolean {
  return Boolean(facts?.studies.some((study) => study.phase === 'live'));
}

/** Submission statuses in the order a researcher reads them: the useful ones first. */
const STATUS_ORDER: readonly SubmissionStatus[] = [
  'APPROVED',
  'AWAITING REVIEW',
  'PARTIALLY APPROVED',
  'RETURNED',
  'REJECTED',
  'TIMED-OUT',
  'SCREENED OUT',
  'ACTIVE',
  'RESERVED',
];

/** `APPROVED 201 ✓ · AWAITING REVIEW 30 · RETURNED 20`: every status with a count, the used ones ticked. */
export function statusCounts(source: Pick<SubmissionSource, 'byStatus' | 'used'>): string {
  return STATUS_ORDER.filter((status) => (source.byStatus[status] ?? 0) > 0 || source.used.includes(status))
    .map((status) => `${status} ${formatCount(source.byStatus[status] ?? 0)}${source.used.includes(status) ? ' ✓' : ''}`)
    .join(' · ');
}

/** The preview's lines about the submissions the ids came from. */
export function submissionLines(source: SubmissionSource): string[] {
  const what = source.study ? 'Submissions' : 'Rows';
  const lines = [`*${what} by status* (✓ used): ${statusCounts(source)}`];
  if (!source.matchesCounts) lines.push(':warning: The study’s submissions changed while they were read: preview again to be sure you have them all.');
  return lines;
}

export function renderStudyNotFound(query: string): SlackMessage {
  return {
    text: `No study matches ${escapeMrkdwn(query)}`,
    blocks: [section(`:mag: No study of this workspace matches ${code(query)}. Give its id, its name or its internal name. Nothing was sent to Prolific.`)],
  };
}

/** Several studies match: each is a button that carries on with that study. */
export function renderAmbiguousStudies(query: string, candidates: StudySummary[], continuation: (studyId: string) => string): SlackMessage {
  const shown = candidates.slice(0, 20);
  const blocks: KnownBlock[] = [section(`Several studies match ${code(query)}. Which one did you mean?`)];
  for (let i = 0; i < shown.length; i += 5) {
    blocks.push(
      actions(
        `pick_study_${i}`,
        shown.slice(i, i + 5).map((s, j) => button(`${s.name} (${s.status})`, `${ACTIONS.pickGroup}:${i + j}`, continuation(s.id))),
      ),
    );
  }
  if (candidates.length > shown.length) blocks.push(context(`…and ${candidates.length - shown.length} more: type more of the name.`));
  return { text: `Several studies match ${escapeMrkdwn(query)}`, blocks };
}

/** No submission of the study has the statuses asked for: nothing to preview. */
export function renderNoStudyParticipants(study: Pick<StudyUsage, 'name' | 'internalName'>, source: SubmissionSource): SlackMessage {
  const others = STATUS_ORDER.filter((status) => (source.byStatus[status] ?? 0) > 0);
  return {
    text: `No submission of ${escapeMrkdwn(study.name)} has the status asked for`,
    blocks: [
      section(
        `:warning: No submission of ${studyName(study)} is ${source.used.join(' or ')}, so there is nobody to add and nothing was sent to Prolific.${
          others.length ? ` It has: ${statusCounts(source)}. Choose statuses with \`--status\`, e.g. \`--status ${others[0]!.toLowerCase().replace(/ /g, '-')}\`.` : ' It has no submissions yet.'
        }`,
      ),
    ],
  };
}
