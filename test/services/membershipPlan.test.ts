import { createHash } from 'node:crypto';
import {
  membershipDigest,
  planAdd,
  planRemove,
  planReplace,
  sameMembership,
} from '../../src/services/membershipPlan';

// Short stand-ins: the plan does not look inside ids.
const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'];

describe('planReplace', () => {
  it('adds what is missing and removes what is not wanted, in input order', () => {
    expect(planReplace([a, b, c, d], [e, c, a])).toEqual({
      mode: 'replace',
      toAdd: [e],
      toRemove: [b, d],
      unchanged: 2,
      currentTotal: 4,
      newTotal: 3,
      alreadyPresent: 0,
      notPresent: 0,
    });
  });

  it('ignores duplicates in either list', () => {
    const plan = planReplace([a, a, b], [c, c, b, b]);
    expect(plan.toAdd).toEqual([c]);
    expect(plan.toRemove).toEqual([a]);
    expect(plan).toMatchObject({ unchanged: 1, currentTotal: 2, newTotal: 2 });
  });

  it('is empty when nothing changes', () => {
    expect(planReplace([a, b], [b, a])).toMatchObject({ toAdd: [], toRemove: [], unchanged: 2, newTotal: 2 });
  });

  it('can empty a group and fill an empty one', () => {
    expect(planReplace([a, b], [])).toMatchObject({ toAdd: [], toRemove: [a, b], newTotal: 0, unchanged: 0 });
    expect(planReplace([], [a, b])).toMatchObject({ toAdd: [a, b], toRemove: [], newTotal: 2, currentTotal: 0 });
  });
});

describe('planAdd', () => {
  it('adds only new ids and counts those already present', () => {
    expect(planAdd([a, b], [c, b, d, c])).toEqual({
      mode: 'add',
      toAdd: [c, d],
      toRemove: [],
      unchanged: 2,
      currentTotal: 2,
      newTotal: 4,
      alreadyPresent: 1,
      notPresent: 0,
    });
  });
});

describe('planRemove', () => {
  it('removes only members and counts ids that are not members', () => {
    expect(planRemove([a, b, c], [c, d, a, a])).toEqual({
      mode: 'remove',
      toAdd: [],
      toRemove: [c, a],
      unchanged: 1,
      currentTotal: 3,
      newTotal: 1,
      alreadyPresent: 0,
      notPresent: 1,
    });
  });
});

describe('sameMembership', () => {
  it('ignores order and duplicates', () => {
    expect(sameMembership([a, b, b], [b, a])).toBe(true);
    expect(sameMembership([], [])).toBe(true);
    expect(sameMembership([a, b], [a, c])).toBe(false);
    expect(sameMembership([a], [a, b])).toBe(false);
  });
});

describe('membershipDigest', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it('hashes the sorted distinct ids joined by newlines', () => {
    expect(membershipDigest([c, a, b, a])).toBe(sha256('a\nb\nc'));
    expect(membershipDigest([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('is the same for the same membership in any order', () => {
    expect(membershipDigest([b, c, a])).toBe(membershipDigest([a, b, c, c]));
    expect(membershipDigest([a, b])).not.toBe(membershipDigest([a, b, c]));
  });
});

describe('plans at scale', () => {
  it('diffs 100,000 against 100,000 ids', () => {
    const id = (n: number) => n.toString(16).padStart(24, '0');
    const current = Array.from({ length: 100_000 }, (_, i) => id(i));
    const target = Array.from({ length: 100_000 }, (_, i) => id(i + 50_000));
    const plan = planReplace(current, target);
    expect(plan.toAdd).toHaveLength(50_000);
    expect(plan.toRemove).toHaveLength(50_000);
    expect(plan.unchanged).toBe(50_000);
    expect(plan.toAdd[0]).toBe(id(100_000));
    expect(plan.toRemove[0]).toBe(id(0));
  });
});
