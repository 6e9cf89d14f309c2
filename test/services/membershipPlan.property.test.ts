import fc from 'fast-check';
import {
  membershipDigest,
  planAdd,
  planRemove,
  planReplace,
  sameMembership,
} from '../../src/services/membershipPlan';

// A small pool so that generated lists overlap often.
const POOL = Array.from({ length: 40 }, (_, i) => (i * 7919).toString(16).padStart(24, '0'));
const idList = fc.array(fc.constantFrom(...POOL), { maxLength: 60 });

function expectDistinct(list: string[]): void {
  expect(new Set(list).size).toBe(list.length);
}

const RUNS = { numRuns: 300 };

describe('planReplace', () => {
  it('applied to current gives exactly target', () => {
    fc.assert(
      fc.property(idList, idList, (current, target) => {
        const plan = planReplace(current, target);
        const applied = new Set(current);
        for (const id of plan.toRemove) expect(applied.delete(id)).toBe(true);
        for (const id of plan.toAdd) {
          expect(applied.has(id)).toBe(false);
          applied.add(id);
        }
        expect(sameMembership([...applied], target)).toBe(true);
        expect(plan.newTotal).toBe(new Set(target).size);
        expect(plan.unchanged + plan.toRemove.length).toBe(plan.currentTotal);
        expect(plan.currentTotal).toBe(new Set(current).size);
        expect(plan.currentTotal - plan.toRemove.length + plan.toAdd.length).toBe(plan.newTotal);
        expectDistinct(plan.toAdd);
        expectDistinct(plan.toRemove);
      }),
      RUNS,
    );
  });

  it('is empty exactly when the memberships are the same', () => {
    fc.assert(
      fc.property(idList, idList, (current, target) => {
        const plan = planReplace(current, target);
        expect(plan.toAdd.length === 0 && plan.toRemove.length === 0).toBe(sameMembership(current, target));
      }),
      RUNS,
    );
  });
});

describe('planAdd', () => {
  it('applied to current gives current ∪ ids', () => {
    fc.assert(
      fc.property(idList, idList, (current, ids) => {
        const plan = planAdd(current, ids);
        const currentSet = new Set(current);
        expect(plan.toRemove).toEqual([]);
        for (const id of plan.toAdd) expect(currentSet.has(id)).toBe(false);
        expect(sameMembership([...current, ...plan.toAdd], [...current, ...ids])).toBe(true);
        expect(plan.newTotal).toBe(new Set([...current, ...ids]).size);
        expect(plan.alreadyPresent + plan.toAdd.length).toBe(new Set(ids).size);
        expect(plan.unchanged).toBe(plan.currentTotal);
        expect(plan.unchanged + plan.toRemove.length).toBe(plan.currentTotal);
        expectDistinct(plan.toAdd);
      }),
      RUNS,
    );
  });
});

describe('planRemove', () => {
  it('applied to current gives current ∖ ids', () => {
    fc.assert(
      fc.property(idList, idList, (current, ids) => {
        const plan = planRemove(current, ids);
        const requested = new Set(ids);
        const currentSet = new Set(current);
        expect(plan.toAdd).toEqual([]);
        for (const id of plan.toRemove) expect(currentSet.has(id)).toBe(true);
        const applied = current.filter((id) => !plan.toRemove.includes(id));
        expect(sameMembership(applied, current.filter((id) => !requested.has(id)))).toBe(true);
        expect(plan.newTotal).toBe(new Set(applied).size);
        expect(plan.notPresent + plan.toRemove.length).toBe(requested.size);
        expect(plan.unchanged + plan.toRemove.length).toBe(plan.currentTotal);
        expectDistinct(plan.toRemove);
      }),
      RUNS,
    );
  });
});

describe('sameMembership and membershipDigest', () => {
  it('agree with each other and ignore order and duplicates', () => {
    fc.assert(
      fc.property(idList, idList, (a, b) => {
        expect(membershipDigest(a) === membershipDigest(b)).toBe(sameMembership(a, b));
        expect(sameMembership(a, b)).toBe(sameMembership(b, a));
        const shuffled = [...a].reverse().concat(a.slice(0, 3));
        expect(sameMembership(a, shuffled)).toBe(true);
        expect(membershipDigest(shuffled)).toBe(membershipDigest(a));
      }),
      RUNS,
    );
  });
});

describe('ids given as a Set', () => {
  it('give the same plan as the list they were read from, for every mode', () => {
    fc.assert(
      fc.property(idList, idList, (current, ids) => {
        // A reader's Set holds each id once, in the order first seen, like the list it kept.
        const distinct = [...new Set(ids)];
        const asSet = new Set(distinct);
        expect(planReplace(current, asSet)).toEqual(planReplace(current, distinct));
        expect(planAdd(current, asSet)).toEqual(planAdd(current, distinct));
        expect(planRemove(current, asSet)).toEqual(planRemove(current, distinct));
        expect(planReplace(new Set(current), asSet)).toEqual(planReplace(current, distinct));
      }),
      RUNS,
    );
  });
});
