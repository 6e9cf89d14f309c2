// Slack failing while the app answers: a rate-limited post, a trigger that expired, a message
// that can no longer be updated, a response_url that answers 404. In each, the user still learns
// the outcome by another route, and the audit log records the change.
import { SEED_GROUP_IDS } from '../../src/local/prolific-sandbox';
import { encodeCardMenuChoice } from '../../src/slack/cardMenuChoice';
import { messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { ALICE, ask, clickAndWaitForUpdate, freshGroup, newIds, previewUpload, sorted } from './conversation';


const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

const dm = () => e2e.slack.dmChannelFor(ALICE);

async function appliedAudit(groupId: string) {
  return eventually(async () => (await e2e.store.listAudit({ groupId, limit: 5, offset: 0 })).find((a) => a.outcome === 'applied'), 'the audit entry');
}

describe('chat.postMessage rate-limited', () => {
  it('delivers the channel notification once, after waiting as long as Retry-After says', async () => {
    const group = freshGroup(e2e, 'Busy channel group', 810_000, 3);
    const preview = await ask(e2e, `remove ${group.id} ${e2e.sandbox.state.members(group.id)[0]}`, (t) => t.includes('op_confirm'));
    e2e.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });

    const outcome = await clickAndWaitForUpdate(e2e, preview, 'op_confirm', 'the outcome');
    expect(messageText(outcome)).toContain('Done');
    const note = await e2e.waitForPost('C_NOTIFY', (m) => messageText(m).includes('Busy channel group'), 'the notification');
    expect(note.ephemeralTo).toBeUndefined();
    // Top-level posts: the details follow as a reply in the notification's thread.
    const posts = e2e.slack.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'C_NOTIFY' && !c.args['thread_ts'] && JSON.stringify(c.args).includes('Busy channel group'));
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[1]!.at.getTime() - posts[0]!.at.getTime()).toBeGreaterThanOrEqual(950);
    expect(e2e.slack.posts('C_NOTIFY').filter((m) => messageText(m).includes('Busy channel group'))).toHaveLength(1);
    expect(await appliedAudit(group.id)).toMatchObject({ action: 'remove', removed: 1, afterCount: 2 });
  });

  it('still reaches the user by direct message when the other routes fail and the DM is rate-limited first', async () => {
    const group = freshGroup(e2e, 'Last route group', 811_000, 3);
    const preview = await ask(e2e, `remove ${group.id} ${e2e.sandbox.state.members(group.id)[0]}`, (t) => t.includes('op_confirm'));
    e2e.slack.failResponseUrls(404);
    e2e.slack.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    e2e.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });

    const res = await e2e.click(preview, 'op_confirm');
    expect(res.status).toBe(200);
    const outcome = await e2e.waitForMessage(dm(), (m) => messageText(m).includes('Done') && messageText(m).includes('Last route group'), 'the outcome in the DM');
    expect(messageText(outcome)).toContain('removed 1 participant');
    expect(e2e.sandbox.state.members(group.id)).toHaveLength(2);
    expect(await appliedAudit(group.id)).toMatchObject({ action: 'remove', outcome: 'applied' });
  });
});

describe('views.open with expired_trigger_id', () => {
  it('tells the user to try again, in words they can act on, and the next try opens the form', async () => {
    e2e.slack.failNext('views.open', { error: 'expired_trigger_id' });
    const reply = await ask(e2e, 'upload "Main panel"', (t) => t.includes('form'));
    expect(messageText(reply)).toContain('Slack did not let me open the form in time. Please run the command or click the button again.');
    expect(reply.ephemeralTo).toBe(ALICE);

    await e2e.pgroup('upload "Main panel"');
    await eventually(() => e2e.slack.openModals(ALICE).find((v) => v.view.callback_id === 'upload_modal'), 'the form on the second try');
  });

  it('does the same for Rename in a group card’s menu', async () => {
    const card = await ask(e2e, 'show "Excluded"', (t) => t.includes('group_more'));
    e2e.slack.failNext('views.open', { error: 'expired_trigger_id' });
    const before = e2e.slack.messages().length;
    await e2e.click(card, 'group_more', ALICE, encodeCardMenuChoice({ kind: 'rename', groupId: SEED_GROUP_IDS.excluded }));
    const reply = await eventually(() => e2e.slack.messages().slice(before).find((m) => messageText(m).includes('open the form in time')), 'the reply');
    expect(reply.ephemeralTo).toBe(ALICE);
  });
});

describe('chat.update with message_not_found', () => {
  it('sends the outcome as a new message when the preview can no longer be replaced', async () => {
    const group = freshGroup(e2e, 'Vanished preview', 820_000, 3);
    const target = newIds(821_000, 2);
    // Opened from the DM with the app, the preview is an ordinary message there.
    const preview = await previewUpload(e2e, group.id, 'replace', target, ALICE, ALICE);
    expect(preview.channel).toBe(dm());
    expect(preview.ephemeralTo).toBeUndefined();
    e2e.slack.failResponseUrls(404);
    e2e.slack.failNext('chat.update', { error: 'message_not_found' });

    const before = e2e.slack.messages(dm()).length;
    await e2e.click(preview, 'op_confirm');
    const outcome = await eventually(() => e2e.slack.messages(dm()).slice(before).find((m) => messageText(m).includes('Done')), 'the outcome as a new DM');
    expect(messageText(outcome)).toContain('Vanished preview');
    expect(e2e.slack.callsTo('chat.update').some((c) => c.error === 'message_not_found')).toBe(true);
    expect(sorted(e2e.sandbox.state.members(group.id))).toEqual(sorted(target));
    expect(await appliedAudit(group.id)).toMatchObject({ action: 'replace', afterCount: 2 });
  });
});

describe('a response_url that answers 404', () => {
  it('answers a command by an ephemeral message instead', async () => {
    e2e.slack.failResponseUrls(404);
    const reply = await ask(e2e, 'list pilot', (t) => t.includes('Pilot wave 2'));
    expect(reply.ephemeralTo).toBe(ALICE);
    expect(reply.source).toBe('api');
  });

  it('shows the outcome of a confirmation as a new ephemeral message, and the audit log has it', async () => {
    const group = freshGroup(e2e, 'Lost response url', 830_000, 4);
    const gone = e2e.sandbox.state.members(group.id).slice(0, 2);
    const preview = await ask(e2e, `remove ${group.id} ${gone.join(' ')}`, (t) => t.includes('op_confirm'));
    e2e.slack.failResponseUrls(404);

    const before = e2e.slack.messages('C_GENERAL').length;
    await e2e.click(preview, 'op_confirm');
    const outcome = await eventually(
      () => e2e.slack.messages('C_GENERAL').slice(before).find((m) => m.ephemeralTo === ALICE && messageText(m).includes('Done')),
      'the outcome',
    );
    expect(messageText(outcome)).toContain('removed 2 participants');
    expect(e2e.slack.callsTo('chat.postEphemeral').length).toBeGreaterThan(0);
    expect(e2e.sandbox.state.members(group.id)).toHaveLength(2);
    expect(await appliedAudit(group.id)).toMatchObject({ action: 'remove', removed: 2 });
  });
});
