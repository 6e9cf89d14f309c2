// Two app instances behind one load balancer share one database, one Slack and one Prolific. The
// same confirmation click reaches both at once (a retried delivery, a double click landing on two
// dynos): Prolific gets exactly one write, the audit log one applied entry, and every other
// delivery is told "already applied" or "in progress".
//
// On PostgreSQL each instance has its own store (its own connection pool), as two processes would.
// PGlite is one process's embedded database, so there the two instances share one store object:
// still two Bolt apps racing, through the same atomic status change.
import type { LocalMessage } from '../../src/local/slack';
import { SEED_GROUP_IDS } from '../../src/local/prolific-sandbox';
import { type E2E, findButton, messageText } from '../harness/e2e';
import { useTwoInstances } from '../harness/twoInstances';
import { eventually } from '../support/eventually';
import { sharedDatabases } from '../support/sharedDatabases';

const ROUNDS = 5;
const PILOT = SEED_GROUP_IDS.pilot;
const ALREADY = /already been applied|being applied right now/;

describe.each(sharedDatabases)('two app instances on one $driver database', (database) => {
  const { sandbox, slack, a, b } = useTwoInstances(database, { NOTIFY_CHANNEL: 'C_NOTIFY' });
  afterEach(() => {
    expect(slack.blockKitViolations.splice(0)).toEqual([]);
  });

  it('share their state: a preview made through one instance is known to the other', async () => {
    expect(a.store.driver).toBe(database.driver);
    const member = sandbox.state.members(PILOT)[0]!;
    const before = slack.messages().length;
    await a.pgroup(`remove "Pilot participants" ${member}`);
    const preview = await eventually(() => slack.messages().slice(before).find((m) => findButton(m, 'op_confirm')), 'the preview');
    const opId = findButton(preview, 'op_confirm')!.value!;
    expect((await b.store.getOperation(opId))?.participantIds).toEqual([member]);
    // Cancelled through B, it is cancelled for A too.
    await b.click(preview, 'op_cancel');
    await eventually(async () => (await a.store.getOperation(opId))?.status === 'cancelled', 'the cancellation');
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('round %i: the same click on both instances at once writes once', async (round) => {
    // Twice to each instance (three times in the last round): more deliveries, more chances to interleave.
    const perInstance = round === ROUNDS ? 3 : 2;
    const member = sandbox.state.members(PILOT)[0]!;
    const firstMessage = slack.messages().length;
    const firstRequest = sandbox.requests.length;

    await a.pgroup(`remove "Pilot participants" ${member}`);
    const preview: LocalMessage = await eventually(
      () => slack.messages().slice(firstMessage).find((m) => findButton(m, 'op_confirm')?.value),
      'the preview from instance A',
    );
    const opId = findButton(preview, 'op_confirm')!.value!;

    const click = (e2e: E2E) => e2e.driver.blockAction({ user: 'U_ALICE', channel: preview.channel, messageTs: preview.ts, actionId: 'op_confirm' });
    const deliveries = Array.from({ length: perInstance }, () => [click(a), click(b)]).flat();
    const answers = await Promise.all(deliveries);
    expect(answers.map((r) => r.status)).toEqual(deliveries.map(() => 200));

    // The outcome replaces the preview; every other delivery gets its own refusal.
    const outcome = await eventually(() => {
      const now = slack.message(preview.channel, preview.ts);
      return now && messageText(now).includes('Done') ? now : undefined;
    }, 'the outcome in place of the preview');
    expect(messageText(outcome)).toContain('Pilot participants');
    const refusals = await eventually(() => {
      const found = slack.messages().slice(firstMessage).filter((m) => ALREADY.test(m.text));
      return found.length >= deliveries.length - 1 ? found : undefined;
    }, 'a refusal for every other delivery');
    expect(refusals).toHaveLength(deliveries.length - 1);
    expect(refusals.every((m) => m.ephemeralTo === 'U_ALICE')).toBe(true);

    const writes = sandbox.requests.slice(firstRequest).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /api/v1/participant-groups/${PILOT}/participants/`]);
    expect(writes[0]?.body).toEqual({ participant_ids: [member] });
    expect(sandbox.state.members(PILOT)).not.toContain(member);

    const audit = (await a.store.listAudit({ groupId: PILOT, limit: 100, offset: 0 })).filter((e) => e.operationId === opId);
    expect(audit.map((e) => e.outcome)).toEqual(['applied']);
    expect((await b.store.getOperation(opId))?.status).toBe('applied');

    // One notification, not one per instance.
    const notifications = await eventually(() => {
      const found = slack.messages('C_NOTIFY').filter((m) => messageText(m).includes(opId));
      return found.length ? found : undefined;
    }, 'the notification');
    expect(notifications).toHaveLength(1);
  });
});
