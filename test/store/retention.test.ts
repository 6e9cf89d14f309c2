// Retention as configured: a preview stays confirmable for PENDING_TTL_MINUTES, a snapshot (what
// undo restores) is kept for SNAPSHOT_RETENTION_DAYS, and the audit log is never pruned. The bot's
// sweep (run by a timer every 5 minutes) is called directly with a clock moved forward.
import { readConfig } from '../../src/config';
import type { LocalMessage } from '../../src/local/slack';
import { SEED_GROUP_IDS, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';

const TTL_MINUTES = 7;
const RETENTION_DAYS = 3;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function ask(text: string, match: (t: string) => boolean): Promise<LocalMessage> {
  const before = new Set(e2e.slack.messages().map((m) => `${m.channel}/${m.ts}`));
  expect((await e2e.pgroup(text)).status).toBe(200);
  return eventually(() => e2e.visible('C_GENERAL').find((m) => !before.has(`${m.channel}/${m.ts}`) && match(messageText(m))), `a reply to /pgroup ${text}`);
}

/** The newest message the user sees in a channel that matches, once there. */
function newest(channel: string, match: (t: string) => boolean): Promise<LocalMessage> {
  return eventually(() => e2e.visible(channel).filter((m) => match(messageText(m))).pop(), `a message in ${channel}`);
}

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

const e2e = useE2E({
    env: { NOTIFY_CHANNEL: 'C_NOTIFY', PENDING_TTL_MINUTES: String(TTL_MINUTES), SNAPSHOT_RETENTION_DAYS: String(RETENTION_DAYS) },
  });

it('defaults: previews last 30 minutes, snapshots 30 days', () => {
  const { config } = readConfig({});
  expect(config.pendingTtlMinutes).toBe(30);
  expect(config.snapshotRetentionDays).toBe(30);
});

describe('pending operations expire after PENDING_TTL_MINUTES', () => {
  it('the sweep expires a preview only once its time is up, and a late click writes nothing', async () => {
    const member = e2e.sandbox.state.members(SEED_GROUP_IDS.pilot)[0]!;
    const preview = await ask(`remove "Pilot participants" ${member}`, (t) => t.includes('op_confirm'));
    const opId = findButton(preview, 'op_confirm')!.value!;
    const op = (await e2e.store.getOperation(opId))!;
    expect(op.status).toBe('pending');
    expect(op.expiresAt.getTime() - op.createdAt.getTime()).toBe(TTL_MINUTES * MINUTE);

    expect((await e2e.bot.sweep(at(op.createdAt, TTL_MINUTES * MINUTE - 1000))).expired).toBe(0);
    expect((await e2e.store.getOperation(opId))?.status).toBe('pending');

    expect((await e2e.bot.sweep(at(op.createdAt, TTL_MINUTES * MINUTE + 1000))).expired).toBe(1);
    expect((await e2e.store.getOperation(opId))?.status).toBe('expired');

    e2e.sandbox.clearRequests();
    await e2e.click(preview, 'op_confirm');
    await newest('C_GENERAL', (t) => t.includes('This preview has expired'));
    expect(e2e.sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.pilot)).toContain(member);
  });
});

describe('snapshots are kept for SNAPSHOT_RETENTION_DAYS; the audit log is kept', () => {
  it('prunes the snapshot after the configured days, so Restore says it is gone and Undo still works; every audit entry stays', async () => {
    const id = sandboxParticipantId(810_001);
    // "Excluded" is part of the name, and a live study uses the group: the add is previewed, then confirmed.
    const preview = await ask(`add "Excluded" ${id}`, (t) => t.includes('op_confirm'));
    await e2e.click(preview, 'op_confirm');
    const done = await eventually(() => {
      const now = e2e.slack.message(preview.channel, preview.ts);
      return now && messageText(now).includes('Done') ? now : undefined;
    }, 'the outcome');
    const opId = findButton(done, 'op_undo')!.value!;
    const applied = (await e2e.store.getOperation(opId))!;
    const snapshotId = String(applied.result?.snapshotId);
    const snapshot = (await e2e.store.getSnapshot(snapshotId))!;
    expect(snapshot.memberIds).toEqual([]);
    const auditBefore = await e2e.store.listAudit({ limit: 1000, offset: 0 });
    expect(auditBefore.some((a) => a.operationId === opId && a.outcome === 'applied')).toBe(true);

    expect((await e2e.bot.sweep(at(snapshot.takenAt, RETENTION_DAYS * DAY - MINUTE))).pruned).toBe(0);
    expect(await e2e.store.getSnapshot(snapshotId)).not.toBeNull();

    expect((await e2e.bot.sweep(at(snapshot.takenAt, RETENTION_DAYS * DAY + MINUTE))).pruned).toBeGreaterThanOrEqual(1);
    expect(await e2e.store.getSnapshot(snapshotId)).toBeNull();

    // Restore needs the snapshot: it says how long snapshots are kept and that this one is gone.
    await e2e.driver.blockAction({ user: 'U_ALICE', channel: 'C_NOTIFY', actionId: 'op_restore', value: opId });
    const refusal = await newest('C_NOTIFY', (t) => t.includes('The app keeps a group’s snapshot for 3 days, and this one is gone'));
    expect(refusal.ephemeralTo).toBe('U_ALICE');
    expect(e2e.sandbox.state.members(SEED_GROUP_IDS.excluded)).toContain(id);
    // Undo takes back just this change from the app's record of it, which is kept.
    const notification = await newest('C_NOTIFY', (t) => t.includes(opId));
    await e2e.click(notification, 'op_undo');
    const undo = await newest('C_NOTIFY', (t) => t.includes('*Undo this change to*'));
    expect(findButton(undo, 'op_restore')).toBeUndefined();
    await e2e.click(undo, 'op_confirm');
    await eventually(() => !e2e.sandbox.state.members(SEED_GROUP_IDS.excluded).includes(id), 'the undo');
    const undone = await eventually(async () => {
      const entries = await e2e.store.listAudit({ limit: 1000, offset: 0 });
      return entries.length === auditBefore.length + 1 && entries;
    }, 'the undo in the audit log');

    // Ten years on, the history is all still there.
    await e2e.bot.sweep(at(snapshot.takenAt, 3650 * DAY));
    const auditAfter = await e2e.store.listAudit({ limit: 1000, offset: 0 });
    expect(auditAfter.map((a) => a.id)).toEqual(undone.map((a) => a.id));
    const history = await ask('history "Excluded"', (t) => t.includes('History of'));
    expect(messageText(history)).toContain('0 → 1 (+1 / −0)');
    expect(messageText(history)).toContain('1 → 0 (+0 / −1)');
  });
});
