// Building a group from a study's submissions, end to end against the sandbox's "Wave 1 main
// survey" (291 submissions in every status; one participant submitted twice, both APPROVED).
import { SEED_STUDY_IDS, WAVE1_SUBMISSION_STATUSES, WAVE1_TWICE_PARTICIPANT } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { messageText, useE2E } from '../harness/e2e';
import { messageKeys, newGroup, openUploadForm, operationIdOf, uploadOutcome, waitForNew, waitForPreview } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E();

/** The participants of Wave 1's submissions in these statuses, each once, as the sandbox holds them. */
function participantsWith(...statuses: string[]): string[] {
  const study = e2e.sandbox.state.studies.studyRecord(SEED_STUDY_IDS.wave1Main)!;
  return [...new Set(study.submissions.filter((s) => statuses.includes(s.status)).map((s) => s.participant_id))];
}

async function command(text: string): Promise<LocalMessage> {
  const before = messageKeys(e2e);
  expect((await e2e.pgroup(text)).status).toBe(200);
  return waitForNew(e2e, before, () => true, `a reply to /pgroup ${text}`);
}

async function confirmed(preview: LocalMessage): Promise<void> {
  await e2e.click(preview, 'op_confirm');
  await eventually(() => messageText(e2e.slack.message(preview.channel, preview.ts)).includes('Done'), 'the outcome');
}

const sorted = (ids: string[]) => [...ids].sort();

describe('/pgroup replace|add|remove <group> --from-study <study>', () => {
  it('by default: exactly the APPROVED participants, each once; the preview counts the submissions by status', async () => {
    const g = newGroup(e2e, 'Wave 1 approved', 10);
    const preview = await command(`replace "${g.name}" --from-study "Wave 1 main survey"`);
    const approved = participantsWith('APPROVED');
    expect(approved).toHaveLength(WAVE1_SUBMISSION_STATUSES.APPROVED - 1);
    const text = messageText(preview);
    expect(text).toContain('*Source:* study “Wave 1 main survey”');
    expect(text).toContain(
      '*Submissions by status* (✓ used): APPROVED 201 ✓ · AWAITING REVIEW 30 · PARTIALLY APPROVED 4 · RETURNED 20 · REJECTED 12 · TIMED-OUT 10 · SCREENED OUT 6 · ACTIVE 5 · RESERVED 3',
    );
    expect(text).toContain('1 duplicate id dropped.');
    expect(text).toContain('The group will have exactly the 200 ids from your list.');
    await confirmed(preview);
    expect(sorted(e2e.sandbox.state.members(g.id))).toEqual(sorted(approved));
    expect(e2e.sandbox.state.members(g.id)).toContain(WAVE1_TWICE_PARTICIPANT);
  });

  it('chosen statuses, the internal name, and an em dash typed for --', async () => {
    const g = newGroup(e2e, 'Wave 1 reviewed', 0);
    const preview = await command(`add "${g.name}" —from-study wave1-main —status approved,awaiting-review`);
    expect(messageText(preview)).toContain('APPROVED 201 ✓ · AWAITING REVIEW 30 ✓ · PARTIALLY APPROVED 4 ·');
    await confirmed(preview);
    expect(sorted(e2e.sandbox.state.members(g.id))).toEqual(sorted(participantsWith('APPROVED', 'AWAITING REVIEW')));
  });

  it('a study nobody matches, and a status nobody has, write nothing and say what to do', async () => {
    const g = newGroup(e2e, 'Wave 1 nothing', 3);
    expect(messageText(await command(`add "${g.name}" --from-study "Wave 9"`))).toContain('No study of this workspace matches `Wave 9`');
    const none = messageText(await command(`add "${g.name}" –from-study ${SEED_STUDY_IDS.wave2FollowUp}`));
    expect(none).toContain('No submission of *Wave 2 follow-up* “W2 follow-up (main panel)” is APPROVED');
    expect(none).toContain('It has no submissions yet.');
    expect(messageText(await command(`add "${g.name}" --from-study wave1-main --status approvd`))).toContain('`approvd` is not a submission status');
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });
});

describe('the upload form: a study as the source', () => {
  it('searches the workspace’s studies as the user types, and builds the preview from the ticked statuses', async () => {
    const g = newGroup(e2e, 'Wave 1 from the form', 5);
    const view = await openUploadForm(e2e, `"${g.name}"`);
    const found = await e2e.driver.optionsRequest({ user: 'U_ALICE', viewId: view.id, actionId: 'study_select', value: 'wave 1' });
    const options = (found.json as { options: { text: { text: string }; value: string }[] }).options;
    expect(options.map((o) => o.text.text)).toEqual(expect.arrayContaining(['Wave 1 main survey “wave1-main” (ACTIVE)', 'Wave 1 screener “wave1-screener” (COMPLETED)']));

    const before = messageKeys(e2e);
    const submitted = await e2e.driver.viewSubmission({
      user: 'U_ALICE',
      viewId: view.id,
      values: {
        file_input: { files: [] },
        paste_input: null,
        study_select: { selected: SEED_STUDY_IDS.wave1Main, text: 'Wave 1 main survey' },
        status_choice: ['APPROVED', 'PARTIALLY APPROVED'],
        mode_choice: 'replace',
      },
    });
    expect(submitted.outcome.outcome).toBe('updated');
    const preview = await waitForPreview(e2e, before);
    expect(messageText(preview)).toContain('APPROVED 201 ✓ · AWAITING REVIEW 30 · PARTIALLY APPROVED 4 ✓');
    expect(JSON.stringify((await uploadOutcome(e2e, view.id)).view.blocks)).toContain('The preview is ready');
    expect(operationIdOf(preview)).toBeTruthy();
    await confirmed(preview);
    expect(sorted(e2e.sandbox.state.members(g.id))).toEqual(sorted(participantsWith('APPROVED', 'PARTIALLY APPROVED')));
  });

  it('refuses two sources at once, and a study without a ticked status, inline', async () => {
    const view = await openUploadForm(e2e, 'Pilot participants');
    const both = await e2e.driver.viewSubmission({
      user: 'U_ALICE',
      viewId: view.id,
      values: { paste_input: WAVE1_TWICE_PARTICIPANT, study_select: { selected: SEED_STUDY_IDS.wave1Main }, mode_choice: 'add' },
    });
    expect(both.outcome).toEqual({ outcome: 'errors', errors: { study: 'Use one source: the file, pasted ids, a study or another group.' } });
    const unticked = await e2e.driver.viewSubmission({
      user: 'U_ALICE',
      viewId: view.id,
      values: { study_select: { selected: SEED_STUDY_IDS.wave1Main }, status_choice: [], mode_choice: 'add' },
    });
    expect(unticked.outcome).toEqual({ outcome: 'errors', errors: { statuses: 'Tick at least one status: whose submissions should be used?' } });
  });
});
