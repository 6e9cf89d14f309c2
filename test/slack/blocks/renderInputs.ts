// Inputs for the renderer tests: groups, audit entries and subscriptions as the services and the
// store hand them to a renderer, with only what a test sets differing from a plain default.
import type { ParticipantGroup } from '../../../src/prolific/types';
import type { AuditEntry, Operation, Subscription } from '../../../src/store/types';

/** A well-formed 24-character id, distinct for each n. */
export const hexId = (n: number): string => n.toString(16).padStart(24, '0');

/** Inputs carrying every character mrkdwn treats as control, as a user or Prolific might supply them. */
export const HOSTILE = '<!channel> R&D <@U123> *bold* `tick`';

export function aGroup(overrides: Partial<ParticipantGroup> = {}): ParticipantGroup {
  return {
    id: hexId(0xa1),
    name: 'Pilot wave 2',
    description: null,
    workspace_id: hexId(0xff),
    organisation_id: null,
    project_id: null,
    participant_count: 12,
    is_deleted: false,
    feeder_studies: [],
    ...overrides,
  };
}

/** 2026-03-01 09:30 UTC, as a unix timestamp and a Date. */
export const AT = new Date('2026-03-01T09:30:00.000Z');
export const AT_UNIX = Math.floor(AT.getTime() / 1000);

export function anAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'audit-1',
    at: AT,
    slackUserId: 'U_ALICE',
    slackTeamId: 'T0LOCAL',
    action: 'add',
    groupId: hexId(0xa1),
    groupName: 'Pilot wave 2',
    beforeName: 'Pilot wave 2',
    afterName: 'Pilot wave 2',
    beforeCount: 1_000,
    afterCount: 1_200,
    added: 250,
    removed: 50,
    outcome: 'applied',
    error: null,
    operationId: 'op-1',
    snapshotId: 'snap-1',
    ...overrides,
  };
}

export function aSubscription(overrides: Partial<Subscription> = {}): Subscription {
  return { teamId: 'T0LOCAL', channelId: 'C_GENERAL', groupId: hexId(0xa1), groupName: 'Pilot wave 2', createdBy: 'U_ALICE', createdAt: AT, broken: null, ...overrides };
}

/** A pending operation as the store keeps it, created at AT and expiring half an hour later. */
export function anOperation(overrides: Partial<Operation> & Pick<Operation, 'kind' | 'groupId' | 'groupName'>): Operation {
  return {
    id: 'op-1',
    slackUserId: 'U_ALICE',
    slackTeamId: 'T0LOCAL',
    channelId: 'C_GENERAL',
    participantIds: [],
    baselineIds: [],
    baselineName: overrides.groupName,
    newName: null,
    snapshotId: null,
    details: {},
    message: null,
    status: 'pending',
    result: null,
    error: null,
    createdAt: AT,
    updatedAt: AT,
    expiresAt: new Date(AT.getTime() + 30 * 60_000),
    ...overrides,
  };
}
