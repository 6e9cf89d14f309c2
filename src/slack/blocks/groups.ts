import { BLOCK_KIT_LIMITS } from './blockKitLimits';
import { groupTitle } from './groupTitle';
import type { KnownBlock } from '@slack/types';
import type { GroupMember, ParticipantGroup } from '../../prolific/types';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn, formatCount, mentionUser, plural, truncate } from '../mrkdwn';
import type { StudyFacts } from '../../services/studies';
import type { IdsRefusal } from '../../services/actor';
import { actions, button, context, fields, header, notice, overflow, type SlackMessage, section } from './message';
import { type CardMenuKind, encodeCardMenuChoice } from '../cardMenuChoice';
import { renderUsedBy } from './studies';

export const LIST_PAGE_SIZE = 10;

function feederSummary(group: ParticipantGroup): string {
  if (!group.feeder_studies?.length) return 'None';
  return group.feeder_studies
    .slice(0, 5)
    .map((study) => {
      const codes = study.feeder_completion_codes
        .map((c) => `${code(c.code)} ${c.action === 'ADD_TO_PARTICIPANT_GROUP' ? 'adds' : 'removes'}`)
        .join(', ');
      return `• ${escapeMrkdwn(study.name)} (${escapeMrkdwn(study.status)})${codes ? `: ${codes}` : ''}`;
    })
    .concat(group.feeder_studies.length > 5 ? [`…and ${group.feeder_studies.length - 5} more`] : [])
    .join('\n');
}

