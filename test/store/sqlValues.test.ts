import { loadPglite, pgliteOptions } from '../../src/store/pgliteDatabase';
import { openStore } from '../../src/store';
import { packedCount, packIds, unpackIds } from '../../src/store/sqlValues';

const ID_A = '5f8d0d55b54764421b7156c9';
const ID_B = '60a7e3f2c4b1d9e8f7a6b5c4';

describe('packIds', () => {
  it('gives 12 bytes per Prolific id, the ids read two digits a byte', () => {
    const packed = packIds([ID_A, ID_B]);
    expect(packed.text).toBe('');
    expect(packed.bytes?.toString('hex')).toBe(ID_A + ID_B);
    expect(packedCount(packed)).toBe(2);
    expect(unpackIds(packed.text, packed.bytes!.toString('hex'))).toEqual([ID_A, ID_B]);
  });

  it('keeps the text form for a list with any id not in the canonical form', () => {
    for (const other of ['5F8D0D55B54764421B7156C9', '5f8d0d55b54764421b7156cg', 'abc', `${ID_A}0`]) {
      const packed = packIds([ID_A, other]);
      expect(packed).toEqual({ text: `${ID_A}\n${other}`, bytes: null });
      expect(packedCount(packed)).toBe(2);
      expect(unpackIds(packed.text, null)).toEqual([ID_A, other]);
    }
    expect(packIds([])).toEqual({ text: '', bytes: null });
  });
});

describe('a bytea parameter on PGlite', () => {
  it('is handed to the protocol as the bytes themselves (sent in the binary format), not as hex text', () => {
    const { PGlite } = loadPglite();
    const serialize = pgliteOptions(PGlite).serializers?.[17];
    const bytes = Buffer.from(ID_A, 'hex');
    expect(serialize?.(bytes)).toBe(bytes);
    expect(() => serialize?.(ID_A)).toThrow(/byte array/);
  });

  it('stores a packed list of 100,000 ids that reads back the same', async () => {
    const store = await openStore({});
    try {
      const ids = Array.from({ length: 100_000 }, (_, i) => (BigInt(`0x${ID_A}`) + BigInt(i * 7919)).toString(16).padStart(24, '0'));
      const op = await store.createOperation({
        kind: 'replace',
        groupId: 'g1',
        groupName: 'Panel',
        slackUserId: 'U1',
        slackTeamId: 'T1',
        channelId: null,
        participantIds: ids,
        baselineIds: ids.slice(0, 3),
        baselineName: 'Panel',
        newName: null,
        snapshotId: null,
        details: {},
        message: null,
        ttlMs: 60_000,
      });
      const read = await store.getOperation(op.id);
      expect(read?.participantIds).toEqual(ids);
      expect(read?.baselineIds).toEqual(ids.slice(0, 3));
    } finally {
      await store.close();
    }
  });
});
