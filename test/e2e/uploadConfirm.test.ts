// Confirming an uploaded change through the real bot: the write happens once and exactly as
// previewed, or not at all (cancel, a second click, a group that changed, another user), and a
// Prolific failure is reported exactly, with the group re-read and a retry offered.

import { sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { csvOf, current, messageKeys, newGroup, operationIdOf, uploadToPreview, waitForNew } from '../harness/uploads';

const ALICE = 'U_ALICE';
const BOB = 'U_BOB';
/** Small chunks, so that an add or remove of a few hundred ids goes out in several requests. */
const CHUNK_SIZE = 100;

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' }, prolific: { chunkSize: CHUNK_SIZE } });


function requestsTo(path: string, method: string, from = 0) {
  return e2e.sandbox.requests.slice(from).filter((r) => r.path === path && r.method === method);
}

function writesSince(from: number) {
  return e2e.sandbox.requests.slice(from).filter((r) => r.method !== 'GET');
}

/** Waits until the preview message has been replaced by text that matches. */
function replaced(preview: Parameters<typeof current>[1], match: string) {
  return eventually(() => {
    const now = current(e2e, preview);
    return now.updatedCount > 0 && messageText(now).includes(match) && now;
  }, `the preview replaced by “${match}”`);
}

describe('confirm', () => {
  it('Replace: the group then holds exactly the file’s valid ids, written by one PATCH; outcome, notification and count follow', async () => {
    const g = newGroup(e2e, 'Confirm replace', 300);
    const kept = g.members.slice(0, 150);
    const added = g.outsiders(200);
    const valid = [...kept, ...added];
    const file = `${csvOf(valid)}${added[0]}\nnot-an-id\n${kept[0]!.toUpperCase()}\n`;
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', file: { name: 'final.csv', content: file } });
    const from = e2e.sandbox.requests.length;
    const notesBefore = messageKeys(e2e);

    await e2e.click(preview, 'op_confirm');
    const outcome = await replaced(preview, 'Done');

    expect(new Set(e2e.sandbox.state.members(g.id))).toEqual(new Set(valid));
    expect(e2e.sandbox.state.members(g.id)).toHaveLength(350);
    const patches = requestsTo(g.path, 'PATCH', from);
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toEqual({ participant_ids: valid });
    expect(writesSince(from)).toHaveLength(1);

    // The resulting participant_count is read back after the write.
    expect(e2e.sandbox.state.getGroup(g.id)?.participant_count).toBe(350);
    const reads = e2e.sandbox.requests.slice(from).filter((r) => r.path === g.path && r.method === 'GET');
    expect(reads.at(-1)!.at.getTime()).toBeGreaterThanOrEqual(patches[0]!.at.getTime());

    const text = messageText(outcome);
    expect(text).toContain('Done: you replaced the members of *Confirm replace*');
    expect(text).toContain('300 → 350 (+200 / −150)');
    expect(text).not.toContain('Prolific now reports');
    expect(findButton(outcome, 'op_undo')?.value).toBe(operationId);
    expect(findButton(outcome, 'op_confirm')).toBeUndefined();

    const note = await waitForNew(e2e, notesBefore, (t, m) => m.channel === 'C_NOTIFY' && t.includes('Confirm replace'), 'the channel notification');
    expect(note.ephemeralTo).toBeUndefined();
    expect(messageText(note)).toContain('<@U_ALICE> replaced the members of *Confirm replace*');
    // Where the ids came from is a detail, in the notification's thread.
    const details = await eventually(() => e2e.slack.replies('C_NOTIFY', note.ts)[0], 'the notification’s thread reply');
    expect(messageText(details)).toContain('file final.csv');
    expect(findButton(note, 'op_undo')?.value).toBe(operationId);

    const op = (await e2e.store.getOperation(operationId))!;
    expect(op.status).toBe('applied');
    const snapshot = await e2e.store.getSnapshot(String(op.result?.snapshotId));
    expect(new Set(snapshot?.memberIds)).toEqual(new Set(g.members));
    const audit = await e2e.store.listAudit({ groupId: g.id, limit: 10, offset: 0 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'replace', outcome: 'applied', slackUserId: ALICE, beforeCount: 300, afterCount: 350, added: 200, removed: 150, operationId });
  });

  it('says so when Prolific reports another count after the write than the plan predicted', async () => {
    const g = newGroup(e2e, 'Count check', 20);
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'add', pasted: g.outsiders(5).join(' ') });
    const group = e2e.sandbox.state.getGroup(g.id)!;
    // A feeder study adds someone right after the write: the read-back after the PATCH shows 26.
    e2e.sandbox.faults.add({ method: 'GET', path: g.path, calls: [2], status: 200, contentType: 'application/json', body: JSON.stringify({ ...group, participant_count: 26 }) });
    await e2e.click(preview, 'op_confirm');
    const outcome = await replaced(preview, 'Done');
    expect(messageText(outcome)).toContain('20 → 26 (+5 / −0)');
    expect(messageText(outcome)).toContain('Prolific now reports 26 members, not the 25 expected');
  });
});

