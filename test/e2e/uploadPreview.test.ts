// The CSV upload modal through the real bot: how it opens, what it checks at once, how every
// fixture file is read into a preview or refused, what the preview shows and stores, and that
// nothing is written to Prolific before a confirmation (or after the preview expired).

import type { LocalView } from '../../src/local/slack';
import { FILE_DOWNLOAD_REQUEST } from '../../src/local/slack';
import { SEED_GROUP_IDS, SEED_GROUP_NAMES, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { sleep } from '../support/sleep';
import {
  csvOf,
  fixture,
  messageKeys,
  openUploadForm,
  operationIdOf,
  submitUpload,
  type UploadFile,
  uploadOutcome,
  uploadToPreview,
  viewText,
  waitForNew,
  waitForPreview,
  waitForUploadForm,
} from '../harness/uploads';
import { FIXTURE_IDS } from '../fixtures/participantIds';

const ALICE = 'U_ALICE';
/** Short, so the expiry test need not wait long; no other test here confirms a preview. */
const PENDING_TTL_MS = 1500;

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' }, pendingTtlMs: PENDING_TTL_MS });

/** Requests to Prolific since `from` that could change something (anything but a read). */
function writesSince(from: number) {
  return e2e.sandbox.requests.slice(from).filter((r) => r.method !== 'GET');
}

function inputBlock(view: LocalView, blockId: string): Record<string, unknown> & { element: Record<string, unknown> } {
  const block = (view.view.blocks as { block_id?: string }[]).find((b) => b.block_id === blockId);
  if (!block) throw new Error(`no block ${blockId}`);
  return block as never;
}

describe('the upload modal', () => {
  it('opens from `/pgroup upload <group>` with a light view first, then the form with the group preselected', async () => {
    const opensBefore = e2e.slack.callsTo('views.open').length;
    const view = await openUploadForm(e2e, '"Main panel"');
    // The trigger is used at once with a loading view; the form replaces it once the groups are read.
    const opened = e2e.slack.callsTo('views.open').slice(opensBefore);
    expect(opened).toHaveLength(1);
    expect(JSON.stringify(opened[0]!.args.view)).toContain('Loading');
    expect(view.updatedCount).toBeGreaterThan(0);

    const group = inputBlock(view, 'group');
    expect(group.element).toMatchObject({ type: 'static_select', action_id: 'group_select', initial_option: { value: SEED_GROUP_IDS.mainPanel } });
    expect(JSON.stringify(group.element.options)).toContain(SEED_GROUP_NAMES.pilot);

    const file = inputBlock(view, 'file');
    expect(file.optional).toBe(true);
    expect(file.element).toEqual({ type: 'file_input', action_id: 'file_input', filetypes: ['csv', 'tsv', 'txt'], max_files: 1 });

    const paste = inputBlock(view, 'paste');
    expect(paste.optional).toBe(true);
    expect(paste.element).toMatchObject({ type: 'plain_text_input', action_id: 'paste_input', multiline: true });

    const mode = inputBlock(view, 'mode');
    expect(mode.optional).toBeUndefined();
    expect(mode.element.type).toBe('radio_buttons');
    const options = mode.element.options as { value: string; text: { text: string } }[];
    expect(options.map((o) => [o.value, o.text.text])).toEqual([
      ['replace', 'Replace all members'],
      ['add', 'Add to group'],
      ['remove', 'Remove from group'],
      ['keep', 'Keep only those in the other group'],
    ]);
  });

  it('opens without a preselected group when none is named', async () => {
    const view = await openUploadForm(e2e);
    expect(inputBlock(view, 'group').element.initial_option).toBeUndefined();
  });

  it('opens from the Upload button on a group card, with that group preselected', async () => {
    const before = messageKeys(e2e);
    await e2e.pgroup('show "Pilot wave 2"');
    const card = await waitForNew(e2e, before, (t) => t.includes('group_upload_open'), 'the group card');
    const views = new Set(e2e.slack.views().map((v) => v.id));
    await e2e.click(card, 'group_upload_open');
    const view = await waitForUploadForm(e2e, ALICE, views);
    expect(inputBlock(view, 'group').element.initial_option).toMatchObject({ value: SEED_GROUP_IDS.pilotWave2 });
  });

  it('answers what it can check at once with inline errors, and sends nothing', async () => {
    const view = await openUploadForm(e2e);
    const requestsBefore = e2e.sandbox.requests.length;

    const nothing = await submitUpload(e2e, view, { groupId: SEED_GROUP_IDS.mainPanel });
    expect(nothing.outcome).toEqual({ outcome: 'errors', errors: { file: 'Choose a CSV file, paste ids or choose a study below.' } });

    const noGroup = await submitUpload(e2e, view, { groupId: null, pasted: sandboxParticipantId(1) });
    expect(noGroup.outcome).toEqual({ outcome: 'errors', errors: { group: 'Choose a group.' } });

    const neither = await submitUpload(e2e, view, { groupId: null });
    expect(neither.outcome).toEqual({ outcome: 'errors', errors: { group: 'Choose a group.', file: 'Choose a CSV file, paste ids or choose a study below.' } });

    // Slack's client requires the mode; a submission without it (an old client) still gets an inline error.
    const noMode = await submitUpload(e2e, view, { groupId: SEED_GROUP_IDS.mainPanel, pasted: sandboxParticipantId(1), mode: null });
    expect(noMode.outcome).toEqual({ outcome: 'errors', errors: { mode: 'Choose what should happen.' } });

    const both = await submitUpload(e2e, view, { groupId: SEED_GROUP_IDS.mainPanel, pasted: sandboxParticipantId(1), file: { name: 'ids.csv', content: csvOf([sandboxParticipantId(2)]) } });
    expect(both.outcome).toMatchObject({ outcome: 'errors', errors: { paste: 'Use one source: the file, pasted ids, a study or another group.' } });

    expect(e2e.slack.openModals(ALICE).some((v) => v.id === view.id && v.view.callback_id === 'upload_modal')).toBe(true);
    expect(e2e.sandbox.requests.slice(requestsBefore)).toEqual([]);
  });

  it('acks with a "Reading…" view before it reads the file or Prolific', async () => {
    const view = await openUploadForm(e2e, '"Pilot participants"');
    // Prolific is slow: the preview cannot be ready when the ack arrives, yet the ack is there.
    e2e.sandbox.faults.add({ method: 'GET', path: /participants\/$/, times: 1, latencyMs: 400 });
    const before = messageKeys(e2e);
    const res = await submitUpload(e2e, view, { mode: 'add', file: { name: 'wave3.csv', content: csvOf([sandboxParticipantId(5001)]) } });
    expect(res.json).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(res.outcome).toEqual({ outcome: 'updated', viewId: view.id });
    expect(viewText(e2e.slack.view(view.id))).toContain('Reading wave3.csv…');
    expect(e2e.slack.messages().filter((m) => !before.has(`${m.channel}/${m.ts}`) && findButton(m, 'op_cancel'))).toEqual([]);

    const preview = await waitForPreview(e2e, before);
    expect(preview.ephemeralTo).toBe(ALICE);
    expect(preview.channel).toBe('C_GENERAL');
    const outcome = await uploadOutcome(e2e, view.id);
    expect(viewText(outcome)).toContain('The preview is ready in the channel (only you can see it)');
  });

  it('looks the file up with files.info when the submission carries no download link', async () => {
    const view = await openUploadForm(e2e, '"Pilot wave 2"');
    const hosted = e2e.slack.hostFile({ name: 'bare.csv', content: csvOf([sandboxParticipantId(5101)]), user: ALICE });
    const infoCalls = e2e.slack.callsTo('files.info').length;
    const before = messageKeys(e2e);
    await e2e.driver.viewSubmission({ user: ALICE, viewId: view.id, values: { file_input: { files: [{ id: hosted.id, name: hosted.name } as typeof hosted] }, mode_choice: 'add' } });
    const preview = await waitForPreview(e2e, before);
    expect(messageText(preview)).toContain('file bare.csv');
    expect(e2e.slack.callsTo('files.info').slice(infoCalls).map((c) => c.args.file)).toEqual([hosted.id]);
  });

  it('posts the preview as a direct message when the modal was opened outside a channel (App Home)', async () => {
    await e2e.driver.event({ type: 'app_home_opened', user: ALICE });
    const home = await eventually(() => e2e.slack.homeView(ALICE), 'the App Home view');
    const views = new Set(e2e.slack.views().map((v) => v.id));
    await e2e.driver.blockAction({ user: ALICE, viewId: home.id, actionId: 'group_upload_open' });
    const view = await waitForUploadForm(e2e, ALICE, views);
    const before = messageKeys(e2e);
    await submitUpload(e2e, view, { groupId: SEED_GROUP_IDS.pilot, mode: 'add', pasted: sandboxParticipantId(6001) });
    const preview = await waitForPreview(e2e, before);
    expect(preview.channel).toBe(e2e.slack.dmChannelFor(ALICE));
    expect(preview.ephemeralTo).toBeUndefined();
    expect(messageText(preview)).toContain('pasted ids');
    expect(viewText(await uploadOutcome(e2e, view.id))).toContain('in your direct messages');
  });
});

const P = FIXTURE_IDS;

interface ReadCase {
  file: string;
  ids: string[];
  /** The source line of the preview. */
  source: string;
  /** Texts the preview must show about the file (invalid rows, duplicates, the column note). */
  shows?: string[];
}

const READ_CASES: ReadCase[] = [
  {
    file: 'prolific-export.csv',
    // An export's APPROVED rows only, unless the researcher chooses others (test/e2e/uploadExports.test.ts).
    ids: [P[1], P[2], P[7], P[8]],
    source: 'file prolific-export.csv, column “Participant id”',
    shows: [
      'Two columns contain participant ids; used column 2 “Participant id”.',
      '*Rows by status* (✓ used): APPROVED 4 ✓ · AWAITING REVIEW 1 · RETURNED 1 · REJECTED 1 · TIMED-OUT 1',
    ],
  },
  { file: 'bom-crlf.csv', ids: [P[9], P[10], P[11], P[12], P[13]], source: 'file bom-crlf.csv, column “participant_id”' },
  { file: 'semicolons.csv', ids: [P[14], P[15], P[16], P[17], P[18]], source: 'file semicolons.csv, column “participant_id”' },
  {
    file: 'quoted.csv',
    ids: [P[19], P[20], P[29], P[30]],
    source: 'file quoted.csv, column “participant_id”',
    shows: ['1 invalid id skipped', 'line 6: `not-an-id`'],
  },
  { file: 'headerless.csv', ids: [P[31], P[32], P[33], P[34], P[35], P[36]], source: 'file headerless.csv' },
  { file: 'tabs.tsv', ids: [P[37], P[38], P[39], P[40]], source: 'file tabs.tsv, column “Participant ID”' },
  {
    file: 'mixed-invalid-duplicates.csv',
    ids: [P[1], P[2], P[3], P[4], P[5], P[7], P[8]],
    source: 'file mixed-invalid-duplicates.csv, column “participant_id”',
    shows: ['2 duplicate ids dropped.', '4 invalid ids skipped', 'line 7: `12345`', 'line 11: `01dc6054f16adcd6557fd92g`', 'line 13: `N/A`', 'line 15: `01dc6054f16adcd6557fd926 x`'],
  },
];

describe('every fixture leads to a correct preview', () => {
  it.each(READ_CASES)('$file', async ({ file, ids, source, shows = [] }) => {
    const main = e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel);
    const requestsBefore = e2e.sandbox.requests.length;
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: '"Main panel"', mode: 'replace', file: { name: file, content: fixture(file) } });
    const text = messageText(preview);
    expect(text).toContain('Replace all members of');
    expect(text).toContain(`*Members after*\\n${ids.length}`);
    expect(text).toContain(`*To add*\\n${ids.length}`);
    expect(text).toContain('*To remove*\\n5,000');
    expect(text).toContain(`*Source:* ${source}`);
    for (const shown of shows) expect(text).toContain(shown);
    for (const id of ids.slice(0, 5)) expect(text).toContain(id);
    if (!shows.some((s) => s.includes('invalid'))) expect(text).not.toContain('invalid id');

    const op = await e2e.store.getOperation(operationId);
    expect(op?.participantIds).toEqual(ids);
    expect(writesSince(requestsBefore)).toEqual([]);
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel)).toEqual(main);
  });
});

