import fc from 'fast-check';
import {
  isParticipantId,
  normaliseParticipantId,
  parseInlineIds,
  stripIdPadding,
} from '../../src/services/participantIds';

const hexId = fc.stringMatching(/^[0-9a-f]{24}$/);

/** An id as pasted: any case, possibly quoted (no whitespace: that separates tokens). */
const pastedId = fc
  .tuple(fc.constantFrom('', '"', "'", '“', '‘'), fc.mixedCase(hexId), fc.constantFrom('', '"', "'", '”', '’'))
  .map(([left, id, right]) => left + id + right);

/** Anything that is neither a separator nor Slack link syntax, and not just quotes. */
const junkToken = fc.stringMatching(/^[^\s,;`<>]{1,30}$/).filter((token) => stripIdPadding(token) !== '');

const separator = fc.constantFrom(' ', ',', ';', '\t', '\n', ', ', ' ;\n', '\r\n', '`', '```\n', '\u00a0');

describe('normaliseParticipantId', () => {
  it('accepts any case and padding, and always returns the canonical form', () => {
    fc.assert(
      fc.property(fc.constantFrom(' ', '"', '“', '\t', ''), fc.mixedCase(hexId), (pad, id) => {
        const normalised = normaliseParticipantId(pad + id + pad);
        expect(normalised).toBe(id.toLowerCase());
        expect(isParticipantId(normalised ?? '')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('returns null or a canonical id for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (raw) => {
        const normalised = normaliseParticipantId(raw);
        expect(normalised === null || isParticipantId(normalised)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseInlineIds', () => {
  it('never throws and returns canonical, distinct ids', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (text) => {
        const result = parseInlineIds(text);
        expect(result.valid.every(isParticipantId)).toBe(true);
        expect(new Set(result.valid).size).toBe(result.valid.length);
        expect(new Set(result.invalid).size).toBe(result.invalid.length);
      }),
      { numRuns: 300 },
    );
  });

  it('pasting the same text twice finds the same ids, each once more as a duplicate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const once = parseInlineIds(text);
        const twice = parseInlineIds(`${text}\n${text}`);
        expect(twice.valid).toEqual(once.valid);
        expect(twice.invalid).toEqual(once.invalid);
        expect(twice.duplicates).toBe(2 * once.duplicates + once.valid.length);
      }),
      { numRuns: 300 },
    );
  });

  it('counts each repeat of an id, in any case or padding, as one duplicate', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hexId, fc.integer({ min: 1, max: 4 })), { maxLength: 20 }), (entries) => {
        const distinct = [...new Map(entries.map(([id, times]) => [id, times])).entries()];
        const text = distinct.flatMap(([id, times]) => Array.from({ length: times }, (_, i) => (i % 2 ? `"${id.toUpperCase()}"` : id))).join(', ');
        const result = parseInlineIds(text);
        expect(result.valid).toEqual(distinct.map(([id]) => id));
        expect(result.duplicates).toBe(distinct.reduce((sum, [, times]) => sum + times - 1, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('accounts for every token: valid ∪ invalid covers them all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(pastedId, junkToken), { maxLength: 40 }),
        fc.array(separator, { minLength: 1, maxLength: 10 }),
        (tokens, separators) => {
          const text = tokens.map((token, i) => token + (separators[i % separators.length] ?? ' ')).join('');
          const result = parseInlineIds(text);
          let validTokens = 0;
          for (const token of tokens) {
            const id = normaliseParticipantId(token);
            if (id === null) {
              expect(result.invalid).toContain(token);
            } else {
              validTokens++;
              expect(result.valid).toContain(id);
            }
          }
          expect(result.valid.length + result.duplicates).toBe(validTokens);
          expect(result.valid.length + result.invalid.length).toBeLessThanOrEqual(tokens.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
