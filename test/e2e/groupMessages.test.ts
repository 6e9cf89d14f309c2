// Messaging a group's members end to end: the command and the card's button open the form, the
// preview shows the exact text, the danger button sends once (double clicks, two instances), a lost
// answer is "may have been sent" and never sent again, and only MESSAGE_USER_IDS may message.
import { SEED_GROUP_IDS, SEED_STUDY_IDS, type Sandbox } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { encodeCardMenuChoice } from '../../src/slack/cardMenuChoice';
import { type E2E, findButton, messageText, startE2E, useE2E } from '../harness/e2e';
import { ALICE, freshGroup, newIds } from '../reliability/conversation';
import { useTwoInstances } from '../harness/twoInstances';
import { eventually } from '../support/eventually';
import { sharedDatabases } from '../support/sharedDatabases';

const MESSAGES_PATH = '/api/v1/messages/participant-group/';
const ENV = { NOTIFY_CHANNEL: 'C_NOTIFY', MESSAGE_USER_IDS: 'U_ALICE,U_CAROL,U_EXT' };
const key = (m: LocalMessage) => `${m.channel}/${m.ts}`;

function messagePosts(sandbox: Sandbox) {
  return sandbox.requests.filter((r) => r.method === 'POST' && r.path === MESSAGES_PATH);
}

async function openMessageForm(e2e: E2E, group: string, user = ALICE) {
  const before = new Set(e2e.slack.views().map((v) => v.id));
  await e2e.pgroup(`message ${group}`, { user });
  return eventually(
    () => e2e.slack.openModals(user).find((v) => !before.has(v.id) && v.view.callback_id === 'message_modal' && JSON.stringify(v.view.blocks).includes('message_body_input')),
    'the message form',
  );
}

/** Opens the form, submits the body (and study), and returns the preview the user is shown. */
async function previewMessage(e2e: E2E, group: string, body: string, options: { user?: string; studyId?: string } = {}): Promise<LocalMessage> {
  const user = options.user ?? ALICE;
  const form = await openMessageForm(e2e, group, user);
  const before = new Set(e2e.slack.messages().map(key));
  const submitted = await e2e.driver.viewSubmission({
    user,
    viewId: form.id,
    values: { message_body_input: body, ...(options.studyId ? { study_select: { selected: options.studyId } } : {}) },
  });
  expect(submitted.outcome).toMatchObject({ outcome: 'closed' });
  return eventually(() => e2e.slack.messages().find((m) => !before.has(key(m)) && m.ephemeralTo === user && /message_send|Nothing was sent/.test(messageText(m))), 'the message preview');
}

/** The Send click delivered again after the preview was replaced (a retry, an old copy of it). */
function resend(e2e: E2E, preview: LocalMessage, user = ALICE) {
  return e2e.driver.blockAction({ user, channel: preview.channel, actionId: 'message_send', value: findButton(preview, 'message_send')!.value! });
}

function outcomeOf(e2e: E2E, preview: LocalMessage, pattern: RegExp, what: string): Promise<LocalMessage> {
  return eventually(() => {
    const now = e2e.slack.message(preview.channel, preview.ts);
    return now && now.updatedCount > preview.updatedCount && pattern.test(messageText(now)) && now;
  }, what);
}

/** The plain-text section that shows the body exactly as participants will read it. */
function shownBody(m: LocalMessage): string | undefined {
  const block = (m.blocks as { type: string; text?: { type: string; text: string } }[]).find((b) => b.type === 'section' && b.text?.type === 'plain_text');
  return block?.text?.text;
}

