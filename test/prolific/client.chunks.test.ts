import { DEFAULT_CHUNK_SIZE } from '../../src/prolific';
import { SEED_GROUP_IDS, sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import { type Fixture, startFixture } from './clientFixture';

let fx: Fixture;

beforeEach(async () => {
  fx = await startFixture();
});

afterEach(async () => {
  await fx.close();
});

const MEMBERS_PATH = `/api/v1/participant-groups/${SEED_GROUP_IDS.excluded}/participants/`;
const IDS = sandboxParticipantIds(100_001, 102_500);

function sentBodies(): number[] {
  return fx.sandbox.requests.map((r) => (r.body as { participant_ids: string[] }).participant_ids.length);
}

describe('addMembers in chunks', () => {
  test('2,500 ids with chunkSize 1000 go out as 1000, 1000, 500', async () => {
    const result = await fx.client.addMembers(SEED_GROUP_IDS.excluded, IDS, { chunkSize: 1000 });

    expect(result.complete).toBe(true);
    expect(result.chunks.map((c) => [c.index, c.status, c.ids.length])).toEqual([
      [0, 'applied', 1000],
      [1, 'applied', 1000],
      [2, 'applied', 500],
    ]);
    expect(result.appliedIds).toEqual(IDS);
    expect(result.members?.map((m) => m.participant_id)).toEqual(IDS);
    expect(sentBodies()).toEqual([1000, 1000, 500]);
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.excluded)).toEqual(IDS);
  });

  test('a 500 on the 2nd chunk: chunk 1 applied, 2 failed, 3 not sent; the group holds exactly chunk 1', async () => {
    fx.sandbox.faults.add({ method: 'POST', path: MEMBERS_PATH, calls: [2], status: 500 });

    const result = await fx.client.addMembers(SEED_GROUP_IDS.excluded, IDS, { chunkSize: 1000 });

    expect(result.complete).toBe(false);
    expect(result.chunks.map((c) => c.status)).toEqual(['applied', 'failed', 'not_sent']);
    expect(result.chunks[1]?.error).toMatchObject({ status: 500, ambiguous: true, attempts: 1 });
    expect(result.chunks[0]?.error).toBeUndefined();
    expect(result.appliedIds).toEqual(IDS.slice(0, 1000));
    expect(result.unappliedIds).toEqual(IDS.slice(1000));
    expect(result.members?.map((m) => m.participant_id)).toEqual(IDS.slice(0, 1000));
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.excluded)).toEqual(IDS.slice(0, 1000));
    expect(fx.sandbox.requests.map((r) => r.status)).toEqual([200, 500]);
  });

  test('a 503 on a chunk is retried and the run completes', async () => {
    fx.sandbox.faults.add({ method: 'POST', path: MEMBERS_PATH, calls: [2], status: 503 });

    const result = await fx.client.addMembers(SEED_GROUP_IDS.excluded, IDS, { chunkSize: 1000 });

    expect(result.complete).toBe(true);
    expect(fx.sandbox.requests.map((r) => r.status)).toEqual([200, 503, 200, 200]);
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.excluded)).toEqual(IDS);
  });

  test('a chunk whose answer was lost is resent; ids already added are ignored', async () => {
    fx.sandbox.faults.add({ method: 'POST', path: MEMBERS_PATH, calls: [1], drop: 'after' });

    const result = await fx.client.addMembers(SEED_GROUP_IDS.excluded, IDS, { chunkSize: 1000 });

    expect(result.complete).toBe(true);
    expect(sentBodies()).toEqual([1000, 1000, 1000, 500]);
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.excluded)).toEqual(IDS);
  });

  test('the first chunk failing leaves members null and every id unapplied', async () => {
    fx.sandbox.faults.add({ method: 'POST', path: MEMBERS_PATH, status: 403 });

    const result = await fx.client.addMembers(SEED_GROUP_IDS.excluded, IDS, { chunkSize: 1000 });

    expect(result.chunks.map((c) => c.status)).toEqual(['failed', 'not_sent', 'not_sent']);
    expect(result.chunks[0]?.error?.status).toBe(403);
    expect(result.members).toBeNull();
    expect(result.appliedIds).toEqual([]);
    expect(result.unappliedIds).toEqual(IDS);
  });

  test('the client default chunk size is used when none is given', async () => {
    const ids = sandboxParticipantIds(200_000, 200_000 + DEFAULT_CHUNK_SIZE);
    const result = await fx.client.addMembers(SEED_GROUP_IDS.excluded, ids);
    expect(result.chunks.map((c) => c.ids.length)).toEqual([DEFAULT_CHUNK_SIZE, 1]);
  });

  test('the constructor chunkSize applies to every call', async () => {
    const client = fx.clientWith({ chunkSize: 2000 });
    const result = await client.addMembers(SEED_GROUP_IDS.excluded, IDS);
    expect(result.chunks.map((c) => c.ids.length)).toEqual([2000, 500]);
  });

  test('no ids: no request', async () => {
    const result = await fx.client.addMembers(SEED_GROUP_IDS.excluded, []);
    expect(result).toEqual({ chunks: [], complete: true, appliedIds: [], unappliedIds: [], members: null });
    expect(fx.sandbox.requests).toHaveLength(0);
  });

  test('a bad chunk size is refused before sending', async () => {
    await expect(fx.client.addMembers(SEED_GROUP_IDS.excluded, IDS, { chunkSize: 0 })).rejects.toThrow(RangeError);
    expect(fx.sandbox.requests).toHaveLength(0);
  });

  test('the log carries id counts, never ids', async () => {
    await fx.client.addMembers(SEED_GROUP_IDS.excluded, IDS, { chunkSize: 1000 });
    expect(fx.logs.map((l) => l.fields?.['ids'])).toEqual([1000, 1000, 500]);
    const logged = JSON.stringify(fx.logs);
    expect(IDS.some((id) => logged.includes(id))).toBe(false);
  });
});

describe('removeMembers in chunks', () => {
  test('removes in chunks and reports the remaining membership', async () => {
    const ids = sandboxParticipantIds(1, 2500);
    const result = await fx.client.removeMembers(SEED_GROUP_IDS.mainPanel, ids, { chunkSize: 1000 });

    expect(result.complete).toBe(true);
    expect(fx.sandbox.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE', 'DELETE']);
    expect(result.members?.map((m) => m.participant_id)).toEqual(sandboxParticipantIds(2501, 5000));
  });

  test('stops at the first failing chunk', async () => {
    fx.sandbox.faults.add({ method: 'DELETE', path: /participants\/$/, calls: [2], status: 500 });
    const ids = sandboxParticipantIds(1, 2500);

    const result = await fx.client.removeMembers(SEED_GROUP_IDS.mainPanel, ids, { chunkSize: 1000 });

    expect(result.chunks.map((c) => c.status)).toEqual(['applied', 'failed', 'not_sent']);
    expect(fx.sandbox.state.members(SEED_GROUP_IDS.mainPanel)).toEqual(sandboxParticipantIds(1001, 5000));
  });
});
