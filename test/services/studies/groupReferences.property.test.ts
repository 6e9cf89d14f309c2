import fc from 'fast-check';
import { groupReferencesInCodes, groupReferencesInFilters } from '../../../src/services/studies';

const POOL = Array.from({ length: 8 }, (_, i) => `6650c0ffee${(0x2000 + i).toString(16).padStart(14, '0')}`);
const ABSENT = '6650c0ffee00000000009999';
const LIST_IDS = { participant_group_allowlist: 'allowlist', participant_group_blocklist: 'blocklist' } as const;
const RUNS = { numRuns: 300 };

type Filter = Record<string, unknown>;

// Filters as Prolific writes them, nested with and/or, with decoys: range filters, and select
// filters whose values look like group ids but are not group lists.
const { filter } = fc.letrec<{ filter: Filter; leaf: Filter; compound: Filter }>((tie) => ({
  filter: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('compound')),
  leaf: fc.oneof(
    fc.record({
      filter_id: fc.constantFrom('participant_group_allowlist', 'participant_group_blocklist'),
      selected_values: fc.array(fc.constantFrom(...POOL), { maxLength: 4 }),
    }),
    fc.record({ filter_id: fc.constantFrom('age', 'approval_rate'), selected_range: fc.record({ lower: fc.nat(99), upper: fc.nat(99) }) }),
    fc.record({
      filter_id: fc.constantFrom('previous_studies_blocklist', 'custom_allowlist', 'current-country-of-residence'),
      selected_values: fc.array(fc.constantFrom(...POOL), { maxLength: 3 }),
    }),
  ),
  compound: fc.record({ filter_id: fc.constantFrom('and', 'or'), selected_filters: fc.array(tie('filter'), { maxLength: 4 }) }),
}));
const filters = fc.array(filter, { maxLength: 5 });

/** The references a reader of the tree would list, as "group|list|depth", sorted. */
function expected(tree: unknown[], depth = 0, out: string[] = []): string[] {
  for (const node of tree as Filter[]) {
    const id = node['filter_id'] as string;
    if (id === 'and' || id === 'or') expected(node['selected_filters'] as unknown[], depth + 1, out);
    const list = LIST_IDS[id as keyof typeof LIST_IDS];
    if (list) for (const group of new Set(node['selected_values'] as string[])) out.push(`${group}|${list}|${depth}`);
  }
  return out.sort();
}

function found(tree: unknown[]): string[] {
  return groupReferencesInFilters(tree)
    .map((ref) => `${ref.groupId}|${ref.list}|${ref.depth}`)
    .sort();
}

/** Puts `leaf` inside the compound filter reached by `path` (indexes), or at the top when none is. */
function plant(tree: Filter[], path: number[], leaf: Filter): number {
  let level = tree;
  let depth = 0;
  for (const step of path) {
    const compounds = level.filter((node) => node['filter_id'] === 'and' || node['filter_id'] === 'or');
    if (compounds.length === 0) break;
    level = compounds[step % compounds.length]!['selected_filters'] as Filter[];
    depth += 1;
  }
  level.push(leaf);
  return depth;
}

describe('groupReferencesInFilters', () => {
  it('reports exactly the groups of group-list filters, at every depth, and nothing else', () => {
    fc.assert(
      fc.property(filters, (tree) => {
        expect(found(tree)).toEqual(expected(tree));
      }),
      RUNS,
    );
  });

  it('finds a planted group at whatever depth it was planted, and never a group that is not there', () => {
    fc.assert(
      fc.property(filters, fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom('participant_group_allowlist', 'participant_group_blocklist'), (generated, path, list) => {
        // Planted in a copy: fast-check replays generated values when it shrinks.
        const tree = structuredClone(generated);
        const target = '6650c0ffee00000000000abc';
        const depth = plant(tree, path, { filter_id: list, selected_values: [target, POOL[0]!] });
        const refs = groupReferencesInFilters(tree);
        expect(refs.filter((ref) => ref.groupId === target)).toEqual([
          { groupId: target, list: LIST_IDS[list], depth, sharedWith: [POOL[0]] },
        ]);
        expect(refs.some((ref) => ref.groupId === ABSENT)).toBe(false);
        const named = new Set(JSON.stringify(tree).match(/6650c0ffee[0-9a-f]{14}/g));
        for (const ref of refs) expect(named.has(ref.groupId)).toBe(true);
      }),
      RUNS,
    );
  });

  it('walks a chain 20,000 filters deep without exhausting the stack', () => {
    let tree: Filter[] = [{ filter_id: 'participant_group_blocklist', selected_values: [POOL[1]] }];
    for (let i = 0; i < 20_000; i++) tree = [{ filter_id: i % 2 ? 'and' : 'or', selected_filters: tree }];
    expect(groupReferencesInFilters(tree)).toEqual([{ groupId: POOL[1], list: 'blocklist', depth: 20_000, sharedWith: [] }]);
  });

  it('skips shapes it does not understand instead of guessing', () => {
    const odd = [
      null,
      'participant_group_allowlist',
      { filter_id: 'participant_group_allowlist', selected_values: 'not a list' },
      { filter_id: 'participant_group_allowlist', selected_values: [42, '', POOL[2]] },
      { filter_id: 'and', selected_filters: { not: 'a list' } },
      { selected_values: [POOL[3]] },
    ];
    expect(groupReferencesInFilters(odd)).toEqual([{ groupId: POOL[2], list: 'allowlist', depth: 0, sharedWith: [] }]);
    expect(groupReferencesInFilters(undefined)).toEqual([]);
  });
});

describe('groupReferencesInCodes', () => {
  it('reports add and remove actions with their code, and ignores every other action', () => {
    const codes = [
      { code: 'C1', code_type: 'COMPLETED', actions: [{ action: 'AUTOMATICALLY_APPROVE' }, { action: 'ADD_TO_PARTICIPANT_GROUP', participant_group: POOL[0] }] },
      { code: null, code_type: 'FAILED_ATTENTION_CHECK', actions: [{ action: 'REMOVE_FROM_PARTICIPANT_GROUP', participant_group: POOL[1] }] },
      { code: 'C3', code_type: 'OTHER', actions: [{ action: 'ADD_TO_PARTICIPANT_GROUP' }, { action: 'MANUALLY_REVIEW', participant_group: POOL[2] }] },
      { code: 'C4', code_type: 'OTHER' },
    ];
    expect(groupReferencesInCodes(codes)).toEqual([
      { groupId: POOL[0], effect: 'feeds', code: 'C1', codeType: 'COMPLETED' },
      { groupId: POOL[1], effect: 'drains', code: null, codeType: 'FAILED_ATTENTION_CHECK' },
    ]);
    expect(groupReferencesInCodes('nonsense')).toEqual([]);
  });
});
