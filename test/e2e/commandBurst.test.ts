// A burst of slash commands, through real Bolt over signed HTTP, the local Slack and the sandbox:
// every command is acknowledged and answered, and what each one costs the app before and around
// its ack stays small. The embedded store reads a channel's workspace choice once, not once per
// command; Bolt matches each request against one listener per kind, not one per button or form.
import { SEED_SECOND_WORKSPACE_ID, SEED_SECOND_WORKSPACE_TITLE, SEED_WORKSPACE_ID } from '../../src/local/prolific-sandbox';
import { createSqlStore } from '../../src/store/sqlStore';
import type { Database } from '../../src/store/database';
import { migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';
import { messageText, startE2E, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

let db: Database;
const e2e = useE2E(async () => {
  db = await openPgliteDatabase(undefined);
  await migrate(db, () => {});
  // Two workspaces served, so that each command needs its channel's choice.
  return startE2E({ store: createSqlStore(db), env: { WORKSPACE_IDS: `${SEED_WORKSPACE_ID},${SEED_SECOND_WORKSPACE_ID}`, ADMIN_USER_IDS: 'U_ALICE' } });
});
afterAll(async () => {
  await db.close();
});

/** How often the database was asked for a channel's workspace choice (index and table scans of its table). */
async function channelChoiceReads(): Promise<number> {
  await db.query('select pg_stat_force_next_flush()');
  const [row] = await db.query<{ reads: number }>(
    "select (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int as reads from pg_stat_user_tables where relname = 'channel_workspaces'",
  );
  return row?.reads ?? 0;
}

const COMMANDS = 30;

describe('a burst of slash commands', () => {
  it('acknowledges and answers every one, and the embedded store reads the channel’s workspace once', async () => {
    const before = e2e.slack.messages().length;
    const readsBefore = await channelChoiceReads();
    const answers = await Promise.all(Array.from({ length: COMMANDS }, () => e2e.pgroup('list')));
    expect(answers.map((a) => a.status)).toEqual(Array(COMMANDS).fill(200));
    await eventually(
      () => e2e.slack.messages().slice(before).filter((m) => messageText(m).includes('Participant groups')).length === COMMANDS || undefined,
      `${COMMANDS} group lists`,
    );
    expect((await channelChoiceReads()) - readsBefore).toBeLessThanOrEqual(1);
  });

  it('sees a channel’s new workspace choice at once, on the next command', async () => {
    await e2e.pgroup(`workspace ${SEED_SECOND_WORKSPACE_TITLE}`);
    await e2e.waitForMessage('C_GENERAL', (m) => messageText(m).includes('now works in'), 'the switch');
    const before = e2e.slack.messages().length;
    await e2e.pgroup('list');
    const list = await eventually(() => e2e.slack.messages().slice(before).find((m) => messageText(m).includes('Participant groups')), 'the list');
    expect(messageText(list)).toContain('Vision pilot');
    expect(messageText(list)).not.toContain('Pilot participants');
  });

  it('is matched by Bolt against one listener per kind of request, not one per button, form or shortcut', () => {
    // Bolt runs every listener's matchers on every request, before the ack of a command too.
    const listeners = (e2e.bot.app as unknown as { listeners: unknown[][] }).listeners;
    expect(listeners.length).toBeLessThanOrEqual(7);
  });
});
