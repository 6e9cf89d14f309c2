// The contract of the change service: what a preview records, and what a confirmation returns.
// Outcomes are facts (counts, ids, causes); the renderers in slack/blocks put them into words.
import type { ParticipantGroup } from '../../prolific/types';
import type { Operation } from '../../store/types';
import type { SubmissionStatus } from '../../prolific/studyTypes';
import type { StudyFacts, StudyUsage } from '../studies';
import type { Actor } from '../actor';
import type { GroupSource } from './groupSource';
import type { DistinctIds } from '../idComparison';

/** Counts and a few sample ids of a membership change, as the preview showed them. */
export interface PlanSummary {
  currentTotal: number;
  newTotal: number;
  toAdd: number;
  toRemove: number;
  unchanged: number;
  alreadyPresent: number;
  notPresent: number;
  sampleAdd: string[];
  sampleRemove: string[];
}

/** The submissions behind the ids: a study's, or the rows of a Prolific export with a Status column. */
export interface SubmissionSource {
  /** Submissions (or rows) by status. */
  byStatus: Partial<Record<SubmissionStatus, number>>;
  /** The statuses whose participants were used. */
  used: SubmissionStatus[];
  /** The study the submissions were read from; null for an export. */
  study: { id: string; name: string; internalName: string | null } | null;
  /** False when a study's submissions, as read, did not match its counts (it changed while being read). */
  matchesCounts: boolean;
}

/** Where the ids came from, and what was dropped on the way. */
export interface IdSource {
  label: string;
  /** Set when the ids came from submissions, with their statuses. */
  submissions?: SubmissionSource;
  /** Set when the ids came from a file shared in Slack: read again when the researcher chooses other rows. */
  file?: { id: string; column: number | null };
  /**
   * Set when a Workflow Builder step made the change: its run. The actor is who the workflow says it
   * acts for ("on behalf of"), a claim of the workflow's builder, not a verified identity.
   */
  workflow?: { executionId: string };
  /** Set when the ids came from a message (its text or its file): its author and Slack's link to it. */
  message?: { authorId: string; permalink: string | null };
  /** Set when the change removes a participant forgotten at their request: no outcome or notification names them. */
  forgotten?: true;
  /** Set when the ids came from another group: the confirmation reads it again (stale check on both groups). */
  group?: GroupSource;
  invalid: { line?: number; value: string }[];
  invalidCount: number;
  duplicateCount: number;
  note: string | null;
}

/**
 * How Undo goes back. `revert` takes back that one change (the ids it added that are still there,
 * the ids it removed that are still missing, the name it set if it is still the name), keeping every
 * later change; `restore` brings back the group as the snapshot before it kept it, undoing later changes too.
 */
export type UndoMode = 'revert' | 'restore';

/** An applied change the app made, as a line of a preview or a refusal. */
export interface ChangeFact {
  operationId: string | null;
  /** create, rename, add, remove, replace, undo, delete, recreate. */
  action: string;
  userId: string;
  at: string;
  added: number;
  removed: number;
  /** The name it set, when it renamed the group. */
  renamedTo: string | null;
  /** Where its ids came from (a file's name, a study), when the preview recorded it. */
  sourceLabel?: string | null;
}

/** The changes to a group after the one being undone, as far as the app's history and the group as read tell. */
export interface LaterChanges {
  /** Changes made through this app, oldest first, at most LATER_CHANGES_SHOWN of them. */
  app: ChangeFact[];
  /** How many more changes through this app there were beyond those listed. */
  more: number;
  /**
   * Members who joined or left other than through this app (feeder studies, Prolific's site):
   * the group as read against what the app's changes leave. Null when the app cannot tell.
   */
  outside: { added: number; removed: number } | null;
}

/** A group the app deleted, as its records tell. */
export interface GroupDeletion {
  groupId: string;
  groupName: string;
  userId: string;
  at: Date;
  /** The delete operation, whose snapshot Recreate makes a new group from; null for a deletion known only from the history. */
  operationId: string | null;
  memberCount: number;
  /** Set once a Recreate of it was applied: the new group. */
  recreatedAs: { groupId: string; userId: string; at: Date } | null;
}