describe('nothing is written', () => {
  it('on Cancel', async () => {
    const g = newGroup(e2e, 'Cancel me', 30);
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', pasted: g.outsiders(3).join('\n') });
    const from = e2e.sandbox.requests.length;
    await e2e.click(preview, 'op_cancel');
    const cancelled = await replaced(preview, 'Cancelled');
    expect(messageText(cancelled)).toContain('Nothing was written.');
    expect(findButton(cancelled, 'op_confirm')).toBeUndefined();
    expect((await e2e.store.getOperation(operationId))?.status).toBe('cancelled');

    // A confirmation that still arrives (an old copy of the message) is refused.
    const before = messageKeys(e2e);
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'op_confirm', value: operationId });
    await waitForNew(e2e, before, (t) => t.includes('cancelled or replaced; nothing was written'), 'the refusal');
    expect(writesSince(from)).toEqual([]);
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });

  it('when another user confirms or cancels someone else’s preview', async () => {
    const g = newGroup(e2e, 'Not yours', 30);
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'remove', pasted: g.members.slice(0, 3).join('\n') });
    const from = e2e.sandbox.requests.length;
    const before = messageKeys(e2e);
    await e2e.driver.blockAction({ user: BOB, channel: 'C_GENERAL', actionId: 'op_confirm', value: operationId });
    const refusal = await waitForNew(e2e, before, (t) => t.includes('Only <@U_ALICE>, who asked for this change'), 'the refusal', BOB);
    expect(refusal.ephemeralTo).toBe(BOB);
    await e2e.driver.blockAction({ user: BOB, channel: 'C_GENERAL', actionId: 'op_cancel', value: operationId });
    await eventually(() => e2e.visible('C_GENERAL', BOB).filter((m) => messageText(m).includes('Only <@U_ALICE>, who asked for this change')).length === 2, 'the second refusal');
    expect(writesSince(from)).toEqual([]);
    expect((await e2e.store.getOperation(operationId))?.status).toBe('pending');

    // The requester still can.
    await e2e.click(preview, 'op_confirm');
    await replaced(preview, 'Done');
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members.slice(3));
  });
});

