import { membersFileWords } from '../blocks/formWords';
import type { WebClient } from '@slack/web-api';
import { ProlificError } from '../../prolific';
import type { ParticipantGroup } from '../../prolific/types';
import type { RequestActor } from '../../services/actor';
import { groupNameProblemText } from '../blocks/groupNames';
import { studyFacts } from '../../services/studies';
import { BLOCK_KIT_LIMITS } from '../blocks/blockKitLimits';
import { decodeCreateRequest, membersCsv, type MembersFile, renderAmbiguous, renderCreated, renderCreatedNotice, renderGroupCard, renderGroupList, renderGroupNotFound, renderIdsRefusal, renderMembers, renderCreating, renderNameTaken } from '../blocks/groups';
import { HISTORY_PAGE_SIZE, renderHistory } from '../blocks/history';
import { notice } from '../blocks/message';
import { renderChangeRefusal } from '../blocks/permissions';
import { renderDmWatch, renderSubscriptions, renderWatchAnnouncement, renderChannelWatch, renderWatchNeedsApp, renderWatchRefused } from '../blocks/subscriptions';
import { renderGroupDeleted } from '../blocks/undo';
import { markAsDemo } from '../blocks/demoSandbox';
import { channelMembership } from '../channelMembership';
import { type Reply, slackErrorCode } from '../replies';
import type { BotContext } from './botContext';
import { refuseChange } from './refuseChange';

/** The command text to run again once the user has picked one of several matching groups. */
export type Continuation = (groupId: string) => string;

/**
 * Finds the group a user named. When the name is unknown or matches several groups, the user
 * is told (with the candidates as buttons) and null is returned.
 */
export async function findGroup(
  ctx: BotContext,
  reply: Reply,
  query: string,
  continuation: Continuation,
  /** Answers for a group the app deleted instead of the deletion notice (history shows the deleted group's). */
  onDeleted?: (idOrName: string) => Promise<boolean>,
): Promise<ParticipantGroup | null> {
  const found = await ctx.groups.resolve(query);
  if (found.kind === 'found') return found.group;
  const carryOn = (id: string) => {
    const text = continuation(id);
    // A button value holds at most 2000 characters; a long id list falls back to showing the group.
    return text.length <= BLOCK_KIT_LIMITS.buttonValue ? text : `show ${id}`;
  };
  if (found.kind === 'ambiguous') {
    await reply(renderAmbiguous(query, found.candidates, carryOn));
  } else {
    // A group the app deleted is told as such (by whom, when), with Recreate, never as unknown.
    if (onDeleted && (await onDeleted(query))) return null;
    const deletion = await ctx.changes.findDeletion(query);
    await reply(deletion ? renderGroupDeleted(deletion) : renderGroupNotFound(query, found.suggestions, carryOn));
  }
  return null;
}

/** The group read by id; a group the app deleted is told (by whom, when, with Recreate) and null returned. */
async function readOrTellDeleted(ctx: BotContext, reply: Reply, groupId: string): Promise<ParticipantGroup | null> {
  let group: ParticipantGroup | null = null;
  let notFound: unknown = null;
  try {
    group = await ctx.groups.get(groupId);
    if (!group.is_deleted) return group;
  } catch (err) {
    if (!(err instanceof ProlificError && err.status === 404)) throw err;
    notFound = err;
  }
  const deletion = await ctx.changes.deletionOf(groupId);
  if (!deletion) {
    if (group) return group;
    throw notFound;
  }
  await reply(renderGroupDeleted(deletion));
  return null;
}

export async function listGroups(ctx: BotContext, reply: Reply, filter: string, page: number, replaceOriginal = false): Promise<void> {
  const groups = await ctx.groups.list(filter);
  await reply(renderGroupList(groups, filter, page), { replaceOriginal });
}

/**
 * The group card, with the studies that use the group (or that they could not be checked) and, where
 * it is shown in a channel, whether that channel watches the group. `replaceOriginal`: the card
 * drawn again in place (after its Watch or Unwatch).
 */
export async function showGroup(ctx: BotContext, reply: Reply, groupId: string, channelId: string | null, replaceOriginal = false): Promise<void> {
  const [group, studies, channelWatches] = await Promise.all([
    readOrTellDeleted(ctx, reply, groupId),
    ctx.studies.studiesUsingGroup(groupId),
    channelId ? watchedHere(ctx, channelId, groupId) : null,
  ]);
  if (group) await reply(renderGroupCard(group, studyFacts(studies), { channelWatches }), { replaceOriginal });
}

