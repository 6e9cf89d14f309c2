import fc from 'fast-check';
import type { ParticipantGroup } from '../../src/prolific/types';
import { normaliseGroupName, resolveGroup } from '../../src/services/groupResolution';

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
          expect(g.id.toLowerCase() === wanted || normaliseGroupName(g.name).startsWith(wanted)).toBe(true);
          expect(wanted).not.toBe('');
          expect(list).toContain(g);
        }
        if (result.kind === 'ambiguous') expect(result.candidates.length).toBeGreaterThan(1);
      }),
      { numRuns: 500 },
    );
  });
});