/** Why an Undo or a Recreate gives no preview, beside the plain refusals. */
export type UndoRefusal =
  | { refused: RefusalReason }
  /** The change was reverted already (or restored to before): by whom and when. */
  | { alreadyReverted: ChangeFact }
  /** The group was deleted: Recreate is what can bring it back. */
  | { deleted: GroupDeletion };

/** What an operation records beside its id lists, for rendering its preview and outcome. */
export interface OperationDetails {
  summary: PlanSummary | null;
  source: IdSource | null;
  undoOf: string | null;
  /** For an undo: how it goes back (null: recorded by an older release, which always restored). */
  undoMode: UndoMode | null;
  /** For an undo: the change it takes back, for its preview ("reverts @Alice's upload of 14:02"). */
  undoing: ChangeFact | null;
  /** For an undo: the changes after the one it takes back, kept by a revert, undone by a restore. */
  laterChanges: LaterChanges | null;
  /** For a recreate: the delete it takes back, and the description the new group gets. */
  recreateOf: string | null;
  description: string | null;
  restoreName: boolean;
  restoreMembers: boolean;
  /** The preview this one replaced because the group changed before confirmation. */
  supersedes: string | null;
  /**
   * The studies that used the group when a risky change (replace, remove, delete, undo) was
   * previewed; the confirmation checks them again. Null: not looked at (other kinds).
   */
  studies: StudyFacts | null;
  /** Undo: how many participants were forgotten since the snapshot was taken; they are not restored. */
  forgottenInSnapshot?: number;
}

export type MembershipMode = 'replace' | 'add' | 'remove';

/** What a membership preview is asked for. */
export interface MembershipPreviewInput {
  mode: MembershipMode;
  groupId: string;
  ids: string[];
  /** `ids` as the reader indexed them (a file's): the plan compares with them as they are. */
  distinctIds?: DistinctIds;
  actor: Actor;
  channelId: string | null;
  source: IdSource | null;
  supersedes?: string | null;
  /** The group as read already (see readGroup), e.g. while the file was being read. */
  current?: Promise<{ group: ParticipantGroup; members: string[] }>;
}

/** A change that was applied, with everything a notification needs. */
export interface AppliedChange {
  operation: Operation;
  actor: Actor;
  groupId: string;
  beforeName: string;
  afterName: string;
  beforeCount: number;
  afterCount: number;
  added: number;
  removed: number;
  sampleAdded: string[];
  sampleRemoved: string[];
  snapshotId: string | null;
  /** Set when Prolific's count after the write is not what the plan predicted. */
  countMismatch: { expected: number; actual: number } | null;
  /**
   * The change is in Prolific but the database did not answer, so it is not recorded yet (no
   * history, no undo): recoverStuckOperations() records and announces it once the database is back.
   */
  unrecorded?: boolean;
  /** Recorded by recoverStuckOperations(), after the confirmation that made it was cut short. */
  recovered?: boolean;
  /**
   * Ids that joined the group while this overwrite was being written (a read of the app saw them)
   * and that it dropped, since they were not in its list; sorted. Absent when there were none.
   */
  dropped?: string[];
}

/** How a group, read again after an overwrite whose answer was lost, differs from what it asked for. */
export interface MembershipDivergence {
  /** Members now. */
  count: number;
  /** Members the change would not have left in the group, and a few of them. */
  extra: number;
  sampleExtra: string[];
  /** Ids the change asked for that are not in the group, and a few of them. */
  missing: number;
  sampleMissing: string[];
}

/** The group as read again after a failed write. */
export interface GroupNow {
  name: string;
  count: number;
  /** Whether it is what the change asked for; null when that was not checked. */
  matchesTarget: boolean | null;
}

