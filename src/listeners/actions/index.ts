import { renderCreateCancelled } from '../../slack/blocks/groups';
import { createDespiteName } from '../../slack/flows/groupFlows';
import type { BlockAction, StaticSelectAction } from '@slack/bolt';
import { decodeModalContext, groupOption, STATIC_SELECT_LIMIT, studyOption } from '../../slack/blocks/modals';
import { cancelOperation, confirmOperation, openTypedDelete, previewAddBack, recreateGroup, retryOperation, undoOperation } from '../../slack/flows/changeFlows';
import type { BotContext } from '../../slack/flows/botContext';
import { chooseUploadOption } from '../../slack/flows/fileFlows';
import { cancelMessage, sendMessage } from '../../slack/flows/messageFlows';
import { switchWorkspace } from '../../slack/flows/workspaceFlows';
import { cancelForget, confirmForget } from '../../slack/flows/participantFlows';
import { slackErrorCode } from '../../slack/replies';
import type { ListenerRoutes } from '../listenerRoutes';
import { listGroups, showGroup, showHistoryById } from '../../slack/flows/groupFlows';
import { chooseHomeWorkspace, publishHome } from '../../slack/flows/homeFlows';
import { refreshRenameModal } from '../../slack/flows/modalFlows';
import { ACTIONS, actionKind, VIEWS } from '../../slack/interactionIds';
import { runPgroupText } from '../commands/pgroup';
import { button } from './button';
import { registerGroupCardActions } from './groupCard';

function parseJson<T>(value: string, fallback: T): T {
  try {
    return { ...fallback, ...(JSON.parse(value) as T) };
  } catch {
    return fallback;
  }
}

