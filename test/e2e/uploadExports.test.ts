// Uploads that understand Prolific's exports, end to end: APPROVED rows by default with one click
// to include AWAITING REVIEW (the file is read again from Slack), no APPROVED row → a question,
// and a headerless file with two id columns → a question with one button per column.
import { sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { current, messageKeys, newGroup, openUploadForm, operationIdOf, submitUpload, uploadOutcome, uploadToPreview, waitForNew } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E();

/** A Prolific submissions export: Submission id, Participant id, Status, and a few other columns. */
function exportOf(rows: [string, string][]): string {
  const submissionIds = sandboxParticipantIds(9_000_001, 9_000_000 + rows.length);
  const lines = rows.map(([participant, status], i) => `${submissionIds[i]},${participant},${status},2026-11-02T09:14:03.412000Z,758,34`);
  return `Submission id,Participant id,Status,Started at,Time taken,Age\n${lines.join('\n')}\n`;
}

/** The message in place of `m` once it has been replaced. */
function replacedText(m: LocalMessage, match: string): Promise<string> {
  return eventually(() => {
    const text = messageText(current(e2e, m));
    return current(e2e, m).updatedCount > 0 && text.includes(match) && text;
  }, `the message replaced by “${match}”`);
}

describe('a Prolific export with a Status column', () => {
  it('reads APPROVED rows by default, counts the rows by status, and one click includes AWAITING REVIEW in a new preview', async () => {
    const g = newGroup(e2e, 'From an export', 0);
    const people = g.outsiders(10);
    const statuses = ['APPROVED', 'APPROVED', 'AWAITING REVIEW', 'RETURNED', 'APPROVED', 'REJECTED', 'TIMED-OUT', 'AWAITING REVIEW', 'APPROVED', 'RETURNED'];
    const file = exportOf(people.map((p, i) => [p, statuses[i]!]));
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: `"${g.name}"`, mode: 'add', file: { name: 'wave1-export.csv', content: file } });
    const approved = people.filter((_, i) => statuses[i] === 'APPROVED');
    expect((await e2e.store.getOperation(operationId))?.participantIds).toEqual(approved);
    expect(messageText(preview)).toContain('*Rows by status* (✓ used): APPROVED 4 ✓ · AWAITING REVIEW 2 · RETURNED 2 · REJECTED 1 · TIMED-OUT 1');
    expect(findButton(preview, 'upload_choice:review')?.text.text).toBe('Include awaiting review (2 rows)');
    expect(findButton(preview, 'upload_choice:all')?.text.text).toBe('Use all rows (10)');

    const downloads = e2e.slack.calls.filter((c) => c.method === 'files.info').length;
    await e2e.click(preview, 'upload_choice:review');
    const text = await replacedText(preview, 'APPROVED 4 ✓ · AWAITING REVIEW 2 ✓');
    // The file was read again from Slack.
    expect(e2e.slack.calls.filter((c) => c.method === 'files.info').length).toBe(downloads + 1);
    const fresh = operationIdOf(current(e2e, preview));
    expect(fresh).not.toBe(operationId);
    expect((await e2e.store.getOperation(fresh))?.participantIds).toEqual(people.filter((_, i) => ['APPROVED', 'AWAITING REVIEW'].includes(statuses[i]!)));
    expect(text).toContain('Only approved rows (4)');

    await e2e.click(current(e2e, preview), 'op_confirm');
    await replacedText(preview, 'Done');
    expect(e2e.sandbox.state.members(g.id)).toEqual(people.filter((_, i) => ['APPROVED', 'AWAITING REVIEW'].includes(statuses[i]!)));
  });

  it('with no APPROVED row, says so and offers the other statuses; nothing is chosen silently', async () => {
    const g = newGroup(e2e, 'Nothing approved yet', 3);
    const people = g.outsiders(4);
    const file = exportOf([
      [people[0]!, 'AWAITING REVIEW'],
      [people[1]!, 'AWAITING REVIEW'],
      [people[2]!, 'RETURNED'],
      [people[3]!, 'AWAITING REVIEW'],
    ]);
    const view = await openUploadForm(e2e, `"${g.name}"`);
    const before = messageKeys(e2e);
    expect((await submitUpload(e2e, view, { mode: 'replace', file: { name: 'early-export.csv', content: file } })).outcome.outcome).toBe('updated');
    const asked = await waitForNew(e2e, before, (t) => t.includes('has no approved row'), 'the question');
    expect(messageText(asked)).toContain('*early-export.csv has no approved row*, so nobody was chosen and nothing was sent to Prolific. Its rows by status: AWAITING REVIEW 3 · RETURNED 1.');
    expect(JSON.stringify((await uploadOutcome(e2e, view.id)).view.blocks)).toContain('The app has a question about your file');
    expect(findButton(asked, 'op_confirm')).toBeUndefined();
    expect(findButton(asked, 'upload_choice:all')?.text.text).toBe('Use all rows (4)');

    await e2e.click(asked, 'upload_choice:st0');
    const text = await replacedText(asked, 'Replace all members of');
    expect(text).toContain('AWAITING REVIEW 3 ✓ · RETURNED 1');
    expect((await e2e.store.getOperation(operationIdOf(current(e2e, asked))))?.participantIds).toEqual([people[0], people[1], people[3]]);
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });
});

describe('a headerless file with two id columns', () => {
  it('asks which column holds the participant ids, with a sample of each, and previews the one chosen', async () => {
    const g = newGroup(e2e, 'Headerless export', 2);
    const submissions = sandboxParticipantIds(8_000_001, 8_000_004);
    const people = g.outsiders(4);
    const file = people.map((p, i) => `${submissions[i]},${p},APPROVED`).join('\n');
    const view = await openUploadForm(e2e, `"${g.name}"`);
    const before = messageKeys(e2e);
    await submitUpload(e2e, view, { mode: 'add', file: { name: 'no-headers.csv', content: file } });
    const asked = await waitForNew(e2e, before, (t) => t.includes('Which column of no-headers.csv holds the participant ids?'), 'the question');
    const text = messageText(asked);
    expect(text).toContain(`Column 1 (4 ids): \`${submissions[0]}\`, \`${submissions[1]}\`, \`${submissions[2]}\` …`);
    expect(text).toContain(`Column 2 (4 ids): \`${people[0]}\`, \`${people[1]}\`, \`${people[2]}\` …`);
    expect(findButton(asked, 'upload_choice:col0')?.text.text).toBe('Use column 1');
    expect(findButton(asked, 'op_confirm')).toBeUndefined();

    await e2e.click(asked, 'upload_choice:col1', 'U_ALICE', findButton(asked, 'upload_choice:col1')!.value);
    const preview = await replacedText(asked, 'Add members to');
    expect(preview).toContain('*Source:* file no-headers.csv, column 2');
    expect((await e2e.store.getOperation(operationIdOf(current(e2e, asked))))?.participantIds).toEqual(people);
  });
});
