import type { App, MessageShortcut } from '@slack/bolt';
import type { BotContext } from '../../slack/flows/botContext';
import { openMessageShortcut } from '../../slack/flows/shortcutFlows';
import { withFailureReply } from '../../slack/flows/withFailureReply';
import { SHORTCUTS } from '../../slack/interactionIds';
import type { RequestScope } from '../requestScope';

export function registerShortcuts(app: App<RequestScope>, ctx: BotContext): void {
  app.shortcut<MessageShortcut>({ callback_id: SHORTCUTS.addToGroup, type: 'message_action' }, async ({ ack, shortcut, client, context }) => {
    await ack();
    await withFailureReply(ctx, context.reply, 'message shortcut', async () => {
      const actor = await context.actor();
      await openMessageShortcut(ctx, client, actor, shortcut.trigger_id, { channelId: shortcut.channel.id, message: shortcut.message });
    });
  });
}
