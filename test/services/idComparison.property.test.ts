import fc from 'fast-check';
import { compareIds, DistinctIds } from '../../src/services/idComparison';

/** The comparison done the plain way: distinct ids in first-seen order, by Array#includes. */
function reference(a: readonly string[], b: readonly string[]) {
  const distinctA = [...new Set(a)];
  const distinctB = [...new Set(b)];
  return {
    onlyInA: distinctA.filter((id) => !b.includes(id)),
    onlyInB: distinctB.filter((id) => !a.includes(id)),
    bInA: distinctB.filter((id) => a.includes(id)),
    sizeA: distinctA.length,
    sizeB: distinctB.length,
  };
}

const hexDigit = fc.constantFrom(...'0123456789abcdef');
// Ids that differ in one word only, or in a digit or two, so keys collide in some words.
const prolificId = fc.oneof(
  fc.string({ unit: hexDigit, minLength: 24, maxLength: 24 }),
  fc.nat({ max: 40 }).map((n) => `5f8d0d55b5476442${n.toString(16).padStart(8, '0')}`),
  fc.nat({ max: 40 }).map((n) => `${n.toString(16).padStart(8, '0')}5f8d0d55b5476442`),
);
const prolificIds = fc.array(prolificId, { maxLength: 80 });
// Anything else: upper case, too short, not hex.
// U+0130 and U+0161: 24 characters whose low seven bits would read as the digits 0 and a.
const otherId = fc.oneof(
  fc.constant('5F8D0D55B54764421B7156C9'),
  fc.constant('abc'),
  fc.constant('5f8d0d55b5476442\u01301b7156c'),
  fc.constant('\u01615f8d0d55b54764421b71569'),
  fc.string({ maxLength: 30 }),
);

describe('compareIds', () => {
  it('gives the plain comparison for Prolific ids (as 96-bit keys), duplicates and order included', () => {
    fc.assert(
      fc.property(prolificIds, prolificIds, (a, b) => {
        expect(compareIds(a, b)).toEqual(reference(a, b));
        expect(compareIds(new Set(a), new Set(b))).toEqual(reference(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same for lists with any other id in them (compared as strings)', () => {
    fc.assert(
      fc.property(prolificIds, prolificIds, otherId, fc.boolean(), (a, b, other, inA) => {
        const withOther = inA ? [...a, other] : a;
        const otherB = inA ? b : [other, ...b];
        expect(compareIds(withOther, otherB)).toEqual(reference(withOther, otherB));
      }),
      { numRuns: 300 },
    );
  });

  it('takes a DistinctIds as it was collected, with the same result as its list', () => {
    fc.assert(
      // Sized for as few as 0 ids, so that its keys and table grow as ids come.
      fc.property(prolificIds, prolificIds, fc.option(otherId, { nil: undefined }), fc.nat({ max: 200 }), (a, b, other, expected) => {
        const collected = new DistinctIds(expected);
        const ids = other === undefined ? b : [...b, other, ...b];
        const added = ids.map((id) => collected.add(id));
        expect(collected.list).toEqual([...new Set(ids)]);
        expect(added).toEqual(ids.map((id, i) => ids.indexOf(id) === i));
        expect(compareIds(a, collected)).toEqual(reference(a, collected.list));
      }),
      { numRuns: 300 },
    );
  });

  it('never takes a character outside ASCII for the hex digit its low bits spell', () => {
    // U+0130 is 0x130: its low seven bits are those of '0'.
    const lookalike = '5f8d0d55b5476442\u01301b7156c';
    const real = '5f8d0d55b547644201b7156c';
    expect(compareIds([lookalike], [real])).toEqual({ onlyInA: [lookalike], onlyInB: [real], bInA: [], sizeA: 1, sizeB: 1 });
    const collected = new DistinctIds();
    expect([collected.add(real), collected.add(lookalike)]).toEqual([true, true]);
    expect(compareIds([lookalike], collected)).toEqual({ onlyInA: [], onlyInB: [real], bInA: [lookalike], sizeA: 1, sizeB: 2 });
  });

  it('a DistinctIds grows past its first table and stays exact', () => {
    const id = (n: number) => (0x5f00000000000000000000n + BigInt(n * 7919)).toString(16).padStart(24, '0');
    const collected = new DistinctIds();
    for (let n = 0; n < 20_000; n++) expect(collected.add(id(n))).toBe(true);
    for (let n = 0; n < 20_000; n += 997) expect(collected.add(id(n))).toBe(false);
    expect(collected.size).toBe(20_000);
    const group = Array.from({ length: 15_000 }, (_, n) => id(n + 10_000));
    const result = compareIds(group, collected);
    expect(result.onlyInB).toEqual(collected.list.slice(0, 10_000));
    expect(result.bInA).toEqual(collected.list.slice(10_000));
    expect(result.onlyInA).toEqual(group.slice(10_000));
  });

  it('compares 100,000 ids against 100,000 with half in common', () => {
    const id = (n: number) => (0x5f00000000000000000000n + BigInt(n)).toString(16).padStart(24, '0');
    const a = Array.from({ length: 100_000 }, (_, i) => id(i));
    const b = Array.from({ length: 100_000 }, (_, i) => id(i + 50_000));
    const result = compareIds(a, b);
    expect(result.sizeA).toBe(100_000);
    expect(result.onlyInA).toEqual(a.slice(0, 50_000));
    expect(result.onlyInB).toEqual(b.slice(50_000));
    expect(result.bInA).toEqual(b.slice(0, 50_000));
  });
});