export function registerActions(routes: ListenerRoutes, ctx: BotContext): void {
  routes.action(
    actionKind(ACTIONS.listPage),
    button(ctx, 'list paging', async ({ value, reply }) => {
      const { filter, page } = parseJson(value, { filter: '', page: 0 });
      await listGroups(ctx, reply, String(filter), Number(page) || 0, true);
    }),
  );
  routes.action(ACTIONS.showGroup, button(ctx, 'show group', ({ channelId, value, reply }) => showGroup(ctx, reply, value, channelId)));
  registerGroupCardActions(routes, ctx);
  routes.action(
    actionKind(ACTIONS.pickGroup),
    button(ctx, 'pick group', ({ userId, actor, channelId, triggerId, value, reply }, { client }) => runPgroupText(ctx, client, reply, { userId, actor, channelId, triggerId }, value)),
  );
  routes.action(ACTIONS.confirmForget, button(ctx, 'forget', async ({ actor, value, channelId, reply }) => confirmForget(ctx, reply, await actor(), value, channelId)));
  routes.action(ACTIONS.cancelForget, button(ctx, 'cancel forget', ({ reply }) => cancelForget(reply)));
  routes.action(ACTIONS.confirmOperation, button(ctx, 'confirm', async ({ actor, value, reply }) => confirmOperation(ctx, reply, await actor(), value)));
  routes.action(
    ACTIONS.confirmTypedName,
    button(ctx, 'confirm by name', async ({ actor, triggerId, value, reply }, { client }) => openTypedDelete(ctx, client, reply, await actor(), triggerId, value)),
  );
  routes.action(
    actionKind(ACTIONS.uploadChoice),
    button(ctx, 'upload choice', async ({ actor, channelId, value, reply }, { client }) => chooseUploadOption(ctx, client, reply, await actor(), channelId, value)),
  );
  routes.action(
    actionKind(ACTIONS.chooseWorkspace),
    button(ctx, 'choose workspace', async ({ actor, channelId, value, reply }) => switchWorkspace(ctx, reply, await actor(), channelId, value)),
  );
  routes.action(ACTIONS.sendMessage, button(ctx, 'send message', async ({ actor, value, reply }) => sendMessage(ctx, reply, await actor(), value)));
  routes.action(ACTIONS.cancelMessage, button(ctx, 'cancel message', async ({ actor, value, reply }) => cancelMessage(ctx, reply, await actor(), value)));
  routes.action(ACTIONS.cancelOperation, button(ctx, 'cancel', async ({ actor, value, reply }) => cancelOperation(ctx, reply, await actor(), value)));
  routes.action(ACTIONS.undoOperation, button(ctx, 'undo', async ({ actor, channelId, value, reply }) => undoOperation(ctx, reply, await actor(), value, channelId)));
  routes.action(ACTIONS.restoreOperation, button(ctx, 'restore', async ({ actor, channelId, value, reply }) => undoOperation(ctx, reply, await actor(), value, channelId, 'restore')));
  routes.action(ACTIONS.createDespiteName, button(ctx, 'create anyway', async ({ actor, value, reply }) => createDespiteName(ctx, reply, await actor(), value)));
  routes.action(ACTIONS.createCancel, button(ctx, 'cancel create', async ({ reply }) => void (await reply(renderCreateCancelled(), { replaceOriginal: true }))));
  routes.action(ACTIONS.recreateGroup, button(ctx, 'recreate', async ({ actor, channelId, value, reply }) => recreateGroup(ctx, reply, await actor(), value, channelId)));
  routes.action(ACTIONS.retryOperation, button(ctx, 'retry', async ({ actor, value, reply }) => retryOperation(ctx, reply, await actor(), value)));
  routes.action(ACTIONS.addBackDropped, button(ctx, 'add back', async ({ actor, channelId, value, reply }) => previewAddBack(ctx, reply, await actor(), value, channelId)));
  routes.action(
    actionKind(ACTIONS.historyPage),
    button(ctx, 'history paging', async ({ value, reply }) => {
      const { groupId, page } = parseJson(value, { groupId: '', page: 0 });
      await showHistoryById(ctx, reply, String(groupId), Number(page) || 0);
    }),
  );

  // Paging App Home publishes it again; a failure leaves the page as it was.
  routes.action(actionKind(ACTIONS.homePage), async ({ ack, action, client, context }) => {
    await ack();
    const page = Number((action as { value?: string }).value) || 0;
    const { userId, teamId } = await context.actor();
    await publishHome(ctx, client, userId, teamId || ctx.homeTeamId, page).catch((err) => ctx.logger.warn(`App Home paging failed (${slackErrorCode(err)})`));
  });

  // A Home tab's workspace button (or the question's, by DM): the user's own choice, then the tab again.
  routes.action(
    actionKind(ACTIONS.chooseHomeWorkspace),
    button(ctx, "choose the Home tab's workspace", async ({ actor, value, reply }, { body, client }) => {
      const { userId, teamId } = await actor();
      await chooseHomeWorkspace(ctx, client, userId, teamId || ctx.homeTeamId, value, body.container?.type === 'message' ? reply : null);
    }),
  );

  // Choosing a group in the rename form refills the name field.
  routes.action<BlockAction<StaticSelectAction>>(ACTIONS.groupSelect, async ({ ack, body, action, client }) => {
    await ack();
    if (body.view?.callback_id !== VIEWS.rename || !action.selected_option) return;
    try {
      await refreshRenameModal(ctx, client, body.view.id, body.view.hash, action.selected_option.value, decodeModalContext(body.view.private_metadata));
    } catch (err) {
      ctx.logger.warn('refreshing the rename form failed:', err instanceof Error ? err.message : err);
    }
  });

  // The upload form's study picker searches the workspace's studies as the user types.
  routes.options(ACTIONS.studySelect, async ({ ack, options }) => {
    const studies = await ctx.studyDirectory.list(options.value ?? '').catch((err) => {
      ctx.logger.warn('listing the studies for the picker failed:', err instanceof Error ? err.message : err);
      return [];
    });
    await ack({ options: studies.slice(0, STATIC_SELECT_LIMIT).map(studyOption) });
  });

  // The group picker searches as the user types when there are more groups than a static select holds.
  for (const picker of [ACTIONS.groupSelect, ACTIONS.otherGroupSelect]) {
    routes.options(picker, async ({ ack, options }) => {
      const groups = await ctx.groups.list(options.value ?? '');
      await ack({
        options: groups.slice(0, STATIC_SELECT_LIMIT).map(groupOption),
      });
    });
  }
}
