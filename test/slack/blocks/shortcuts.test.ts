import { renderCreateGroupModal, renderGroupsModal } from '../../../src/slack/blocks/groupsShortcut';
import { messageSourceLine, renderUploadModal } from '../../../src/slack/blocks/modals';
import { renderNothingToAddModal, renderShortcutRefusalModal, renderTooManyIdsModal } from '../../../src/slack/blocks/shortcuts';
import { renderDmWatch } from '../../../src/slack/blocks/subscriptions';
import { stepErrorText } from '../../../src/slack/blocks/workflowStep';
import type { MessageSource } from '../../../src/slack/shortcutMessage';
import { buttonsOf, expectSafeSurface, textsOf } from './expectSafeSurface';
import { AT, aGroup, HOSTILE, hexId } from './renderInputs';

const source = (overrides: Partial<MessageSource> = {}): MessageSource => ({
  channelId: 'C_GENERAL',
  ts: '1.2',
  authorId: 'U_BOB',
  permalink: 'https://example.slack.com/archives/C_GENERAL/p12',
  file: null,
  text: { ids: [hexId(1), hexId(2)], invalid: ['hi'], invalidCount: 1, duplicates: 0 },
  ...overrides,
});

describe('the message shortcut’s views', () => {
  it('names the message, its author and what it holds; a hostile file name stays text', () => {
    expect(messageSourceLine(source())).toBe(':speech_balloon: Source: 2 participant ids in <https://example.slack.com/archives/C_GENERAL/p12|a message> by <@U_BOB> (1 other word skipped).');
    const file = messageSourceLine(source({ text: null, file: { id: 'F1', name: HOSTILE }, permalink: 'javascript:alert(1)' }));
    expect(file).toContain('shared in a message by <@U_BOB>');
    expect(file).not.toContain('javascript');
    // The permalink is the one link the app means to write; without it, nothing else may read as one.
    const form = renderUploadModal([aGroup()], null, { channelId: 'C_GENERAL', groupId: null, currentName: null, message: source({ file: { id: 'F1', name: HOSTILE }, text: null, permalink: null }) });
    expectSafeSurface(form);
    expect(textsOf(form).join('\n')).toContain('Source: *&lt;!channel&gt; R&amp;D &lt;@U123&gt; ∗bold∗ `tick`*, shared in a message by <@U_BOB>.');
    expect(form.title.text).toBe('Add to a group');
  });

  it('says there is nothing to add, naming what it found instead, and that nothing was sent', () => {
    const view = renderNothingToAddModal({ otherFiles: [HOSTILE, 'b.pdf', 'c.png', 'd.zip'], invalidCount: 3 });
    expectSafeSurface(view);
    const text = textsOf(view).join('\n');
    expect(text).toContain('None of its 3 words is a participant id');
    expect(text).toContain(', …) are not CSV, TSV or TXT.');
    expect(text).toContain('Nothing was sent to Prolific.');
    expectSafeSurface(renderTooManyIdsModal(1234));
    expect(textsOf(renderTooManyIdsModal(1234)).join('\n')).toContain('1,234 participant ids');
    expectSafeSurface(renderShortcutRefusalModal('No.'));
  });
});

describe('the “Participant groups” modal', () => {
  it('offers the buttons, the search, the chosen group and the recent ones within Block Kit limits', () => {
    const groups = Array.from({ length: 150 }, (_, i) => aGroup({ id: hexId(i + 1), name: `${HOSTILE} ${i}` }));
    const recent = groups.slice(0, 8).map((g) => ({ groupId: g.id, groupName: g.name, at: AT }));
    const view = renderGroupsModal(groups, recent, groups[3]!);
    expectSafeSurface(view);
    const buttons = buttonsOf({ text: '', blocks: view.blocks as never }).map((b) => b.actionId);
    expect(buttons.slice(0, 6)).toEqual(['groups_modal_upload', 'groups_modal_create', 'groups_modal_rename', 'groups_modal_show', 'groups_modal_upload', 'groups_modal_rename']);
    // Five recent groups at most, each with its own action id.
    expect(buttons.filter((b) => b.startsWith('groups_modal_recent'))).toEqual([0, 1, 2, 3, 4].map((i) => `groups_modal_recent:${i}`));
    // Past 100 groups the search asks the app as the person types.
    expect(JSON.stringify(view.blocks)).toContain('"type":"external_select"');
    expectSafeSurface(renderGroupsModal([], [], null));
    expect(textsOf(renderGroupsModal([], [], null))).toContain('Groups you change appear here.');
    expectSafeSurface(renderCreateGroupModal());
  });
});

describe('personal alerts and the workflow step’s errors', () => {
  it('says how to stop alerts, and each error ends saying nothing was added', () => {
    const on = renderDmWatch({ id: hexId(9), name: HOSTILE }, 'watching');
    expectSafeSurface(on);
    expect(textsOf(on).join('\n')).toContain(`Stop with \`/pgroup unwatch ${hexId(9)} --dm\``);
    for (const outcome of ['already', 'stopped', 'not_watching'] as const) expectSafeSurface(renderDmWatch({ id: hexId(9), name: HOSTILE }, outcome));
    const errors = [
      stepErrorText({ kind: 'missing_input', input: 'group' }),
      stepErrorText({ kind: 'refused', userId: 'U_BOB', refusal: 'not_allowed' }),
      stepErrorText({ kind: 'group_not_found', query: 'x'.repeat(500) }),
      stepErrorText({ kind: 'group_ambiguous', query: 'pilot', count: 3 }),
      stepErrorText({ kind: 'no_ids', invalidCount: 2 }),
      stepErrorText({ kind: 'invalid_ids', invalid: ['a', 'b', 'c', 'd', 'e', 'f'], invalidCount: 7 }),
      stepErrorText({ kind: 'not_applied', result: { kind: 'refused', reason: 'group_busy', operation: null } }),
    ];
    for (const error of errors) expect(error.endsWith('Nothing was added.')).toBe(true);
    expect(errors[5]).toContain('"e" and 2 more');
    expect(errors[2]!.length).toBeLessThan(200);
  });
});
