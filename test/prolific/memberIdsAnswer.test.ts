import fc from 'fast-check';
import { scanMemberIds } from '../../src/prolific/memberIdsAnswer';
import { splitBytes } from './splitBytes';

/** What the full parse gives: the answer without its results, and each member's participant_id. */
function byJsonParse(text: string): { answer: Record<string, unknown>; ids: unknown[] } {
  const parsed = JSON.parse(text) as { results: { participant_id: unknown }[] };
  return { answer: { ...parsed, results: [] }, ids: parsed.results.map((m) => m.participant_id) };
}

const member = fc.record(
  {
    participant_id: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 }), fc.string(), fc.string({ unit: 'binary' })),
    datetime_created: fc.oneof(fc.string(), fc.constant('2026-12-01T09:00:00.000000Z')),
    nested: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: ['participant_id'] },
);

const membersAnswer = fc.record(
  {
    results: fc.array(member, { maxLength: 20 }),
    meta: fc.record({ count: fc.nat() }),
    _links: fc.record({ next: fc.record({ href: fc.oneof(fc.constant(null), fc.webUrl()) }) }),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['results'] },
);

describe('scanMemberIds', () => {
  test('reads the ids JSON.parse would give, however the body is chunked, or declines', () => {
    let read = 0;
    fc.assert(
      fc.property(membersAnswer, fc.constantFrom(undefined, 0, 2), fc.array(fc.nat(), { maxLength: 8 }), (answer, indent, cuts) => {
        const text = JSON.stringify(answer, null, indent);
        const scanned = scanMemberIds(splitBytes(Buffer.from(text), cuts));
        if (scanned === undefined) {
          // Declined only where an id has an escape (a quote, a backslash, a control character).
          expect(answer.results.some((m) => JSON.stringify(m.participant_id) !== `"${m.participant_id}"`)).toBe(true);
          return;
        }
        read += 1;
        expect(scanned).toEqual(byJsonParse(text));
      }),
      { numRuns: 400 },
    );
    expect(read).toBeGreaterThan(100);
  });

  test('declines what is not a plain list of members with one string id each', () => {
    const cases = [
      '{"results":[{"participant_id":"a","participant_id":"b"}]}', // a repeated key
      '{"results":[{"datetime_created":"x"}]}', // no id
      '{"results":[{"participant_id":5}]}', // not a string
      '{"results":[{"participant_id":null}]}',
      '{"results":[{"participant_id":{"id":"a"}}]}',
      '{"results":["a"]}', // not an object
      '{"results":[["a"]]}',
      '{"results":[{"participant\\u005fid":"a"}]}', // the key escaped: JSON.parse's to read
      '{"results":[{"participant_id":"a\\"b"}]}', // an escaped id
      '{"results":[{"participant_id":"a"}],"results":[]}', // results twice
      '{"results":[{"participant_id":"a"}]', // cut short
      '[{"participant_id":"a"}]', // no object around
      '{"count":1}', // no results
    ];
    for (const text of cases) expect(scanMemberIds([Buffer.from(text)])).toBeUndefined();
  });

  test('reads an id that nested objects hold a key of the same name beside', () => {
    const text = '{"results":[{"meta":{"participant_id":"inner"},"participant_id":"outer","tags":["participant_id"]}],"_links":{"next":null}}';
    expect(scanMemberIds([Buffer.from(text)])).toEqual({ answer: { results: [], _links: { next: null } }, ids: ['outer'] });
  });

  test('reads a large answer as JSON.parse does, one byte at a time at the cuts', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => i.toString(16).padStart(24, '0'));
    const text = JSON.stringify({ results: ids.map((id) => ({ participant_id: id, datetime_created: '2026-12-01T09:00:00Z' })), meta: { count: 5000 } });
    const bytes = Buffer.from(text);
    // Cuts everywhere an id could be split: every 7 bytes.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    expect(scanMemberIds(chunks)).toEqual({ answer: { results: [], meta: { count: 5000 } }, ids });
  });
});
