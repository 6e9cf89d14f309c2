import { readGroup, readGroups } from '../../src/prolific/groupShape';

const whole = { id: 'g1', name: 'Pilot', description: null, workspace_id: 'w', organisation_id: null, project_id: null, participant_count: 3, is_deleted: false, feeder_studies: [] };

describe('readGroup', () => {
  it('keeps a whole group as it is', () => {
    expect(readGroup(whole)).toEqual(whole);
  });

  it('reads a null or missing name as empty, and missing lists and flags as their empty value', () => {
    expect(readGroup({ id: 'g2', name: null, participant_count: 0 })).toEqual({
      id: 'g2',
      name: '',
      description: null,
      workspace_id: null,
      organisation_id: null,
      project_id: null,
      participant_count: 0,
      is_deleted: false,
      feeder_studies: [],
    });
  });

  it.each([
    ['no id', { ...whole, id: null }],
    ['an empty id', { ...whole, id: '' }],
    ['no member count', { ...whole, participant_count: null }],
    ['a count that is not a whole number', { ...whole, participant_count: 2.5 }],
    ['a negative count', { ...whole, participant_count: -1 }],
    ['not an object', 'g1'],
  ])('refuses a group with %s', (_what, raw) => {
    expect(readGroup(raw)).toBeNull();
  });

  it('counts what a list left out', () => {
    expect(readGroups([whole, { ...whole, id: null }, null])).toEqual({ groups: [whole], skipped: 2 });
  });
});
