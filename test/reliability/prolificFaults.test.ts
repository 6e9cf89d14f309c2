// Prolific failing under a confirmation: throttling, gateway errors, a request that never
// answers, a connection lost in the middle of a PATCH. Each is retried where that is safe; where
// the outcome is unknown, the user is told so and shown the group as it really is.
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { ask, clickAndWaitForUpdate, freshGroup, newIds, patchesOf, previewUpload, sorted } from './conversation';


const e2e = useE2E({
    env: { NOTIFY_CHANNEL: 'C_NOTIFY' },
    // Small timeouts so a hanging request fails within the test; three attempts per request.
    prolific: { headersTimeoutMs: 800, bodyTimeoutMs: 800, maxAttempts: 3, backoffBaseMs: 5, backoffMaxMs: 20 },
  });

const groupPath = (id: string) => new RegExp(`^/api/v1/participant-groups/${id}/$`);

async function auditOf(operationGroupId: string) {
  return e2e.store.listAudit({ groupId: operationGroupId, limit: 20, offset: 0 });
}

describe('throttling', () => {
  it('waits out a burst of 429s for as long as Retry-After says, then applies the change once', async () => {
    const group = freshGroup(e2e, 'Throttled group', 710_000, 4);
    const target = newIds(711_000, 3);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 2, status: 429, retryAfterSeconds: 0.3 });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    expect(messageText(outcome)).toContain('Done');
    const patches = patchesOf(e2e, group.id);
    expect(patches.map((p) => p.status)).toEqual([429, 429, 200]);
    // Retry-After was honoured: each retry came at least 0.3 s after the refusal.
    for (let i = 1; i < patches.length; i++) expect(patches[i]!.at.getTime() - patches[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(290);
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
    expect((await auditOf(group.id)).map((a) => a.outcome)).toEqual(['applied']);
  });

  it('reports a throttle that outlasts the retries as a failure that wrote nothing, and lets the user try again', async () => {
    const group = freshGroup(e2e, 'Throttled for long', 712_000, 4);
    const before = e2e.sandbox.state.members(group.id);
    const preview = await previewUpload(e2e, group.id, 'replace', newIds(713_000, 2));
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 3, status: 429, retryAfterSeconds: 0.05 });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the failure');
    const text = messageText(outcome);
    expect(text).toContain('The change failed');
    expect(text).toContain('Nothing was written');
    expect(text).toContain('has 4 members right now');
    expect(patchesOf(e2e, group.id)).toHaveLength(3);
    expect(e2e.sandbox.state.members(group.id)).toEqual(before);
    expect((await auditOf(group.id)).map((a) => a.outcome)).toEqual(['failed']);

    // Preview again, confirm again: this time Prolific answers.
    const again = await clickAndWaitForUpdate(e2e, outcome, 'op_retry', 'the fresh preview');
    expect(findButton(again, 'op_confirm')).toBeDefined();
    const done = await clickAndWaitForUpdate(e2e, again, 'op_confirm', 'the outcome');
    expect(messageText(done)).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(newIds(713_000, 2)));
  });
});

describe('server errors', () => {
  it('retries 502 and 503 on a PATCH and applies the change once', async () => {
    const group = freshGroup(e2e, 'Gateway trouble', 720_000, 5);
    const target = newIds(721_000, 5);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), calls: [1], status: 502 });
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), calls: [2], status: 503 });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    expect(messageText(outcome)).toContain('Done');
    const patches = patchesOf(e2e, group.id);
    expect(patches.map((p) => p.status)).toEqual([502, 503, 200]);
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
    // An overwrite is sent again only after the group was read and found as it was.
    const memberReads = e2e.sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/participant-groups/${group.id}/participants/`);
    for (const [earlier, later] of [[patches[0]!, patches[1]!], [patches[1]!, patches[2]!]] as const) {
      expect(memberReads.some((r) => r.at >= earlier.at && r.at <= later.at)).toBe(true);
    }
  });

  it('does not repeat a PATCH that got a 500, tells the user the outcome is unknown and shows the group as it is', async () => {
    const group = freshGroup(e2e, 'Server bug', 722_000, 6);
    const target = newIds(723_000, 2);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, status: 500 });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the failure');
    const text = messageText(outcome);
    expect(text).toContain('The outcome is unknown');
    expect(text).toContain('Internal server error');
    // The group was read again after the failure.
    expect(text).toContain('*Server bug* has 6 members right now');
    expect(patchesOf(e2e, group.id)).toHaveLength(1);
    const reads = e2e.sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/participant-groups/${group.id}/`);
    expect(reads[reads.length - 1]!.at.getTime()).toBeGreaterThanOrEqual(patchesOf(e2e, group.id)[0]!.at.getTime());
    expect((await auditOf(group.id))[0]).toMatchObject({ outcome: 'unknown', afterCount: 6 });
  });

  it('retries a 503 on a read before the preview', async () => {
    const group = freshGroup(e2e, 'Flaky read', 724_000, 2);
    e2e.sandbox.faults.add({ method: 'GET', path: groupPath(group.id), times: 2, status: 503 });
    const card = await ask(e2e, `show ${group.id}`, (t) => t.includes('Flaky read'));
    expect(messageText(card)).toContain('group_add_ids_open');
  });

  it('does not repeat a create after an ambiguous failure, and reports the failure when no such group appeared', async () => {
    // The gateway answers 502 before Prolific acts: the group is not created.
    e2e.sandbox.faults.add({ method: 'POST', path: '/api/v1/participant-groups/', times: 1, status: 502 });
    const before = e2e.sandbox.requests.length;
    const reply = await ask(e2e, 'create "Made once"', (t) => t.includes('Made once') || t.includes('Prolific'));
    expect(messageText(reply)).toContain('Prolific said: Bad gateway');
    expect(reply.ephemeralTo).toBe('U_ALICE');
    const posts = e2e.sandbox.requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/api/v1/participant-groups/');
    expect(posts).toHaveLength(1);
    expect(e2e.sandbox.state.listGroups().filter((g) => g.name === 'Made once')).toEqual([]);
  });
});

