// A failed confirmation is reported and recorded as facts: the cause, what was written, what
// landed anyway, the group as re-read. The words come only from the renderer.
import { SEED_WORKSPACE_ID, sandboxParticipantIds } from '../../../src/local/prolific-sandbox';
import type { Actor } from '../../../src/services/actor';
import { ChangeService, type FailedChange, readFailure } from '../../../src/services/changes';
import { ServedGroups, servesWorkspaces } from '../../../src/services/servedGroups';
import { failureSummary, renderFailed } from '../../../src/slack/blocks/failedChange';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/store/types';
import { type Fixture, startFixture } from '../../prolific/clientFixture';

const ALICE: Actor = { userId: 'U_ALICE', teamId: 'T_HOME' };
let fx: Fixture;
let store: Store;
let changes: ChangeService;
let next = 7_100_000;
/** What the sandbox says with a 503, as the client reports it. */
const SAID_503 = 'Service unavailable: Simulated service unavailable.';

beforeAll(async () => {
  // Chunks of 100, and 3 attempts a request, so a chunk failing calls 2–4 fails for good.
  fx = await startFixture({}, { chunkSize: 100 });
  store = await openStore();
  changes = new ChangeService(fx.client, store, { pendingTtlMs: 60_000, failureSummary, groups: new ServedGroups(fx.client, servesWorkspaces([SEED_WORKSPACE_ID])) });
});

afterAll(async () => {
  await store.close();
  await fx.close();
});

afterEach(() => fx.sandbox.faults.clear());

function group(name: string, size: number) {
  const members = sandboxParticipantIds(next, next + size - 1);
  next += size;
  const created = fx.sandbox.state.createGroup({ name, workspace_id: SEED_WORKSPACE_ID, participant_ids: members });
  return { id: created.id, members, membersPath: `/api/v1/participant-groups/${created.id}/participants/` };
}

function outsiders(count: number): string[] {
  const ids = sandboxParticipantIds(next, next + count - 1);
  next += count;
  return ids;
}

async function confirmFailure(op: { id: string }): Promise<FailedChange> {
  const result = await changes.confirm(op.id, ALICE);
  if (result.kind !== 'failed') throw new Error(`expected a failure, got ${result.kind}`);
  return result.failure;
}

