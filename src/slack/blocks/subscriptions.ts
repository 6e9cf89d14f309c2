import type { Subscription } from '../../store/types';
import type { ChannelMembership } from '../channelMembership';
import { bold, code, escapeMrkdwn, mentionUser, plural, slackDate } from '../mrkdwn';
import { context, notice, type SlackMessage, section } from './message';

/** How people add the app to a channel (the bot's display name in manifest.yml). */
const INVITE = '`/invite @pgroup`';

/** Why a channel stopped hearing about its group, in its watch list. */
function brokenNote(s: Subscription): string {
  if (!s.broken) return '';
  return ` · :warning: no notifications since ${slackDate(s.broken.at, '{date_short_pretty} {time}')}: the app cannot post in ${channelRef(s.channelId)} (${escapeMrkdwn(s.broken.reason)}). Invite it with ${INVITE}, then run \`/pgroup watch ${s.groupId}\` there again.`;
}

function channelRef(channelId: string): string {
  return /^[CG][A-Z0-9_]+$/.test(channelId) ? `<#${channelId}>` : 'that channel';
}

/** A channel, or a person's direct messages with the app (a personal alert, `--dm`). */
function whereWatched(s: Subscription): string {
  return s.channelId.startsWith('D') ? `by direct message to ${mentionUser(s.createdBy)}` : `in <#${s.channelId}>`;
}

const MAX_LISTED = 100;
const SECTION_BUDGET = 2900;

export function renderSubscriptions(subs: Subscription[], channelId: string | null, notifyChannel: string | null): SlackMessage {
  const where = channelId ? 'This channel' : 'This workspace';
  const shown = subs.slice(0, MAX_LISTED);
  const lines = shown.map((s) => `• ${bold(s.groupName)} ${code(s.groupId)}${channelId ? '' : ` ${whereWatched(s)}`}${brokenNote(s)}`);
  // A long list fills several sections rather than being cut off at one section's 3,000 characters.
  const chunks: string[] = [];
  for (const line of [`*${where} watches:*`, ...lines]) {
    const last = chunks.length - 1;
    if (last >= 0 && chunks[last]!.length + 1 + line.length <= SECTION_BUDGET) chunks[last] += `\n${line}`;
    else chunks.push(line);
  }
  return {
    text: `${where} watches ${plural(subs.length, 'group')}`,
    blocks: [
      ...(subs.length ? chunks.map((chunk) => section(chunk)) : [section(`${where} does not watch any group. Start with \`/pgroup watch &lt;group&gt;\`.`)]),
      ...(subs.length > shown.length ? [context(`…and ${subs.length - shown.length} more.`)] : []),
      ...(notifyChannel ? [context(`Every change made through this app is also announced in <#${notifyChannel}>.`)] : []),
    ],
  };
}

/** `/pgroup watch` in a channel the app cannot post in: nothing was subscribed, and how to fix it. */
export function renderWatchNeedsApp(membership: Exclude<ChannelMembership, { kind: 'member' }>, group: { id: string; name: string }): SlackMessage {
  const again = `then run \`/pgroup watch ${group.id}\` here again`;
  switch (membership.kind) {
    case 'not_member':
      return {
        text: `The app is not in this channel, so it does not watch ${escapeMrkdwn(group.name)}`,
        blocks: [section(`:no_entry: The app is not in this channel, so it could not post changes to ${bold(group.name)} here, and this channel does not watch it. Invite the app with ${INVITE}, ${again}.`)],
      };
    case 'not_visible':
      return {
        text: `The app cannot see this channel, so it does not watch ${escapeMrkdwn(group.name)}`,
        blocks: [section(`:no_entry: The app cannot see this channel (a private channel it is not in), so this channel does not watch ${bold(group.name)}. Invite the app with ${INVITE}, ${again}.`)],
      };
    case 'unknown':
      return notice(`Slack did not say whether the app is in this channel (${membership.error}), so this channel does not watch ${group.name} yet. Try again in a moment.`);
  }
}