describe('exactly once', () => {
  it('a double click applies the change once: one PATCH, and the second click hears it was already applied or in progress', async () => {
    const g = newGroup(e2e, 'Double click', 200);
    const ids = g.outsiders(50);
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', pasted: ids.join('\n') });
    const from = e2e.sandbox.requests.length;
    const before = messageKeys(e2e);
    const notesBefore = e2e.slack.posts('C_NOTIFY').length;

    await Promise.all([e2e.click(preview, 'op_confirm'), e2e.click(preview, 'op_confirm')]);

    await replaced(preview, 'Done');
    const second = await waitForNew(e2e, before, (t) => /already been applied|being applied right now/.test(t), 'the answer to the second click');
    expect(second.ephemeralTo).toBe(ALICE);
    expect(requestsTo(g.path, 'PATCH', from)).toHaveLength(1);
    expect(writesSince(from)).toHaveLength(1);
    expect(new Set(e2e.sandbox.state.members(g.id))).toEqual(new Set(ids));
    const audit = await e2e.store.listAudit({ groupId: g.id, limit: 10, offset: 0 });
    expect(audit.map((a) => a.outcome)).toEqual(['applied']);
    await eventually(() => e2e.slack.posts('C_NOTIFY').length > notesBefore, 'the notification');
    // Both clicks have been answered; once their work is done, no second notification can follow.
    await e2e.settled();
    expect(e2e.slack.posts('C_NOTIFY').slice(notesBefore).filter((m) => messageText(m).includes('Double click'))).toHaveLength(1);
  });

  it('a 503 from Prolific is retried and the change applied once', async () => {
    const g = newGroup(e2e, 'Busy Prolific', 40);
    const ids = [...g.members.slice(0, 10), ...g.outsiders(10)];
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', file: { name: 'ids.csv', content: csvOf(ids) } });
    const from = e2e.sandbox.requests.length;
    e2e.sandbox.faults.add({ method: 'PATCH', path: /participant-groups\/[^/]+\/$/, calls: [1], status: 503 });
    await e2e.click(preview, 'op_confirm');
    await replaced(preview, 'Done');
    expect(requestsTo(g.path, 'PATCH', from).map((r) => r.status)).toEqual([503, 200]);
    expect(new Set(e2e.sandbox.state.members(g.id))).toEqual(new Set(ids));
    const audit = await e2e.store.listAudit({ groupId: g.id, limit: 10, offset: 0 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'applied', operationId });
  });
});

describe('a group that changed after the preview', () => {
  it('is not written; a fresh preview replaces the old one, and confirming that one applies', async () => {
    const g = newGroup(e2e, 'Fed by a study', 50);
    const ids = g.outsiders(20);
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', pasted: ids.join(' ') });
    // A feeder study adds two participants and removes one.
    const joined = sandboxParticipantIds(9_000_001, 9_000_002);
    e2e.sandbox.state.addMembers(g.id, joined);
    e2e.sandbox.state.removeMembers(g.id, [g.members[0]!]);
    const from = e2e.sandbox.requests.length;

    await e2e.click(preview, 'op_confirm');
    const fresh = await replaced(preview, 'The group changed since your preview');
    expect(writesSince(from)).toEqual([]);
    const text = messageText(fresh);
    expect(text).toContain('2 participants joined, 1 participant left');
    expect(text).toContain('Nothing was written');
    expect(text).toContain('51 of the 51 current members will be removed,');
    const freshId = operationIdOf(fresh);
    expect(freshId).not.toBe(operationId);
    expect((await e2e.store.getOperation(operationId))?.status).toBe('cancelled');
    const freshOp = (await e2e.store.getOperation(freshId))!;
    expect(freshOp.status).toBe('pending');
    expect(freshOp.participantIds).toEqual(ids);
    expect(new Set(freshOp.baselineIds)).toEqual(new Set(e2e.sandbox.state.members(g.id)));

    await e2e.click(fresh, 'op_confirm');
    await replaced(fresh, 'Done');
    expect(new Set(e2e.sandbox.state.members(g.id))).toEqual(new Set(ids));
    expect(requestsTo(g.path, 'PATCH', from)).toHaveLength(1);
  });
});

