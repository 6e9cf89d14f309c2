// The "Add to a participant group…" message shortcut, end to end: a message's inline ids, a Prolific
// export shared with a message, and a message with neither. Each opens the upload form with the
// message as its source (no file or paste fields), then the usual preview names the message.
import { sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import type { LocalView } from '../../src/local/slack';
import { messageText, useE2E } from '../harness/e2e';
import { current, messageKeys, newGroup, operationIdOf, uploadOutcome, viewText, waitForPreview } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E();

/** Uses the shortcut on a message as a user and waits for the view it opens (the form, or a notice). */
async function useShortcut(channel: string, ts: string, user = 'U_ALICE'): Promise<LocalView> {
  const before = new Set(e2e.slack.views().map((v) => v.id));
  const res = await e2e.driver.messageShortcut({ user, channel, messageTs: ts, callbackId: 'add_to_group' });
  expect(res.status).toBe(200);
  return eventually(
    () => e2e.slack.openModals(user).find((v) => !before.has(v.id) && !JSON.stringify(v.view.blocks).includes('Loading the groups')),
    'the shortcut’s view',
  );
}

async function submitForm(view: LocalView, groupId: string, mode: 'add' | 'remove' | 'replace', user = 'U_ALICE') {
  return e2e.driver.viewSubmission({ user, viewId: view.id, values: { group_select: { selected: groupId }, mode_choice: mode } });
}

describe('the message shortcut “Add to a participant group…”', () => {
  it('reads the ids in a message’s text, names the message in the form and the preview, and adds them once confirmed', async () => {
    const g = newGroup(e2e, 'Shortcut text', 2);
    const people = g.outsiders(3);
    const posted = e2e.slack.postAsUser({ channel: 'C_GENERAL', user: 'U_BOB', text: `Please add these: ${people[0]}, \`${people[1]}\`\n${people[2]} and ${people[0]} notanid` });
    const form = await useShortcut('C_GENERAL', posted.ts);
    expect(form.view.callback_id).toBe('upload_modal');
    const formText = viewText(form);
    expect(formText).toContain('3 participant ids in <http');
    expect(formText).toContain(`/archives/${posted.channel}/p${posted.ts.replace('.', '')}|a message> by <@U_BOB>`);
    expect(formText).toContain('(5 other words skipped)');
    // The message is the source: no file, paste or study fields; Add is chosen to start with.
    expect(formText).not.toContain('file_input');
    expect(formText).not.toContain('paste_input');
    expect(JSON.stringify(form.view)).toContain('"initial_option":{"text":{"type":"plain_text","text":"Add to group"}');

    const before = messageKeys(e2e);
    const submitted = await submitForm(form, g.id, 'add');
    expect(submitted.outcome.outcome).toBe('updated');
    const preview = await waitForPreview(e2e, before);
    expect(preview.ephemeralTo).toBe('U_ALICE');
    const text = messageText(preview);
    expect(text).toContain('*Source:* ids in a message, in <http');
    expect(text).toContain('|a message> by <@U_BOB>');
    expect(text).toContain('1 duplicate id dropped.');
    expect((await e2e.store.getOperation(operationIdOf(preview)))?.participantIds).toEqual(people);
    expect(viewText(await uploadOutcome(e2e, form.id))).toContain('The preview is ready');
    // Nothing is written before the confirmation.
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);

    await e2e.click(preview, 'op_confirm');
    await eventually(() => messageText(current(e2e, preview)).includes('Done'), 'the outcome');
    expect(e2e.sandbox.state.members(g.id)).toEqual([...g.members, ...people]);
  });

  it('reads a Prolific export shared with a message (its APPROVED rows), the file winning over the text', async () => {
    const g = newGroup(e2e, 'Shortcut export', 0);
    const people = g.outsiders(4);
    const submissionIds = sandboxParticipantIds(9_100_001, 9_100_004);
    const statuses = ['APPROVED', 'RETURNED', 'APPROVED', 'AWAITING REVIEW'];
    const csv = `Submission id,Participant id,Status\n${people.map((p, i) => `${submissionIds[i]},${p},${statuses[i]}`).join('\n')}\n`;
    const stray = g.outsiders(5)[4]!;
    const posted = e2e.slack.postAsUser({
      channel: 'C_GENERAL',
      user: 'U_BOB',
      text: `Wave 1 export, see also ${stray}`,
      files: [{ name: 'notes.pdf', content: '%PDF-1.4' }, { name: 'wave1-export.csv', content: csv }],
    });
    const form = await useShortcut('C_GENERAL', posted.ts);
    expect(viewText(form)).toContain('Source: *wave1-export.csv*, shared in <http');
    const before = messageKeys(e2e);
    expect((await submitForm(form, g.id, 'replace')).outcome.outcome).toBe('updated');
    const preview = await waitForPreview(e2e, before);
    const text = messageText(preview);
    expect(text).toContain('*Source:* file wave1-export.csv, column “Participant id”, in <http');
    expect(text).toContain('APPROVED 2 ✓ · AWAITING REVIEW 1 · RETURNED 1');
    expect((await e2e.store.getOperation(operationIdOf(preview)))?.participantIds).toEqual([people[0], people[2]]);
    expect(e2e.slack.callsTo('files.info').at(-1)?.args['file']).toBe(posted.files?.[1]?.id);
  });

  it('says so in a modal when a message has neither ids nor a readable file; nothing is read or written', async () => {
    const posted = e2e.slack.postAsUser({ channel: 'C_GENERAL', user: 'U_BOB', text: 'Lunch at noon?', files: [{ name: 'menu.pdf', content: '%PDF-1.4' }] });
    const calls = e2e.slack.callsTo('files.info').length;
    const opsBefore = e2e.sandbox.state.listGroups().length;
    const view = await useShortcut('C_GENERAL', posted.ts);
    expect(view.view.callback_id).toBe('shortcut_notice_modal');
    const text = viewText(view);
    expect(text).toContain('This message has no participant ids and no CSV, TSV or TXT file to read');
    expect(text).toContain('None of its 3 words is a participant id');
    expect(text).toContain('Its file (menu.pdf) is not CSV, TSV or TXT.');
    expect(text).toContain('Nothing was sent to Prolific.');
    expect(e2e.slack.callsTo('files.info').length).toBe(calls);
    expect(e2e.sandbox.state.listGroups().length).toBe(opsBefore);
  });

  it('refuses at once someone who may not change groups', async () => {
    const posted = e2e.slack.postAsUser({ channel: 'C_GENERAL', user: 'U_BOB', text: sandboxParticipantIds(9_200_001, 9_200_001)[0]! });
    const view = await useShortcut('C_GENERAL', posted.ts, 'U_EXT');
    expect(view.view.callback_id).toBe('shortcut_notice_modal');
    expect(viewText(view)).toContain('Only members of the workspace that installed this app can change participant groups');
  });
});
