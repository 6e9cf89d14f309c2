// Driving the CSV upload modal end to end: open it, host a file in the LocalSlack as a user's
// file_input would, submit, and find the preview the bot posts afterwards.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileHostName, LocalMessage, LocalView, SlackFile } from '../../src/local/slack';
import { SEED_WORKSPACE_ID, sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import { eventually } from '../support/eventually';
import { type E2E, findButton, messageText } from './e2e';

export const UPLOAD_VIEW = 'upload_modal';
const STATUS_VIEW = `${UPLOAD_VIEW}_status`;

export function fixture(name: string): Buffer {
  return readFileSync(join(__dirname, '..', 'fixtures', name));
}

/** The upload form once the loading view has been replaced by the form with the groups. */
function isForm(view: LocalView): boolean {
  return view.view.callback_id === UPLOAD_VIEW;
}

/** Opens the upload modal with `/pgroup upload <groupText>` and waits for the form. */
export async function openUploadForm(e2e: E2E, groupText = '', as: { user?: string; channel?: string } = {}): Promise<LocalView> {
  const user = as.user ?? 'U_ALICE';
  const before = new Set(e2e.slack.views().map((v) => v.id));
  const res = await e2e.pgroup(`upload ${groupText}`.trim(), { user, ...(as.channel ? { channel: as.channel } : {}) });
  if (res.status !== 200) throw new Error(`/pgroup upload answered ${res.status}`);
  return eventually(() => e2e.slack.openModals(user).find((v) => !before.has(v.id) && isForm(v)), 'the upload form');
}

/** Waits for a modal opened after `before` (view ids) to show the upload form. */
export function waitForUploadForm(e2e: E2E, user: string, before: Set<string>): Promise<LocalView> {
  return eventually(() => e2e.slack.openModals(user).find((v) => !before.has(v.id) && isForm(v)), 'the upload form');
}

export interface UploadFile {
  name: string;
  content: Buffer | string;
  /** The Content-Type Slack's download answers with, e.g. text/html for its sign-in page. */
  servedContentType?: string;
  /** Where the file object says it is, and the redirects its download goes through (HostFileOptions). */
  at?: FileHostName;
  redirects?: FileHostName[];
}

export interface UploadInput {
  user?: string;
  /** The group chosen in the picker; left out: the preselected one; null: none. */
  groupId?: string | null;
  file?: UploadFile;
  pasted?: string;
  mode?: 'replace' | 'add' | 'remove' | null;
}

/** Submits the upload form as the user would, with a file hosted in the LocalSlack. */
export async function submitUpload(e2e: E2E, view: LocalView, input: UploadInput) {
  const user = input.user ?? 'U_ALICE';
  const files: SlackFile[] = input.file
    ? [
        e2e.slack.hostFile({
          name: input.file.name,
          content: input.file.content,
          user,
          ...(input.file.servedContentType ? { servedContentType: input.file.servedContentType } : {}),
          ...(input.file.at ? { at: input.file.at } : {}),
          ...(input.file.redirects ? { redirects: input.file.redirects } : {}),
        }),
      ]
    : [];
  const values: Parameters<E2E['driver']['viewSubmission']>[0]['values'] = {
    file_input: { files },
    paste_input: input.pasted ?? null,
    mode_choice: input.mode === undefined ? 'replace' : input.mode,
  };
  if (input.groupId !== undefined) values['group_select'] = input.groupId === null ? null : { selected: input.groupId };
  return e2e.driver.viewSubmission({ user, viewId: view.id, values, clientChecks: input.mode !== null && input.groupId !== null });
}

/** The modal's final status view after a submission (the "Reading…" view replaced by the result). */
export function uploadOutcome(e2e: E2E, viewId: string): Promise<LocalView> {
  return eventually(() => {
    const view = e2e.slack.view(viewId);
    if (!view || view.view.callback_id !== STATUS_VIEW) return undefined;
    return JSON.stringify(view.view.blocks).includes(':hourglass_flowing_sand:') ? undefined : view;
  }, 'the upload result in the modal');
}

export function viewText(view: LocalView | undefined): string {
  return JSON.stringify(view?.view.blocks ?? []);
}

/** Keys of every message so far, to find the ones that come after. */
export function messageKeys(e2e: E2E): Set<string> {
  return new Set(e2e.slack.messages().map((m) => `${m.channel}/${m.ts}`));
}

/** The first new message the user can see (in any conversation) that holds an operation's buttons. */
export function waitForPreview(e2e: E2E, before: Set<string>, user = 'U_ALICE'): Promise<LocalMessage> {
  return eventually(
    () =>
      e2e.slack
        .messages()
        .find((m) => !before.has(`${m.channel}/${m.ts}`) && !m.deleted && (!m.ephemeralTo || m.ephemeralTo === user) && findButton(m, 'op_cancel')),
    'the preview',
  );
}

/** The first new message the user can see that matches. */
export function waitForNew(e2e: E2E, before: Set<string>, match: (text: string, m: LocalMessage) => boolean, what: string, user = 'U_ALICE'): Promise<LocalMessage> {
  return eventually(
    () =>
      e2e.slack
        .messages()
        .find((m) => !before.has(`${m.channel}/${m.ts}`) && !m.deleted && (!m.ephemeralTo || m.ephemeralTo === user) && match(messageText(m), m)),
    what,
  );
}

/** The operation a preview confirms (its Cancel button carries the id, as the confirm button does). */
export function operationIdOf(preview: LocalMessage): string {
  const id = findButton(preview, 'op_cancel')?.value;
  if (!id) throw new Error('the message has no operation buttons');
  return id;
}

/** Opens the form for the group, submits the file (or pasted ids) in the mode, and returns the preview. */
export async function uploadToPreview(e2e: E2E, input: UploadInput & { groupText: string; channel?: string }) {
  const view = await openUploadForm(e2e, input.groupText, { ...(input.user ? { user: input.user } : {}), ...(input.channel ? { channel: input.channel } : {}) });
  const before = messageKeys(e2e);
  const submitted = await submitUpload(e2e, view, input);
  if (submitted.outcome.outcome !== 'updated') throw new Error(`the submission was not accepted: ${JSON.stringify(submitted.outcome)}`);
  const preview = await waitForPreview(e2e, before, input.user);
  const outcome = await uploadOutcome(e2e, view.id);
  return { view, preview, outcome, operationId: operationIdOf(preview) };
}

/** A CSV of ids with a participant_id header. */
export function csvOf(ids: string[], header = 'participant_id'): string {
  return `${header}\n${ids.join('\n')}\n`;
}

/** The message as it is now (after updates in place). */
export function current(e2e: E2E, m: LocalMessage): LocalMessage {
  const found = e2e.slack.message(m.channel, m.ts);
  if (!found) throw new Error(`message ${m.ts} is gone`);
  return found;
}

let nextBlock = 0;
/** A fresh group with `size` members in the sandbox (the seeded workspace unless named); participant numbers never overlap between groups. */
export function newGroup(e2e: E2E, name: string, size: number, workspaceId = SEED_WORKSPACE_ID) {
  nextBlock += 1;
  const first = nextBlock * 1_000_000;
  const members = sandboxParticipantIds(first, first + size - 1);
  const group = e2e.sandbox.state.createGroup({ name, workspace_id: workspaceId, participant_ids: members });
  /** Ids that are in no group: `count` of them. */
  const outsiders = (count: number) => sandboxParticipantIds(first + 500_000, first + 500_000 + count - 1);
  return { id: group.id, name, members, outsiders, path: `/api/v1/participant-groups/${group.id}/`, membersPath: `/api/v1/participant-groups/${group.id}/participants/` };
}
