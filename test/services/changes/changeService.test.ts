// ChangeService.confirm and the group write lock, without Slack: a confirmation waits for the
// group's lock, and when the wait runs out it claims and writes nothing, so the same preview can
// be confirmed later.
import { createSandbox, SEED_WORKSPACE_ID, type Sandbox, sandboxParticipantId } from '../../../src/local/prolific-sandbox';
import { ProlificClient } from '../../../src/prolific';
import { ChangeService } from '../../../src/services/changes';
import { ServedGroups, servesWorkspaces } from '../../../src/services/servedGroups';
import { failureSummary } from '../../../src/slack/blocks/failedChange';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/store/types';

let sandbox: Sandbox;
let store: Store;
let client: ProlificClient;
beforeAll(async () => {
  sandbox = await createSandbox();
  store = await openStore();
  client = new ProlificClient({ token: sandbox.token, baseUrl: sandbox.url, backoffBaseMs: 5, backoffMaxMs: 50 });
});
afterAll(async () => {
  await client?.close();
  await store?.close();
  await sandbox?.close();
});

const alice = { userId: 'U_ALICE', teamId: 'T_TEST' };

it('a confirmation that cannot get the group lock in time claims nothing and writes nothing; the preview stays confirmable', async () => {
  const group = sandbox.state.createGroup({ name: 'Busy group', workspace_id: SEED_WORKSPACE_ID, participant_ids: [sandboxParticipantId(930_000)] });
  const changes = new ChangeService(client, store, { pendingTtlMs: 60_000, failureSummary, groups: new ServedGroups(client, servesWorkspaces([SEED_WORKSPACE_ID])), instanceId: 'this-instance', writeLock: { waitMs: 200 } });
  const added = sandboxParticipantId(930_001);
  const op = await changes.previewMembership({ mode: 'add', groupId: group.id, ids: [added], actor: alice, channelId: null, source: null });

  // Another instance is writing this group (its lease runs for a minute).
  expect(await store.tryLockGroup(group.id, 'other-instance', 60_000)).not.toBeNull();
  const writesBefore = sandbox.requests.filter((r) => r.method !== 'GET').length;
  expect(await changes.confirm(op.id, alice)).toMatchObject({ kind: 'refused', reason: 'group_busy' });
  expect((await store.getOperation(op.id))?.status).toBe('pending');
  expect(sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);

  // Once the other write is done, the same preview is confirmed and written once.
  await store.unlockGroup(group.id, 'other-instance');
  expect(await changes.confirm(op.id, alice)).toMatchObject({ kind: 'applied', change: { added: 1 } });
  expect(sandbox.state.members(group.id)).toContain(added);
  expect(await store.getGroupLock(group.id)).toBeNull();
});
