import type { BlockAction, GlobalShortcut, MessageShortcut, StaticSelectAction } from '@slack/bolt';
import { groupOption, STATIC_SELECT_LIMIT } from '../../slack/blocks/modals';
import type { BotContext } from '../../slack/flows/botContext';
import { showGroup } from '../../slack/flows/groupFlows';
import { applyCreateSubmission, checkCreateSubmission, openGroupsShortcut, pushCreateGroup, selectInGroupsModal } from '../../slack/flows/groupsShortcutFlows';
import { openRenameModal, openUploadModal } from '../../slack/flows/modalFlows';
import { refuseChange } from '../../slack/flows/refuseChange';
import { openMessageShortcut } from '../../slack/flows/shortcutFlows';
import { withFailureReply } from '../../slack/flows/withFailureReply';
import { ACTIONS, actionKind, INPUTS, SHORTCUTS, VIEWS } from '../../slack/interactionIds';
import { button } from '../actions/button';
import type { ListenerRoutes } from '../listenerRoutes';

type StateValues = Record<string, Record<string, { value?: string | null }>>;

export function registerShortcuts(routes: ListenerRoutes, ctx: BotContext): void {
  routes.shortcut<MessageShortcut>({ callback_id: SHORTCUTS.addToGroup, type: 'message_action' }, async ({ ack, shortcut, client, context }) => {
    await ack();
    await withFailureReply(ctx, context.reply, 'message shortcut', async () => {
      const actor = await context.actor();
      await openMessageShortcut(ctx, client, actor, shortcut.trigger_id, { channelId: shortcut.channel.id, message: shortcut.message });
    });
  });

  routes.shortcut<GlobalShortcut>({ callback_id: SHORTCUTS.participantGroups, type: 'shortcut' }, async ({ ack, shortcut, client, context }) => {
    await ack();
    await withFailureReply(ctx, context.reply, 'groups shortcut', () => openGroupsShortcut(ctx, client, shortcut.trigger_id, shortcut.user.id));
  });

  // The modal's group search and its recent groups: the modal shows the chosen group with its buttons.
  routes.action<BlockAction<StaticSelectAction>>(ACTIONS.groupsModalPick, async ({ ack, body, action, client, context }) => {
    await ack();
    if (!body.view || !action.selected_option) return;
    const viewId = body.view.id;
    await withFailureReply(ctx, context.reply, 'groups modal search', () => selectInGroupsModal(ctx, client, viewId, body.user.id, action.selected_option.value));
  });
  routes.options(ACTIONS.groupsModalPick, async ({ ack, options }) => {
    const groups = await ctx.groups.list(options.value ?? '');
    await ack({ options: groups.slice(0, STATIC_SELECT_LIMIT).map(groupOption) });
  });
  routes.action(
    actionKind(ACTIONS.groupsModalRecent),
    button(ctx, 'groups modal recent', async ({ userId, value }, { body, client }) => {
      if (body.view) await selectInGroupsModal(ctx, client, body.view.id, userId, value);
    }),
  );
  // Show posts the card to the person (by DM: a modal has no channel); the forms are pushed onto the modal.
  routes.action(ACTIONS.groupsModalShow, button(ctx, 'groups modal show', ({ value, reply }) => showGroup(ctx, reply, value, null)));
  routes.action(
    ACTIONS.groupsModalUpload,
    button(ctx, 'groups modal upload', async ({ actor, triggerId, value, reply }, { client }) => {
      if (await refuseChange(await actor(), reply)) return;
      await openUploadModal(ctx, client, triggerId, value || null, null, 'push');
    }),
  );
  routes.action(
    ACTIONS.groupsModalRename,
    button(ctx, 'groups modal rename', async ({ actor, triggerId, value, reply }, { client }) => {
      if (await refuseChange(await actor(), reply)) return;
      await openRenameModal(ctx, client, triggerId, value || null, null, 'push');
    }),
  );
  routes.action(
    ACTIONS.groupsModalCreate,
    button(ctx, 'groups modal create', async ({ actor, triggerId, reply }, { client }) => {
      if (await refuseChange(await actor(), reply)) return;
      await pushCreateGroup(client, triggerId);
    }),
  );

  routes.view(VIEWS.createGroup, async ({ ack, view, context }) => {
    const values = view.state.values as StateValues;
    const actor = await context.actor();
    const checked = checkCreateSubmission(actor, values[INPUTS.name.block]?.[INPUTS.name.action]?.value ?? '');
    if ('errors' in checked) {
      await ack({ response_action: 'errors', errors: checked.errors });
      return;
    }
    // The whole stack closes; the new group's message comes by DM.
    await ack({ response_action: 'clear' });
    const description = values[INPUTS.description.block]?.[INPUTS.description.action]?.value?.trim() || null;
    await withFailureReply(ctx, context.reply, 'create form', () => applyCreateSubmission(ctx, context.reply, actor, checked.name, description));
  });
}
