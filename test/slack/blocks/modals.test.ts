import type { KnownBlock, ModalView } from '@slack/types';
import { MAX_GROUP_NAME_LENGTH } from '../../../src/services/groups';
import {
  decodeModalContext,
  encodeModalContext,
  groupOption,
  renderRenameModal,
  renderUploadModal,
  renderUploadStatusModal,
  STATIC_SELECT_LIMIT,
  UPLOAD_MODES,
} from '../../../src/slack/blocks/modals';
import { expectSafeSurface, textsOf } from './expectSafeSurface';
import { aGroup, HOSTILE, hexId } from './renderInputs';

const groups = (n: number) => Array.from({ length: n }, (_, i) => aGroup({ id: hexId(i + 1), name: `Group ${i + 1}`, participant_count: 1_000 + i }));
const CTX = { channelId: 'C_GENERAL', groupId: hexId(1), currentName: 'Group 1' };

type Input = { type: 'input'; block_id: string; element: Record<string, unknown>; label: { text: string }; hint?: { text: string }; optional?: boolean };
const inputs = (view: ModalView) => (view.blocks as KnownBlock[]).filter((b): b is KnownBlock & Input => b.type === 'input') as unknown as Input[];

describe('groupOption', () => {
  it('shows the name as written (plain text) with the count, and carries the id; cut to the option limit', () => {
    expect(groupOption(aGroup({ name: '<!here> & co', participant_count: 12_345 }))).toEqual({ text: { type: 'plain_text', text: '<!here> & co (12,345)' }, value: hexId(0xa1) });
    expect(groupOption(aGroup({ name: 'n'.repeat(100) })).text.text).toMatch(/^n{74}…$/);
  });

  it('cuts a name between characters: an emoji or a flag at the limit is left out whole, never halved', () => {
    for (let pad = 68; pad <= 76; pad++) {
      for (const glyph of ['🎉', '🇬🇧', '👩‍🔬', 'e\u0301']) {
        const name = `${'n'.repeat(pad)}${glyph}${glyph}${glyph}`;
        const text = groupOption(aGroup({ name })).text.text;
        expect(text.length).toBeLessThanOrEqual(75);
        const kept = text.slice(0, -1);
        expect(name.startsWith(kept)).toBe(true);
        // Whole glyphs only: what follows the n's is the glyph repeated.
        expect(kept.replace(/^n+/, '').split(glyph).join('')).toBe('');
        expectSafeSurface({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Pick' }, accessory: { type: 'static_select', action_id: 'g', options: [groupOption(aGroup({ name }))] } }] });
      }
    }
  });
});

describe('renderRenameModal', () => {
  it('a group picker that re-renders on choice, and a name field filled with the chosen group’s name', () => {
    const view = renderRenameModal(groups(3), groups(3)[1]!, CTX);
    expectSafeSurface(view);
    expect(view).toMatchObject({ type: 'modal', callback_id: 'rename_modal', title: { text: 'Rename group' }, submit: { text: 'Rename' }, close: { text: 'Cancel' } });
    const [picker, name] = inputs(view);
    expect(picker).toMatchObject({ block_id: 'group', dispatch_action: true, element: { type: 'static_select', action_id: 'group_select', initial_option: { value: hexId(2) } } });
    expect((picker!.element['options'] as unknown[]).length).toBe(3);
    expect(name).toMatchObject({ block_id: `name:${hexId(2)}`, element: { action_id: 'name_input', initial_value: 'Group 2', max_length: MAX_GROUP_NAME_LENGTH + 50 } });
    expect(name!.hint!.text).toBe(`Up to ${MAX_GROUP_NAME_LENGTH} characters. Studies keep using the group under its new name.`);
    expect(decodeModalContext(view.private_metadata)).toEqual(CTX);
  });

  it(`past ${STATIC_SELECT_LIMIT} groups the picker searches as the user types`, () => {
    const [picker] = inputs(renderRenameModal(groups(STATIC_SELECT_LIMIT + 1), null, CTX));
    expect(picker!.element).toEqual({ type: 'external_select', action_id: 'group_select', placeholder: { type: 'plain_text', text: 'Type to search groups' }, min_query_length: 0 });
    expect(inputs(renderRenameModal(groups(STATIC_SELECT_LIMIT), null, CTX))[0]!.element['type']).toBe('static_select');
  });

  it('with no group chosen, the name field is empty and its block says so', () => {
    const [, name] = inputs(renderRenameModal(groups(2), null, CTX));
    expect(name!.block_id).toBe('name:none');
    expect(name!.element['initial_value']).toBeUndefined();
  });
});

describe('renderUploadModal', () => {
  it('a picker, an optional file, optional pasted ids, an optional study with statuses (APPROVED ticked), an optional other group, the four modes, and a line saying nothing changes before the preview', () => {
    const view = renderUploadModal(groups(2), null, CTX);
    expectSafeSurface(view);
    expect(view).toMatchObject({ callback_id: 'upload_modal', title: { text: 'Upload participant ids' }, submit: { text: 'Preview' } });
    const [picker, file, paste, study, statuses, other, mode] = inputs(view);
    expect(other).toMatchObject({ block_id: 'other_group', optional: true, label: { text: 'Or another group' }, element: { type: 'static_select', action_id: 'other_group_select' } });
    expect(other!.element['initial_option']).toBeUndefined();
    expect(study).toMatchObject({ block_id: 'study', optional: true, element: { type: 'external_select', action_id: 'study_select', min_query_length: 0 } });
    expect(statuses).toMatchObject({ block_id: 'statuses', optional: true, element: { type: 'checkboxes', action_id: 'status_choice', initial_options: [{ value: 'APPROVED' }] } });
    expect(picker!.element['initial_option']).toBeUndefined();
    expect(file).toMatchObject({ block_id: 'file', optional: true, element: { type: 'file_input', action_id: 'file_input', filetypes: ['csv', 'tsv', 'txt'], max_files: 1 } });
    expect(paste).toMatchObject({ block_id: 'paste', optional: true, element: { type: 'plain_text_input', multiline: true, max_length: 3000 } });
    expect(mode!.element['options']).toEqual(UPLOAD_MODES.map((m) => ({ text: { type: 'plain_text', text: m.text }, value: m.value, description: { type: 'plain_text', text: m.description } })));
    expect(textsOf(view).at(-1)).toBe('Nothing changes until you confirm the preview that follows.');
  });
});

describe('renderUploadStatusModal', () => {
  it('one line, escaped, with an hourglass while the file is read', () => {
    const view = renderUploadStatusModal('Reading <ids>.csv…');
    expectSafeSurface(view);
    expect(view).toMatchObject({ callback_id: 'upload_modal_status', close: { text: 'Close' } });
    expect(view.submit).toBeUndefined();
    expect(view.title.text).toBe('Upload participant ids');
    expect(textsOf(view)).toEqual([':hourglass_flowing_sand: Reading &lt;ids&gt;.csv…']);
  });
});

describe('the modal context', () => {
  it('round-trips, and stays within private_metadata’s 3,000 characters by leaving out a very long name', () => {
    expect(decodeModalContext(encodeModalContext(CTX))).toEqual(CTX);
    const long = { ...CTX, currentName: HOSTILE.repeat(200) };
    const encoded = encodeModalContext(long);
    expect(encoded.length).toBeLessThanOrEqual(3000);
    expect(decodeModalContext(encoded)).toEqual({ ...CTX, currentName: null });
  });

  it('reads anything else as no context at all, field by field', () => {
    expect(decodeModalContext(undefined)).toEqual({ channelId: null, groupId: null, currentName: null });
    expect(decodeModalContext('not json')).toEqual({ channelId: null, groupId: null, currentName: null });
    expect(decodeModalContext(JSON.stringify({ channelId: 7, groupId: 'g', currentName: ['x'] }))).toEqual({ channelId: null, groupId: 'g', currentName: null });
  });
});

describe('the group picker’s preselected group', () => {
  const options = (view: ModalView) => inputs(view).find((b) => b.element['action_id'] === 'group_select')?.element as { options: unknown[]; initial_option: unknown };

  it('is the list’s own option when the group was read again with another count (a feeder added someone in between)', () => {
    const list = groups(3);
    const fresher = { ...list[1]!, participant_count: list[1]!.participant_count + 1 };
    const picker = options(renderUploadModal(list, fresher, CTX));
    expect(picker.options).toContainEqual(picker.initial_option);
    expect(picker.initial_option).toEqual(groupOption(list[1]!));
  });

  it('is added to the options when the list does not hold it', () => {
    const list = groups(3);
    const newcomer = aGroup({ id: hexId(99), name: 'Made a moment ago', participant_count: 0 });
    const picker = options(renderRenameModal(list, newcomer, CTX));
    expect(picker.options).toContainEqual(picker.initial_option);
    expect(picker.options).toHaveLength(4);
  });
});