/** Whether the channel watches the group; null (no Watch button) when the app's database does not answer. */
async function watchedHere(ctx: BotContext, channelId: string, groupId: string): Promise<boolean | null> {
  try {
    return await ctx.watchList.channelWatches(channelId, groupId);
  } catch (err) {
    ctx.logger.warn(`reading whether ${channelId} watches ${groupId} failed: ${err instanceof Error ? err.name : 'error'}`);
    return null;
  }
}

/** Creates a group and says so; returns it, or null when it was refused. */
export async function createGroup(
  ctx: BotContext,
  reply: Reply,
  actor: RequestActor,
  name: string,
  description: string | null,
  /** False once the person chose "Create anyway" (and for a copy, which names its new group itself). */
  askIfNameTaken = true,
): Promise<ParticipantGroup | null> {
  if (await refuseChange(actor, reply)) return null;
  const problem = groupNameProblemText(name);
  if (problem) {
    await reply(notice(problem));
    return null;
  }
  if (askIfNameTaken) {
    const taken = await ctx.groups.named(name);
    if (taken.length) {
      await reply(renderNameTaken(name.trim(), description, taken));
      return null;
    }
  }
  const { group, recorded } = await ctx.groups.create(name, description, actor);
  if (!recorded) ctx.logger.warn(`created group ${group.id}, but its audit entry could not be written`);
  await reply(renderCreated(group, recorded));
  await ctx.announcer.announce(group.id, renderCreatedNotice(group, actor.userId));
  return group;
}

/** Warnings whose "Create anyway" is being handled: a second click on the same one creates nothing more. */
const creatingDespiteName = new Set<string>();

/** "Create anyway" on the warning that the name is taken: the warning gives way to the outcome. */
export async function createDespiteName(ctx: BotContext, reply: Reply, actor: RequestActor, value: string): Promise<void> {
  const request = decodeCreateRequest(value);
  const key = `${actor.userId}:${value}`;
  if (!request || creatingDespiteName.has(key)) return;
  creatingDespiteName.add(key);
  try {
    await reply(renderCreating(request.name), { replaceOriginal: true });
    await createGroup(ctx, reply, actor, request.name, request.description, false);
  } finally {
    creatingDespiteName.delete(key);
  }
}

/**
 * A group's members, to the person who asked only: the first ones in the ephemeral reply, the whole
 * list as a CSV file in their direct message with the app (never the channel, where colleagues and
 * partners' users would get every id), and the export in the group's history. Someone of another
 * organisation sees no ids at all; an empty group makes no file.
 */
export async function exportMembers(ctx: BotContext, client: WebClient, reply: Reply, actor: RequestActor, group: ParticipantGroup): Promise<void> {
  if (actor.permissions.ids) {
    await reply(renderIdsRefusal(actor.permissions.ids));
    return;
  }
  const members = await ctx.groups.members(group.id);
  if (!members.length) {
    await reply(renderMembers(group, members, { kind: 'not_sent' }));
    return;
  }
  let file: MembersFile = { kind: 'not_sent' };
  try {
    // files.uploadV2 takes a conversation id only: the DM's, which conversations.open gives.
    const dm = await client.conversations.open({ users: actor.userId });
    if (!dm.channel?.id) throw new Error('conversations.open gave no channel');
    const words = membersFileWords(group.name, members.length);
    await client.filesUploadV2({ channel_id: dm.channel.id, filename: words.filename, title: words.title, content: membersCsv(members), initial_comment: words.comment });
    const recorded = await ctx.groups.recordExport(group, members.length, actor);
    if (!recorded) ctx.logger.warn(`exported the members of ${group.id}, but the export's history entry could not be written`);
    file = { kind: 'sent', recorded };
  } catch (err) {
    ctx.logger.warn(`sending the members file to the requester's DM failed (${slackErrorCode(err)})`);
  }
  await reply(renderMembers(group, members, file));
}

export async function showHistory(ctx: BotContext, reply: Reply, group: ParticipantGroup, page: number, replaceOriginal = false): Promise<void> {
  const entries = await ctx.groups.history(group.id, page, HISTORY_PAGE_SIZE);
  const workspace = ctx.workspaces.several ? ctx.workspaces.get(group.workspace_id) : null;
  await reply(renderHistory(group, entries, page, null, workspace?.title ?? null), { replaceOriginal });
}

/**
 * `/pgroup history` of a group that Prolific no longer has: the app's own records, found by the
 * deleted group's id or former name, newest first (so its deletion leads). False when the app
 * knows of no such deletion.
 */
export async function showDeletedHistory(ctx: BotContext, reply: Reply, idOrName: string, page = 0, replaceOriginal = false): Promise<boolean> {
  const deletion = await ctx.changes.findDeletion(idOrName);
  if (!deletion) return false;
  const entries = await ctx.groups.history(deletion.groupId, page, HISTORY_PAGE_SIZE);
  await reply(renderHistory({ id: deletion.groupId, name: deletion.groupName }, entries, page, deletion), { replaceOriginal });
  return true;
}

