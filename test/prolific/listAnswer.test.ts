import fc from 'fast-check';
import { parseListAnswer } from '../../src/prolific/listAnswer';
import { splitBytes } from './splitBytes';

function outcome(fn: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

const listAnswer = fc.record(
  {
    results: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 20 }),
    meta: fc.record({ count: fc.nat() }),
    _links: fc.record({ next: fc.record({ href: fc.oneof(fc.constant(null), fc.webUrl()) }) }),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['results'] },
);

describe('parseListAnswer', () => {
  test('gives what JSON.parse gives, however the body is chunked and batched', () => {
    fc.assert(
      fc.property(
        listAnswer,
        fc.constantFrom(undefined, 0, 2),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        (answer, indent, cuts, batchBytes) => {
          const text = JSON.stringify(answer, null, indent);
          const chunks = splitBytes(Buffer.from(text), cuts);
          expect(parseListAnswer(chunks, batchBytes)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('agrees with JSON.parse on damaged bodies, value or error', () => {
    fc.assert(
      fc.property(
        listAnswer,
        fc.nat(),
        fc.constantFrom('', ',', ']', '[', '}', '{', '"', '\\', ':', 'x'),
        fc.array(fc.nat(), { maxLength: 4 }),
        (answer, at, insert, cuts) => {
          const text = JSON.stringify(answer);
          const position = at % (text.length + 1);
          // Replace one character (or delete it when insert is empty).
          const damaged = text.slice(0, position) + insert + text.slice(position + 1);
          const chunks = splitBytes(Buffer.from(damaged), cuts);
          expect(outcome(() => parseListAnswer(chunks, 8))).toEqual(outcome(() => JSON.parse(damaged)));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('strings that look like structure, escapes and multi-byte text', () => {
    const answer = {
      note: 'results',
      results: ['},{', '"results":[', 'a\\"b', { results: [1, 2] }, 'naïve ✓ 😀', [[], {}]],
      results2: [3],
    };
    const text = JSON.stringify(answer);
    for (let cut = 0; cut <= Buffer.byteLength(text); cut += 3) {
      expect(parseListAnswer(splitBytes(Buffer.from(text), [cut]), 4)).toEqual(answer);
    }
  });

  test('leaves unusual shapes to JSON.parse', () => {
    const cases = [
      '{"results":[1],"results":[2]}',
      '{"res\\u0075lts":[1]}',
      '[1,2]',
      '{"results":"none"}',
      '{"data":[]}',
      '  {"results" : [ 1 , 2 ] }  ',
    ];
    for (const text of cases) expect(parseListAnswer([Buffer.from(text)], 1)).toEqual(JSON.parse(text));
    expect(() => parseListAnswer([Buffer.from('')])).toThrow(SyntaxError);
    expect(() => parseListAnswer([Buffer.from('{"results":[1,]}')])).toThrow(SyntaxError);
  });

  test('agrees with JSON.parse on edge cases, value or error', () => {
    const cases = [
      '{"results":[]}x',
      '{"results":[]} {}',
      '\ufeff{"results":[]}',
      '{"a":01}',
      '{"a":"\u0001"}',
      '{"a":"\\ud800","results":[-0,1E-2,1e999]}',
      '{\u00a0"a":1}',
      '{"results":[1,2,]}',
      '{"results":[+1]}',
      '{"results":[NaN]}',
      '{"results":[1]}]',
      '{"results":[1]',
      '{"__proto__":{"x":1},"results":[{"__proto__":[1]}]}',
      '{"results":{"a":1,"b":[2]},"c":3}',
      '{"results":{"a":1},"results":[2]}',
      '{"results":[{"results":[1]}],"x":{"results":[2]}}',
    ];
    for (const text of cases) {
      const parsed = outcome(() => parseListAnswer(splitBytes(Buffer.from(text), [3, 9]), 4));
      expect(parsed).toEqual(outcome(() => JSON.parse(text)));
      if ('value' in parsed) expect(Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
    }
  });

  test('a membership answer in many batches', () => {
    const results = Array.from({ length: 5000 }, (_, i) => ({
      participant_id: i.toString(16).padStart(24, '0'),
      datetime_created: '2026-09-01T09:00:00.000Z',
    }));
    const text = JSON.stringify({ results, meta: { count: 5000 } });
    const chunks = splitBytes(
      Buffer.from(text),
      Array.from({ length: 40 }, (_, i) => i * 9973),
    );
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(parseListAnswer(chunks, 4096)).toEqual({ results, meta: { count: 5000 } });
      // Batched: no single parse saw the whole body.
      const longest = Math.max(...parse.mock.calls.map(([input]) => String(input).length));
      expect(parse.mock.calls.length).toBeGreaterThan(50);
      expect(longest).toBeLessThan(5000);
    } finally {
      parse.mockRestore();
    }
  });
});