/** Why a write failed. */
export type FailureCause =
  /** Prolific refused the write, or its answer was lost: `said` is Prolific's message (null when a chunk failed without one). */
  | { kind: 'prolific'; said: string | null }
  /** The confirmation was cut short (the process or its database went away) before it recorded its outcome. */
  | { kind: 'stopped'; mayHaveWritten: boolean }
  /** The app or its database failed before the write. */
  | { kind: 'app' }
  /** Recorded by an older release in words only: `text` is what it stored. */
  | { kind: 'unknown'; text: string | null };

/** What an add or remove in chunks left behind when a chunk failed. */
export interface ChunkReport {
  mode: 'add' | 'remove';
  /** Ids in the chunks Prolific confirmed. */
  applied: number;
  /** Ids of the chunk Prolific refused: sent, not confirmed. */
  refused: number;
  /** How many of the refused ids the group, read again, shows applied anyway; null when it could not be read. */
  landedAnyway: number | null;
  /** Ids after the refused chunk, never sent. */
  notSent: number;
}

/** What a failed write left in Prolific. */
export type WriteReport =
  /** Nothing was written: the requested change is not in the group. */
  | { kind: 'nothing' }
  /** Prolific did not confirm the write, and the group, read again, does not show it. */
  | { kind: 'unconfirmed' }
  | { kind: 'chunks'; chunks: ChunkReport }
  /**
   * An overwrite whose answer was lost, after which the group was neither as before nor as asked
   * (it changed meanwhile): it was not sent again, and this is what the group holds.
   */
  | { kind: 'diverged'; divergence: MembershipDivergence }
  /** Recorded by an older release in words only. */
  | { kind: 'unknown' };

/** A write that failed, reported exactly: why, what was written, what was not, and the group as it really is now. */
export interface FailedChange {
  operation: Operation;
  cause: FailureCause;
  /** True when Prolific may or may not have applied the write. */
  outcomeUnknown: boolean;
  written: WriteReport;
  current: GroupNow | null;
  /** The database did not answer, so the failure is not recorded yet (recoverStuckOperations() records it). */
  unrecorded?: boolean;
}

export type RefusalReason =
  | 'missing'
  | 'expired'
  | 'not_requester'
  | 'already_applied'
  | 'in_progress'
  | 'cancelled'
  | 'not_allowed'
  | 'snapshot_gone'
  | 'not_undoable'
  /** Nothing of the change is left to take back: the ids it added left, the ids it removed are back, the name moved on. */
  | 'nothing_to_revert'
  /** The change removed a participant who asked to be forgotten: the app no longer has the id to put back. */
  | 'forgotten'
  /** The deleted group was recreated already (GroupDeletion.recreatedAs says as what). */
  | 'already_recreated'
  /** Another change to the group was still being written when the wait for it ran out; the preview still stands. */
  | 'group_busy'
  /** Deleting a group a live study uses needs its name typed in the confirmation form. */
  | 'name_not_typed'
  /** The group belongs to no workspace this app serves (see ServedGroups); nothing was written. */
  | 'outside_workspace';

/** What changed since a preview, so that its confirmation wrote nothing and previewed again. */
export interface GroupDrift {
  added: number;
  removed: number;
  renamedTo: string | null;
  /** Live studies that started using the group since the preview. */
  newStudies?: StudyUsage[];
  /** The preview checked the studies, and the confirmation could not (Prolific failed). */
  studyCheckFailed?: boolean;
  /** The other group a change takes its ids from moved since the preview: its name and member counts then and now. */
  sourceGroup?: { name: string; before: number; after: number };
}

export type ConfirmResult =
  | { kind: 'applied'; change: AppliedChange }
  | { kind: 'failed'; failure: FailedChange }
  /** `refusedAgain`: the change could not be previewed again (an undo with nothing left to take back); `fresh` is then the old preview. */
  | { kind: 'stale'; previous: Operation; fresh: Operation; drift: GroupDrift; refusedAgain?: RefusalReason }
  | { kind: 'refused'; reason: RefusalReason; operation: Operation | null };

/** What recoverStuckOperations() made of a confirmation left 'applying'. */
export type RecoveredOperation = Extract<ConfirmResult, { kind: 'applied' | 'failed' }>;