/** Every string anywhere in a stored value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('a failed write is reported as facts', () => {
  it('an add stopped part-way: applied, refused, landed anyway and not sent, recorded as the user was told', async () => {
    const g = group('Chunked add facts', 20);
    const ids = outsiders(250);
    const op = await changes.previewMembership({ mode: 'add', groupId: g.id, ids, actor: ALICE, channelId: null, source: null });
    fx.sandbox.faults.add({ method: 'POST', path: g.membersPath, calls: [2, 3, 4], status: 503 });

    const failure = await confirmFailure(op);
    expect(failure.cause).toEqual({ kind: 'prolific', said: SAID_503 });
    expect(failure.written).toEqual({ kind: 'chunks', chunks: { mode: 'add', applied: 100, refused: 100, landedAnyway: 0, notSent: 50 } });
    expect(failure.outcomeUnknown).toBe(false);
    expect(failure.current).toEqual({ name: 'Chunked add facts', count: 120, matchesTarget: false });

    const stored = (await store.getOperation(op.id))!;
    expect(stored.status).toBe('failed');
    expect(stored.result).toEqual({ snapshotId: expect.any(String), outcomeUnknown: false, cause: failure.cause, written: failure.written, current: failure.current });
    // Prolific's own words are the only text the record keeps.
    expect(strings(stored.result).filter((s) => s !== stored.result?.snapshotId).sort()).toEqual(['Chunked add facts', SAID_503, 'add', 'chunks', 'prolific'].sort());
    expect(stored.error).toBe(SAID_503);
    // What the requester saw is what the record renders to.
    expect(renderFailed(readFailure(stored))).toEqual(renderFailed(failure));

    const [entry] = await store.listAudit({ groupId: g.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ outcome: 'partial', afterCount: 120, error: `${SAID_503} 100 of 250 ids were added before it stopped.` });
    expect(entry?.error).toBe(failureSummary(failure));
  });

  it('a remove whose refused chunk Prolific applied anyway says how many landed', async () => {
    const g = group('Chunked remove facts', 260);
    const op = await changes.previewMembership({ mode: 'remove', groupId: g.id, ids: g.members.slice(0, 250), actor: ALICE, channelId: null, source: null });
    // The 2nd chunk is applied each time, and its answer lost.
    fx.sandbox.faults.add({ method: 'DELETE', path: g.membersPath, calls: [2, 3, 4], drop: 'after' });
    const failure = await confirmFailure(op);
    expect(failure.cause.kind).toBe('prolific');
    expect(failure.written).toEqual({ kind: 'chunks', chunks: { mode: 'remove', applied: 100, refused: 100, landedAnyway: 100, notSent: 50 } });
    expect(failure.current?.count).toBe(60);
  });

  it('a replace Prolific did not confirm, and the group does not show: unconfirmed, of unknown outcome', async () => {
    const g = group('Unconfirmed replace', 5);
    const op = await changes.previewMembership({ mode: 'replace', groupId: g.id, ids: outsiders(3), actor: ALICE, channelId: null, source: null });
    fx.sandbox.faults.add({ method: 'PATCH', path: `/api/v1/participant-groups/${g.id}/`, status: 503 });
    const failure = await confirmFailure(op);
    expect(failure).toMatchObject({ cause: { kind: 'prolific', said: SAID_503 }, written: { kind: 'unconfirmed' }, outcomeUnknown: true });
    expect(failure.current).toEqual({ name: 'Unconfirmed replace', count: 5, matchesTarget: false });
    const [entry] = await store.listAudit({ groupId: g.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ outcome: 'unknown', error: SAID_503 });
  });

  it('a refused rename wrote nothing, and says so', async () => {
    const g = group('Refused rename', 2);
    const op = await changes.previewRename({ groupId: g.id, newName: 'Never applied', actor: ALICE, channelId: null });
    fx.sandbox.faults.add({ method: 'PATCH', path: `/api/v1/participant-groups/${g.id}/`, status: 400 });
    const failure = await confirmFailure(op);
    expect(failure.written).toEqual({ kind: 'nothing' });
    expect(failure.outcomeUnknown).toBe(false);
    expect(failure.cause.kind).toBe('prolific');
    expect(failure.current).toEqual({ name: 'Refused rename', count: 2, matchesTarget: false });
  });

  it('a confirmation cut short before its write is recovered as "stopped", with nothing written', async () => {
    const g = group('Cut short', 3);
    const op = await changes.previewMembership({ mode: 'replace', groupId: g.id, ids: outsiders(2), actor: ALICE, channelId: null, source: null });
    await store.transitionOperation(op.id, ['pending'], 'applying');
    const settled = (await changes.recoverStuckOperations({ olderThanMs: 0, now: new Date(Date.now() + 1000) })).find((r) => r.kind === 'failed' && r.failure.operation.id === op.id);
    expect(settled).toMatchObject({ failure: { cause: { kind: 'stopped', mayHaveWritten: false }, written: { kind: 'nothing' }, outcomeUnknown: false } });
    const stored = (await store.getOperation(op.id))!;
    expect(stored.error).toBeNull();
    expect(stored.result).toMatchObject({ cause: { kind: 'stopped', mayHaveWritten: false }, written: { kind: 'nothing' } });
    const [entry] = await store.listAudit({ groupId: g.id, limit: 1, offset: 0 });
    expect(entry?.error).toBe('The app stopped before it wrote the change to Prolific.');
  });

  it('a group changed since the preview: the cancelled operation records how, not a sentence', async () => {
    const g = group('Drifted', 4);
    const op = await changes.previewMembership({ mode: 'add', groupId: g.id, ids: outsiders(2), actor: ALICE, channelId: null, source: null });
    fx.sandbox.state.addMembers(g.id, outsiders(1));
    const result = await changes.confirm(op.id, ALICE);
    expect(result.kind).toBe('stale');
    const stored = (await store.getOperation(op.id))!;
    expect(stored).toMatchObject({ status: 'cancelled', error: null, result: { groupChanged: { added: 1, removed: 0, renamedTo: null } } });
  });
});