describe('a Prolific failure after retries is reported exactly', () => {
  it.each([
    ['add', 'POST', 'added'],
    ['remove', 'DELETE', 'removed'],
  ] as const)('%s: a chunk failing part-way', async (mode, method, verb) => {
    const g = newGroup(e2e, `Chunked ${mode}`, 300);
    const ids = mode === 'add' ? g.outsiders(250) : g.members.slice(0, 250);
    const expectedAfterFailure = mode === 'add' ? 400 : 200;
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode, file: { name: `${mode}.csv`, content: csvOf(ids) } });
    const from = e2e.sandbox.requests.length;
    // The 2nd chunk fails on every attempt (the client tries 503s up to 4 times).
    e2e.sandbox.faults.add({ method, path: g.membersPath, calls: [2, 3, 4, 5], status: 503 });

    await e2e.click(preview, 'op_confirm');
    const failed = await replaced(preview, 'The change failed');
    const text = messageText(failed);
    expect(text).toContain(`100 of 250 participant ids were ${verb}.`);
    expect(text).toContain(`Prolific refused the next 100, and the group, read again, shows none of them ${verb}.`);
    expect(text).toContain('The last 50 were not sent.');
    expect(text).toContain(`has ${expectedAfterFailure} members right now`);
    expect(findButton(failed, 'op_retry')?.value).toBe(operationId);

    const sent = requestsTo(g.membersPath, method, from);
    expect(sent.map((r) => r.status)).toEqual([200, 503, 503, 503, 503]);
    expect(e2e.sandbox.state.members(g.id)).toHaveLength(expectedAfterFailure);
    expect((await e2e.store.getOperation(operationId))?.status).toBe('failed');
    const [entry] = await e2e.store.listAudit({ groupId: g.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ action: mode, outcome: 'partial', afterCount: expectedAfterFailure, operationId });
    expect(entry?.error).toContain('100 of 250 ids were');

    // Retrying previews what is still missing, against the group as it is now, and completes it.
    e2e.sandbox.faults.clear();
    await e2e.click(failed, 'op_retry');
    const retry = await replaced(failed, mode === 'add' ? 'Add 150 members' : 'Remove 150 members');
    await e2e.click(retry, 'op_confirm');
    await replaced(retry, 'Done');
    const members = new Set(e2e.sandbox.state.members(g.id));
    if (mode === 'add') expect(members).toEqual(new Set([...g.members, ...ids]));
    else expect(members).toEqual(new Set(g.members.slice(250)));
  });

  it('add: a chunk whose answer is lost after Prolific applied it is reported as applied, from the re-read', async () => {
    const g = newGroup(e2e, 'Lost answers', 10);
    const ids = g.outsiders(250);
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'add', file: { name: 'more.csv', content: csvOf(ids) } });
    e2e.sandbox.faults.add({ method: 'POST', path: g.membersPath, calls: [2, 3, 4, 5], drop: 'after' });
    await e2e.click(preview, 'op_confirm');
    const failed = await replaced(preview, 'failed');
    const text = messageText(failed);
    expect(text).toContain('100 of 250 participant ids were added.');
    expect(text).toContain('Prolific refused the next 100, yet the group, read again, shows 100 of them added.');
    expect(text).toContain('The last 50 were not sent.');
    expect(text).toContain('has 210 members right now');
    expect(e2e.sandbox.state.members(g.id)).toHaveLength(210);
  });

  it('Replace: a PATCH failing on every attempt is checked against the group re-read, reported, and can be retried', async () => {
    const g = newGroup(e2e, 'Prolific down', 25);
    const ids = g.outsiders(4);
    const { preview } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'replace', pasted: ids.join('\n') });
    const from = e2e.sandbox.requests.length;
    e2e.sandbox.faults.add({ method: 'PATCH', path: g.path, status: 503 });
    await e2e.click(preview, 'op_confirm');
    // A 5xx to a write may or may not have been applied, so the group is read again to find out.
    const failed = await replaced(preview, 'The outcome is unknown');
    const text = messageText(failed);
    expect(text).toContain('Prolific said: Service unavailable');
    expect(text).toContain('The group was read again and does not show the requested change.');
    expect(text).toContain('*Prolific down* has 25 members right now');
    expect(requestsTo(g.path, 'PATCH', from).map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(requestsTo(g.membersPath, 'GET', from).length).toBeGreaterThan(0);
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
    const [entry] = await e2e.store.listAudit({ groupId: g.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ action: 'replace', outcome: 'unknown', afterCount: 25 });

    e2e.sandbox.faults.clear();
    await e2e.click(failed, 'op_retry');
    const retry = await replaced(failed, 'Replace with 4 ids');
    await e2e.click(retry, 'op_confirm');
    await replaced(retry, 'Done');
    expect(new Set(e2e.sandbox.state.members(g.id))).toEqual(new Set(ids));
  });
});