/** One page of the workspace's groups, with Show buttons and paging. */
export function renderGroupList(groups: ParticipantGroup[], filter: string, page: number): SlackMessage {
  const pages = Math.max(1, Math.ceil(groups.length / LIST_PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = groups.slice(current * LIST_PAGE_SIZE, (current + 1) * LIST_PAGE_SIZE);
  const title = filter ? `Groups matching ${code(filter)}` : 'Participant groups';
  if (groups.length === 0) {
    return {
      text: 'No participant groups found',
      blocks: [
        section(
          filter
            ? `No group matches ${code(filter)}. Try \`/pgroup list\` to see them all.`
            : 'This workspace has no participant groups yet. Create one with `/pgroup create &lt;name&gt;`.',
        ),
      ],
    };
  }
  const blocks: KnownBlock[] = [section(`*${title}* · ${plural(groups.length, 'group')}`)];
  for (const g of shown) {
    blocks.push(
      section(`${bold(groupTitle(g.name))}\n${code(g.id)} · ${plural(g.participant_count, 'member')}`, button('Show', ACTIONS.showGroup, g.id)),
    );
  }
  if (pages > 1) {
    const nav = [];
    if (current > 0) nav.push(button('‹ Previous', `${ACTIONS.listPage}:prev`, JSON.stringify({ filter, page: current - 1 })));
    if (current < pages - 1) nav.push(button('Next ›', `${ACTIONS.listPage}:next`, JSON.stringify({ filter, page: current + 1 })));
    blocks.push(context(`Page ${current + 1} of ${pages}`), actions('list_nav', nav));
  }
  return { text: `${plural(groups.length, 'participant group')}`, blocks };
}

/**
 * Where the card is shown: whether that channel watches the group (its Watch / Unwatch button
 * follows), or null where there is no channel to watch from (a card sent by DM from a modal).
 */
export interface CardPlace {
  channelWatches: boolean | null;
}

/** The overflow menu's words, in CARD_MENU_KINDS order. */
const CARD_MENU_WORDS: Record<CardMenuKind, string> = {
  export: 'Export members (only to you)',
  message: 'Message members…',
  dm: 'Tell me when it changes (DM)',
  rename: 'Rename…',
  delete: 'Delete group…',
};

/**
 * The group card; `studies` (the live and draft studies that use it) adds its "Used by" section.
 * Its buttons are the actions people reach for (Add ids, Remove ids, Upload, Watch or Unwatch for
 * this channel, History); the rest are in its overflow menu, Delete last (it leads to the delete
 * preview, confirmed by typing the group's name).
 */
export function renderGroupCard(group: ParticipantGroup, studies?: StudyFacts, place: CardPlace = { channelWatches: null }): SlackMessage {
  const watching = place.channelWatches;
  const menu = (Object.keys(CARD_MENU_WORDS) as CardMenuKind[]).map((kind) => ({ text: CARD_MENU_WORDS[kind], value: encodeCardMenuChoice({ kind, groupId: group.id }) }));
  return {
    text: `Participant group ${escapeMrkdwn(groupTitle(group.name))}`,
    blocks: [
      header(groupTitle(group.name)),
      ...(group.description ? [section(escapeMrkdwn(group.description))] : []),
      fields([
        ['Members', formatCount(group.participant_count)],
        ['Group id', code(group.id)],
      ]),
      ...(studies ? [renderUsedBy(studies)] : []),
      section(`*Feeder studies*\n${feederSummary(group)}`),
      ...(watching ? [context(':eyes: This channel hears about every change to this group.')] : []),
      actions('group_actions', [
        button('Add ids', ACTIONS.openAddIds, group.id, { style: 'primary' }),
        button('Remove ids', ACTIONS.openRemoveIds, group.id),
        button('Upload', ACTIONS.openUpload, group.id),
        ...(watching === null ? [] : [watching ? button('Unwatch here', ACTIONS.unwatchHere, group.id) : button('Watch here', ACTIONS.watchHere, group.id)]),
        button('History', ACTIONS.showHistory, group.id),
        overflow(ACTIONS.cardMore, menu),
      ]),
    ],
  };
}

/** The end of a group's id, enough to tell two groups of one name apart: `…0001b0`. */
export function idEnd(id: string): string {
  return `…${id.slice(-6)}`;
}

/**
 * Several groups match what the user typed equally well: one line each (name, members, the end of
 * its id, its description) with a button that carries on with that group.
 */
export function renderAmbiguous(query: string, candidates: ParticipantGroup[], continuation: (groupId: string) => string): SlackMessage {
  const shown = candidates.slice(0, 20);
  const blocks: KnownBlock[] = [section(`Several groups match ${code(query)}. Which one did you mean?`)];
  shown.forEach((g, i) => {
    const description = g.description ? `\n${escapeMrkdwn(truncate(g.description, 200))}` : '';
    blocks.push(
      section(
        `${bold(g.name)} · ${plural(g.participant_count, 'member')} · id ${code(idEnd(g.id))}${description}`,
        button(`Use ${truncate(g.name, 50)} ${idEnd(g.id)}`, `${ACTIONS.pickGroup}:${i}`, continuation(g.id)),
      ),
    );
  });
  if (candidates.length > shown.length) blocks.push(context(`…and ${candidates.length - shown.length} more: type more of the name.`));
  return { text: `Several groups match ${escapeMrkdwn(query)}`, blocks };
}

/** No group matches: the closest names, as buttons that carry on with them, or how to find the groups. */
export function renderGroupNotFound(query: string, suggestions: ParticipantGroup[] = [], continuation?: (groupId: string) => string): SlackMessage {
  const names = suggestions.map((g) => bold(g.name));
  const didYouMean = names.length ? ` Did you mean ${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0]}?` : '';
  return {
    text: `No group matches ${escapeMrkdwn(query)} in this workspace`,
    blocks: [
      section(`:mag: No group matches ${code(query)} in this workspace.${didYouMean}${names.length ? '' : ' Try `/pgroup list` to see the groups and their ids.'}`),
      ...(names.length && continuation
        ? [
            actions(
              'suggestions',
              suggestions.map((g, i) => button(`Use ${truncate(g.name, 50)}`, `${ACTIONS.pickGroup}:${i}`, continuation(g.id))),
            ),
            context('Or try `/pgroup list` to see the groups and their ids.'),
          ]
        : []),
    ],
  };
}

export const MEMBERS_INLINE = 20;

/** What became of the members file: sent to the requester's DM with the app (in the history, or not), or not sent. */
export type MembersFile = { kind: 'sent'; recorded: boolean } | { kind: 'not_sent' };

/** The first members, to the person who asked only, and where the whole list went. */
export function renderMembers(group: ParticipantGroup, members: GroupMember[], file: MembersFile): SlackMessage {
  if (!members.length) {
    return {
      text: `${escapeMrkdwn(group.name)} has no members`,
      blocks: [section(`:information_source: ${bold(group.name)} has no members, so there is nothing to export. No file was made.`)],
    };
  }
  const first = members.slice(0, MEMBERS_INLINE).map((m) => code(m.participant_id));
  const more = members.length - first.length;
  const where =
    file.kind === 'sent'
      ? `The full list of ${plural(members.length, 'id')} is a CSV file in your direct messages with this app. Only you can see it.${
          file.recorded ? '' : ' The app’s own database did not answer, so this export is missing from `/pgroup history`.'
        }`
      : 'Slack did not take the CSV file for your direct messages with this app, so no file was sent. Try again in a moment.';
  return {
    text: `${escapeMrkdwn(group.name)}: ${plural(members.length, 'member')}`,
    blocks: [
      section(`${bold(group.name)} has ${plural(members.length, 'member')}.`),
      section(first.join('\n')),
      context([more > 0 ? `…and ${formatCount(more)} more.` : 'That is everyone.', where].join(' ')),
    ],
  };
}

/** Why someone may not see participant ids; names and counts stay open to them. */
export function renderIdsRefusal(refusal: IdsRefusal): SlackMessage {
  return notice(
    refusal === 'other_organisation'
      ? 'Participant ids are shown only to people of the organisation that installed this app. You can still list groups and see their names and member counts.'
      : 'Slack did not tell me which workspace you belong to, so I showed no participant ids. You can still list groups; try again in a moment.',
    ':no_entry:',
  );
}

/** The full membership as a CSV file, in the column Prolific's own exports use. */
export function membersCsv(members: GroupMember[]): string {
  return `participant_id,datetime_created\n${members.map((m) => `${m.participant_id},${m.datetime_created}`).join('\n')}\n`;
}

/** The channels' notice of a new group: who created it, and a button to see it. */
export function renderCreatedNotice(group: ParticipantGroup, creatorId: string): SlackMessage {
  return {
    text: `<@${creatorId}> created participant group ${escapeMrkdwn(group.name)}`,
    blocks: [section(`:white_check_mark: ${mentionUser(creatorId)} created ${bold(group.name)} (${code(group.id)}).`, button('Show', ACTIONS.showGroup, group.id))],
  };
}

/** `recorded: false`: the group was made, but the app's database did not take its history entry. */
export function renderCreated(group: ParticipantGroup, recorded = true): SlackMessage {
  return {
    text: `Created ${escapeMrkdwn(group.name)}`,
    blocks: [
      section(`:white_check_mark: Created ${bold(group.name)} (${code(group.id)}).`, button('Show', ACTIONS.showGroup, group.id)),
      context(
        recorded
          ? 'Add members with `/pgroup add` or `/pgroup upload`.'
          : 'The group is made in Prolific, but the app’s own database could not record it, so `/pgroup history` will not list its creation. Add members with `/pgroup add` or `/pgroup upload`.',
      ),
      // Offered to its creator: the same notices a watching channel gets, in their DM with the app.
      actions('created', [button('Tell me when it changes', ACTIONS.watchByDm, group.id)]),
    ],
  };
}

/** What a "Create anyway" button carries: the name and description as typed. */
export function encodeCreateRequest(name: string, description: string | null): string {
  return JSON.stringify({ n: name, d: description });
}

export function decodeCreateRequest(value: string): { name: string; description: string | null } | null {
  try {
    const parsed = JSON.parse(value) as { n?: unknown; d?: unknown };
    if (typeof parsed.n !== 'string') return null;
    return { name: parsed.n, description: typeof parsed.d === 'string' ? parsed.d : null };
  } catch {
    return null;
  }
}

/** Creating a group whose name another group already has: asked first, nothing created yet. */
export function renderNameTaken(name: string, description: string | null, existing: ParticipantGroup[]): SlackMessage {
  const lines = existing.slice(0, 5).map((g) => `• ${bold(groupTitle(g.name))} ${code(`…${g.id.slice(-6)}`)} · ${plural(g.participant_count, 'member')}`);
  const value = encodeCreateRequest(name, description);
  const buttons = [
    ...(value.length <= BLOCK_KIT_LIMITS.buttonValue ? [button('Create anyway', ACTIONS.createDespiteName, value)] : []),
    button('Cancel', ACTIONS.createCancel, 'cancel'),
  ];
  return {
    text: `A group called ${escapeMrkdwn(name)} already exists`,
    blocks: [
      section(`:warning: ${existing.length === 1 ? 'A group' : `${existing.length} groups`} called ${bold(name)} already ${existing.length === 1 ? 'exists' : 'exist'}:\n${lines.join('\n')}`),
      context('Two groups with one name are easy to mix up in studies and commands. Nothing has been created yet.'),
      actions('name_taken', buttons),
    ],
  };
}

export function renderCreateCancelled(): SlackMessage {
  return notice('Nothing was created.');
}

export function renderCreating(name: string): SlackMessage {
  return notice(`Creating ${name} as you asked, beside the group of the same name…`, ':hourglass_flowing_sand:');
}
