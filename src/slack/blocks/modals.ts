import { groupTitle } from './groupTitle';
import type { KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import type { StudySummary, SubmissionStatus } from '../../prolific/studyTypes';
import type { ParticipantGroup } from '../../prolific/types';
import { MAX_GROUP_NAME_LENGTH } from '../../services/groups';
import { INPUTS, VIEWS } from '../interactionIds';
import { bold, escapeMrkdwn, formatCount, link, mentionUser, plural, truncate } from '../mrkdwn';
import type { StudyFacts } from '../../services/studies';
import { BLOCK_KIT_LIMITS as L } from './blockKitLimits';
import { context, section } from './message';
import { type MessageSource, packMessageSource, unpackMessageSource } from '../shortcutMessage';
import { studyName } from './studies';

/** A static select holds at most 100 options; past that the picker searches as the user types. */
export const STATIC_SELECT_LIMIT = L.selectOptions;

/** What a modal remembers between opening and submission (private_metadata, ≤3000 characters). */
export interface ModalContext {
  channelId: string | null;
  /** The group the form was rendered for, and its name then: for the rename form's "unchanged" check. */
  groupId: string | null;
  currentName: string | null;
  /** The pending operation a confirmation form is for. */
  operationId?: string;
  /** The message an upload form was opened on (the message shortcut): the source of its ids. */
  message?: MessageSource;
}

function modalContextJson(ctx: ModalContext): string {
  const { message, ...rest } = ctx;
  return JSON.stringify(message ? { ...rest, message: packMessageSource(message) } : rest);
}

export function encodeModalContext(ctx: ModalContext): string {
  // private_metadata holds at most 3000 characters; a very long group name is left out.
  const json = modalContextJson(ctx);
  return json.length <= L.privateMetadata ? json : modalContextJson({ ...ctx, currentName: null });
}

/** Whether the context fits in private_metadata whole (a message's ids must not be cut). */
export function modalContextFits(ctx: ModalContext): boolean {
  return modalContextJson({ ...ctx, currentName: null }).length <= L.privateMetadata;
}

export function decodeModalContext(raw: string | undefined): ModalContext {
  try {
    const parsed = JSON.parse(raw ?? '{}') as Partial<ModalContext>;
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const operationId = text(parsed.operationId);
    const message = unpackMessageSource((parsed as { message?: unknown }).message);
    return {
      channelId: text(parsed.channelId),
      groupId: text(parsed.groupId),
      currentName: text(parsed.currentName),
      ...(operationId ? { operationId } : {}),
      ...(message ? { message } : {}),
    };
  } catch {
    return { channelId: null, groupId: null, currentName: null };
  }
}

export function groupOption(group: Pick<ParticipantGroup, 'id' | 'name' | 'participant_count'>): PlainTextOption {
  return {
    text: { type: 'plain_text', text: truncate(`${groupTitle(group.name)} (${formatCount(group.participant_count)})`, L.optionText) },
    value: group.id,
  };
}

function groupPicker(
  groups: ParticipantGroup[],
  selected: ParticipantGroup | null,
  dispatch: boolean,
  input: { block: string; action: string; label: string; optional?: boolean; hint?: string } = { ...INPUTS.group, label: 'Group' },
): KnownBlock {
  // Slack refuses a view whose initial option is not one of its options, word for word: the list
  // and the selected group may be two reads apart (a feeder study changed the count in between),
  // so the list's own entry is preselected, and a group missing from the list is added to it.
  const listed = selected ? groups.find((g) => g.id === selected.id) : undefined;
  if (selected && !listed && groups.length < STATIC_SELECT_LIMIT) groups = [selected, ...groups];
  const initial = selected ? { initial_option: groupOption(listed ?? selected) } : {};
  const element =
    groups.length <= STATIC_SELECT_LIMIT
      ? {
          type: 'static_select' as const,
          action_id: input.action,
          placeholder: { type: 'plain_text' as const, text: 'Choose a group' },
          options: groups.map(groupOption) as Option[] as PlainTextOption[],
          ...initial,
        }
      : {
          type: 'external_select' as const,
          action_id: input.action,
          placeholder: { type: 'plain_text' as const, text: 'Type to search groups' },
          min_query_length: 0,
          ...initial,
        };
  return {
    type: 'input',
    block_id: input.block,
    label: { type: 'plain_text', text: input.label },
    ...(input.optional ? { optional: true } : {}),
    ...(input.hint ? { hint: { type: 'plain_text' as const, text: input.hint } } : {}),
    dispatch_action: dispatch,
    element,
  };
}

export function renderRenameModal(groups: ParticipantGroup[], selected: ParticipantGroup | null, ctx: ModalContext): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.rename,
    title: { type: 'plain_text', text: 'Rename group' },
    submit: { type: 'plain_text', text: 'Rename' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalContext(ctx),
    blocks: [
      groupPicker(groups, selected, true),
      {
        type: 'input',
        // The block id carries the group, so choosing another group re-renders the field with its name.
        block_id: `${INPUTS.name.block}:${selected?.id ?? 'none'}`,
        label: { type: 'plain_text', text: 'New name' },
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.name.action,
          max_length: MAX_GROUP_NAME_LENGTH + 50,
          ...(selected ? { initial_value: selected.name } : {}),
        },
        hint: { type: 'plain_text', text: `Up to ${MAX_GROUP_NAME_LENGTH} characters. Studies keep using the group under its new name.` },
      },
    ],
  };
}

