import type { GroupMember, ParticipantGroup } from '../../src/prolific/types';
import { GroupMembersCache } from '../../src/services/groupMembersCache';

const group = (id: string) => ({ id, name: id, workspace_id: 'w' }) as ParticipantGroup;
const member = (participant_id: string): GroupMember => ({ participant_id, datetime_created: '2026-11-01T10:00:00Z' });

describe('GroupMembersCache', () => {
  let now = 0;
  let reads: string[];
  let fail: Set<string>;
  const make = () =>
    new GroupMembersCache(
      async (g) => {
        reads.push(g.id);
        if (fail.has(g.id)) throw new Error('Prolific did not answer');
        return [member('a'), member(`${g.id}-b`)];
      },
      { ttlMs: 1000, now: () => now },
    );
  beforeEach(() => {
    now = 0;
    reads = [];
    fail = new Set();
  });

  it('reads a group once within the TTL, and again after it or once invalidated', async () => {
    const cache = make();
    await Promise.all([cache.members(group('g1')), cache.members(group('g1'))]);
    now = 999;
    await cache.members(group('g1'));
    expect(reads).toEqual(['g1']);
    now = 1000;
    await cache.members(group('g1'));
    cache.invalidate('g1');
    await cache.members(group('g1'));
    expect(reads).toEqual(['g1', 'g1', 'g1']);
  });

  it('keeps no failed read', async () => {
    const cache = make();
    fail.add('g2');
    await expect(cache.members(group('g2'))).rejects.toThrow('Prolific did not answer');
    fail.clear();
    expect((await cache.members(group('g2'))).map((m) => m.participant_id)).toEqual(['a', 'g2-b']);
    expect(reads).toEqual(['g2', 'g2']);
  });

  it('purge takes a participant out of every list kept, without reading again', async () => {
    const cache = make();
    await cache.members(group('g1'));
    await cache.members(group('g3'));
    cache.purge('a');
    expect((await cache.members(group('g1'))).map((m) => m.participant_id)).toEqual(['g1-b']);
    expect((await cache.members(group('g3'))).map((m) => m.participant_id)).toEqual(['g3-b']);
    expect(reads).toEqual(['g1', 'g3']);
  });
});
