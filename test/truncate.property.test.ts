import fc from 'fast-check';
import { graphemePrefix, truncate } from '../src/truncate';

// Pieces group names are made of: plain letters, emoji (outside the BMP, with skin tones and ZWJ
// sequences), letters with combining marks, flags (pairs of regional indicators) and CJK.
// A letter under twenty combining marks is one grapheme longer than the lookahead past the limit.
const PIECES = ['a', 'Z', ' ', '-', 'é', 'e\u0301', 'n\u0303\u0323', `a${'\u0301'.repeat(20)}`, '🎉', '👍🏽', '👩‍🔬', '👨‍👩‍👧‍👦', '🇬🇧', '🇯🇵', '🏳️‍🌈', '漢', '&', '<', '\u200d'];
const name = fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((parts) => parts.join(''));
const limit = fc.integer({ min: 1, max: 160 });

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const boundaries = (text: string): Set<number> => new Set([0, ...[...graphemes.segment(text)].map((s) => s.index + s.segment.length)]);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('truncate', () => {
  it('never exceeds the limit in UTF-16 units, never leaves half a character, keeps a prefix cut between graphemes', () => {
    fc.assert(
      fc.property(name, limit, (text, max) => {
        const out = truncate(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(out)).toBe(false);
        if (text.length <= max) {
          expect(out).toBe(text);
          return;
        }
        expect(out.endsWith('…')).toBe(true);
        const kept = out.slice(0, -1);
        expect(text.startsWith(kept)).toBe(true);
        expect(boundaries(text).has(kept.length)).toBe(true);
        // The longest such prefix: one more grapheme would not fit beside the ellipsis.
        const next = [...graphemes.segment(text)].find((s) => s.index === kept.length);
        expect(kept.length + (next?.segment.length ?? 0)).toBeGreaterThan(max - 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('lets the caller tidy the cut and still fits', () => {
    fc.assert(
      fc.property(name, limit, (text, max) => {
        const out = truncate(text, max, (kept) => kept.replace(/&[a-z]*$/, '').replace(/<[^>]*$/, ''));
        expect(out.length).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(out)).toBe(false);
        if (out !== text) expect(text.startsWith(out.slice(0, -1))).toBe(true);
      }),
    );
  });

  it('cuts before an emoji that would straddle the limit rather than through it', () => {
    expect(truncate(`${'x'.repeat(73)}🎉🎉`, 75)).toBe(`${'x'.repeat(73)}…`);
    expect(truncate(`${'x'.repeat(72)}🎉🎉`, 75)).toBe(`${'x'.repeat(72)}🎉…`);
    expect(truncate('Pilot 🇬🇧🇬🇧', 9)).toBe('Pilot …');
    expect(truncate('Pilot 🇬🇧🇬🇧', 11)).toBe('Pilot 🇬🇧…');
    expect(truncate('Cafe\u0301 re\u0301sume\u0301', 5)).toBe('Caf…');
    expect(truncate('Cafe\u0301 re\u0301sume\u0301', 6)).toBe('Cafe\u0301…');
  });
});

describe('graphemePrefix', () => {
  it('keeps a base letter with all its combining marks, or neither', () => {
    expect(graphemePrefix('ne\u0301e\u0301', 2)).toBe('n');
    expect(graphemePrefix('ne\u0301e\u0301', 3)).toBe('ne\u0301');
    expect(graphemePrefix('👩‍🔬 lab', 4)).toBe('');
    expect(graphemePrefix('👩‍🔬 lab', 5)).toBe('👩‍🔬');
  });
});
