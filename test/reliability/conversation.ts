// What a user does in these tests, step by step: type a command, fill the upload form, click a
// button, and read what the app answers. Shared by the fault and hostile-input tests.
import type { LocalMessage } from '../../src/local/slack';
import { SEED_WORKSPACE_ID, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { type E2E, messageText } from '../harness/e2e';
import { eventually } from '../support/eventually';

export const ALICE = 'U_ALICE';

/** A key for a message that survives it being updated in place. */
const key = (m: LocalMessage) => `${m.channel}/${m.ts}`;

/** Runs `/pgroup text` and returns the first new message the user sees that matches. */
export async function ask(e2e: E2E, text: string, match: (t: string) => boolean = () => true, as: { user?: string; channel?: string } = {}): Promise<LocalMessage> {
  const user = as.user ?? ALICE;
  const channel = as.channel ?? 'C_GENERAL';
  const before = new Set(e2e.slack.messages().map(key));
  const res = await e2e.pgroup(text, { user, channel });
  expect(res.status).toBe(200);
  return eventually(() => {
    const fresh = e2e.slack.messages().filter((m) => !before.has(key(m)) && !m.deleted && (!m.ephemeralTo || m.ephemeralTo === user));
    return fresh.find((m) => (m.channel === channel || m.channel.startsWith('D')) && match(messageText(m)));
  }, `a reply to /pgroup ${text}`);
}

/** A fresh group in the sandbox, so each test owns its data. */
export function freshGroup(e2e: E2E, name: string, firstParticipant: number, size: number, description?: string) {
  const ids = Array.from({ length: size }, (_, i) => sandboxParticipantId(firstParticipant + i));
  return e2e.sandbox.state.createGroup({ name, workspace_id: SEED_WORKSPACE_ID, participant_ids: ids, ...(description ? { description } : {}) });
}

/** Ids no seeded group holds, numbered from `first`. */
export function newIds(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => sandboxParticipantId(first + i));
}

/** Opens the upload form from `/pgroup upload <group id>` and returns the form once it has loaded. */
export async function openUploadForm(e2e: E2E, groupId: string, user = ALICE, channel = 'C_GENERAL') {
  const before = new Set(e2e.slack.views().map((v) => v.id));
  await e2e.pgroup(`upload ${groupId}`, { user, channel });
  return eventually(
    () => e2e.slack.openModals(user).find((v) => !before.has(v.id) && v.view.callback_id === 'upload_modal' && JSON.stringify(v.view.blocks).includes('mode_choice')),
    'the upload form',
  );
}

/**
 * The upload form with pasted ids, submitted in a mode; returns the preview the user is shown
 * (ephemeral in a channel; a message in the DM when the form was opened there).
 */
export async function previewUpload(e2e: E2E, groupId: string, mode: 'replace' | 'add' | 'remove', ids: string[], user = ALICE, channel = 'C_GENERAL'): Promise<LocalMessage> {
  const form = await openUploadForm(e2e, groupId, user, channel);
  const before = new Set(e2e.slack.messages().map(key));
  const submitted = await e2e.driver.viewSubmission({ user, viewId: form.id, values: { group_select: groupId, paste_input: ids.join('\n'), mode_choice: mode, file_input: null } });
  expect(submitted.status).toBe(200);
  return eventually(
    () => e2e.slack.messages().find((m) => !before.has(key(m)) && (m.ephemeralTo === user || m.channel.startsWith('D')) && messageText(m).includes('op_confirm')),
    'the preview',
  );
}

/** Clicks a button of a message and returns the same message once it has been replaced by the answer. */
export async function clickAndWaitForUpdate(e2e: E2E, message: LocalMessage, actionId: string, what: string, user = ALICE): Promise<LocalMessage> {
  const updates = message.updatedCount;
  const res = await e2e.click(message, actionId, user);
  expect(res.status).toBe(200);
  return eventually(() => {
    const now = e2e.slack.message(message.channel, message.ts);
    return now && now.updatedCount > updates && now;
  }, what, 20_000);
}

/** The PATCH requests the sandbox received for a group. */
export function patchesOf(e2e: E2E, groupId: string) {
  return e2e.sandbox.requests.filter((r) => r.method === 'PATCH' && r.path === `/api/v1/participant-groups/${groupId}/`);
}

export function sorted(ids: string[]): string[] {
  return [...ids].sort();
}
