import type { RequestActor } from '../../services/actor';
import { renderWorkspaceSwitchRefusal } from '../blocks/permissions';
import { renderWorkspaceStatus, renderWorkspaceSwitch } from '../blocks/workspaces';
import type { Reply } from '../replies';
import type { BotContext } from './botContext';

/** `/pgroup workspace`: the workspace this request works in (the channel's, or in a DM perhaps the App Home choice) and the others the app serves. */
export async function showWorkspace(ctx: BotContext, reply: Reply): Promise<void> {
  await reply(renderWorkspaceStatus(await ctx.workspaces.forRequest(), ctx.workspaces.served));
}

/** `/pgroup workspace <name or id>` and the choice buttons: binds the channel, for those who may. */
export async function switchWorkspace(ctx: BotContext, reply: Reply, actor: RequestActor, channelId: string | null, query: string): Promise<void> {
  const refusal = actor.permissions.switchWorkspace;
  if (refusal) {
    await reply(renderWorkspaceSwitchRefusal(refusal, actor.permissions.helpers));
    return;
  }
  const result = await ctx.workspaces.switchChannel(channelId, query, actor.userId);
  if (result.kind === 'switched') ctx.logger.info(`channel ${channelId} now works in Prolific workspace ${result.workspace.id} (chosen by ${actor.userId})`);
  await reply(renderWorkspaceSwitch(result));
}
