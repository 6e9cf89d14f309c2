// `/pgroup find <participant id>` end to end: the groups that hold the id (only those), when the
// participant joined, the live studies those groups gate; an absent and an invalid id; and a
// workspace of 200 groups read slowly, answered after the ack with at most three progress updates.
import { SEED_GROUP_IDS, SEED_WORKSPACE_ID, sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { messageText, useE2E } from '../harness/e2e';
import { messageKeys, newGroup, waitForNew } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E();

async function find(text: string, user = 'U_ALICE'): Promise<{ answer: LocalMessage; before: Set<string>; ackMs: number }> {
  const before = messageKeys(e2e);
  const started = Date.now();
  expect((await e2e.pgroup(`find ${text}`, { user })).status).toBe(200);
  const ackMs = Date.now() - started;
  const answer = await waitForNew(e2e, before, (t) => t.includes(':mag:') || t.includes(':warning:'), 'the answer to /pgroup find', user);
  return { answer, before, ackMs };
}

describe('/pgroup find <participant id>', () => {
  it('names only the groups that hold the id, with the date each was joined, and the live studies they gate', async () => {
    const [participant] = newGroup(e2e, 'Find: holder one', 3).members;
    const holderTwo = newGroup(e2e, 'Find: holder two', 2);
    const notHolder = newGroup(e2e, 'Find: not a holder', 4);
    e2e.sandbox.state.addMembers(holderTwo.id, [participant!]);
    e2e.sandbox.state.addMembers(SEED_GROUP_IDS.mainPanel, [participant!]);
    const { answer } = await find(participant!.toUpperCase());
    const text = messageText(answer);
    expect(text).toContain(`\`${participant}\` is in 3 of the workspace’s`);
    expect(text).toContain('*Find: holder one*');
    expect(text).toContain('*Find: holder two*');
    expect(text).toContain('*Main panel*');
    expect(text).not.toContain(notHolder.name);
    expect(text).not.toContain('Pilot participants');
    expect(text).toMatch(/added <!date\^\d+\^\{date_short\}\|\d{4}-\d\d-\d\d>/);
    expect(text).toContain('*Live studies these groups gate:*');
    expect(text).toContain('*Wave 2 follow-up* “W2 follow-up (main panel)” (ACTIVE, 212 of 400 places taken): uses *Main panel*');
    expect(answer.ephemeralTo).toBe('U_ALICE');
  });

  it('an id in no group, and an invalid id', async () => {
    const [nobody] = newGroup(e2e, 'Find: empty side', 1).outsiders(1);
    expect(messageText((await find(nobody!)).answer)).toMatch(/`[0-9a-f]{24}` is in none of the workspace’s \d+ groups\./);
    const invalid = messageText((await find('not-an-id')).answer);
    expect(invalid).toContain('`not-an-id` is not a participant id (24 characters, 0–9 and a–f). Nothing was looked up or changed.');
  });

  it('200 groups read slowly: acked at once, at most three progress updates (counts only) through the response_url, then the answer in their place', async () => {
    const existing = e2e.sandbox.state.listGroups().filter((g) => g.workspace_id === SEED_WORKSPACE_ID).length;
    const [participant] = sandboxParticipantIds(90_000_000, 90_000_000);
    for (let i = existing; i < 200; i++) {
      const members = sandboxParticipantIds(91_000_000 + i * 100, 91_000_000 + i * 100 + 49);
      e2e.sandbox.state.createGroup({ name: `Panel slice ${String(i).padStart(3, '0')}`, workspace_id: SEED_WORKSPACE_ID, participant_ids: i % 50 === 7 ? [...members, participant!] : members });
    }
    const holders = e2e.sandbox.state.listGroups().filter((g) => e2e.sandbox.state.members(g.id).includes(participant!));
    expect(e2e.sandbox.state.listGroups().filter((g) => g.workspace_id === SEED_WORKSPACE_ID)).toHaveLength(200);
    e2e.sandbox.faults.add({ method: 'GET', path: /\/participant-groups\/[0-9a-f]+\/participants\/$/, latencyMs: 120 });

    const before = messageKeys(e2e);
    const firstReads = e2e.sandbox.requests.length;
    const started = Date.now();
    expect((await e2e.pgroup(`find ${participant}`)).status).toBe(200);
    const ackMs = Date.now() - started;
    const progress = await waitForNew(e2e, before, (t) => t.includes('checked so far'), 'a progress update');
    expect(messageText(progress)).toMatch(/Looking through 200 groups: \d+ checked so far…/);
    expect(messageText(progress)).not.toContain(participant!);
    const answer = await eventually(() => {
      const now = e2e.slack.message(progress.channel, progress.ts);
      return messageText(now).includes(':mag:') ? now : undefined;
    }, 'the answer in place of the progress', 60_000);
    const answerMs = Date.now() - started;
    expect(messageText(answer)).toContain(`is in ${holders.length} of the workspace’s 200 groups:`);
    for (const g of holders) expect(messageText(answer)).toContain(`*${g.name}*`);
    // One response_url: the first update posted, the others and the answer replaced it (4 posts at most of Slack's 5).
    expect(answer!.updatedCount).toBeGreaterThanOrEqual(1);
    expect(answer!.updatedCount).toBeLessThanOrEqual(3);
    const newMessages = e2e.slack.messages().filter((m) => !before.has(`${m.channel}/${m.ts}`) && m.ephemeralTo === 'U_ALICE');
    expect(newMessages).toHaveLength(1);
    const memberReads = (from: number) => e2e.sandbox.requests.slice(from).filter((r) => /\/participants\//.test(r.path));
    // Every group made for this test was read (the others may still be in the cache from the tests above).
    expect(memberReads(firstReads).length).toBeGreaterThanOrEqual(200 - existing);
    // A second lookup within a minute reads no member list again: the cache shared with the app.
    const reads = e2e.sandbox.requests.length;
    expect(messageText((await find(participant!)).answer)).toContain(`is in ${holders.length} of the workspace’s 200 groups:`);
    expect(memberReads(reads)).toEqual([]);
    process.stdout.write(`find over 200 groups (50 members each, 120 ms per member read): ack ${ackMs} ms, answer ${answerMs} ms\n`);
    expect(ackMs).toBeLessThan(3000);
  });
});
