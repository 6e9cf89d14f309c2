import { packIds, readShortcutMessage, unpackIds, unpackMessageSource, packMessageSource } from '../../src/slack/shortcutMessage';
import { sandboxParticipantIds } from '../../src/local/prolific-sandbox';

const ids = sandboxParticipantIds(1, 3);

describe('readShortcutMessage', () => {
  it('reads the text’s ids as inline ids, counting other words and repeats', () => {
    const read = readShortcutMessage({ channelId: 'C1', message: { ts: '1.2', user: 'U1', text: `add ${ids[0]}, \`${ids[1]}\` ${ids[0]!.toUpperCase()} <x|${ids[2]}>` } });
    expect(read).toEqual({
      kind: 'source',
      source: { channelId: 'C1', ts: '1.2', authorId: 'U1', permalink: null, file: null, text: { ids, invalid: ['add'], invalidCount: 1, duplicates: 1 } },
    });
  });

  it('takes the first CSV, TSV or TXT file over the text, by type or by name', () => {
    const files = [{ id: 'F0', name: 'a.pdf', filetype: 'pdf' }, { id: 'F1', name: 'people', filetype: 'tsv', size: 10 }, { id: 'F2', name: 'b.csv' }];
    const read = readShortcutMessage({ channelId: 'C1', message: { ts: '1.2', user: 'U1', text: ids[0], files } });
    expect(read.kind === 'source' && read.source.file).toEqual({ id: 'F1', name: 'people', size: 10 });
    const byName = readShortcutMessage({ channelId: 'C1', message: { ts: '1.2', files: [{ id: 'F3', name: 'LIST.TXT', filetype: 'binary' }] } });
    expect(byName.kind === 'source' && byName.source.file?.id).toBe('F3');
  });

  it('finds nothing in a message without ids or a readable file, naming the files passed over', () => {
    expect(readShortcutMessage({ channelId: 'C1', message: { ts: '1.2', text: 'hello there', files: [{ id: 'F0', name: 'a.pdf', filetype: 'pdf' }] } })).toEqual({
      kind: 'nothing',
      otherFiles: ['a.pdf'],
      invalidCount: 2,
    });
  });
});

describe('the source in private_metadata', () => {
  it('packs each id in 16 characters and reads them back', () => {
    const many = sandboxParticipantIds(100, 250);
    expect(packIds(many)).toHaveLength(many.length * 16);
    expect(unpackIds(packIds(many))).toEqual(many);
  });

  it('round-trips a source and refuses what is not one', () => {
    const source = { channelId: 'C1', ts: '1.2', authorId: 'U1', permalink: 'https://x.slack.com/archives/C1/p12', file: null, text: { ids, invalid: ['a'], invalidCount: 4, duplicates: 2 } };
    expect(unpackMessageSource(JSON.parse(JSON.stringify(packMessageSource(source))))).toEqual(source);
    expect(unpackMessageSource({ channelId: 'C1', ts: '1', authorId: 'U1', file: null, text: null })).toBeNull();
    expect(unpackMessageSource('nonsense')).toBeNull();
  });
});
