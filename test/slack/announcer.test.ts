// Channel notifications of applied changes, delivered from the outbox they are recorded in with the
// change: at most once per change and channel, never silently lost. Slack failing after it may have
// posted one (a 5xx) is not answered by posting it again: the history says it may not have been
// delivered. A refusal says it could not be posted; a rate limit is waited out and posted once.
import type { E2E } from '../harness/e2e';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { ask, clickAndWaitForUpdate, freshGroup } from '../reliability/conversation';

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

// The notifications' top-level posts (their details are replies in their threads).
const notesAbout = (name: string) => e2e.slack.posts('C_NOTIFY').filter((m) => !m.deleted && messageText(m).includes(name));
const postsAbout = (name: string) => e2e.slack.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'C_NOTIFY' && !c.args['thread_ts'] && JSON.stringify(c.args).includes(name));

/** Removes one member of a fresh group through a confirmed preview; returns the group and the operation. */
async function confirmRemoval(harness: E2E, name: string, first: number) {
  const group = freshGroup(harness, name, first, 3);
  const preview = await ask(harness, `remove ${group.id} ${harness.sandbox.state.members(group.id)[0]}`, (t) => t.includes('op_confirm'));
  const operationId = findButton(preview, 'op_confirm')!.value!;
  return { group, operationId, preview };
}

async function historyOf(groupId: string) {
  return messageText(await ask(e2e, `history ${groupId}`, (t) => t.includes('History of')));
}

describe('a notification Slack answers with a 5xx after posting it', () => {
  it('is posted once, never again, and the history says it may not have been delivered', async () => {
    const name = 'Posted then 500';
    const { group, operationId, preview } = await confirmRemoval(e2e, name, 840_000);
    e2e.slack.failNext('chat.postMessage', { status: 500, afterApplying: true });

    expect(messageText(await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome'))).toContain('Done');
    await e2e.settled();
    expect(postsAbout(name).map((c) => c.status)).toEqual([500]);
    expect(notesAbout(name)).toHaveLength(1);
    const [row] = await e2e.store.listNotifications([operationId]);
    expect(row).toMatchObject({ channelId: 'C_NOTIFY', status: 'unknown', error: 'http_500' });

    // The sweep that posts what is due does not post it again.
    expect((await e2e.bot.sweep()).notified).toBe(0);
    expect(postsAbout(name)).toHaveLength(1);
    expect(notesAbout(name)).toHaveLength(1);

    const history = await historyOf(group.id);
    expect(history).toContain('The notification to <#C_NOTIFY> may not have been delivered');
    expect(history).toContain('http_500');
    expect(history).toContain('It was not posted again');
  });
});

describe('a notification Slack refuses', () => {
  it('is recorded as not posted, and the history says why', async () => {
    const name = 'Refused notification';
    const { group, operationId, preview } = await confirmRemoval(e2e, name, 841_000);
    e2e.slack.failNext('chat.postMessage', { error: 'invalid_blocks' });

    await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    await e2e.settled();
    expect(notesAbout(name)).toEqual([]);
    expect(await e2e.store.listNotifications([operationId])).toEqual([expect.objectContaining({ status: 'failed', error: 'invalid_blocks' })]);
    expect(await historyOf(group.id)).toContain('The notification to <#C_NOTIFY> could not be posted: Slack said `invalid_blocks`');
  });

  it('from a channel the app is not in, is tried once more: posted when the second try goes through', async () => {
    const name = 'Refused once';
    const { operationId, preview } = await confirmRemoval(e2e, name, 842_000);
    e2e.slack.failNext('chat.postMessage', { error: 'not_in_channel' });

    await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    await e2e.settled();
    expect(notesAbout(name)).toHaveLength(1);
    expect(await e2e.store.listNotifications([operationId])).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it('from a channel the app is not in, twice: recorded as not posted, not tried a third time', async () => {
    const name = 'Refused twice';
    const { group, operationId, preview } = await confirmRemoval(e2e, name, 843_000);
    const before = e2e.slack.callsTo('chat.postMessage').length;
    e2e.slack.failNext('chat.postMessage', { error: 'not_in_channel' }, 2);

    await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    await e2e.settled();
    expect(notesAbout(name)).toEqual([]);
    const attempts = e2e.slack.callsTo('chat.postMessage').slice(before).filter((c) => c.args.channel === 'C_NOTIFY');
    expect(attempts).toHaveLength(2);
    expect(await e2e.store.listNotifications([operationId])).toEqual([expect.objectContaining({ status: 'failed', error: 'not_in_channel' })]);
    expect(await historyOf(group.id)).toContain('Slack said `not_in_channel`');
  });
});

describe('channels watching the group', () => {
  it('hear of a change once each, beside NOTIFY_CHANNEL, and the history shows nothing undelivered', async () => {
    const name = 'Watched and announced';
    const { group, operationId, preview } = await confirmRemoval(e2e, name, 842_000);
    if (!e2e.slack.channel('C_LAB')) e2e.slack.addChannel({ id: 'C_LAB', name: 'lab' });
    await ask(e2e, `watch ${group.id}`, (t) => t.includes('now hears'), { channel: 'C_LAB' });

    await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    await e2e.settled();
    const rows = await e2e.store.listNotifications([operationId]);
    expect(rows.map((r) => [r.channelId, r.status]).sort()).toEqual([
      ['C_LAB', 'delivered'],
      ['C_NOTIFY', 'delivered'],
    ]);
    expect(notesAbout(name)).toHaveLength(1);
    // The change once (beside the one line that announced the watch).
    expect(e2e.slack.messages('C_LAB').filter((m) => messageText(m).includes(name) && !m.ephemeralTo && messageText(m).includes('removed'))).toHaveLength(1);
    expect(await historyOf(group.id)).not.toContain('The notification to');
  });
});

describe('delivering the same change twice at once', () => {
  it('posts each channel’s notification once', async () => {
    const name = 'Delivered twice at once';
    const { operationId, preview } = await confirmRemoval(e2e, name, 843_000);
    // Slack answers slowly, so a second deliverer (a sweep) runs while the first is posting.
    e2e.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    await Promise.all([e2e.bot.sweep(), e2e.bot.ctx.announcer.deliverChange(operationId), e2e.bot.ctx.announcer.drain()]);
    await eventually(async () => (await e2e.store.listNotifications([operationId]))[0]?.status === 'delivered', 'the notification delivered');
    await e2e.settled();
    expect(notesAbout(name)).toHaveLength(1);
    expect(postsAbout(name).map((c) => c.status)).toEqual([429, 200]);
  });
});
