import { readingText } from '../../slack/blocks/formWords';
import type { RequestActor } from '../../services/actor';
import { decodeModalContext, renderUploadStatusModal, uploadFieldError } from '../../slack/blocks/modals';
import { messageBodyProblem } from '../../services/groupMessages';
import { messageFormError } from '../../slack/blocks/groupMessages';
import { changeRefusalText } from '../../slack/blocks/permissions';
import { previewMessage } from '../../slack/flows/messageFlows';
import type { BotContext } from '../../slack/flows/botContext';
import { confirmOperation } from '../../slack/flows/changeFlows';
import {
  applyRenameSubmission,
  checkRenameSubmission,
  checkTypedDelete,
  checkUploadSubmission,
  fileRefusedWithin,
  processUpload,
  READ_BEFORE_ACK_MS,
  startReadingUpload,
} from '../../slack/flows/modalFlows';
import { withFailureReply } from '../../slack/flows/withFailureReply';
import { INPUTS, VIEWS } from '../../slack/interactionIds';
import type { SlackFileRef } from '../../slack/slackFiles';
import type { ListenerRoutes } from '../listenerRoutes';

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_options?: { value: string }[]; files?: SlackFileRef[] }>
>;

/** Reads an input by action id, whatever its block id (the rename form's name block id varies). */
function input(values: StateValues, actionId: string) {
  for (const block of Object.values(values)) if (block[actionId]) return block[actionId];
  return undefined;
}

/** The inline errors a submission gets before its ack: the form's own checks, then whether the user may change groups. */
function submissionErrors(actor: RequestActor, checked: object): Record<string, string> | null {
  if ('errors' in checked) return checked.errors as Record<string, string>;
  const refusal = actor.permissions.change;
  return refusal ? { [INPUTS.group.block]: changeRefusalText(refusal, actor.permissions.helpers, true) } : null;
}

export function registerViews(routes: ListenerRoutes, ctx: BotContext): void {
  routes.view(VIEWS.rename, async ({ ack, view, context }) => {
    const values = view.state.values as StateValues;
    const modal = decodeModalContext(view.private_metadata);
    // An interaction carries the user's own team: their actor costs no call to Slack before the ack.
    const actor = await context.actor();
    const checked = checkRenameSubmission(input(values, INPUTS.group.action)?.selected_option?.value ?? null, input(values, INPUTS.name.action)?.value ?? '', modal);
    const errors = submissionErrors(actor, checked);
    if (errors) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    if ('errors' in checked) return;
    await ack();
    await applyRenameSubmission(ctx, context.reply, actor, checked.groupId, checked.name, modal);
  });

  // Deleting a group a live study uses: the typed name is checked before the ack, the delete runs after it.
  routes.view(VIEWS.typedDelete, async ({ ack, view, context }) => {
    const values = view.state.values as StateValues;
    const actor = await context.actor();
    const refusal = actor.permissions.change;
    const checked = refusal
      ? { errors: { [INPUTS.typedName.block]: changeRefusalText(refusal, actor.permissions.helpers, true) } }
      : await checkTypedDelete(ctx, input(values, INPUTS.typedName.action)?.value ?? '', decodeModalContext(view.private_metadata));
    if ('errors' in checked) {
      await ack({ response_action: 'errors', errors: checked.errors });
      return;
    }
    await ack();
    await withFailureReply(ctx, context.reply, 'delete form', () => confirmOperation(ctx, context.reply, actor, checked.operationId, checked.typed));
  });

  // Messaging a group: the body is checked before the ack (inline errors), the preview made after it.
  routes.view(VIEWS.message, async ({ ack, view, context }) => {
    const values = view.state.values as StateValues;
    const modal = decodeModalContext(view.private_metadata);
    const actor = await context.actor();
    const body = input(values, INPUTS.messageBody.action)?.value ?? '';
    const error = messageFormError(actor.permissions.message, messageBodyProblem(body), modal.groupId);
    if (error || !modal.groupId) {
      await ack({ response_action: 'errors', errors: { [INPUTS.messageBody.block]: error ?? '' } });
      return;
    }
    await ack();
    const studyId = input(values, INPUTS.study.action)?.selected_option?.value ?? null;
    const groupId = modal.groupId;
    await withFailureReply(ctx, context.reply, 'message form', () => previewMessage(ctx, context.reply, actor, { groupId, body, studyId, channelId: modal.channelId }));
  });

  routes.view(VIEWS.upload, async ({ ack, view, client, context }) => {
    const values = view.state.values as StateValues;
    const actor = await context.actor();
    const modal = decodeModalContext(view.private_metadata);
    const checked = checkUploadSubmission({
      message: modal.message ?? null,
      groupId: input(values, INPUTS.group.action)?.selected_option?.value ?? null,
      mode: input(values, INPUTS.mode.action)?.selected_option?.value ?? null,
      files: input(values, INPUTS.file.action)?.files ?? [],
      pasted: input(values, INPUTS.paste.action)?.value ?? '',
      studyId: input(values, INPUTS.study.action)?.selected_option?.value ?? null,
      statuses: (input(values, INPUTS.statuses.action)?.selected_options ?? []).map((o) => o.value),
      otherGroupId: input(values, INPUTS.otherGroup.action)?.selected_option?.value ?? null,
    });
    const errors = submissionErrors(actor, checked);
    if (errors) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    if ('errors' in checked) return;
    // A file is read at once: one that cannot be used (a spreadsheet, an empty file, a web page,
    // no ids) is refused on the form's file field, the group and the change still chosen.
    const fileRead = startReadingUpload(ctx, client, checked);
    const refused = fileRead ? await fileRefusedWithin(fileRead, READ_BEFORE_ACK_MS) : null;
    if (refused) {
      await ack({ response_action: 'errors', errors: { [INPUTS.file.block]: uploadFieldError(refused) } });
      return;
    }
    // Otherwise ack with a "reading" view; what is left of the reading goes on after the ack.
    const reading = readingText({
      otherGroup: Boolean(checked.otherGroupId),
      study: Boolean(checked.study),
      hasFile: Boolean(checked.file),
      fileName: checked.file?.name,
      message: Boolean(checked.message),
    });
    await ack({ response_action: 'update', view: renderUploadStatusModal(reading) });
    await ctx.inFlight.track(processUpload(ctx, client, context.reply, actor, view.id, checked, modal, fileRead));
  });
}