export const UPLOAD_MODES = [
  { value: 'replace', text: 'Replace all members', description: 'The group will contain exactly the ids in the file.' },
  { value: 'add', text: 'Add to group', description: 'Ids in the file join the group; nobody is removed.' },
  { value: 'remove', text: 'Remove from group', description: 'Ids in the file leave the group.' },
  { value: 'keep', text: 'Keep only those in the other group', description: 'With another group below: members not in it leave the group.' },
] as const;

/** The statuses the form offers for a study (submissions still in progress are left out). */
export const FORM_STATUSES: readonly SubmissionStatus[] = ['APPROVED', 'AWAITING REVIEW', 'PARTIALLY APPROVED', 'RETURNED', 'REJECTED', 'TIMED-OUT', 'SCREENED OUT'];

function statusOption(status: SubmissionStatus): PlainTextOption {
  return { text: { type: 'plain_text', text: status.charAt(0) + status.slice(1).toLowerCase() }, value: status };
}

/** A study in the upload form's picker: its name, internal name when different, and state. */
export function studyOption(study: Pick<StudySummary, 'id' | 'name' | 'internal_name' | 'status'>): PlainTextOption {
  const internal = study.internal_name && study.internal_name !== study.name ? ` “${study.internal_name}”` : '';
  return { text: { type: 'plain_text', text: truncate(`${study.name}${internal} (${study.status})`, 75) }, value: study.id };
}

/** The optional study search of the upload and message forms: one block and action id, so one options handler answers both. */
export function studyPicker(label: string, hint: string): KnownBlock {
  return {
    type: 'input',
    block_id: INPUTS.study.block,
    optional: true,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'external_select',
      action_id: INPUTS.study.action,
      placeholder: { type: 'plain_text', text: 'Type to search the studies' },
      min_query_length: 0,
    },
    hint: { type: 'plain_text', text: hint },
  };
}

/** Where the ids of a message shortcut's form come from: the message's file, or the ids in its text. */
export function messageSourceLine(source: MessageSource): string {
  const where = link(source.permalink, 'a message');
  const by = source.authorId ? ` by ${mentionUser(source.authorId)}` : '';
  if (source.file) {
    return `:page_facing_up: Source: ${bold(source.file.name)}, shared in ${where}${by}. It is read when you press Preview (a column of ids or a Prolific export, up to 10 MB).`;
  }
  const text = source.text ?? { ids: [], invalidCount: 0, duplicates: 0 };
  const skipped = text.invalidCount ? ` (${plural(text.invalidCount, 'other word')} skipped)` : '';
  return `:speech_balloon: Source: ${plural(text.ids.length, 'participant id')} in ${where}${by}${skipped}.`;
}

/** The mode a form starts with: a message's ids are most often added. */
function modeChoice(initial: (typeof UPLOAD_MODES)[number]['value'] | null, modes: readonly (typeof UPLOAD_MODES)[number][] = UPLOAD_MODES): KnownBlock {
  const option = (m: (typeof UPLOAD_MODES)[number]) => ({
    text: { type: 'plain_text' as const, text: m.text },
    value: m.value,
    description: { type: 'plain_text' as const, text: m.description },
  });
  const start = UPLOAD_MODES.find((m) => m.value === initial);
  return {
    type: 'input',
    block_id: INPUTS.mode.block,
    label: { type: 'plain_text', text: 'What should happen?' },
    element: { type: 'radio_buttons', action_id: INPUTS.mode.action, options: modes.map(option), ...(start ? { initial_option: option(start) } : {}) },
  };
}

/** What the upload form starts with: the change chosen, and why the file last sent could not be read. */
export interface UploadFormState {
  mode?: (typeof UPLOAD_MODES)[number]['value'] | null;
  /** Shown under the file field: the form came back because the file sent with it could not be read. */
  fileError?: string | null;
}

