import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { RequestActor } from '../../services/actor';
import { renderHelp } from '../../slack/blocks/help';
import type { BotContext } from '../../slack/flows/botContext';
import { startDelete, startInlineChange, startRename } from '../../slack/flows/changeFlows';
import { createGroup, findGroup, listGroups, listWatching, showDeletedHistory, showGroup, showHistory, exportMembers, watchGroup } from '../../slack/flows/groupFlows';
import { openMessageForm } from '../../slack/flows/messageFlows';
import { openRenameModal, openUploadModal } from '../../slack/flows/modalFlows';
import { refuseChange } from '../../slack/flows/refuseChange';
import { copyGroup, startGroupSourceChange } from '../../slack/flows/groupSourceFlows';
import { findParticipant, previewForget } from '../../slack/flows/participantFlows';
import { startStudyChange, statusFlag } from '../../slack/flows/studyFlows';
import { withFailureReply } from '../../slack/flows/withFailureReply';
import { showWorkspace, switchWorkspace } from '../../slack/flows/workspaceFlows';
import { parsePgroupCommand } from '../../slack/pgroupCommand';
import type { Reply } from '../../slack/replies';
import { afterAck } from '../afterAck';
import type { RequestScope } from '../requestScope';

export interface CommandOrigin {
  userId: string;
  /** Who asked, with their permissions; only the subcommands that need it ask (a slash command's costs a lookup). */
  actor: () => Promise<RequestActor>;
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
      await createGroup(ctx, reply, await actor(), command.name, command.description);
      return;
    case 'workspace':
      if (command.query) await switchWorkspace(ctx, reply, await actor(), channelId, command.query);
      else await showWorkspace(ctx, reply);
      return;
    case 'watching':
      await listWatching(ctx, reply, (await actor()).teamId, channelId, command.scope);
      return;
    case 'upload':
      if (await refuseChange(await actor(), reply)) return;
      if (triggerId) await openUploadModal(ctx, client, triggerId, command.group, channelId, 'open', command.mode ?? null);
      return;
    case 'rename':
      if (!command.newName) {
        if (await refuseChange(await actor(), reply)) return;
        if (triggerId) await openRenameModal(ctx, client, triggerId, command.group, channelId);
        return;
      }
      break;
    case 'find':
      await findParticipant(ctx, reply, command.participantId);
      return;
    case 'forget':
      await previewForget(ctx, reply, await actor(), command.participantId);
      return;
  }

  // The rest name a group first.
  const rest =
    command.kind === 'fromStudy'
      ? `--from-study "${command.study}" --status ${statusFlag(command.statuses)}`
      : command.kind === 'fromGroup'
        ? `${command.mode === 'keep' ? '--in-group' : '--from-group'} "${command.other}"`
        : command.kind === 'copy'
          ? `"${command.newName}"`
          : 'idsText' in command
        ? command.idsText
        : 'newName' in command
          ? `"${command.newName}"`
          : 'dm' in command && command.dm
            ? '--dm'
            : '';
  // `add Main panel 5e9b…` without quotes: the longer name wins when it names a group by its whole
  // name or the start of it; otherwise the first word is the group, as before.
  if ((command.kind === 'add' || command.kind === 'remove' || command.kind === 'replace') && command.longer) {
    const found = await ctx.groups.resolve(command.longer.group).catch(() => null);
    if (found?.kind === 'found' && (found.match === 'exact' || found.match === 'prefix')) {
      await startInlineChange(ctx, reply, await actor(), channelId, { group: found.group, typed: command.longer.group }, command.kind, command.longer.idsText);
      return;
    }
  }
  const verb = command.kind === 'fromStudy' || command.kind === 'fromGroup' ? command.mode : command.kind;
  const group = await findGroup(
    ctx,
    reply,
    command.group,
    (id) => `${verb} ${id}${rest ? ` ${rest}` : ''}`,
    command.kind === 'history' ? (idOrName) => showDeletedHistory(ctx, reply, idOrName) : undefined,
  );
  if (!group) return;
  switch (command.kind) {
    case 'show':
      await showGroup(ctx, reply, group.id, channelId);
      return;
    case 'members':
      await exportMembers(ctx, client, reply, await actor(), group);
      return;
    case 'history':
      await showHistory(ctx, reply, group, 0);
      return;
    case 'delete':
      await startDelete(ctx, reply, await actor(), channelId, group.id);
      return;
    case 'watch':
    case 'unwatch':
      await watchGroup(ctx, client, reply, await actor(), group, channelId, command.kind === 'watch', command.dm);
      return;
    case 'rename':
      await startRename(ctx, reply, await actor(), channelId, { group, typed: command.group }, command.newName!);
      return;
    case 'message':
      if (triggerId) await openMessageForm(ctx, client, reply, await actor(), triggerId, group, channelId);
      return;
    case 'add':
    case 'remove':
    case 'replace':
      await startInlineChange(ctx, reply, await actor(), channelId, { group, typed: command.group }, command.kind, command.idsText);
      return;
    case 'fromStudy':
      await startStudyChange(ctx, reply, await actor(), channelId, group, command.mode, command.study, command.statuses, command.group);
      return;
    case 'fromGroup':
      await startGroupSourceChange(ctx, reply, await actor(), channelId, group, command.mode, command.other);
      return;
    case 'copy':
      await copyGroup(ctx, reply, await actor(), channelId, group, command.newName);
      return;
  }
}

export function pgroupCommand(ctx: BotContext) {
  return async ({ command, ack, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs<RequestScope>): Promise<void> => {
    // Ack first, before any call to Slack or Prolific: Slack gives up after 3 seconds.
    await ack();
    await afterAck();
    const origin = { userId: command.user_id, actor: context.actor, channelId: command.channel_id, triggerId: command.trigger_id };
    await withFailureReply(ctx, context.reply, '/pgroup', () => runPgroupText(ctx, client, context.reply, origin, command.text));
  };
}