describe('a request that never answers', () => {
  it('gives up on a hanging PATCH after the timeout, retries it, and reports the unknown outcome with the real membership', async () => {
    const group = freshGroup(e2e, 'Silent server', 730_000, 3);
    const preview = await previewUpload(e2e, group.id, 'replace', newIds(731_000, 3));
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), hang: true });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the failure');
    const text = messageText(outcome);
    expect(text).toContain('The outcome is unknown');
    expect(text).toContain('*Silent server* has 3 members right now');
    expect(text).toContain('does not show the requested change');
    // A PATCH gives the same result when repeated, so the timed-out request was retried.
    expect(patchesOf(e2e, group.id)).toHaveLength(3);
    expect(findButton(outcome, 'op_retry')).toBeDefined();
    expect((await auditOf(group.id))[0]).toMatchObject({ outcome: 'unknown', afterCount: 3 });
  });

  it('retries a read that hangs once', async () => {
    const group = freshGroup(e2e, 'Slow read', 732_000, 2);
    e2e.sandbox.faults.add({ method: 'GET', path: groupPath(group.id), times: 1, hang: true });
    const card = await ask(e2e, `show ${group.id}`, (t) => t.includes('Slow read'));
    expect(messageText(card)).toContain('group_add_ids_open');
  });
});

describe('a connection reset in the middle of a PATCH', () => {
  it('does not repeat a PATCH whose answer was lost: the group, read again, shows the change, so it is applied once', async () => {
    const group = freshGroup(e2e, 'Reset once', 740_000, 4);
    const target = newIds(741_000, 4);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, drop: 'after' });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    expect(messageText(outcome)).toContain('Done');
    expect(patchesOf(e2e, group.id).map((p) => p.status)).toEqual([0]);
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
    expect((await auditOf(group.id)).map((a) => a.outcome)).toEqual(['applied']);
    await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('Reset once'), 'the notification');
  });

  it('when every answer is lost, reads the group to learn that the change took effect, and says so', async () => {
    const group = freshGroup(e2e, 'Always reset', 742_000, 4);
    const target = newIds(743_000, 2);
    const preview = await previewUpload(e2e, group.id, 'replace', target);
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), drop: 'after' });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    const text = messageText(outcome);
    expect(text).toContain('Done');
    expect(text).toContain('4 → 2');
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
    expect((await auditOf(group.id)).map((a) => a.outcome)).toEqual(['applied']);
  });

  it('when the connection drops before Prolific acts, every time, says the outcome is unknown and shows the unchanged group', async () => {
    const group = freshGroup(e2e, 'Never reached', 744_000, 5);
    const before = e2e.sandbox.state.members(group.id);
    const preview = await previewUpload(e2e, group.id, 'replace', newIds(745_000, 2));
    e2e.sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), drop: 'before' });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the failure');
    const text = messageText(outcome);
    expect(text).toContain('The outcome is unknown');
    expect(text).toContain('*Never reached* has 5 members right now');
    expect(e2e.sandbox.state.members(group.id)).toEqual(before);
    expect(patchesOf(e2e, group.id)).toHaveLength(3);
    expect(findButton(outcome, 'op_retry')).toBeDefined();
  });

  it('a chunked removal whose connection resets is repeated, and the removal is applied once', async () => {
    const group = freshGroup(e2e, 'Reset removal', 746_000, 6);
    const gone = e2e.sandbox.state.members(group.id).slice(0, 2);
    const preview = await ask(e2e, `remove ${group.id} ${gone.join(' ')}`, (t) => t.includes('op_confirm'));
    e2e.sandbox.faults.add({ method: 'DELETE', path: new RegExp(`^/api/v1/participant-groups/${group.id}/participants/$`), times: 1, drop: 'after' });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    expect(messageText(outcome)).toContain('Done');
    expect(e2e.sandbox.state.members(group.id)).toHaveLength(4);
    await eventually(async () => (await auditOf(group.id)).length === 1, 'the audit entry');
  });
});
