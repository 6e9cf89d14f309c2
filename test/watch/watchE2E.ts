// The end-to-end harness set up for watching: the watcher gets a short interval (so a test may run
// rounds back to back without the "never more often than the interval" guard skipping a group), but
// its timer is stopped at once, so every round in a test is one the test started itself.
import type { LocalMessage } from '../../src/local/slack';
import type { RecordedRequest } from '../../src/local/prolific-sandbox';
import { type E2E, type E2EOptions, messageText, startE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

export interface WatchE2EOptions extends Omit<E2EOptions, 'watch'> {
  /** The watcher's interval; default 1 ms, so back-to-back rounds are never held back. */
  intervalMs?: number;
  fullReadEvery?: number;
  instanceId?: string;
}

export async function startWatchE2E(options: WatchE2EOptions = {}): Promise<E2E> {
  const { intervalMs = 1, fullReadEvery, instanceId, ...rest } = options;
  const e2e = await startE2E({
    ...rest,
    watch: { intervalMs, ...(fullReadEvery ? { fullReadEvery } : {}), ...(instanceId ? { instanceId } : {}) },
  });
  await e2e.bot.watcher.stop();
  return e2e;
}

/** Subscribes a channel with `/pgroup watch` and waits for the confirmation. */
export async function watchFrom(e2e: E2E, channel: string, group: string, user = 'U_ALICE'): Promise<void> {
  const before = e2e.slack.messages(channel).length;
  const res = await e2e.pgroup(`watch ${group}`, { user, channel });
  expect(res.status).toBe(200);
  const reply = await eventually(() => e2e.slack.messages(channel).slice(before).find((m) => /now hears about every change|already watches/.test(messageText(m))), `the watch reply in ${channel}`);
  expect(messageText(reply)).toContain('now hears about every change');
}

/** The watcher's notifications in a channel: posted for everyone, marked as changes made outside the app or with a cause. */
export function watchNotes(e2e: E2E, channel: string, groupId?: string): LocalMessage[] {
  return e2e.slack
    .messages(channel)
    .filter((m) => !m.deleted && !m.ephemeralTo && /Cause: |Changed outside this app/.test(messageText(m)) && (!groupId || messageText(m).includes(groupId)));
}

/**
 * A notification's text as read with its thread opened: the top-level post, then its replies (where
 * sample ids go, with NOTIFY_SHOW_IDS).
 */
export function withThread(e2e: E2E, note: LocalMessage | undefined): string {
  if (!note) return '';
  return [note, ...e2e.slack.replies(note.channel, note.ts)].map((m) => messageText(m)).join('\n');
}

/** The bot's own change notifications (they carry an Undo button or say who changed the group). */
export function botNotes(e2e: E2E, channel: string, groupId: string): LocalMessage[] {
  return e2e.slack
    .messages(channel)
    .filter((m) => !m.deleted && !m.ephemeralTo && messageText(m).includes(groupId) && messageText(m).includes('<@U_') && !/Cause: |Changed outside this app/.test(messageText(m)));
}

const GROUP_PATH = /^\/api\/v1\/participant-groups\/([0-9a-f]{24})\/$/;
const MEMBERS_PATH = /^\/api\/v1\/participant-groups\/([0-9a-f]{24})\/participants\/$/;

/** Reads of one group in a slice of recorded requests: GETs of the group itself and of its member list. */
export function groupReads(requests: RecordedRequest[], groupId: string): { group: number; members: number } {
  const gets = requests.filter((r) => r.method === 'GET');
  return {
    group: gets.filter((r) => GROUP_PATH.exec(r.path)?.[1] === groupId).length,
    members: gets.filter((r) => MEMBERS_PATH.exec(r.path)?.[1] === groupId).length,
  };
}