interface RefusalCase {
  what: string;
  file: () => UploadFile;
  says: string;
}

const TEN_MB = 10 * 1024 * 1024;

const REFUSALS: RefusalCase[] = [
  { what: 'an empty file', file: () => ({ name: 'empty.csv', content: fixture('empty.csv') }), says: 'empty.csv: This file is empty.' },
  { what: 'a header with no rows', file: () => ({ name: 'header-only.csv', content: fixture('header-only.csv') }), says: 'This file has a header row but no participants.' },
  // An image renamed to .csv: the modal takes it, the bot must not.
  { what: 'a binary file', file: () => ({ name: 'photo.csv', content: fixture('binary.bin') }), says: 'photo.csv: This doesn\'t look like a text file' },
  { what: 'a saved sign-in page', file: () => ({ name: 'participants.txt', content: fixture('login-page.html') }), says: 'This looks like a web page, not a CSV.' },
  {
    what: 'an HTML answer from Slack’s download (its sign-in page when the app lost access)',
    file: () => ({ name: 'participants.csv', content: fixture('login-page.html'), servedContentType: 'text/html; charset=utf-8' }),
    says: 'Slack sent a sign-in page instead of participants.csv',
  },
  { what: 'a file without an id column', file: () => ({ name: 'no-ids.csv', content: fixture('no-ids.csv') }), says: 'No column of participant ids was found.' },
  {
    what: 'a file over 10 MB',
    file: () => ({ name: 'everyone.csv', content: Buffer.alloc(TEN_MB + 100, `${sandboxParticipantId(7)}\n`) }),
    says: 'everyone.csv is over 10 MB',
  },
];

