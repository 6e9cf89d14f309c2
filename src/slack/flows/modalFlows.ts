import { renderLoadingModal, FORM_ENDINGS, FORM_ERRORS, FORM_TITLES, formFailedText, INLINE_SOURCES, previewReadyText, typedNameMismatch } from '../blocks/formWords';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { ParticipantGroup } from '../../prolific/types';
import type { Actor, RequestActor } from '../../services/actor';
import { type IdSource, inlineIdSource, type MembershipMode, typedNameMatches } from '../../services/changes';
import type { GroupSourceMode } from '../../services/changes/groupSource';
import type { Operation } from '../../store/types';
import { groupNameProblemText } from '../blocks/groupNames';
import { parseInlineIds } from '../../services/participantIds';
import { describeFailure } from '../blocks/failures';
import { notice } from '../blocks/message';
import { type ModalContext, renderRenameModal, renderUploadModal, renderUploadStatusModal } from '../blocks/modals';
import { INPUTS } from '../interactionIds';
import type { SubmissionStatus } from '../../prolific/studyTypes';
import { normaliseSubmissionStatus } from '../../prolific/submissionStatus';
import { BULK_FROM_FORM, type FileIds, idsFromFile, previewFile } from './fileFlows';
import { idsFromStudy } from './studyFlows';
import type { Reply } from '../replies';
import type { SlackFileRef } from '../slackFiles';
import type { MessageSource } from '../shortcutMessage';
import type { BotContext } from './botContext';
import { withFailureReply } from './withFailureReply';
import { offerChange, startRename } from './changeFlows';


/**
 * Opens a modal the standard way: the trigger_id is used at once with a light view (it
 * expires within 3 seconds), and the form with the workspace's groups replaces it once
 * Prolific has answered.
 */
export async function openGroupModal(
  client: WebClient,
  triggerId: string,
  title: string,
  render: (groups: ParticipantGroup[], selected: ParticipantGroup | null) => ModalView,
  load: () => Promise<{ groups: ParticipantGroup[]; selected: ParticipantGroup | null }>,
  how: 'open' | 'push' = 'open',
): Promise<void> {
  // From inside a modal (the "Participant groups" modal) the form is pushed onto it.
  const view = renderLoadingModal(title, 'groups');
  const opened = how === 'push' ? await client.views.push({ trigger_id: triggerId, view }) : await client.views.open({ trigger_id: triggerId, view });
  const viewId = opened.view?.id ?? '';
  try {
    const { groups, selected } = await load();
    await client.views.update({ view_id: viewId, view: render(groups, selected) });
  } catch (err) {
    await client.views.update({ view_id: viewId, view: renderUploadStatusModal(describeFailure(err), ':x:') }).catch(() => undefined);
    throw err;
  }
}

async function groupsWithSelection(ctx: BotContext, groupQuery: string | null): Promise<{ groups: ParticipantGroup[]; selected: ParticipantGroup | null }> {
  const groups = await ctx.groups.list();
  if (!groupQuery) return { groups, selected: null };
  const found = await ctx.groups.resolve(groupQuery);
  return { groups, selected: found.kind === 'found' ? found.group : null };
}

export function openRenameModal(ctx: BotContext, client: WebClient, triggerId: string, groupQuery: string | null, channelId: string | null, how: 'open' | 'push' = 'open'): Promise<void> {
  return openGroupModal(
    client,
    triggerId,
    'Rename group',
    (groups, selected) => renderRenameModal(groups, selected, { channelId, groupId: selected?.id ?? null, currentName: selected?.name ?? null }),
    () => groupsWithSelection(ctx, groupQuery),
    how,
  );
}

/** `mode`: the change the form starts on (none chosen when null); `how`: opened, or pushed above another modal. */
export function openUploadModal(
  ctx: BotContext,
  client: WebClient,
  triggerId: string,
  groupQuery: string | null,
  channelId: string | null,
  how: 'open' | 'push' = 'open',
  mode: MembershipMode | null = null,
): Promise<void> {
  return openGroupModal(
    client,
    triggerId,
    FORM_TITLES.upload,
    (groups, selected) => renderUploadModal(groups, selected, { channelId, groupId: null, currentName: null }, { mode }),
    () => groupsWithSelection(ctx, groupQuery),
    how,
  );
}