describe('messaging a group', () => {
  const e2e = useE2E({ env: ENV });

  it('form → preview with the exact text → one POST with the body as typed; notified with the first line only; in the history', async () => {
    const group = freshGroup(e2e, 'Recontact wave 3', 700_000, 3);
    const body = 'Wave 3 is open: <join> & earn £4!\nIt takes 20 minutes.\n\nThanks, the lab';
    const preview = await previewMessage(e2e, group.id, body, { studyId: SEED_STUDY_IDS.wave1Main });
    expect(shownBody(preview)).toBe(body);
    const text = messageText(preview);
    expect(text).toContain('Recipients:* 3');
    expect(text).toContain('Wave 1 main survey');
    expect(text).toContain('cannot be recalled');
    const send = findButton(preview, 'message_send')!;
    expect(send.text.text).toBe('Send to 3 participants');
    expect(send.style).toBe('danger');
    expect(JSON.stringify(send.confirm)).toContain('cannot be recalled');
    expect(messagePosts(e2e.sandbox).length).toBe(0);

    const posts = messagePosts(e2e.sandbox).length;
    await e2e.click(preview, 'message_send');
    const sent = await outcomeOf(e2e, preview, /Sent to the 3 participants/, 'the sent outcome');
    expect(shownBody(sent)).toBe(body);
    const made = messagePosts(e2e.sandbox).slice(posts);
    expect(made.map((r) => [r.status, r.body])).toEqual([[204, { participant_group_id: group.id, body, study_id: SEED_STUDY_IDS.wave1Main }]]);
    for (const id of newIds(700_000, 3)) expect(e2e.sandbox.state.messagesTo(id).map((m) => m.body)).toEqual([body]);

    const notice = await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('messaged the 3 participants'), 'the notification');
    // The first line is a detail, in the notification's thread.
    const details = await eventually(() => e2e.slack.replies('C_NOTIFY', notice.ts)[0], 'the notification’s thread reply');
    expect(messageText(details)).toContain('Wave 3 is open: &lt;join&gt; &amp; earn £4! …');
    expect(messageText(details)).not.toContain('20 minutes');

    const audit = await e2e.store.listAudit({ groupId: group.id, limit: 5, offset: 0 });
    expect(audit.map((a) => [a.action, a.outcome, a.slackUserId])).toEqual([['message', 'applied', ALICE]]);
    await e2e.pgroup(`history ${group.id}`);
    const history = await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === ALICE && messageText(m).includes('History of') && messageText(m).includes(group.id), 'the history');
    expect(messageText(history)).toContain('to 3 participants · about Wave 1 main survey: “Wave 3 is open');
    expect(messageText(history)).not.toContain('20 minutes');
  });

  it('a double click sends once: the second click is told it is already sent or in progress', async () => {
    const group = freshGroup(e2e, 'Double click panel', 701_000, 2);
    const preview = await previewMessage(e2e, group.id, 'Hello once');
    e2e.sandbox.faults.add({ method: 'POST', path: MESSAGES_PATH, times: 1, latencyMs: 300 });
    const posts = messagePosts(e2e.sandbox).length;
    await Promise.all([e2e.click(preview, 'message_send'), e2e.click(preview, 'message_send')]);
    await outcomeOf(e2e, preview, /Sent to the 2 participants/, 'the sent outcome');
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === ALICE && /being sent right now|already sent/.test(messageText(m)), 'the second click’s refusal');
    // A late repeat of the click (the preview shows the outcome by now): still nothing sent.
    await resend(e2e, preview);
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === ALICE && messageText(m).includes('never sent twice'), 'the third click’s refusal');
    await e2e.settled();
    expect(messagePosts(e2e.sandbox).length - posts).toBe(1);
    expect(e2e.sandbox.state.messagesTo(newIds(701_000, 1)[0]!).length).toBe(1);
  });

  it('an answer lost after Prolific sent it: "may have been sent", never sent again, audited as such', async () => {
    const group = freshGroup(e2e, 'Lost answer panel', 702_000, 2);
    const preview = await previewMessage(e2e, group.id, 'Did this arrive?\nSecond line');
    e2e.sandbox.faults.add({ method: 'POST', path: MESSAGES_PATH, times: 1, drop: 'after' });
    const posts = messagePosts(e2e.sandbox).length;
    await e2e.click(preview, 'message_send');
    const outcome = await outcomeOf(e2e, preview, /may have been sent/, 'the ambiguous outcome');
    expect(messageText(outcome)).toContain('It was not sent again');
    // The sandbox applied it once, and the app did not send it a second time.
    expect(messagePosts(e2e.sandbox).length - posts).toBe(1);
    expect(e2e.sandbox.state.messagesTo(newIds(702_000, 1)[0]!).length).toBe(1);
    const [entry] = await e2e.store.listAudit({ groupId: group.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ action: 'message', outcome: 'unknown' });
    expect(entry!.error).toContain('May have been sent');
    await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('Lost answer panel') && messageText(m).includes('may have been sent'), 'the notification');
    // Clicking again sends nothing.
    await resend(e2e, preview);
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === ALICE && messageText(m).includes('never sent twice'), 'the refusal');
    await e2e.settled();
    expect(messagePosts(e2e.sandbox).length - posts).toBe(1);
  });

  it('a send cut short after its claim (the process stopped) is recorded by the sweep as "may have been sent", and not sent', async () => {
    const group = freshGroup(e2e, 'Stopped panel', 706_000, 2);
    const preview = await previewMessage(e2e, group.id, 'Cut short');
    const operationId = findButton(preview, 'message_send')!.value!;
    // What a process that died between the claim and the outcome leaves behind.
    expect(await e2e.store.transitionOperation(operationId, ['pending'], 'applying')).not.toBeNull();
    const posts = messagePosts(e2e.sandbox).length;
    await e2e.bot.sweep(new Date(Date.now() + 16 * 60_000));
    expect((await e2e.store.getOperation(operationId))?.status).toBe('failed');
    const [entry] = await e2e.store.listAudit({ groupId: group.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ action: 'message', outcome: 'unknown' });
    expect(messagePosts(e2e.sandbox).length).toBe(posts);
    await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('Stopped panel') && messageText(m).includes('may have been sent'), 'the notification');
  });

  it('Prolific refusing it (a 4xx) is "not sent"', async () => {
    const group = freshGroup(e2e, 'Refused panel', 703_000, 2);
    const preview = await previewMessage(e2e, group.id, 'Refused');
    e2e.sandbox.faults.add({ method: 'POST', path: MESSAGES_PATH, times: 1, status: 400 });
    await e2e.click(preview, 'message_send');
    const outcome = await outcomeOf(e2e, preview, /was not sent/, 'the refusal outcome');
    expect(messageText(outcome)).toContain('Nothing was sent');
    expect(e2e.sandbox.state.messagesTo(newIds(703_000, 1)[0]!)).toEqual([]);
    const [entry] = await e2e.store.listAudit({ groupId: group.id, limit: 1, offset: 0 });
    expect(entry).toMatchObject({ action: 'message', outcome: 'failed' });
  });

  it('a group whose membership moved since the preview: nothing sent, a fresh preview with the new count', async () => {
    const group = freshGroup(e2e, 'Moving panel', 704_000, 2);
    const preview = await previewMessage(e2e, group.id, 'Count check');
    e2e.sandbox.state.addMembers(group.id, newIds(704_100, 1));
    const posts = messagePosts(e2e.sandbox).length;
    await e2e.click(preview, 'message_send');
    const fresh = await outcomeOf(e2e, preview, /has 3 participants now, not 2/, 'the fresh preview');
    expect(findButton(fresh, 'message_send')!.text.text).toBe('Send to 3 participants');
    expect(messagePosts(e2e.sandbox).length).toBe(posts);
  });

  it('above the recipient cap (Main panel, 5,000 members) the preview refuses and nothing is sent', async () => {
    const posts = messagePosts(e2e.sandbox).length;
    const refusal = await previewMessage(e2e, SEED_GROUP_IDS.mainPanel, 'Too many');
    expect(messageText(refusal)).toContain('5,000 participants, more than the 4,000 one Prolific message may reach');
    expect(findButton(refusal, 'message_send')).toBeUndefined();
    expect(messagePosts(e2e.sandbox).length).toBe(posts);
  });

  it('with MESSAGE_RECIPIENT_CAP above Prolific’s, Prolific’s own cap (the sandbox’s 4,000) refuses it: not sent', async () => {
    const raised = await startE2E({ env: { ...ENV, MESSAGE_RECIPIENT_CAP: '10000' }, sandbox: e2e.sandbox });
    try {
      const preview = await previewMessage(raised, SEED_GROUP_IDS.mainPanel, 'Everyone');
      expect(findButton(preview, 'message_send')!.text.text).toBe('Send to 5,000 participants');
      await raised.click(preview, 'message_send');
      const outcome = await outcomeOf(raised, preview, /was not sent/, 'the refusal');
      expect(messageText(outcome)).toContain('at most 4000 participants');
      expect(e2e.sandbox.state.messagesTo(newIds(1, 1)[0]!)).toEqual([]);
    } finally {
      await raised.close();
    }
  });

  it('Message members in the card’s menu opens the form; an empty body is an inline error', async () => {
    await e2e.pgroup(`show ${SEED_GROUP_IDS.pilot}`);
    const card = await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === ALICE && messageText(m).includes('group_more'), 'the card');
    const before = new Set(e2e.slack.views().map((v) => v.id));
    await e2e.click(card, 'group_more', ALICE, encodeCardMenuChoice({ kind: 'message', groupId: SEED_GROUP_IDS.pilot }));
    const form = await eventually(() => e2e.slack.openModals(ALICE).find((v) => !before.has(v.id) && JSON.stringify(v.view.blocks).includes('message_body_input')), 'the form');
    expect(JSON.stringify(form.view.blocks)).toContain('12 participants now');
    const submitted = await e2e.driver.viewSubmission({ user: ALICE, viewId: form.id, values: { message_body_input: '   ' }, clientChecks: false });
    expect(submitted.outcome).toEqual({ outcome: 'errors', errors: { message_body: 'Write the message participants will read.' } });
  });

  it('refuses someone who may change groups but is not in MESSAGE_USER_IDS, and a Slack Connect user even when named; nothing is sent', async () => {
    const posts = messagePosts(e2e.sandbox).length;
    const views = e2e.slack.views().length;
    await e2e.pgroup(`message ${SEED_GROUP_IDS.pilot}`, { user: 'U_BOB' });
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_BOB' && messageText(m).includes('needs more than changing groups'), 'Bob’s refusal');
    await e2e.pgroup(`message ${SEED_GROUP_IDS.pilot}`, { user: 'U_EXT' });
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_EXT' && messageText(m).includes('Only members of the workspace that installed this app can message'), 'the external user’s refusal');
    // Someone allowed previews; a person who may not message cannot send it with the preview's id.
    const preview = await previewMessage(e2e, SEED_GROUP_IDS.pilot, 'Not by Bob');
    await e2e.driver.blockAction({ user: 'U_BOB', channel: 'C_GENERAL', actionId: 'message_send', value: findButton(preview, 'message_send')!.value! });
    await e2e.waitForMessage('C_GENERAL', (m) => m.ephemeralTo === 'U_BOB' && messageText(m).includes('needs more than changing groups'), 'Bob’s refused click');
    await e2e.settled();
    expect(e2e.slack.views().slice(views).filter((v) => v.user !== ALICE)).toEqual([]);
    expect(messagePosts(e2e.sandbox).length).toBe(posts);
  });
});

describe.each(sharedDatabases)('a message sent through two instances on one $driver database', (database) => {
  const { sandbox, a, b } = useTwoInstances(database, ENV);

  it('the same Send delivered to both instances sends once', async () => {
    const group = freshGroup(a, 'Two instances panel', 705_000, 2);
    const preview = await previewMessage(a, group.id, 'Only once, please');
    const operationId = findButton(preview, 'message_send')!.value!;
    sandbox.faults.add({ method: 'POST', path: MESSAGES_PATH, times: 1, latencyMs: 500 });
    const click = (e2e: E2E) => e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', messageTs: preview.ts, actionId: 'message_send', value: operationId });
    // Each instance gets its own delivery (a Slack retry to another instance).
    await Promise.all([click(a), b.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'message_send', value: operationId })]);
    await outcomeOf(a, preview, /Sent to the 2 participants/, 'the sent outcome');
    await a.settled();
    await b.settled();
    expect(messagePosts(sandbox).length).toBe(1);
    expect(sandbox.state.messagesTo(newIds(705_000, 1)[0]!).length).toBe(1);
    expect((await a.store.getOperation(operationId))?.status).toBe('applied');
  });
});