/** The error a submission got on the form's file field; the form stays open with what was chosen. */
function fileFieldError(res: Awaited<ReturnType<typeof submitUpload>>): string {
  expect(res.outcome).toMatchObject({ outcome: 'errors' });
  return (res.outcome as { errors: Record<string, string> }).errors['file'] ?? '';
}

describe('files that are not a list of ids are refused on the form’s file field, and nothing is written', () => {
  it.each(REFUSALS)('$what', async ({ file, says }) => {
    const view = await openUploadForm(e2e, '"Main panel"');
    const requestsBefore = e2e.sandbox.requests.length;
    const before = messageKeys(e2e);
    const res = await submitUpload(e2e, view, { mode: 'replace', file: file() });
    const error = fileFieldError(res);
    expect(error).toContain(says);
    expect(error).toContain('Nothing was sent to Prolific. Choose another file, or paste the ids.');
    // The form is still open: the group and the change chosen are kept.
    expect(e2e.slack.view(view.id)?.view.callback_id).toBe('upload_modal');
    // The group is read while the file is (reads only); nothing is written.
    expect(writesSince(requestsBefore)).toEqual([]);
    expect(e2e.sandbox.state.getGroup(SEED_GROUP_IDS.mainPanel)?.participant_count).toBe(5000);
    expect(e2e.slack.messages().filter((m) => !before.has(`${m.channel}/${m.ts}`) && findButton(m, 'op_cancel'))).toEqual([]);
  });

  it('refuses a file whose download grows past 10 MB even when Slack reported a smaller size', async () => {
    const view = await openUploadForm(e2e, '"Main panel"');
    const hosted = e2e.slack.hostFile({ name: 'grows.csv', content: Buffer.alloc(TEN_MB + 10, 'a'), user: ALICE });
    const requestsBefore = e2e.sandbox.requests.length;
    const res = await e2e.driver.viewSubmission({ user: ALICE, viewId: view.id, values: { file_input: { files: [{ ...hosted, size: 1000 }] }, mode_choice: 'replace' } });
    expect(fileFieldError(res)).toContain('grows.csv is over 10 MB');
    expect(writesSince(requestsBefore)).toEqual([]);
  });

  it('says so when the download itself fails', async () => {
    const view = await openUploadForm(e2e, '"Main panel"');
    e2e.slack.failNext(FILE_DOWNLOAD_REQUEST, { status: 500 });
    const res = await submitUpload(e2e, view, { mode: 'replace', file: { name: 'ids.csv', content: csvOf([sandboxParticipantId(8)]) } });
    expect(fileFieldError(res)).toContain('Slack answered 500 when the file ids.csv was downloaded');
  });

  it('a file that takes long to arrive and cannot be read brings the form back, the group and the change kept, the problem under the file field', async () => {
    const view = await openUploadForm(e2e, '"Main panel"');
    const hold = e2e.slack.holdFileDownloads();
    const submitted = submitUpload(e2e, view, { mode: 'add', file: { name: 'slow.csv', content: fixture('binary.bin') } });
    await eventually(() => hold.held() > 0, 'the download to start');
    // Past the time the submission waits for the file, the form is acked with its "Reading…" view.
    expect((await submitted).outcome.outcome).toBe('updated');
    hold.release();
    const form = await eventually(() => {
      const now = e2e.slack.view(view.id);
      return now?.view.callback_id === 'upload_modal' && viewText(now).includes(':x:') ? now : undefined;
    }, 'the form again');
    const blocks = form.view.blocks as { block_id?: string; element?: { initial_option?: { value: string } } }[];
    expect(blocks.find((b) => b.block_id === 'group')?.element?.initial_option?.value).toBe(SEED_GROUP_IDS.mainPanel);
    expect(blocks.find((b) => b.block_id === 'mode')?.element?.initial_option?.value).toBe('add');
    const error = viewText(form);
    expect(error).toContain('slow.csv: This doesn\'t look like a text file');
    expect(error).toContain('Choose another file, or paste the ids.');
    // The form still works: pasted ids give a preview.
    const before = messageKeys(e2e);
    await e2e.driver.viewSubmission({ user: ALICE, viewId: view.id, values: { file_input: { files: [] }, paste_input: sandboxParticipantId(8) } });
    expect(messageText(await waitForPreview(e2e, before))).toContain('*Add members to* *Main panel*?');
  });

  it('tells the user in the channel when the modal was closed before the refusal could be shown there', async () => {
    const view = await openUploadForm(e2e, '"Main panel"');
    const before = messageKeys(e2e);
    // A file that takes long to arrive, then the user closed the "Reading…" modal: Slack answers views.update with not_found.
    const hold = e2e.slack.holdFileDownloads();
    const submitted = submitUpload(e2e, view, { mode: 'replace', file: { name: 'empty.csv', content: '' } });
    await eventually(() => hold.held() > 0, 'the download to start');
    expect((await submitted).outcome.outcome).toBe('updated');
    // Every update of a closed modal is refused: the form's return, and the refusal in its place.
    e2e.slack.failNext('views.update', { error: 'not_found' }, 2);
    hold.release();
    const told = await waitForNew(e2e, before, (t) => t.includes('This file is empty'), 'the refusal as a message');
    expect(told.ephemeralTo).toBe(ALICE);
    expect(messageText(told)).toContain('Nothing was sent to Prolific.');
  });

  it('refuses pasted text without a single id', async () => {
    const view = await openUploadForm(e2e, '"Main panel"');
    const requestsBefore = e2e.sandbox.requests.length;
    await submitUpload(e2e, view, { mode: 'remove', pasted: 'alice, bob, 12345' });
    expect(viewText(await uploadOutcome(e2e, view.id))).toContain('None of the pasted text is a participant id');
    expect(writesSince(requestsBefore)).toEqual([]);
  });
});

