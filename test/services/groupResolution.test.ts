import fc from 'fast-check';
import type { ParticipantGroup } from '../../src/prolific/types';
import { editDistance, matchKind, normaliseGroupName, resolveGroup } from '../../src/services/groupResolution';

function group(id: string, name: string, extra: Partial<ParticipantGroup> = {}): ParticipantGroup {
  return { id, name, description: null, workspace_id: 'w', organisation_id: null, project_id: null, participant_count: 0, is_deleted: false, feeder_studies: [], ...extra };
}

const groups = [
  group('a'.repeat(24), 'Pilot participants'),
  group('b'.repeat(24), 'Pilot wave 2'),
  group('c'.repeat(24), 'Main panel'),
  group('d'.repeat(24), 'main  PANEL copy'),
  group('e'.repeat(24), 'Twin'),
  group('f'.repeat(24), 'twin'),
  group('0'.repeat(24), 'Gone', { is_deleted: true }),
];

describe('resolveGroup', () => {
  it('finds by id, exact name (any case, any spacing) and unique prefix', () => {
    expect(resolveGroup('c'.repeat(24), groups)).toMatchObject({ kind: 'found', group: { name: 'Main panel' } });
    expect(resolveGroup('  MAIN   panel ', groups)).toMatchObject({ kind: 'found', group: { name: 'Main panel' } });
    expect(resolveGroup('pilot w', groups)).toMatchObject({ kind: 'found', group: { name: 'Pilot wave 2' } });
  });

  it('lists candidates when several match, and never guesses', () => {
    const pilot = resolveGroup('pilot', groups);
    expect(pilot.kind).toBe('ambiguous');
    if (pilot.kind === 'ambiguous') expect(pilot.candidates.map((g) => g.name)).toEqual(['Pilot participants', 'Pilot wave 2']);
    expect(resolveGroup('twin', groups).kind).toBe('ambiguous');
  });

  it('one order for every command: exact beats prefix beats the start of a word beats anywhere', () => {
    const ranked = [group('1'.repeat(24), 'Attention'), group('2'.repeat(24), 'Attention checks passed'), group('3'.repeat(24), 'Passed attention checks'), group('4'.repeat(24), 'Inattention')];
    expect(resolveGroup('attention', ranked)).toMatchObject({ kind: 'found', match: 'exact', group: { name: 'Attention' } });
    expect(resolveGroup('attention', ranked.slice(1))).toMatchObject({ kind: 'found', match: 'prefix', group: { name: 'Attention checks passed' } });
    expect(resolveGroup('attention', ranked.slice(2))).toMatchObject({ kind: 'found', match: 'word', group: { name: 'Passed attention checks' } });
    expect(resolveGroup('attention', ranked.slice(3))).toMatchObject({ kind: 'found', match: 'substring', group: { name: 'Inattention' } });
    expect(resolveGroup('wave 2', groups)).toMatchObject({ kind: 'found', match: 'word', group: { name: 'Pilot wave 2' } });
    expect(resolveGroup('panel', groups)).toMatchObject({ kind: 'ambiguous' });
  });

  it('suggests the closest names for an unknown one: a typo, a swapped or missing letter', () => {
    const suggested = (query: string) => {
      const r = resolveGroup(query, groups);
      return r.kind === 'not_found' ? r.suggestions.map((g) => g.name) : r.kind;
    };
    expect(suggested('pilto wave 2')).toEqual(['Pilot wave 2']);
    expect(suggested('pilto')).toEqual(['Pilot participants', 'Pilot wave 2']);
    expect(suggested('mian panel')).toEqual(['Main panel', 'main  PANEL copy']);
    expect(suggested('zzzzzz')).toEqual([]);
    expect(editDistance('pilto', 'pilot')).toBe(1);
  });

  it('does not find deleted, unknown or empty names', () => {
    expect(resolveGroup('Gone', groups).kind).toBe('not_found');
    expect(resolveGroup('Nope', groups).kind).toBe('not_found');
    expect(resolveGroup('   ', groups).kind).toBe('not_found');
  });

  it('never picks a group the user did not name (property)', () => {
    const arbGroup = fc.record({ id: fc.stringMatching(/^[0-9a-f]{24}$/), name: fc.string({ minLength: 1, maxLength: 20 }) });
    fc.assert(
      fc.property(fc.array(arbGroup, { maxLength: 15 }), fc.string({ maxLength: 20 }), (raw, query) => {
        const list = raw.map((g) => group(g.id, g.name));
        const result = resolveGroup(query, list);
        if (result.kind === 'found') {
          const wanted = normaliseGroupName(query);
          const g = result.group;
          expect(g.id.toLowerCase() === wanted || normaliseGroupName(g.name).includes(wanted)).toBe(true);
          // No other group matched as well: a better or equal match would have made it ambiguous or won.
          const rank = (name: string) => ['exact', 'prefix', 'word', 'substring'].indexOf(matchKind(normaliseGroupName(name), wanted) ?? '');
          if (result.match !== 'id') for (const other of list) if (other !== g && rank(other.name) >= 0) expect(rank(other.name)).toBeGreaterThan(rank(g.name));
          expect(wanted).not.toBe('');
          expect(list).toContain(g);
        }
        if (result.kind === 'ambiguous') expect(result.candidates.length).toBeGreaterThan(1);
      }),
      { numRuns: 500 },
    );
  });
});