/** Choosing another group in the rename form refills the name with that group's name. */
export async function refreshRenameModal(ctx: BotContext, client: WebClient, viewId: string, hash: string | undefined, groupId: string, modal: ModalContext): Promise<void> {
  const groups = await ctx.groups.list();
  const selected = groups.find((g) => g.id === groupId) ?? null;
  await client.views.update({
    view_id: viewId,
    ...(hash ? { hash } : {}),
    view: renderRenameModal(groups, selected, { channelId: modal.channelId, groupId: selected?.id ?? null, currentName: selected?.name ?? null }),
  });
}

/** What the rename form's submission holds, checked at once so the modal can show inline errors. */
export function checkRenameSubmission(groupId: string | null, name: string, modal: ModalContext): { errors: Record<string, string> } | { groupId: string; name: string } {
  const nameBlock = `${INPUTS.name.block}:${modal.groupId ?? 'none'}`;
  if (!groupId) return { errors: { [INPUTS.group.block]: FORM_ERRORS.chooseGroup } };
  const problem = groupNameProblemText(name, modal.groupId === groupId && modal.currentName !== null ? modal.currentName : undefined);
  if (problem) return { errors: { [nameBlock]: problem } };
  return { groupId, name: name.trim() };
}

/** `reply` goes to the conversation the form was opened from. */
export async function applyRenameSubmission(ctx: BotContext, reply: Reply, actor: RequestActor, groupId: string, name: string, modal: ModalContext): Promise<void> {
  await withFailureReply(ctx, reply, 'rename form', async () => {
    await startRename(ctx, reply, actor, modal.channelId, { group: await ctx.groups.get(groupId), typed: groupId }, name);
  });
}

/** The delete form's typed name, checked before the ack: a wrong name is an inline error and nothing is written. */
export async function checkTypedDelete(ctx: BotContext, typed: string, modal: ModalContext): Promise<{ errors: Record<string, string> } | { operationId: string; typed: string }> {
  const op = modal.operationId ? await ctx.store.getOperation(modal.operationId) : null;
  if (!op) return { errors: { [INPUTS.typedName.block]: FORM_ERRORS.deletePreviewGone } };
  if (!typedNameMatches(typed, op.groupName)) {
    return { errors: { [INPUTS.typedName.block]: typedNameMismatch(op.groupName) } };
  }
  return { operationId: op.id, typed };
}

export interface UploadSubmission {
  groupId: string;
  mode: GroupSourceMode;
  file: SlackFileRef | null;
  pasted: string;
  /** A study whose submissions with these statuses give the ids. */
  study: { id: string; statuses: SubmissionStatus[] } | null;
  /** The message the form was opened on (the message shortcut): its ids or its file are the source. */
  message: MessageSource | null;
  /** Another group whose members give the ids (the mode may then be keep: an intersection). */
  otherGroupId: string | null;
}

/** Shows the upload form again in place of its status view, with the file's problem under the file field. */
async function backToForm(ctx: BotContext, client: WebClient, viewId: string, submission: UploadSubmission, modal: ModalContext, fileError: string): Promise<boolean> {
  if (!viewId || submission.message) return false;
  try {
    const groups = await ctx.groups.list();
    const selected = groups.find((g) => g.id === submission.groupId) ?? null;
    await client.views.update({ view_id: viewId, view: renderUploadModal(groups, selected, modal, { mode: submission.mode, fileError }) });
    return true;
  } catch (err) {
    ctx.logger.warn(`showing the upload form again failed (${(err as { data?: { error?: string } }).data?.error ?? 'error'})`);
    return false;
  }
}

