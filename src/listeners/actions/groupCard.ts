// The group card's buttons and its overflow menu. Each action goes through the same flow as its
// command (`/pgroup upload|watch|unwatch|history|members|message|rename|delete`), with the group
// the card carries; the overflow menu's options run the very handlers the former buttons ran.
import type { WebClient } from '@slack/web-api';
import type { MembershipMode } from '../../services/changes';
import { decodeCardMenuChoice, type CardMenuKind } from '../../slack/cardMenuChoice';
import type { BotContext } from '../../slack/flows/botContext';
import { startDelete } from '../../slack/flows/changeFlows';
import { exportMembers, findGroup, showGroup, showHistoryById, watchGroup } from '../../slack/flows/groupFlows';
import { openMessageForm } from '../../slack/flows/messageFlows';
import { openRenameModal, openUploadModal } from '../../slack/flows/modalFlows';
import { refuseChange } from '../../slack/flows/refuseChange';
import { ACTIONS } from '../../slack/interactionIds';
import type { ListenerRoutes } from '../listenerRoutes';
import { button, type Click, overflowMenu } from './button';

type CardHandler = (ctx: BotContext, click: Click, client: WebClient) => Promise<void>;

/** The upload form for the card's group, on the change chosen (none for Upload: the form asks). */
function openUploadIn(mode: MembershipMode | null): CardHandler {
  return async (ctx, { actor, channelId, triggerId, value, reply }, client) => {
    if (await refuseChange(await actor(), reply)) return;
    await openUploadModal(ctx, client, triggerId, value || null, channelId, 'open', mode);
  };
}

/** Watch or Unwatch for the card's channel, as `/pgroup watch|unwatch`; then the card again, its button turned. */
function watchHere(watch: boolean): CardHandler {
  return async (ctx, { actor, channelId, value, reply }, client) => {
    const group = await findGroup(ctx, reply, value, (id) => `${watch ? 'watch' : 'unwatch'} ${id}`);
    if (!group) return;
    const outcome = await watchGroup(ctx, client, reply, await actor(), group, channelId, watch);
    if (outcome !== 'refused') await showGroup(ctx, reply, group.id, channelId, true);
  };
}

const exportFromCard: CardHandler = async (ctx, { actor, value, reply }, client) => {
  const group = await findGroup(ctx, reply, value, (id) => `members ${id}`);
  if (group) await exportMembers(ctx, client, reply, await actor(), group);
};

const watchByDm: CardHandler = async (ctx, { actor, channelId, value, reply }, client) => {
  await watchGroup(ctx, client, reply, await actor(), await ctx.groups.get(value), channelId, true, true);
};

const openMessage: CardHandler = async (ctx, { actor, channelId, triggerId, value, reply }, client) =>
  openMessageForm(ctx, client, reply, await actor(), triggerId, value, channelId);

const openRename: CardHandler = async (ctx, { actor, channelId, triggerId, value, reply }, client) => {
  if (await refuseChange(await actor(), reply)) return;
  await openRenameModal(ctx, client, triggerId, value || null, channelId);
};

// Delete leads to the delete preview, whose button opens the form where the group's name is typed.
const deleteGroup: CardHandler = async (ctx, { actor, channelId, value, reply }) => startDelete(ctx, reply, await actor(), channelId, value);

/** The overflow menu's options, by the kind their value names. */
const MENU: Record<CardMenuKind, CardHandler> = {
  export: exportFromCard,
  message: openMessage,
  dm: watchByDm,
  rename: openRename,
  delete: deleteGroup,
};

export function registerGroupCardActions(routes: ListenerRoutes, ctx: BotContext): void {
  const on = (actionId: string, what: string, handle: CardHandler) => routes.action(actionId, button(ctx, what, (click, { client }) => handle(ctx, click, client)));
  on(ACTIONS.openAddIds, 'open add ids', openUploadIn('add'));
  on(ACTIONS.openRemoveIds, 'open remove ids', openUploadIn('remove'));
  on(ACTIONS.openUpload, 'open upload', openUploadIn(null));
  on(ACTIONS.watchHere, 'watch here', watchHere(true));
  on(ACTIONS.unwatchHere, 'unwatch here', watchHere(false));
  on(ACTIONS.showHistory, 'card history', (_, { value, reply }) => showHistoryById(ctx, reply, value, 0, false));
  // The same actions as buttons elsewhere (a new group's "Tell me when it changes"), and on cards drawn before the menu.
  on(ACTIONS.exportMembers, 'export members', exportFromCard);
  on(ACTIONS.watchByDm, 'watch by DM', watchByDm);
  on(ACTIONS.openMessage, 'open message form', openMessage);
  on(ACTIONS.openRename, 'open rename', openRename);
  on(ACTIONS.deleteGroup, 'delete group', deleteGroup);
  routes.action(
    ACTIONS.cardMore,
    overflowMenu(ctx, 'card menu', async (click, { client }) => {
      const choice = decodeCardMenuChoice(click.value);
      if (choice) await MENU[choice.kind](ctx, { ...click, value: choice.groupId }, client);
    }),
  );
}