/** The DM to whoever set up a channel's watches, once the app could no longer post there. */
export function renderWatchBroken(channelId: string, reason: string, subs: Pick<Subscription, 'groupId' | 'groupName'>[]): SlackMessage {
  const where = channelRef(channelId);
  const names = subs.slice(0, 10).map((s) => `${bold(s.groupName)} ${code(s.groupId)}`);
  const more = subs.length > names.length ? ` and ${plural(subs.length - names.length, 'more group')}` : '';
  const first = subs[0];
  return {
    text: `${where === 'that channel' ? 'A channel' : where} no longer hears about changes to ${plural(subs.length, 'group')}`,
    blocks: [
      section(
        `:warning: The app can no longer post in ${where} (Slack said ${code(reason)}: it was removed from the channel, or the channel was archived or made private), so ${where} no longer hears about changes to ${names.join(', ')}${more}. You set this up with \`/pgroup watch\`.`,
      ),
      context(`To start again, invite the app there with ${INVITE} and run \`/pgroup watch ${first?.groupId ?? '&lt;group&gt;'}\` in the channel.`),
    ],
  };
}

/** Personal alerts (`/pgroup watch <group> --dm`): what was done, and how to undo it. */
export function renderDmWatch(group: { id: string; name: string }, outcome: 'watching' | 'already' | 'stopped' | 'not_watching'): SlackMessage {
  switch (outcome) {
    case 'watching':
      return {
        text: `You will get a direct message when ${escapeMrkdwn(group.name)} changes`,
        blocks: [
          section(`:bell: You will get a direct message from the app whenever ${bold(group.name)} changes, made here or anywhere else.`),
          context(`The same notices a watching channel gets. Stop with \`/pgroup unwatch ${group.id} --dm\`.`),
        ],
      };
    case 'already':
      return notice(`You already get a direct message when ${group.name} changes.`, ':bell:');
    case 'stopped':
      return notice(`You no longer get a direct message when ${group.name} changes.`, ':no_bell:');
    case 'not_watching':
      return notice(`You were not getting direct messages about ${group.name}.`, ':no_bell:');
  }
}

/** One short line in the channel, for everyone there: someone started (or stopped) its watch of a group. */
export function renderWatchAnnouncement(group: { id: string; name: string }, userId: string, watching: boolean): SlackMessage {
  const what = watching
    ? `set this channel to hear about every change to ${bold(group.name)} (stop with \`/pgroup unwatch ${group.id}\`).`
    : `stopped this channel hearing about changes to ${bold(group.name)}.`;
  return {
    text: `<@${userId}> ${watching ? 'set this channel to watch' : 'stopped this channel watching'} ${escapeMrkdwn(group.name)}`,
    blocks: [section(`${watching ? ':eyes:' : ':see_no_evil:'} ${mentionUser(userId)} ${what}`)],
  };
}

/** `/pgroup watch` and `unwatch` in a channel: what was done, to the person who asked. */
export function renderChannelWatch(group: { id: string; name: string }, outcome: 'watching' | 'already' | 'stopped' | 'not_watching'): SlackMessage {
  switch (outcome) {
    case 'watching':
      return notice(`This channel now hears about every change to ${group.name}, made here or anywhere else. Stop with /pgroup unwatch ${group.id}.`, ':eyes:');
    case 'already':
      return notice(`This channel already watches ${group.name}.`, ':eyes:');
    case 'stopped':
      return notice(`This channel no longer watches ${group.name}.`, ':see_no_evil:');
    case 'not_watching':
      return notice(`This channel was not watching ${group.name}.`, ':see_no_evil:');
  }
}

/** Why a watch could not be set up from where it was asked. */
export function renderWatchRefused(reason: 'no_channel' | 'other_workspace'): SlackMessage {
  return reason === 'no_channel'
    ? notice('Run this in the channel that should hear about the group’s changes.')
    : notice('Only members of the workspace that installed this app can change what a channel watches.', ':no_entry:');
}
