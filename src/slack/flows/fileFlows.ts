import { FORM_ENDINGS } from '../blocks/formWords';
import { csvRefusalText, describeCsvNote, fileSourceLabel } from '../blocks/csvReading';
import type { WebClient } from '@slack/web-api';
import type { Actor, RequestActor } from '../../services/actor';
import type { IdSource, MembershipMode } from '../../services/changes';
import { extractIdsFromCsv, isCsvQuestion } from '../../services/csvIds';
import { describeDownloadProblem } from '../blocks/downloads';
import { notice, type SlackMessage } from '../blocks/message';
import { renderColumnQuestion, renderStatusQuestion } from '../blocks/uploadQuestions';
import type { Reply } from '../replies';
import { downloadSlackFile, type SlackFileRef } from '../slackFiles';
import { decodeUploadChoice, type UploadChoice } from '../uploadChoice';
import type { BotContext } from './botContext';
import { refuseChange } from './refuseChange';
import { offerChange } from './changeFlows';
import type { ConfirmationRequest } from '../../services/changes';

/** A file, or ids pasted in the form: a bulk source, for a group picked in the form (or carried by a button). */
export const BULK_FROM_FORM: ConfirmationRequest = { origin: 'bulk', groupNamedExactly: true, partlyUnderstood: false };
import type { DistinctIds } from '../../services/idComparison';

/** What a file gave: ids for a preview, a question for the researcher, or why it cannot be used (nothing sent to Prolific). */
export type FileIds = { kind: 'ids'; ids: string[]; distinct: DistinctIds; source: IdSource } | { kind: 'question'; message: SlackMessage } | { kind: 'refused'; message: string };

/** Downloads the file from Slack and reads its ids as `choice` says (the id column, the rows of an export by status). */
export async function idsFromFile(ctx: BotContext, client: WebClient, file: SlackFileRef, choice: Omit<UploadChoice, 'fileId'>): Promise<FileIds> {
  const download = await downloadSlackFile(client, ctx.botToken, file, { slackApiUrl: ctx.config.slack?.apiUrl ?? null });
  if (!download.ok) return { kind: 'refused', message: `${describeDownloadProblem(download.name, download.problem)} Nothing was sent to Prolific.` };
  const extraction = extractIdsFromCsv(download.data, {
    ...(choice.statuses ? { statuses: choice.statuses } : {}),
    ...(choice.column !== null ? { column: choice.column } : {}),
  });
  const base = { fileId: file.id, groupId: choice.groupId, mode: choice.mode };
  if (isCsvQuestion(extraction)) {
    return {
      kind: 'question',
      message:
        extraction.reason === 'which_column'
          ? renderColumnQuestion(download.name, extraction, { ...base, statuses: choice.statuses })
          : renderStatusQuestion(download.name, extraction, { ...base, column: choice.column }),
    };
  }
  if (!extraction.ok) return { kind: 'refused', message: csvRefusalText(download.name, extraction) };
  const { column, statuses } = extraction;
  return {
    kind: 'ids',
    ids: extraction.ids,
    distinct: extraction.distinct,
    source: {
      label: fileSourceLabel(download.name, column),
      invalid: extraction.invalid,
      invalidCount: extraction.invalidCount,
      duplicateCount: extraction.duplicateCount,
      note: extraction.note ? describeCsvNote(extraction.note) : null,
      file: { id: file.id, column: column.chosenBy === 'asked' ? column.index : null },
      ...(statuses ? { submissions: { byStatus: statuses.byStatus, used: statuses.used, study: null, matchesCounts: true } } : {}),
    },
  };
}

/**
 * A click on an upload question's or an export preview's choice: the file is read again from
 * Slack with that choice, and the message is replaced by the new preview (or the next question).
 */
export async function chooseUploadOption(ctx: BotContext, client: WebClient, reply: Reply, actor: RequestActor, channelId: string | null, value: string): Promise<void> {
  if (await refuseChange(actor, reply)) return;
  const choice = decodeUploadChoice(value);
  if (!choice) {
    await reply(notice(FORM_ENDINGS.staleUploadButton, ':x:'));
    return;
  }
  await previewFile(ctx, client, reply, actor, channelId, { id: choice.fileId }, choice, { replaceOriginal: true });
}

/** Reads the file and replies with its preview or its question; a refusal is returned for the caller to show. */
export async function previewFile(
  ctx: BotContext,
  client: WebClient,
  reply: Reply,
  actor: Actor,
  channelId: string | null,
  file: SlackFileRef,
  choice: Omit<UploadChoice, 'fileId'>,
  options: {
    replaceOriginal?: boolean;
    current?: ReturnType<BotContext['changes']['readGroup']>;
    /** The message the file was shared with (the message shortcut), named in the preview's source. */
    message?: { authorId: string; permalink: string | null };
    /** The file as read already (the upload form starts reading it before its ack). */
    read?: Promise<FileIds>;
  } = {},
): Promise<{ kind: 'preview' | 'question'; landed: Awaited<ReturnType<Reply>> } | { kind: 'refused'; message: string }> {
  const read = await (options.read ?? idsFromFile(ctx, client, file, choice));
  if (read.kind === 'refused') {
    if (options.replaceOriginal) await reply(notice(read.message, ':x:'));
    return read;
  }
  if (read.kind === 'question') return { kind: 'question', landed: await reply(read.message, { replaceOriginal: Boolean(options.replaceOriginal) }) };
  const op = await ctx.changes.previewMembership({
    mode: choice.mode as MembershipMode,
    groupId: choice.groupId,
    ids: read.ids,
    distinctIds: read.distinct,
    actor,
    channelId,
    source: options.message ? { ...read.source, message: options.message } : read.source,
    ...(options.current ? { current: options.current } : {}),
  });
  const landed = await offerChange(ctx, reply, actor, op, BULK_FROM_FORM, { replaceOriginal: Boolean(options.replaceOriginal) });
  return { kind: 'preview', landed };
}
