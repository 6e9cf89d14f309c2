// What the app needs of a participant group in Prolific's answer, checked once at the door: one
// group with a null or missing field must not break a list or a picker of all the others.
import type { ParticipantGroup } from './types';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The group as the app uses it, or null when it cannot be used at all: without an id it cannot be
 * named in a request, and without a member count every overwrite check would be a guess. A missing
 * name becomes '' (renderers show it as an unnamed group); other missing fields their empty value.
 */
export function readGroup(raw: unknown): ParticipantGroup | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const g = raw as Record<string, unknown>;
  const id = text(g['id']);
  const count = g['participant_count'];
  if (!id || typeof count !== 'number' || !Number.isInteger(count) || count < 0) return null;
  return {
    ...(g as unknown as ParticipantGroup),
    id,
    name: text(g['name']) ?? '',
    description: text(g['description']),
    workspace_id: text(g['workspace_id']),
    organisation_id: text(g['organisation_id']),
    project_id: text(g['project_id']),
    participant_count: count,
    is_deleted: g['is_deleted'] === true,
    feeder_studies: Array.isArray(g['feeder_studies']) ? (g['feeder_studies'] as ParticipantGroup['feeder_studies']) : [],
  };
}

/** The usable groups of a list, and how many were left out. */
export function readGroups(raw: unknown[]): { groups: ParticipantGroup[]; skipped: number } {
  const groups: ParticipantGroup[] = [];
  for (const item of raw) {
    const group = readGroup(item);
    if (group) groups.push(group);
  }
  return { groups, skipped: raw.length - groups.length };
}
