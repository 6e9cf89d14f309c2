// A study check as facts that can be stored with a pending operation and read back (JSON, no
// error objects), and the comparison a confirmation makes against what its preview showed.

import type { ProlificErrorKind } from '../../prolific/errors';
import type { StudyUsage, StudyUsageCheck } from './studyIndex';

/** Which studies used a group when it was looked at. */
export interface StudyFacts {
  /** False when Prolific failed during the lookup: other studies may use the group too. */
  checked: boolean;
  /** Live studies first, then drafts; when not checked, only those seen before the failure. */
  studies: StudyUsage[];
  /** Why the check could not be made: Prolific's status (0: no answer) and the kind of failure. */
  failure: { status: number; kind: ProlificErrorKind } | null;
}

export function studyFacts(check: StudyUsageCheck): StudyFacts {
  if (check.checked) return { checked: true, studies: check.studies, failure: null };
  return { checked: false, studies: check.found, failure: { status: check.failure.error.status, kind: check.failure.error.kind } };
}

/** The live studies that use the group in `now` in a way `before` did not show (a new study, or a new use by one). */
export function newLiveUses(before: StudyFacts, now: StudyFacts): StudyUsage[] {
  const seen = new Set(before.studies.filter((s) => s.phase === 'live').flatMap((s) => s.uses.map((use) => `${s.studyId}:${use.kind}`)));
  return now.studies.filter((s) => s.phase === 'live' && s.uses.some((use) => !seen.has(`${s.studyId}:${use.kind}`)));
}

/** What a change needs of the study index. */
export interface StudyUsageLookup {
  studiesUsingGroup(groupId: string): Promise<StudyUsageCheck>;
}
