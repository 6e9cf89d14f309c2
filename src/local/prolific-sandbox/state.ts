// The sandbox's data: workspaces, participant groups and their memberships, in memory.

import type { FeederStudy, GroupMember, Me, ParticipantGroup, Workspace } from '../../prolific/types';
import { SandboxStudies } from './studyState';

const PARTICIPANT_ID = /^[0-9a-f]{24}$/;

/** The id format every documented and observed Prolific participant id has. */
export function isParticipantId(value: unknown): value is string {
  return typeof value === 'string' && PARTICIPANT_ID.test(value);
}

export interface NewGroup {
  name: string;
  workspace_id?: string | null;
  organisation_id?: string | null;
  description?: string | null;
  participant_ids?: string[];
  feeder_studies?: FeederStudy[];
  /** Fixed id (seeding); otherwise one is generated. */
  id?: string;
  /** Fixed join times for the initial members (seeding); otherwise now. */
  joinedAt?: (index: number) => string;
  /** Fields answered as null, as a damaged record in Prolific would be (tests of the app's reading). */
  nullFields?: NullableGroupField[];
}

export type NullableGroupField = 'id' | 'name' | 'participant_count';

export interface SentMessage {
  participant_group_id: string;
  body: string;
  study_id?: string;
  /** The group's members when it was sent: each of them received it. */
  participant_ids: string[];
  at: Date;
}

/** A group as stored; membership is an insertion-ordered map of participant id to join time (ISO). */
export interface GroupRecord {
  id: string;
  name: string;
  description: string | null;
  workspace_id: string | null;
  organisation_id: string | null;
  project_id: string | null;
  is_deleted: boolean;
  feeder_studies: FeederStudy[];
  members: Map<string, string>;
  nullFields?: NullableGroupField[];
}

export class SandboxState {
  readonly user: Me;
  readonly workspaces: Workspace[];
  readonly messages: SentMessage[] = [];
  /** Studies, filter sets, projects and submissions (studyState.ts). */
  readonly studies: SandboxStudies = new SandboxStudies(this);
  readonly #groups = new Map<string, GroupRecord>();
  readonly #newGroupId: () => string;

  constructor(init: { user: Me; workspaces: Workspace[]; newGroupId: () => string }) {
    this.user = init.user;
    this.workspaces = init.workspaces;
    this.#newGroupId = init.newGroupId;
  }

  /** The messages a participant received, oldest first (for tests: who got what). */
  messagesTo(participantId: string): SentMessage[] {
    return this.messages.filter((m) => m.participant_ids.includes(participantId));
  }

  /** Any group ever created, deleted ones included (is_deleted: true). */
  getGroup(id: string): ParticipantGroup | undefined {
    const record = this.#groups.get(id);
    return record ? toGroup(record) : undefined;
  }

  listGroups(opts: { includeDeleted?: boolean } = {}): ParticipantGroup[] {
    const groups: ParticipantGroup[] = [];
    for (const record of this.#groups.values()) {
      if (opts.includeDeleted || !record.is_deleted) groups.push(toGroup(record));
    }
    return groups;
  }

  findGroupByName(name: string): ParticipantGroup | undefined {
    for (const record of this.#groups.values()) {
      if (!record.is_deleted && record.name === name) return toGroup(record);
    }
    return undefined;
  }

  createGroup(input: NewGroup): ParticipantGroup {
    const id = input.id ?? this.#newGroupId();
    if (this.#groups.has(id)) throw new Error(`Participant group ${id} already exists`);
    const ids = input.participant_ids ?? [];
    assertParticipantIds(ids);
    const members = new Map<string, string>();
    const now = new Date().toISOString();
    ids.forEach((participantId, index) => {
      if (!members.has(participantId)) members.set(participantId, input.joinedAt ? input.joinedAt(index) : now);
    });
    const record: GroupRecord = {
      id,
      name: input.name,
      description: input.description ?? null,
      workspace_id: input.workspace_id ?? null,
      organisation_id: input.organisation_id ?? null,
      project_id: null,
      is_deleted: false,
      feeder_studies: input.feeder_studies ?? [],
      members,
      ...(input.nullFields ? { nullFields: input.nullFields } : {}),
    };
    this.#groups.set(id, record);
    return toGroup(record);
  }

  renameGroup(id: string, name: string): ParticipantGroup {
    const record = this.activeRecord(id, true);
    record.name = name;
    return toGroup(record);
  }

  /** Replaces the membership. Members who stay keep their join time; newcomers join now. */
  setMembers(id: string, ids: string[]): ParticipantGroup {
    const record = this.activeRecord(id, true);
    assertParticipantIds(ids);
    const wanted = new Set(ids);
    const members = new Map<string, string>();
    for (const [participantId, joinedAt] of record.members) {
      if (wanted.has(participantId)) members.set(participantId, joinedAt);
    }
    const now = new Date().toISOString();
    for (const participantId of wanted) {
      if (!members.has(participantId)) members.set(participantId, now);
    }
    record.members = members;
    return toGroup(record);
  }

  /** Adds ids; ids already present keep their original join time. */
  addMembers(id: string, ids: string[]): ParticipantGroup {
    const record = this.activeRecord(id, true);
    assertParticipantIds(ids);
    const now = new Date().toISOString();
    for (const participantId of ids) {
      if (!record.members.has(participantId)) record.members.set(participantId, now);
    }
    return toGroup(record);
  }

  /** Removes ids; ids not in the group are ignored. */
  removeMembers(id: string, ids: string[]): ParticipantGroup {
    const record = this.activeRecord(id, true);
    for (const participantId of ids) record.members.delete(participantId);
    return toGroup(record);
  }

  members(id: string): string[] {
    return [...this.activeRecord(id, true).members.keys()];
  }

  memberships(id: string): GroupMember[] {
    const members: GroupMember[] = [];
    for (const [participant_id, datetime_created] of this.activeRecord(id, true).members) {
      members.push({ participant_id, datetime_created });
    }
    return members;
  }

  /** Marks the group deleted; the API then hides it. */
  deleteGroup(id: string): void {
    this.activeRecord(id, true).is_deleted = true;
  }

  /** The stored group if it exists and is not deleted (used by the HTTP layer). */
  activeRecord(id: string): GroupRecord | undefined;
  activeRecord(id: string, required: true): GroupRecord;
  activeRecord(id: string, required = false): GroupRecord | undefined {
    const record = this.#groups.get(id);
    if (record && !record.is_deleted) return record;
    if (required) throw new Error(`No participant group ${id} (unknown or deleted)`);
    return undefined;
  }

  /** Every stored group, deleted ones included, in creation order (used by the HTTP layer). */
  records(): IterableIterator<GroupRecord> {
    return this.#groups.values();
  }
}

export function toGroup(record: GroupRecord): ParticipantGroup {
  const group: ParticipantGroup = {
    id: record.id,
    name: record.name,
    description: record.description,
    workspace_id: record.workspace_id,
    organisation_id: record.organisation_id,
    project_id: record.project_id,
    participant_count: record.members.size,
    is_deleted: record.is_deleted,
    feeder_studies: record.feeder_studies,
  };
  for (const field of record.nullFields ?? []) (group as unknown as Record<string, unknown>)[field] = null;
  return group;
}

function assertParticipantIds(ids: string[]): void {
  for (const id of ids) {
    if (!isParticipantId(id)) throw new Error(`${JSON.stringify(id)} is not a valid participant id (24 hex characters)`);
  }
}
