import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../services/actor';
import { renderHelp } from '../../slack/blocks/help';
import { startDelete, startInlineChange, startRename } from '../../slack/flows/changeFlows';
import type { BotContext } from '../../slack/flows/botContext';
import { refuseChange } from '../../slack/flows/refuseChange';
import { withFailureReply } from '../../slack/flows/withFailureReply';
import { bindReply, type Reply } from '../../slack/replies';
import { afterAck } from '../afterAck';
import { createGroup, findGroup, listGroups, listWatching, showGroup, showHistory, showMembers, watchGroup } from '../../slack/flows/groupFlows';
import { openRenameModal, openUploadModal } from '../../slack/flows/modalFlows';
import { parsePgroupCommand } from '../../slack/pgroupCommand';

export interface CommandOrigin {
  actor: Actor;
  channelId: string | null;
  triggerId: string | null;
}

/** Runs one `/pgroup` text. Also used when a user picks one of several matching groups. */
export async function runPgroupText(ctx: BotContext, client: WebClient, reply: Reply, origin: CommandOrigin, text: string): Promise<void> {
  const parsed = parsePgroupCommand(text);
  if (!parsed.ok) {
    await reply(renderHelp(null, parsed.usage));
    return;
  }
  const command = parsed.command;
  const { actor, channelId, triggerId } = origin;
  switch (command.kind) {
    case 'help':
      await reply(renderHelp(command.unknown));
      return;
    case 'list':
      await listGroups(ctx, reply, command.filter, 0);
      return;
    case 'create':
      await createGroup(ctx, reply, actor, command.name, command.description);
      return;
    case 'watching':
      await listWatching(ctx, reply, actor.teamId, channelId, command.scope);
      return;
    case 'upload':
      if (await refuseChange(ctx, actor, reply)) return;
      if (triggerId) await openUploadModal(ctx, client, triggerId, command.group, channelId);
      return;
    case 'rename':
      if (!command.newName) {
        if (await refuseChange(ctx, actor, reply)) return;
        if (triggerId) await openRenameModal(ctx, client, triggerId, command.group, channelId);
        return;
      }
      break;
  }

  // The rest name a group first.
  const rest = 'idsText' in command ? command.idsText : 'newName' in command ? `"${command.newName}"` : '';
  const group = await findGroup(ctx, reply, command.group, (id) => `${command.kind} ${id}${rest ? ` ${rest}` : ''}`);
  if (!group) return;
  switch (command.kind) {
    case 'show':
      await showGroup(ctx, reply, group.id);
      return;
    case 'members':
      await showMembers(ctx, client, reply, group, channelId, actor.userId);
      return;
    case 'history':
      await showHistory(ctx, reply, group, 0);
      return;
    case 'delete':
      await startDelete(ctx, reply, actor, channelId, group.id);
      return;
    case 'watch':
    case 'unwatch':
      await watchGroup(ctx, reply, actor, group, channelId, command.kind === 'watch');
      return;
    case 'rename':
      await startRename(ctx, reply, actor, channelId, group, command.newName!);
      return;
    case 'add':
    case 'remove':
      await startInlineChange(ctx, reply, actor, channelId, group, command.kind, command.idsText);
      return;
  }
}

/**
 * The team a user belongs to. In a Slack Connect channel a command's team_id is the channel's
 * host workspace, not necessarily the user's own, so it is looked up (and kept for a while).
 */
const userTeams = new Map<string, { teamId: string; until: number }>();
async function userTeam(client: WebClient, userId: string, fallback: string): Promise<string> {
  const cached = userTeams.get(userId);
  if (cached && cached.until > Date.now()) return cached.teamId;
  try {
    const res = await client.users.info({ user: userId });
    const teamId = res.user?.team_id ?? fallback;
    if (userTeams.size > 5000) userTeams.clear();
    userTeams.set(userId, { teamId, until: Date.now() + 10 * 60_000 });
    return teamId;
  } catch {
    return fallback;
  }
}

export function pgroupCommand(ctx: BotContext) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    // Ack first, before any call to Prolific: Slack gives up after 3 seconds.
    await ack();
    await afterAck();
    const actor = { userId: command.user_id, teamId: await userTeam(client, command.user_id, command.team_id) };
    const reply = bindReply(client, ctx.logger, { userId: actor.userId, channelId: command.channel_id, respond });
    await withFailureReply(ctx, reply, '/pgroup', () =>
      runPgroupText(ctx, client, reply, { actor, channelId: command.channel_id, triggerId: command.trigger_id }, command.text),
    );
  };
}
