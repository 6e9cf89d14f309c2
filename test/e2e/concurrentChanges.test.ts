// Two changes to one group confirmed at the same time, through two app instances on one database:
// the second waits for the first, re-reads the group, and writes nothing over it; its user gets a
// fresh preview. Prolific's answer to the first write is slowed down (the sandbox's latency
// fault) so that the second confirmation lands while the first is being written.
//
// On PostgreSQL each instance has its own store (its own pool), as two processes would; PGlite is
// one process's embedded database, so there the two instances share one store object.
import type { LocalMessage } from '../../src/local/slack';
import { type E2E, findButton, messageText } from '../harness/e2e';
import { ALICE, freshGroup, newIds, patchesOf, previewUpload, sorted } from '../reliability/conversation';
import { useTwoInstances } from '../harness/twoInstances';
import { eventually } from '../support/eventually';
import { sharedDatabases } from '../support/sharedDatabases';

const BOB = 'U_BOB';

const groupPath = (id: string) => `/api/v1/participant-groups/${id}/`;
const membersPath = (id: string) => `/api/v1/participant-groups/${id}/participants/`;

/** The message once its text matches, after it has been replaced in place. */
function outcomeOf(e2e: E2E, message: LocalMessage, pattern: RegExp, what: string): Promise<LocalMessage> {
  return eventually(() => {
    const now = e2e.slack.message(message.channel, message.ts);
    return now && now.updatedCount > message.updatedCount && pattern.test(messageText(now)) && now;
  }, what, 20_000);
}

describe.each(sharedDatabases)('changes to one group through two instances on one $driver database', (database) => {
  const { sandbox, slack, a, b } = useTwoInstances(database, { NOTIFY_CHANNEL: 'C_NOTIFY' });
  afterEach(() => {
    sandbox.faults.clear();
    expect(slack.blockKitViolations.splice(0)).toEqual([]);
  });

  it('two Replace previews confirmed within one PATCH: the first is written, the second writes nothing and gets a fresh preview', async () => {
    const group = freshGroup(a, `Two replaces ${database.driver}`, 910_000, 4);
    const aliceList = newIds(911_000, 3);
    const bobList = newIds(912_000, 2);
    const alicePreview = await previewUpload(a, group.id, 'replace', aliceList, ALICE);
    const bobPreview = await previewUpload(b, group.id, 'replace', bobList, BOB);
    const bobOperation = findButton(bobPreview, 'op_confirm')!.value!;

    sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, latencyMs: 2000 });
    await a.click(alicePreview, 'op_confirm', ALICE);
    await eventually(() => patchesOf(a, group.id).length === 1, "Alice's PATCH to reach Prolific");
    await b.click(bobPreview, 'op_confirm', BOB);

    expect(messageText(await outcomeOf(a, alicePreview, /Done/, "Alice's outcome"))).toContain('replaced the members');
    const bobNow = await outcomeOf(b, bobPreview, /changed since your preview/, "Bob's fresh preview");
    expect(messageText(bobNow)).toContain('Nothing was written');
    // The fresh preview is against the group as Alice left it: confirming it would replace her 3 members.
    const fresh = findButton(bobNow, 'op_confirm')!.value!;
    expect(fresh).not.toBe(bobOperation);
    expect(sorted((await b.store.getOperation(fresh))!.baselineIds)).toEqual(sorted(aliceList));

    expect(patchesOf(a, group.id)).toHaveLength(1);
    expect(sorted(sandbox.state.members(group.id))).toEqual(sorted(aliceList));
    expect((await a.store.getOperation(bobOperation))?.status).toBe('cancelled');
    const audit = await a.store.listAudit({ groupId: group.id, limit: 10, offset: 0 });
    expect(audit.map((e) => [e.slackUserId, e.action, e.outcome])).toEqual([[ALICE, 'replace', 'applied']]);
  });

  it('a Replace confirmed while an Add is being written waits for it, writes nothing over it, and gets a fresh preview', async () => {
    const group = freshGroup(a, `Add then replace ${database.driver}`, 920_000, 4);
    const original = sandbox.state.members(group.id);
    const added = newIds(921_000, 3);
    const bobList = newIds(922_000, 2);
    const bobPreview = await previewUpload(b, group.id, 'replace', bobList, BOB);

    // The Add is written slowly; a PATCH would be slower still, so without the lock it would land
    // after the Add and erase it.
    sandbox.faults.add({ method: 'POST', path: membersPath(group.id), times: 1, latencyMs: 1500 });
    sandbox.faults.add({ method: 'PATCH', path: groupPath(group.id), times: 1, latencyMs: 3000 });
    const before = slack.messages().length;
    expect((await a.pgroup(`add ${group.id} ${added.join(' ')}`)).status).toBe(200);
    await eventually(() => sandbox.requests.some((r) => r.method === 'POST' && r.path === membersPath(group.id)), "Alice's add to reach Prolific");
    await b.click(bobPreview, 'op_confirm', BOB);

    const aliceDone = await eventually(
      () => slack.messages().slice(before).find((m) => m.ephemeralTo === ALICE && /Done: you added 3 participants/.test(messageText(m))),
      "Alice's outcome",
    );
    expect(messageText(aliceDone)).toContain('4 → 7');
    const bobNow = await outcomeOf(b, bobPreview, /changed since your preview/, "Bob's fresh preview");
    expect(messageText(bobNow)).toContain('3 participants joined');
    expect(messageText(bobNow)).toContain('Nothing was written');

    expect(patchesOf(a, group.id)).toHaveLength(0);
    expect(sorted(sandbox.state.members(group.id))).toEqual(sorted([...original, ...added]));
    const audit = await a.store.listAudit({ groupId: group.id, limit: 10, offset: 0 });
    expect(audit.map((e) => [e.slackUserId, e.action, e.outcome])).toEqual([[ALICE, 'add', 'applied']]);
  });
});
