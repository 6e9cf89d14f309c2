import {
  PARTICIPANT_ID_PATTERN,
  isParticipantId,
  normaliseParticipantId,
  parseInlineIds,
  stripIdPadding,
} from '../../src/services/participantIds';

const ID = '5f8d0d55b54764421b7156c9';
const ID2 = '60a7c0f2e4b0c81d2f9e3a11';

describe('normaliseParticipantId', () => {
  it.each([
    ['canonical', ID],
    ['upper case', ID.toUpperCase()],
    ['mixed case', '5F8d0D55b54764421B7156c9'],
    ['surrounding spaces', `  ${ID}\t`],
    ['CR/LF around', `\r\n${ID}\r\n`],
    ['double quotes', `"${ID}"`],
    ['single quotes', `'${ID}'`],
    ['typographic double quotes', `“${ID}”`],
    ['typographic single quotes', `‘${ID}’`],
    ['guillemets', `«${ID}»`],
    ['backticks', `\`${ID}\``],
    ['quotes and spaces mixed', ` " ${ID} " `],
    ['non-breaking space', `\u00a0${ID}\u00a0`],
    ['zero-width space', `\u200b${ID}\u200b`],
    ['byte order mark', `\ufeff${ID}`],
  ])('accepts %s', (_label, raw) => {
    expect(normaliseParticipantId(raw)).toBe(ID);
  });

  it.each([
    ['empty', ''],
    ['padding only', ' "" '],
    ['23 characters', ID.slice(1)],
    ['25 characters', `${ID}0`],
    ['non-hex letter', `${ID.slice(0, 23)}g`],
    ['space inside', `${ID.slice(0, 12)} ${ID.slice(12)}`],
    ['two ids', `${ID},${ID2}`],
    ['full-width digits', '５f8d0d55b54764421b7156c9'],
    ['an email address', 'someone@example.org'],
  ])('rejects %s', (_label, raw) => {
    expect(normaliseParticipantId(raw)).toBeNull();
  });

  it('returns a string matching PARTICIPANT_ID_PATTERN', () => {
    expect(PARTICIPANT_ID_PATTERN.test(normaliseParticipantId(` '${ID.toUpperCase()}' `) ?? '')).toBe(true);
  });
});

describe('isParticipantId', () => {
  it('accepts only the canonical form', () => {
    expect(isParticipantId(ID)).toBe(true);
    expect(isParticipantId(ID.toUpperCase())).toBe(false);
    expect(isParticipantId(` ${ID}`)).toBe(false);
    expect(isParticipantId(`"${ID}"`)).toBe(false);
    expect(isParticipantId('')).toBe(false);
  });
});

describe('stripIdPadding', () => {
  it('removes whitespace and quotes from both ends only', () => {
    expect(stripIdPadding(' “a b” ')).toBe('a b');
    expect(stripIdPadding('" "')).toBe('');
    expect(stripIdPadding('abc')).toBe('abc');
  });
});

describe('parseInlineIds', () => {
  it('splits on spaces, commas, semicolons, tabs and newlines', () => {
    const third = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    expect(parseInlineIds(`${ID}, ${ID2};${third}\n\t${ID.toUpperCase()}`)).toEqual({
      valid: [ID, ID2, third],
      invalid: [],
      duplicates: 1,
    });
  });

  it('reports invalid tokens as typed, once each, in order', () => {
    expect(parseInlineIds(`nope ${ID} 12345 nope NOPE`)).toEqual({
      valid: [ID],
      invalid: ['nope', '12345', 'NOPE'],
      duplicates: 0,
    });
  });

  it('ignores Slack code formatting', () => {
    expect(parseInlineIds(`\`${ID}\` and \`\`\`\n${ID2}\n${ID}\n\`\`\``)).toEqual({
      valid: [ID, ID2],
      invalid: ['and'],
      duplicates: 1,
    });
  });

  it('reads ids out of Slack angle-bracket forms', () => {
    expect(parseInlineIds(`<${ID}> <mailto:x@example.org|${ID2}>`).valid).toEqual([ID, ID2]);
    expect(parseInlineIds('<mailto:someone@example.org|someone@example.org>').invalid).toEqual([
      '<mailto:someone@example.org|someone@example.org>',
    ]);
  });

  it('accepts quoted ids and ignores stray quotes', () => {
    expect(parseInlineIds(`“${ID}”, '${ID2}' " ”`)).toEqual({ valid: [ID, ID2], invalid: [], duplicates: 0 });
  });

  it('returns nothing for blank text', () => {
    expect(parseInlineIds('  \n ,; ')).toEqual({ valid: [], invalid: [], duplicates: 0 });
  });
});
