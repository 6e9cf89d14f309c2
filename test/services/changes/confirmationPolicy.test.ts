import { type ConfirmationRequest, confirmationPolicy } from '../../../src/services/changes';
import type { StudyFacts, StudyUsage } from '../../../src/services/studies';
import type { OperationKind } from '../../../src/store/types';

const TYPED: ConfirmationRequest = { origin: 'typed', groupNamedExactly: true, partlyUnderstood: false };

function study(phase: 'live' | 'draft'): StudyUsage {
  return {
    studyId: `s-${phase}`,
    name: `A ${phase} study`,
    internalName: null,
    status: phase === 'live' ? 'ACTIVE' : 'UNPUBLISHED',
    phase,
    placesTaken: 0,
    totalPlaces: 10,
    uses: [{ kind: 'allowlist', via: 'filters', nested: false, sharedWith: [], filterSet: null }],
  } as StudyUsage;
}

const facts = (studies: StudyUsage[], checked = true): StudyFacts => ({ checked, studies, failure: checked ? null : { status: 0, kind: 'network' } as StudyFacts['failure'] });
const op = (kind: OperationKind, studies: StudyFacts | null = facts([])) => ({ kind, details: { studies } });

describe('confirmationPolicy', () => {
  it('applies at once a typed add to a group no live study uses, and a typed rename', () => {
    expect(confirmationPolicy(op('add'), TYPED)).toEqual({ kind: 'apply_now' });
    expect(confirmationPolicy(op('add', facts([study('draft')])), TYPED)).toEqual({ kind: 'apply_now' });
    expect(confirmationPolicy(op('rename', null), TYPED)).toEqual({ kind: 'apply_now' });
  });

  it('previews anything that removes or replaces members, or deletes the group', () => {
    for (const kind of ['remove', 'replace', 'delete'] as const) {
      expect(confirmationPolicy(op(kind), TYPED)).toEqual({ kind: 'preview', reasons: ['removes_members'] });
    }
  });

  it('previews an add from a bulk source, and any action on an earlier change', () => {
    expect(confirmationPolicy(op('add'), { ...TYPED, origin: 'bulk' })).toEqual({ kind: 'preview', reasons: ['bulk_source'] });
    expect(confirmationPolicy(op('add'), { ...TYPED, origin: 'follow_up' })).toEqual({ kind: 'preview', reasons: ['follow_up'] });
    expect(confirmationPolicy(op('undo'), TYPED)).toEqual({ kind: 'preview', reasons: ['follow_up'] });
  });

  it('previews an add to a group a live study uses, or whose studies could not be checked; a rename of it is applied', () => {
    expect(confirmationPolicy(op('add', facts([study('live')])), TYPED)).toEqual({ kind: 'preview', reasons: ['live_study'] });
    expect(confirmationPolicy(op('add', facts([], false)), TYPED)).toEqual({ kind: 'preview', reasons: ['studies_unchecked'] });
    expect(confirmationPolicy(op('rename', facts([study('live')])), TYPED)).toEqual({ kind: 'apply_now' });
  });

  it('previews a command whose group name was not exact, or whose text was not all understood', () => {
    expect(confirmationPolicy(op('rename', null), { ...TYPED, groupNamedExactly: false })).toEqual({ kind: 'preview', reasons: ['group_name_not_exact'] });
    expect(confirmationPolicy(op('add'), { ...TYPED, partlyUnderstood: true })).toEqual({ kind: 'preview', reasons: ['input_left_out'] });
  });

  it('fills a group the same command just created at once', () => {
    expect(confirmationPolicy(op('add'), { ...TYPED, origin: 'new_group' })).toEqual({ kind: 'apply_now' });
  });

  it('gives every reason that applies', () => {
    const decision = confirmationPolicy(op('replace', facts([study('live')])), { origin: 'bulk', groupNamedExactly: false, partlyUnderstood: true });
    expect(decision).toEqual({ kind: 'preview', reasons: ['removes_members', 'bulk_source', 'live_study', 'group_name_not_exact', 'input_left_out'] });
  });
});
