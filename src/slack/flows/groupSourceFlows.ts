import { copyRefusedText } from '../blocks/formWords';
import type { ParticipantGroup } from '../../prolific/types';
import type { RequestActor } from '../../services/actor';
import type { GroupSourceMode } from '../../services/changes/groupSource';
import { groupNameProblemText } from '../blocks/groupNames';
import { renderSameGroup } from '../blocks/groupSources';
import { notice } from '../blocks/message';
import type { Reply } from '../replies';
import type { BotContext } from './botContext';
import { offerChange } from './changeFlows';
import { createGroup, findGroup } from './groupFlows';
import { refuseChange } from './refuseChange';

/** The command that runs this change again with both groups named by id (after a choice between groups). */
export function groupSourceCommand(mode: GroupSourceMode, groupId: string, other: string): string {
  return mode === 'keep' ? `keep ${groupId} --in-group ${other}` : `${mode} ${groupId} --from-group ${other}`;
}

/**
 * `add|remove|replace <group> --from-group <other>` and `keep <group> --in-group <other>`: a preview
 * of the change with the other group's members (always previewed: a group is a bulk source).
 */
export async function startGroupSourceChange(
  ctx: BotContext,
  reply: Reply,
  actor: RequestActor,
  channelId: string | null,
  group: ParticipantGroup,
  mode: GroupSourceMode,
  otherQuery: string,
): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const other = await findGroup(ctx, reply, otherQuery, (id) => groupSourceCommand(mode, group.id, id));
  if (!other) return;
  if (other.id === group.id) {
    await reply(renderSameGroup(group));
    return;
  }
  const op = await ctx.changes.previewFromGroup({ mode, groupId: group.id, sourceGroupId: other.id, actor, channelId });
  await offerChange(ctx, reply, actor, op, { origin: 'bulk', groupNamedExactly: true, partlyUnderstood: false });
}

/**
 * `copy <group> <new name>`: a new group with the same description, then the members added
 * through the change service (recorded, announced, undoable). A new group loses no one and no
 * study uses it, so the confirmation policy applies the add at once.
 */
export async function copyGroup(ctx: BotContext, reply: Reply, actor: RequestActor, channelId: string | null, group: ParticipantGroup, newName: string): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const problem = groupNameProblemText(newName);
  if (problem) {
    await reply(notice(copyRefusedText(problem)));
    return;
  }
  const copy = await createGroup(ctx, reply, actor, newName, group.description ?? null, false);
  if (!copy) return;
  const op = await ctx.changes.previewFromGroup({ mode: 'add', groupId: copy.id, sourceGroupId: group.id, actor, channelId });
  if (!op.participantIds.length) return;
  await offerChange(ctx, reply, actor, op, { origin: 'new_group', groupNamedExactly: true, partlyUnderstood: false });
}