describe('the preview', () => {
  const newIds = [sandboxParticipantId(700001), sandboxParticipantId(700002), sandboxParticipantId(700003)];

  it('Replace: group, mode, counts, samples of both sides, the warning, a danger button with a dialog, Cancel; the plan is stored', async () => {
    const main = e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel);
    const kept = main.slice(0, 2);
    const ids = [...kept, ...newIds];
    const requestsBefore = e2e.sandbox.requests.length;
    const { preview, operationId } = await uploadToPreview(e2e, {
      groupText: '"Main panel"',
      mode: 'replace',
      file: { name: 'wave-2.csv', content: `${csvOf(ids)}${ids[0]}\nnot-an-id\n` },
    });
    const text = messageText(preview);
    expect(text).toContain('*Replace all members of* *Main panel*?');
    expect(text).toContain(':rotating_light: *4,998 of the 5,000 current members will be removed, 3 added, 2 stay.*');
    expect(text).toContain('*Members now*\\n5,000');
    expect(text).toContain('*Members after*\\n5');
    expect(text).toContain('*To add*\\n3');
    expect(text).toContain('*To remove*\\n4,998');
    expect(text).toContain('*Unchanged*\\n2');
    expect(text).toContain(`*Will be added:* \`${newIds[0]}\`, \`${newIds[1]}\`, \`${newIds[2]}\``);
    expect(text).toContain(`*Will be removed:* \`${main[2]}\``);
    expect(text).toContain('…and 4,993 more');
    expect(text).toContain('1 duplicate id dropped.');
    expect(text).toContain('line 8: `not-an-id`');

    const confirm = findButton(preview, 'op_confirm')!;
    expect(confirm.text.text).toBe('Replace with 5 ids');
    expect(confirm.style).toBe('danger');
    expect(confirm.confirm).toMatchObject({ title: { text: 'Change the group now?' }, confirm: { text: 'Replace with 5 ids' }, deny: { text: 'Go back' } });
    expect(JSON.stringify(confirm.confirm)).toContain('4,998 participants will be removed from Main panel and 3 added');
    expect(findButton(preview, 'op_cancel')?.text.text).toBe('Cancel');

    const op = (await e2e.store.getOperation(operationId))!;
    expect(op).toMatchObject({ kind: 'replace', status: 'pending', groupId: SEED_GROUP_IDS.mainPanel, baselineName: 'Main panel', slackUserId: ALICE, channelId: 'C_GENERAL' });
    expect(op.participantIds).toEqual(ids);
    expect(op.baselineIds).toHaveLength(5000);
    expect(new Set(op.baselineIds)).toEqual(new Set(main));
    expect(op.expiresAt.getTime()).toBeGreaterThan(op.createdAt.getTime());

    expect(writesSince(requestsBefore)).toEqual([]);
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.mainPanel)).toEqual(main);
  });

  it('Add: a primary button without a dialog, and the ids already in the group counted', async () => {
    const pilot = e2e.sandbox.state.members(SEED_GROUP_IDS.pilot);
    const { preview } = await uploadToPreview(e2e, { groupText: '"Pilot participants"', mode: 'add', pasted: [pilot[0], ...newIds].join('\n') });
    const text = messageText(preview);
    expect(text).toContain('*Add members to* *Pilot participants*?');
    expect(text).toContain('*Members after*\\n15');
    expect(text).toContain('*Already members*\\n1');
    expect(text).not.toContain('will be replaced');
    const confirm = findButton(preview, 'op_confirm')!;
    expect(confirm.text.text).toBe('Add 3 members');
    expect(confirm.style).toBe('primary');
    expect(confirm.confirm).toBeUndefined();
  });

  it('Remove: a danger button with a dialog, and the ids not in the group counted', async () => {
    const pilot = e2e.sandbox.state.members(SEED_GROUP_IDS.pilot);
    const { preview } = await uploadToPreview(e2e, {
      groupText: '"Pilot participants"',
      mode: 'remove',
      file: { name: 'leavers.tsv', content: `Participant id\tnote\n${pilot[0]}\tleft\n${pilot[1]}\tleft\n${newIds[0]}\tnever joined\n` },
    });
    const text = messageText(preview);
    expect(text).toContain('*Remove members from* *Pilot participants*?');
    expect(text).toContain('*To remove*\\n2');
    expect(text).toContain('*Not members*\\n1');
    expect(text).toContain(`*Will be removed:* \`${pilot[0]}\`, \`${pilot[1]}\``);
    const confirm = findButton(preview, 'op_confirm')!;
    expect(confirm.text.text).toBe('Remove 2 members');
    expect(confirm.style).toBe('danger');
    expect(confirm.confirm).toBeDefined();
  });

  it('lists the first 10 invalid rows with their line numbers, then a count', async () => {
    const rows = ['participant_id', newIds[0]!, ...Array.from({ length: 13 }, (_, i) => `bad-${i + 1}`)];
    const { preview } = await uploadToPreview(e2e, { groupText: '"Pilot wave 2"', mode: 'add', file: { name: 'messy.csv', content: rows.join('\n') } });
    const text = messageText(preview);
    expect(text).toContain('13 invalid ids skipped');
    expect(text).toContain('line 3: `bad-1`');
    expect(text).toContain('line 12: `bad-10`');
    expect(text).not.toContain('bad-11');
    expect(text).toContain('…and 3 more');
  });

  it('says nothing would change when the group already matches, with nothing to confirm', async () => {
    const wave2 = e2e.sandbox.state.members(SEED_GROUP_IDS.pilotWave2);
    const { preview } = await uploadToPreview(e2e, { groupText: '"Pilot wave 2"', mode: 'replace', file: { name: 'same.csv', content: csvOf(wave2) } });
    expect(messageText(preview)).toContain('Nothing would change');
    expect(findButton(preview, 'op_confirm')).toBeUndefined();
  });
});

describe('an expired preview', () => {
  it('is refused on confirm, and nothing is written', async () => {
    const pilot = e2e.sandbox.state.members(SEED_GROUP_IDS.pilot);
    const { preview, operationId } = await uploadToPreview(e2e, { groupText: '"Pilot participants"', mode: 'replace', pasted: sandboxParticipantId(800001) });
    const op = (await e2e.store.getOperation(operationId))!;
    await sleep(Math.max(0, op.expiresAt.getTime() - Date.now()) + 50);
    const requestsBefore = e2e.sandbox.requests.length;
    const before = messageKeys(e2e);
    await e2e.click(preview, 'op_confirm');
    const refusal = await waitForNew(e2e, before, (t) => t.includes('expired'), 'the refusal');
    expect(messageText(refusal)).toContain('This preview has expired and nothing was written.');
    expect(writesSince(requestsBefore)).toEqual([]);
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.pilot)).toEqual(pilot);
    expect((await e2e.store.getOperation(operationId))?.status).toBe('expired');
    expect(operationIdOf(preview)).toBe(operationId);
  });
});