/**
 * A history page by group id: the group's, or a deleted group's from the app's records. In place of
 * the page shown for the paging buttons; a new answer for the card's History.
 */
export async function showHistoryById(ctx: BotContext, reply: Reply, groupId: string, page: number, replaceOriginal = true): Promise<void> {
  try {
    await showHistory(ctx, reply, await ctx.groups.get(groupId), page, replaceOriginal);
  } catch (err) {
    if (!(err instanceof ProlificError && err.status === 404 && (await showDeletedHistory(ctx, reply, groupId, page, replaceOriginal)))) throw err;
  }
}

export async function watchGroup(
  ctx: BotContext,
  client: WebClient,
  reply: Reply,
  actor: RequestActor,
  group: ParticipantGroup,
  channelId: string | null,
  watch: boolean,
  dm = false,
): Promise<'watched' | 'unwatched' | 'refused'> {
  if (!channelId && !dm) {
    await reply(renderWatchRefused('no_channel'));
    return 'refused';
  }
  if (actor.permissions.change === 'workspace_unknown') {
    await reply(renderChangeRefusal(actor.permissions.change, actor.permissions.helpers));
    return 'refused';
  }
  if (actor.teamId !== ctx.homeTeamId) {
    await reply(renderWatchRefused('other_workspace'));
    return 'refused';
  }
  if (dm) {
    await watchByDm(ctx, client, reply, actor, group, watch);
    return watch ? 'watched' : 'unwatched';
  }
  if (!channelId) return 'refused';
  if (watch) {
    // A watch the app could never deliver is refused up front, with how to fix it.
    const membership = await channelMembership(client, channelId);
    if (membership.kind !== 'member') {
      await reply(renderWatchNeedsApp(membership, group));
      return 'refused';
    }
    const added = await ctx.store.subscribe({ teamId: actor.teamId, channelId, groupId: group.id, groupName: group.name, createdBy: actor.userId });
    if (added) await announceWatch(ctx, client, channelId, group, actor.userId, true);
    await reply(renderChannelWatch(group, added ? 'watching' : 'already'));
    return 'watched';
  }
  const removed = await ctx.store.unsubscribe(channelId, group.id);
  if (removed) await announceWatch(ctx, client, channelId, group, actor.userId, false);
  await reply(renderChannelWatch(group, removed ? 'stopped' : 'not_watching'));
  return 'unwatched';
}

/**
 * Personal alerts: the person's DM with the app watches the group as a channel does, so it gets the
 * same notifications, coalesced the same way, from the same outbox.
 */
async function watchByDm(ctx: BotContext, client: WebClient, reply: Reply, actor: RequestActor, group: ParticipantGroup, watch: boolean): Promise<void> {
  const opened = await client.conversations.open({ users: actor.userId });
  const dmId = opened.channel?.id;
  if (!dmId) throw new Error('conversations.open answered without a channel');
  if (watch) {
    const added = await ctx.store.subscribe({ teamId: actor.teamId, channelId: dmId, groupId: group.id, groupName: group.name, createdBy: actor.userId });
    await reply(renderDmWatch(group, added ? 'watching' : 'already'));
  } else {
    const removed = await ctx.store.unsubscribe(dmId, group.id);
    await reply(renderDmWatch(group, removed ? 'stopped' : 'not_watching'));
  }
}

/** Tells everyone in the channel, in one line, that it now watches a group (or no longer does). */
async function announceWatch(ctx: BotContext, client: WebClient, channelId: string, group: ParticipantGroup, userId: string, watching: boolean): Promise<void> {
  const message = renderWatchAnnouncement(group, userId, watching);
  try {
    await client.chat.postMessage({ channel: channelId, ...(ctx.demoSandbox ? markAsDemo(message) : message) });
  } catch (err) {
    // The watch itself is made (or ended); only the line for the channel is missing.
    ctx.logger.warn(`announcing a watch in ${channelId} failed (${slackErrorCode(err)})`);
  }
}

export async function listWatching(ctx: BotContext, reply: Reply, teamId: string, channelId: string | null, scope: 'channel' | 'workspace'): Promise<void> {
  const watched = await ctx.watchList.watched(scope === 'channel' && channelId ? { channelId } : { teamId });
  // The watcher knows a group's current name; the subscription keeps the one it had then.
  const current = watched.map(({ subscription, state }) => ({ ...subscription, groupName: state?.name || subscription.groupName }));
  await reply(renderSubscriptions(current, scope === 'channel' && channelId ? channelId : null, ctx.config.notifyChannel));
}
