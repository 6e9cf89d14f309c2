// A change's channel notification as a busy channel reads it: one short top-level post (who did
// what, the counts, Show group and Undo) and its details in a reply in that post's thread. The reply
// needs the post's ts, so it follows the post; a reply Slack does not take loses details only, and
// the post, recorded as delivered first, is never posted again for it.
import { THREAD_REPLY_REQUEST } from '../../src/local/slack';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { messageKeys, newGroup, waitForNew } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

/** Adds typed ids (applied at once) and returns the notification's top-level post in C_NOTIFY. */
async function addAndNotify(groupName: string, ids: string[]) {
  const before = messageKeys(e2e);
  await e2e.pgroup(`add "${groupName}" ${ids.join(' ')}`);
  return waitForNew(e2e, before, (t, m) => m.channel === 'C_NOTIFY' && !m.threadTs && t.includes(`added ${ids.length} participant`), 'the notification');
}

describe('a change’s channel notification', () => {
  it('is one short top-level post with Show group and Undo, and its details in a reply in its thread', async () => {
    const g = newGroup(e2e, 'Busy channel panel', 4);
    const ids = g.outsiders(3);
    const top = await addAndNotify(g.name, ids);
    expect(top.threadTs).toBeUndefined();
    expect(top.blocks).toHaveLength(2);
    expect(messageText(top)).toContain(':busts_in_silhouette: <@U_ALICE> added 3 participants to *Busy channel panel* · 4 → 7 (+3 / −0).');
    expect(findButton(top, 'group_show')?.value).toBe(g.id);
    expect(findButton(top, 'op_undo')).toBeDefined();

    const [reply, ...more] = await eventually(() => {
      const replies = e2e.slack.replies('C_NOTIFY', top.ts);
      return replies.length > 0 && replies;
    }, 'the thread reply');
    expect(more).toEqual([]);
    const details = messageText(reply);
    expect(details).toContain('*Members*\\n4 → 7 (+3 / −0)');
    expect(details).toContain('*Source:* ids typed in the command');
    expect(details).toContain(`Group \`${g.id}\``);
    // Counts only (NOTIFY_SHOW_IDS is off): no participant id in the post or its thread.
    for (const id of ids) expect(`${messageText(top)}${details}`).not.toContain(id);
    // Slack shows the post with its one reply; the channel's top level holds only the post.
    expect(e2e.slack.slackMessageObject('C_NOTIFY', top.ts)).toMatchObject({ reply_count: 1, thread_ts: top.ts });
    expect(e2e.slack.posts('C_NOTIFY').filter((m) => messageText(m).includes(g.id))).toHaveLength(1);
    const [row] = await e2e.store.listNotifications([findButton(top, 'op_undo')!.value!]);
    expect(row).toMatchObject({ status: 'delivered', messageTs: top.ts });
  });

  it('a reply Slack rate-limits is posted once after Retry-After, and the post stays one', async () => {
    const g = newGroup(e2e, 'Rate-limited details panel', 2);
    e2e.slack.failNext(THREAD_REPLY_REQUEST, { status: 429, retryAfterSeconds: 1 });
    const top = await addAndNotify(g.name, g.outsiders(2));
    const reply = await eventually(() => e2e.slack.replies('C_NOTIFY', top.ts)[0], 'the reply after Retry-After');
    expect(messageText(reply)).toContain('*Members*\\n2 → 4 (+2 / −0)');
    const replies = e2e.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args['thread_ts'] === top.ts);
    expect(replies.map((c) => c.status)).toEqual([429, 200]);
    expect(replies[1]!.at.getTime() - replies[0]!.at.getTime()).toBeGreaterThanOrEqual(950);
    expect(e2e.slack.posts('C_NOTIFY').filter((m) => messageText(m).includes(g.id))).toHaveLength(1);
  });

  it('a reply Slack fails does not post the notification again, now or after a sweep', async () => {
    const g = newGroup(e2e, 'Lost details panel', 2);
    // Slack fails the reply after it may have taken it: it is not repeated either.
    e2e.slack.failNext(THREAD_REPLY_REQUEST, { status: 500 });
    const top = await addAndNotify(g.name, g.outsiders(1));
    const operationId = findButton(top, 'op_undo')!.value!;
    await eventually(() => e2e.slack.calls.some((c) => c.method === 'chat.postMessage' && c.args['thread_ts'] === top.ts && c.status === 500), 'the failed reply');
    await e2e.settled();
    await e2e.bot.sweep();
    const posts = e2e.slack.calls.filter((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes(g.id));
    expect(posts.map((c) => c.args['thread_ts'] ?? 'top')).toEqual(['top', top.ts]);
    expect(e2e.slack.messages('C_NOTIFY').filter((m) => messageText(m).includes(g.id))).toHaveLength(1);
    expect(e2e.slack.replies('C_NOTIFY', top.ts)).toEqual([]);
    const [row] = await e2e.store.listNotifications([operationId]);
    expect(row).toMatchObject({ status: 'delivered', messageTs: top.ts });
  });
});