export function renderUploadModal(groups: ParticipantGroup[], selected: ParticipantGroup | null, ctx: ModalContext, state: UploadFormState = {}): ModalView {
  if (ctx.message) {
    return {
      type: 'modal',
      callback_id: VIEWS.upload,
      title: { type: 'plain_text', text: 'Add to a group' },
      submit: { type: 'plain_text', text: 'Preview' },
      close: { type: 'plain_text', text: 'Cancel' },
      private_metadata: encodeModalContext(ctx),
      blocks: [
        context(messageSourceLine(ctx.message)),
        groupPicker(groups, selected, false),
        // Keeping only those in another group needs that group: the message form has no such field.
        modeChoice(
          'add',
          UPLOAD_MODES.filter((m) => m.value !== 'keep'),
        ),
        section('Nothing changes until you confirm the preview that follows.'),
      ],
    };
  }
  return {
    type: 'modal',
    callback_id: VIEWS.upload,
    title: { type: 'plain_text', text: 'Upload participant ids' },
    submit: { type: 'plain_text', text: 'Preview' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalContext(ctx),
    blocks: [
      groupPicker(groups, selected, false),
      // Slack marks each source "(optional)": one of them is required, and this says so.
      section('*The ids:* one of a CSV file, pasted ids or a study is required.'),
      {
        type: 'input',
        block_id: INPUTS.file.block,
        optional: true,
        label: { type: 'plain_text', text: 'CSV file' },
        element: { type: 'file_input', action_id: INPUTS.file.action, filetypes: ['csv', 'tsv', 'txt'], max_files: 1 },
        hint: { type: 'plain_text', text: 'A column of participant ids, e.g. a Prolific export (its APPROVED rows, unless you choose others). Up to 10 MB.' },
      },
      ...(state.fileError ? [section(`:x: ${escapeMrkdwn(uploadFieldError(state.fileError))}`)] : []),
      {
        type: 'input',
        block_id: INPUTS.paste.block,
        optional: true,
        label: { type: 'plain_text', text: 'Or paste ids' },
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.paste.action,
          multiline: true,
          max_length: L.plainTextInputLength,
          placeholder: { type: 'plain_text', text: 'Ids separated by spaces, commas or new lines' },
        },
      },
      studyPicker('Or a study', 'Its participants, each once, from the submissions with the statuses ticked below.'),
      {
        type: 'input',
        block_id: INPUTS.statuses.block,
        optional: true,
        label: { type: 'plain_text', text: 'Submissions to use (with a study)' },
        element: {
          type: 'checkboxes',
          action_id: INPUTS.statuses.action,
          options: FORM_STATUSES.map(statusOption),
          initial_options: [statusOption('APPROVED')],
        },
      },
      groupPicker(groups, null, false, {
        ...INPUTS.otherGroup,
        label: 'Or another group',
        optional: true,
        hint: 'Its members, as they are when you confirm: add them, remove them, copy them (replace), or keep only members also in it.',
      }),
      modeChoice(state.mode ?? null),
      section('Nothing changes until you confirm the preview that follows.'),
    ],
  };
}

/** A file the app cannot read, as the error under the form's file field: what went wrong, and what to do. */
export function uploadFieldError(problem: string): string {
  return `${problem} Choose another file, or paste the ids.`;
}

/** Shown in place of the upload form while the file is read, and then with the result. */
export function renderUploadStatusModal(message: string, emoji = ':hourglass_flowing_sand:'): ModalView {
  return {
    type: 'modal',
    callback_id: `${VIEWS.upload}_status`,
    title: { type: 'plain_text', text: 'Upload participant ids' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(`${emoji} ${escapeMrkdwn(message)}`)],
  };
}

/**
 * Confirms deleting a group that a live study uses, by typing the group's name (as GitHub asks
 * for a repository's): it names the studies whose filters will then point at a deleted group.
 */
export function renderTypedDeleteModal(op: { id: string; groupId: string; groupName: string; channelId: string | null }, studies: StudyFacts | null, memberCount: number): ModalView {
  const live = (studies?.studies ?? []).filter((study) => study.phase === 'live');
  const names = live.slice(0, 5).map((study) => studyName(study));
  const more = live.length > names.length ? ` and ${formatCount(live.length - names.length)} more` : '';
  return {
    type: 'modal',
    callback_id: VIEWS.typedDelete,
    title: { type: 'plain_text', text: 'Delete group' },
    submit: { type: 'plain_text', text: 'Delete group' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalContext({ channelId: op.channelId, groupId: op.groupId, currentName: null, operationId: op.id }),
    blocks: [
      section(
        `:rotating_light: ${bold(op.groupName)} and its ${plural(memberCount, 'member')} will be deleted from Prolific.${live.length ? ` ${names.join(', ')}${more} ${live.length === 1 ? 'uses' : 'use'} it: ${live.length === 1 ? 'its filter' : 'their filters'} will then point at a deleted group.` : ''} Recreate can make a new group with the same name, description and members afterwards, but with a new id.`,
      ),
      {
        type: 'input',
        block_id: INPUTS.typedName.block,
        label: { type: 'plain_text', text: 'Type the group’s name to confirm' },
        element: { type: 'plain_text_input', action_id: INPUTS.typedName.action, max_length: MAX_GROUP_NAME_LENGTH + 50 },
      },
    ],
  };
}
