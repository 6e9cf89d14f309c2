import type { ParticipantGroup } from '../../prolific/types';
import type { StudySummary, SubmissionStatus } from '../../prolific/studyTypes';
import type { RequestActor } from '../../services/actor';
import type { IdSource, MembershipMode, SubmissionSource } from '../../services/changes';
import type { SlackMessage } from '../blocks/message';
import { renderAmbiguousStudies, renderNoStudyParticipants, renderStudyNotFound } from '../blocks/studies';
import type { Reply } from '../replies';
import type { BotContext } from './botContext';
import { refuseChange } from './refuseChange';
import { offerChange } from './changeFlows';
import { namesGroupExactly } from '../../services/groupResolution';

export type StudyIds = { ok: true; ids: string[]; source: IdSource } | { ok: false; message: SlackMessage };

/** The statuses as `--status` takes them: `approved,awaiting-review`. */
export function statusFlag(statuses: readonly SubmissionStatus[]): string {
  return statuses.map((s) => s.toLowerCase().replace(/ /g, '-')).join(',');
}

/** The participants of the study's submissions in these statuses, each once, as the ids of a change. */
export async function idsFromStudy(ctx: BotContext, study: Pick<StudySummary, 'id' | 'name' | 'internal_name'>, statuses: readonly SubmissionStatus[]): Promise<StudyIds> {
  const read = await ctx.studyDirectory.participants(study.id, statuses);
  const { TOTAL: _total, ...byStatus } = read.counts;
  const internalName = study.internal_name ?? null;
  const submissions: SubmissionSource = { byStatus, used: read.statuses, study: { id: study.id, name: study.name, internalName }, matchesCounts: read.matchesCounts };
  if (read.participantIds.length === 0) return { ok: false, message: renderNoStudyParticipants({ name: study.name, internalName }, submissions) };
  const fetched = Object.values(read.fetched).reduce((sum, n) => sum + (n ?? 0), 0);
  return {
    ok: true,
    ids: read.participantIds,
    // Someone who submitted twice counts once: the second submission is a duplicate id.
    source: { label: `study “${study.name}”`, submissions, invalid: [], invalidCount: 0, duplicateCount: Math.max(0, fetched - read.participantIds.length), note: null },
  };
}

/** `add|replace|remove <group> --from-study <study> [--status …]`: a preview of the change with the study's participants. */
export async function startStudyChange(
  ctx: BotContext,
  reply: Reply,
  actor: RequestActor,
  channelId: string | null,
  group: ParticipantGroup,
  mode: MembershipMode,
  studyQuery: string,
  statuses: readonly SubmissionStatus[],
  /** What the user typed for the group (its id when picked from buttons). */
  typedGroup: string = group.id,
): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const found = await ctx.studyDirectory.resolve(studyQuery);
  if (found.kind === 'not_found') {
    await reply(renderStudyNotFound(studyQuery));
    return;
  }
  if (found.kind === 'ambiguous') {
    await reply(renderAmbiguousStudies(studyQuery, found.candidates, (id) => `${mode} ${group.id} --from-study ${id} --status ${statusFlag(statuses)}`));
    return;
  }
  const from = await idsFromStudy(ctx, found.item, statuses);
  if (!from.ok) {
    await reply(from.message);
    return;
  }
  const op = await ctx.changes.previewMembership({ mode, groupId: group.id, ids: from.ids, actor, channelId, source: from.source });
  await offerChange(ctx, reply, actor, op, { origin: 'bulk', groupNamedExactly: namesGroupExactly(typedGroup, group), partlyUnderstood: false }, { typedGroup });
}