/** The checks a submission gets before the ack: they come back as inline errors in the modal. */
export function checkUploadSubmission(values: {
  groupId: string | null;
  mode: string | null;
  files: SlackFileRef[];
  pasted: string;
  studyId?: string | null;
  statuses?: string[];
  message?: MessageSource | null;
  otherGroupId?: string | null;
}): { errors: Record<string, string> } | UploadSubmission {
  const errors: Record<string, string> = {};
  const message = values.message ?? null;
  const sources = [values.files.length > 0, values.pasted.trim() !== '', Boolean(values.studyId), Boolean(message), Boolean(values.otherGroupId)].filter(Boolean).length;
  const statuses = (values.statuses ?? []).map(normaliseSubmissionStatus).filter((s): s is SubmissionStatus => s !== null);
  if (!values.groupId) errors[INPUTS.group.block] = FORM_ERRORS.chooseGroup;
  if (sources === 0) errors[INPUTS.file.block] = FORM_ERRORS.noSource;
  if (sources > 1) {
    const block = values.otherGroupId ? INPUTS.otherGroup.block : values.studyId ? INPUTS.study.block : INPUTS.paste.block;
    errors[block] = FORM_ERRORS.oneSource;
  }
  if (values.studyId && sources === 1 && statuses.length === 0) errors[INPUTS.statuses.block] = FORM_ERRORS.noStatus;
  if (values.otherGroupId && values.otherGroupId === values.groupId) errors[INPUTS.otherGroup.block] = FORM_ERRORS.sameGroup;
  if (values.mode !== 'replace' && values.mode !== 'add' && values.mode !== 'remove' && values.mode !== 'keep') errors[INPUTS.mode.block] = FORM_ERRORS.noMode;
  else if (values.mode === 'keep' && !values.otherGroupId) errors[INPUTS.mode.block] = FORM_ERRORS.keepNeedsGroup;
  if (Object.keys(errors).length) return { errors };
  return {
    groupId: values.groupId!,
    mode: values.mode as GroupSourceMode,
    file: values.files[0] ?? message?.file ?? null,
    pasted: values.pasted,
    study: values.studyId ? { id: values.studyId, statuses } : null,
    message,
    otherGroupId: values.otherGroupId ?? null,
  };
}

/**
 * How long the upload form's submission waits for its file to be read before it acks: a file that
 * cannot be read within it is refused on the form's file field (Slack's response_action errors,
 * which must come within 3 seconds), keeping everything else chosen in the form.
 */
export const READ_BEFORE_ACK_MS = 1500;

/** Starts reading the submitted file (before the ack); null for a submission without a file. */
export function startReadingUpload(ctx: BotContext, client: WebClient, submission: UploadSubmission): Promise<FileIds> | null {
  // A message's file has no field in its form to show a problem on: it is read after the ack.
  if (!submission.file || submission.study || submission.message) return null;
  // Keep takes another group; the form refuses it with a file.
  const mode: MembershipMode = submission.mode === 'keep' ? 'remove' : submission.mode;
  const read = idsFromFile(ctx, client, submission.file, { groupId: submission.groupId, mode, column: null, statuses: null });
  read.catch(() => undefined); // awaited by processUpload, which reports its failure
  return read;
}

