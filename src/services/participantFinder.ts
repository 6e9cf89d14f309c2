import { mapConcurrently } from '../mapConcurrently';
import type { ParticipantGroup } from '../prolific/types';
import type { GroupMembersCache } from './groupMembersCache';
import type { GroupDirectory } from './groups';
import { type StudyFacts, studyFacts, type StudyUsage, type StudyUsageCheck } from './studies';

/** Groups whose members are read at once by a lookup. */
export const DEFAULT_FIND_CONCURRENCY = 8;

/** A group that holds the participant, and when they joined it (null where Prolific does not say). */
export interface GroupHolding {
  groupId: string;
  groupName: string;
  memberCount: number;
  addedAt: string | null;
}

/** Where a participant is: every group of the workspace that holds them, and the live studies those groups gate. */
export interface ParticipantWhereabouts {
  participantId: string;
  /** Groups in the workspace, and how many of them were read. */
  groupsTotal: number;
  groupsChecked: number;
  /** By group name. */
  holdings: GroupHolding[];
  /** Groups whose members could not be read (Prolific failed): the participant may be in them too. */
  unreadable: { groupId: string; groupName: string }[];
  /** The live studies that use a group holding the participant, with the groups each uses; null when no group holds them. */
  studies: { facts: StudyFacts; byStudy: { study: StudyUsage; groupIds: string[] }[] } | null;
}

export type FindProgress = (checked: number, total: number) => void;

/** What a lookup needs of the study index. */
export interface StudiesOfGroups {
  studiesUsingGroups(groupIds: readonly string[]): Promise<Map<string, StudyUsageCheck>>;
}

/**
 * Finds which groups of the workspace hold a participant: each group's members are read with
 * bounded concurrency through the member cache shared with the app, and the study index says which
 * live studies those groups gate.
 */
export class ParticipantFinder {
  constructor(
    private readonly groups: Pick<GroupDirectory, 'list'>,
    private readonly cache: GroupMembersCache,
    private readonly studies: StudiesOfGroups,
    private readonly concurrency = DEFAULT_FIND_CONCURRENCY,
  ) {}

  /** `fresh`: every group is read again, whatever the cache holds (before a forget writes). */
  async find(participantId: string, onProgress?: FindProgress, options: { fresh?: boolean } = {}): Promise<ParticipantWhereabouts> {
    const groups = await this.groups.list();
    let checked = 0;
    const unreadable: ParticipantWhereabouts['unreadable'] = [];
    const found = await mapConcurrently(groups, this.concurrency, async (group: ParticipantGroup): Promise<GroupHolding | null> => {
      try {
        if (options.fresh) this.cache.invalidate(group.id);
        const member = (await this.cache.members(group)).find((m) => m.participant_id === participantId);
        return member ? { groupId: group.id, groupName: group.name, memberCount: group.participant_count, addedAt: member.datetime_created || null } : null;
      } catch {
        unreadable.push({ groupId: group.id, groupName: group.name });
        return null;
      } finally {
        checked += 1;
        onProgress?.(checked, groups.length);
      }
    });
    const holdings = found.filter((h): h is GroupHolding => h !== null);
    return {
      participantId,
      groupsTotal: groups.length,
      groupsChecked: groups.length - unreadable.length,
      holdings,
      unreadable,
      studies: holdings.length ? await this.liveStudies(holdings.map((h) => h.groupId)) : null,
    };
  }

  /** The live studies the groups gate, each once with the groups it uses; unchecked when Prolific failed for any. */
  private async liveStudies(groupIds: string[]): Promise<NonNullable<ParticipantWhereabouts['studies']>> {
    const checks = await this.studies.studiesUsingGroups(groupIds);
    const byStudy = new Map<string, { study: StudyUsage; groupIds: string[] }>();
    let failure: StudyFacts['failure'] = null;
    for (const groupId of groupIds) {
      const check = checks.get(groupId);
      if (!check) continue;
      const facts = studyFacts(check);
      failure ??= facts.failure;
      for (const study of facts.studies.filter((s) => s.phase === 'live')) {
        const entry = byStudy.get(study.studyId) ?? { study, groupIds: [] };
        entry.groupIds.push(groupId);
        byStudy.set(study.studyId, entry);
      }
    }
    const list = [...byStudy.values()];
    return { facts: { checked: failure === null, studies: list.map((e) => e.study), failure }, byStudy: list };
  }
}
