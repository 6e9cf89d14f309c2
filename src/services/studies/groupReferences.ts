// Where a study's filters and completion codes name participant groups. Pure functions over the
// API's JSON, written defensively: shapes that are not understood are skipped, never guessed at.

import { ALLOWLIST_FILTER_ID, BLOCKLIST_FILTER_ID } from '../../prolific/studyTypes';

export type GroupListKind = 'allowlist' | 'blocklist';

/** A group named in an allowlist or blocklist filter. */
export interface GroupFilterReference {
  groupId: string;
  list: GroupListKind;
  /** 0 at the top level; n inside n and/or filters. */
  depth: number;
  /** Other groups in the same filter: any one of them admits (allowlist) or excludes (blocklist) too. */
  sharedWith: string[];
}

export type GroupCodeEffect = 'feeds' | 'drains';

/** A completion code that adds participants to a group (feeds) or removes them (drains). */
export interface GroupCodeReference {
  groupId: string;
  effect: GroupCodeEffect;
  code: string | null;
  codeType: string;
}

const LISTS: Record<string, GroupListKind> = { [ALLOWLIST_FILTER_ID]: 'allowlist', [BLOCKLIST_FILTER_ID]: 'blocklist' };
const COMPOUND_FILTER_IDS = new Set(['and', 'or']);
const EFFECTS: Record<string, GroupCodeEffect> = {
  ADD_TO_PARTICIPANT_GROUP: 'feeds',
  REMOVE_FROM_PARTICIPANT_GROUP: 'drains',
};

/**
 * Every group reference in a list of filters, at any depth of and/or nesting, in no particular
 * order. Walked with an explicit stack, so a deeply nested answer cannot exhaust the call stack.
 * A group named twice in one filter is reported once for that filter.
 */
export function groupReferencesInFilters(filters: unknown): GroupFilterReference[] {
  const found: GroupFilterReference[] = [];
  const stack: Array<{ filters: unknown; depth: number }> = [{ filters, depth: 0 }];
  while (stack.length > 0) {
    const { filters: level, depth } = stack.pop()!;
    if (!Array.isArray(level)) continue;
    for (const filter of level) {
      if (!isObject(filter) || typeof filter['filter_id'] !== 'string') continue;
      if (COMPOUND_FILTER_IDS.has(filter['filter_id'])) {
        stack.push({ filters: filter['selected_filters'], depth: depth + 1 });
        continue;
      }
      const list = LISTS[filter['filter_id']];
      const values = filter['selected_values'];
      if (!list || !Array.isArray(values)) continue;
      const ids = [...new Set(values.filter((value): value is string => typeof value === 'string' && value !== ''))];
      for (const groupId of ids) found.push({ groupId, list, depth, sharedWith: ids.filter((other) => other !== groupId) });
    }
  }
  return found;
}

/** Every completion-code action that adds to or removes from a group. */
export function groupReferencesInCodes(codes: unknown): GroupCodeReference[] {
  const found: GroupCodeReference[] = [];
  if (!Array.isArray(codes)) return found;
  for (const code of codes) {
    if (!isObject(code) || !Array.isArray(code['actions'])) continue;
    for (const action of code['actions']) {
      if (!isObject(action) || typeof action['action'] !== 'string') continue;
      const effect = EFFECTS[action['action']];
      const groupId = action['participant_group'];
      if (!effect || typeof groupId !== 'string' || groupId === '') continue;
      found.push({
        groupId,
        effect,
        code: typeof code['code'] === 'string' ? code['code'] : null,
        codeType: typeof code['code_type'] === 'string' ? code['code_type'] : '',
      });
    }
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