/** Why the file cannot be used, when that is known within `ms`; null when it can, or is still being read. */
export async function fileRefusedWithin(read: Promise<FileIds>, ms: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    const first = await Promise.race([read.then((r) => r, () => null), late]);
    return first?.kind === 'refused' ? first.message : null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * After the ack: reads the file (or pasted ids), computes the preview and posts it to the
 * user (`tellUser`: the conversation the form was opened from), while the modal says what is
 * happening. Nothing is written to Prolific here. `fileRead`: the file as being read since before the ack.
 */
export async function processUpload(
  ctx: BotContext,
  client: WebClient,
  tellUser: Reply,
  actor: Actor,
  viewId: string,
  submission: UploadSubmission,
  modal: ModalContext,
  fileRead: Promise<FileIds> | null = null,
): Promise<void> {
  const status = (message: string, emoji?: string): Promise<boolean> =>
    client.views.update({ view_id: viewId, view: renderUploadStatusModal(message, emoji) }).then(
      () => true,
      (err) => {
        ctx.logger.warn(`updating the upload modal failed (${(err as { data?: { error?: string } }).data?.error ?? 'error'})`);
        return false;
      },
    );
  // A refusal is shown in the modal; when the user has closed it, it goes to them as a message instead.
  const refuse = async (message: string) => {
    if (!viewId || !(await status(message, ':x:'))) await tellUser(notice(message, ':x:'));
  };
  const showPreview = async (op: Operation): Promise<void> => {
    const landed = await offerChange(ctx, tellUser, actor, op, BULK_FROM_FORM);
    const ready = previewReadyText(landed ? (modal.channelId && landed.channel === modal.channelId ? 'channel' : 'dm') : null);
    await status(ready.text, ready.emoji);
  };
  try {
    if (submission.otherGroupId) {
      // Both groups are read together by the preview.
      const op = await ctx.changes.previewFromGroup({ mode: submission.mode, groupId: submission.groupId, sourceGroupId: submission.otherGroupId, actor, channelId: modal.channelId });
      await showPreview(op);
      return;
    }
    // The group is read while the file is downloaded and parsed: both are large and mostly waiting.
    const current = ctx.changes.readGroup(submission.groupId);
    current.catch(() => undefined); // awaited below; a refusal of the file may leave it unawaited
    // Only another group's members can be kept: the form refuses keep with any other source.
    const mode: MembershipMode = submission.mode === 'keep' ? 'remove' : submission.mode;
    let ids: string[];
    let source: IdSource;
    if (submission.study) {
      const found = await ctx.studyDirectory.resolve(submission.study.id);
      if (found.kind !== 'found') {
        await refuse(FORM_ENDINGS.studyGone);
        return;
      }
      const from = await idsFromStudy(ctx, found.item, submission.study.statuses);
      if (!from.ok) {
        await tellUser(from.message);
        await status(FORM_ENDINGS.noStatusRows, ':warning:');
        return;
      }
      ids = from.ids;
      source = from.source;
    } else if (submission.file) {
      const origin = submission.message ? { message: { authorId: submission.message.authorId, permalink: submission.message.permalink } } : {};
      const read = await previewFile(
        ctx,
        client,
        tellUser,
        actor,
        modal.channelId,
        submission.file,
        { groupId: submission.groupId, mode, column: null, statuses: null },
        { current, ...origin, ...(fileRead ? { read: fileRead } : {}) },
      );
      if (read.kind === 'refused') {
        // The form comes back with the group and the change still chosen, and why the file was refused under its field.
        if (!(await backToForm(ctx, client, viewId, submission, modal, read.message))) await refuse(read.message);
        return;
      }
      if (read.landed && read.kind === 'question') await status(FORM_ENDINGS.fileQuestion, ':warning:');
      else {
        const ready = previewReadyText(read.landed ? (modal.channelId && read.landed.channel === modal.channelId ? 'channel' : 'dm') : null);
        await status(ready.text, ready.emoji);
      }
      return;
    } else if (submission.message?.text) {
      const { text, authorId, permalink } = submission.message;
      ids = text.ids;
      source = {
        ...inlineIdSource(INLINE_SOURCES.message, { valid: text.ids, invalid: text.invalid, duplicates: text.duplicates }),
        invalidCount: text.invalidCount,
        message: { authorId, permalink },
      };
    } else {
      const pasted = parseInlineIds(submission.pasted);
      if (!pasted.valid.length) {
        await refuse(FORM_ENDINGS.noPastedIds);
        return;
      }
      ids = pasted.valid;
      source = inlineIdSource(INLINE_SOURCES.pasted, pasted);
    }
    await showPreview(await ctx.changes.previewMembership({ mode, groupId: submission.groupId, ids, actor, channelId: modal.channelId, source, current }));
  } catch (err) {
    ctx.logger.error('upload failed:', err instanceof Error ? `${err.name}: ${err.message}` : err);
    await refuse(formFailedText(err));
  }
}
