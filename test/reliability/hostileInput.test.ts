// Crafted group names, descriptions, feeder studies, CSV files and Prolific error texts, shown on
// every message, view and notification that carries user-supplied text. Slack reads `<!channel>`,
// `<@U123>`, `<#C…>` and `<url|text>` in mrkdwn as control sequences: the app must escape &, <
// and > so that such a name pings nobody and links nowhere.
import type { LocalMessage, LocalView } from '../../src/local/slack';
import { SEED_WORKSPACE_ID } from '../../src/local/prolific-sandbox';
import { findButton, messageText, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { ALICE, ask, clickAndWaitForUpdate, newIds, previewUpload } from './conversation';
import { type MrkdwnPolicy, type MrkdwnProblem, mrkdwnProblems, plainTexts, surfaceProblems } from './mrkdwnSafety';

const PING = '<!channel> hi';
const PING_TOO = '<!channel> hi again';
const MENTION = '<@U123>';
const MIXED = 'R&D <!here|here> <#C0HOSTILE> <https://evil.example|log in> &lt;!everyone&gt; *x* `y`';
/** The part of MIXED shown the same in bold and plain mrkdwn (bold softens its asterisks). */
const MIXED_SHOWN = 'R&D <!here|here> <#C0HOSTILE> <https://evil.example|log in> &lt;!everyone&gt;';
const DESCRIPTION = '<!everyone> please & <@U_BOB>';
const FEEDER = { name: '<!subteam^S123> screener', status: 'ACTIVE <!here>', code: '<@U123>' };
const ERROR_BODY = JSON.stringify({ error: { status: 400, error_code: 140_001, title: '<!channel> refused', detail: { participant_ids: ['<@U123> & <#C0HOSTILE> are not valid'] } } });

/** How each crafted text must look once escaped for mrkdwn. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const POLICY: MrkdwnPolicy = { users: [ALICE], channels: ['C_GENERAL', 'C_NOTIFY'] };

/** Every message and view the app produced, as each version of it was shown. */
const shown: { where: string; surface: { text?: string; blocks?: unknown; view?: unknown } }[] = [];
const groups: Record<'ping' | 'pingToo' | 'mention' | 'mixed', string> = { ping: '', pingToo: '', mention: '', mixed: '' };

function record(where: string, m: LocalMessage): void {
  shown.push({ where: `${where} ${m.channel}/${m.ts}`, surface: { text: m.text, blocks: m.blocks } });
}

/** Problems in what was shown since `mark`. */
function problemsSince(mark: number): MrkdwnProblem[] {
  return shown.slice(mark).flatMap((s) => surfaceProblems(s.surface, s.where, POLICY));
}

/** The mrkdwn and text of what was shown since `mark`, for checking that the crafted text is there (escaped). */
function textSince(mark: number): string {
  return shown
    .slice(mark)
    .map((s) => JSON.stringify(s.surface))
    .join('\n');
}

/** Runs a step and checks what it made the app show: nothing unsafe, and the crafted text present in escaped form. */
async function step(mustShow: string[], work: () => Promise<unknown>): Promise<string> {
  const mark = shown.length;
  await work();
  // Replies, notifications and view updates are sent after the ack, all within the listener's work.
  await e2e.settled();
  expect(shown.length).toBeGreaterThan(mark);
  expect(problemsSince(mark)).toEqual([]);
  const text = textSince(mark);
  for (const s of mustShow) expect(text).toContain(JSON.stringify(esc(s)).slice(1, -1));
  return text;
}

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY', WATCH_INTERVAL_SECONDS: '1' } });
beforeAll(async () => {
  e2e.slack.events.on('message', (m) => record('message', m));
  e2e.slack.events.on('message_changed', (m) => record('updated', m));
  e2e.slack.events.on('view', ({ change, view }: { change: string; view: LocalView }) => shown.push({ where: `view ${change} ${view.id}`, surface: { view: view.view } }));
  const state = e2e.sandbox.state;
  const inWorkspace = { workspace_id: SEED_WORKSPACE_ID };
  groups.ping = state.createGroup({
    ...inWorkspace,
    name: PING,
    description: DESCRIPTION,
    participant_ids: newIds(900_000, 5),
    feeder_studies: [
      {
        id: '6650bead00000000000000aa',
        name: FEEDER.name,
        internal_name: 'hostile',
        status: FEEDER.status,
        feeder_completion_codes: [{ code: FEEDER.code, code_type: 'COMPLETED', action: 'ADD_TO_PARTICIPANT_GROUP' }],
      },
    ],
  }).id;
  groups.pingToo = state.createGroup({ ...inWorkspace, name: PING_TOO, participant_ids: newIds(900_100, 2) }).id;
  groups.mention = state.createGroup({
    ...inWorkspace,
    name: MENTION,
    participant_ids: newIds(900_200, 3),
    feeder_studies: [
      {
        id: '6650bead00000000000000ab',
        name: FEEDER.name,
        internal_name: 'hostile-2',
        status: 'ACTIVE',
        feeder_completion_codes: [{ code: 'C1', code_type: 'COMPLETED', action: 'ADD_TO_PARTICIPANT_GROUP' }],
      },
    ],
  }).id;
  groups.mixed = state.createGroup({ ...inWorkspace, name: MIXED, participant_ids: newIds(900_300, 4) }).id;
});

describe('the check itself', () => {
  it('flags every kind of control sequence and stray character, and passes what the app may write', () => {
    const bad = ['<!channel>', '<!here|here>', '<!everyone>', '<@U123>', '<@U_BOB>', '<#C0HOSTILE>', '<https://evil.example|x>', '<!subteam^S1>', 'a < b', 'a > b', 'R&D', '&lt;ok&gt; but & not'];
    for (const text of bad) expect({ text, problems: mrkdwnProblems(text, POLICY).length > 0 }).toEqual({ text, problems: true });
    const good = ['<@U_ALICE> changed it', 'in <#C_NOTIFY>', '<!date^1700000000^{date_short_pretty} {time}|2023-11-14T22:13:20.000Z>', '&lt;!channel&gt; hi &amp; bye', '*bold* `code`'];
    for (const text of good) expect({ text, problems: mrkdwnProblems(text, POLICY) }).toEqual({ text, problems: [] });
    // Top-level text is checked too, and nested mrkdwn objects anywhere in blocks and views.
    expect(surfaceProblems({ text: '<!channel>' }, 'm', POLICY)).toHaveLength(1);
    expect(surfaceProblems({ view: { blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: '<@U9>' }] }] } }, 'v', POLICY)).toHaveLength(1);
    expect(surfaceProblems({ blocks: [{ type: 'header', text: { type: 'plain_text', text: '<!channel>' } }] }, 'm', POLICY)).toEqual([]);
  });
});

describe('reading groups', () => {
  it('help for a crafted subcommand, and a usage message', async () => {
    await step(['<!channel>'], () => ask(e2e, '<!channel> now', (t) => t.includes('I don')));
    await step([], () => ask(e2e, 'show', (t) => t.includes('Usage')));
    await step([], () => ask(e2e, 'watching', (t) => t.includes('does not watch'), { channel: 'C_NOTIFY' }));
  });

  it('list, with crafted names and a crafted filter', async () => {
    await step([PING, PING_TOO, MIXED_SHOWN], () => ask(e2e, 'list <!', (t) => t.includes('Groups matching')));
    await step([MENTION], () => ask(e2e, 'list <@U123>', (t) => t.includes('Groups matching')));
    await step(['<@nobody>'], () => ask(e2e, 'list <@nobody>', (t) => t.includes('No group matches')));
  });

  it('the group card: name, description, feeder study, status and completion code', async () => {
    const text = await step([DESCRIPTION, FEEDER.name, FEEDER.status, FEEDER.code], () => ask(e2e, `show ${groups.ping}`, (t) => t.includes('group_add_ids_open')));
    // The header is plain_text, which Slack never reads for mentions: the name is shown as typed.
    expect(text).toContain(JSON.stringify(PING).slice(1, -1));
    await step([], () => ask(e2e, `show ${groups.mixed}`, (t) => t.includes('group_add_ids_open')));
  });

  it('the candidates of an ambiguous name, and a name that matches nothing', async () => {
    const reply = await (async () => {
      let found: LocalMessage | undefined;
      await step(['<!channel>'], async () => {
        found = await ask(e2e, 'show <!channel>', (t) => t.includes('Several groups match'));
      });
      return found!;
    })();
    expect(findButton(reply, 'group_pick:0')).toBeDefined();
    await step(['<!everyone> & <@U999>'], () => ask(e2e, 'show <!everyone> & <@U999>', (t) => t.includes('No group matches')));
  });

  it('members, inline and in the comment of the shared file', async () => {
    const text = await step([PING], async () => {
      await ask(e2e, `members ${groups.ping}`, (t) => t.includes('has 5 members'));
      await eventually(() => e2e.slack.files.find((f) => f.initial_comment?.includes('channel')), 'the members file');
    });
    expect(text).toContain('Members of');
  });

  it('an error from Prolific whose title and detail are crafted', async () => {
    e2e.sandbox.faults.add({ method: 'GET', path: `/api/v1/participant-groups/${groups.ping}/`, times: 1, status: 400, body: ERROR_BODY, contentType: 'application/json' });
    await step(['<!channel> refused', '<@U123> & <#C0HOSTILE> are not valid'], () => ask(e2e, `show ${groups.ping}`, (t) => t.includes('Prolific')));
  });
});

describe('previews, outcomes and notifications', () => {
  it('replace from pasted ids with crafted junk: preview, outcome and notification', async () => {
    let preview: LocalMessage | undefined;
    await step([PING, '<!channel>', '<@U123>'], async () => {
      preview = await previewUpload(e2e, groups.ping, 'replace', [...newIds(901_000, 3), '<!channel>', '<@U123>']);
    });
    await step([PING], async () => {
      await clickAndWaitForUpdate(e2e, preview!, 'op_confirm', 'the outcome');
      await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('replaced the members'), 'the notification');
    });
  });

  it('a CSV file with a crafted name, header and rows: the column question, then the invalid rows and the source', async () => {
    const file = e2e.slack.hostFile({
      name: '<!channel> list.csv',
      user: ALICE,
      // Both columns hold ids and neither header names participants, so the app asks which; the first has one bad row.
      content: [
        '<!here> ids,<@U123> more ids',
        ...newIds(902_000, 6).map((id, i) => `${id},${i < 5 ? newIds(902_100 + i, 1)[0] : ''}`),
        '<!channel> & <b>,',
      ].join('\n'),
    });
    await step(['<!channel> list.csv', '<!here> ids', '<@U123> more ids', '<!channel> & <b>'], async () => {
      await e2e.pgroup(`upload ${groups.mixed}`);
      const form = await eventually(() => e2e.slack.openModals(ALICE).find((v) => v.view.callback_id === 'upload_modal' && JSON.stringify(v.view.blocks).includes('mode_choice')), 'the form');
      await e2e.driver.viewSubmission({ user: ALICE, viewId: form.id, values: { group_select: groups.mixed, file_input: { files: [file] }, paste_input: null, mode_choice: 'add' } });
      const question = await eventually(() => e2e.slack.messages('C_GENERAL').find((m) => messageText(m).includes('list.csv') && messageText(m).includes('upload_choice:col0')), 'the column question');
      await e2e.click(question, 'upload_choice:col0');
      await eventually(() => e2e.slack.messages('C_GENERAL').find((m) => messageText(m).includes('list.csv') && messageText(m).includes('op_confirm')), 'the preview');
    });
  });

  it('a CSV file with no ids at all: the refusal on the form’s file field names the crafted file, as plain text', async () => {
    const file = e2e.slack.hostFile({ name: '<@U123>.csv', user: ALICE, content: '<!channel>\n<@U123> & co\n' });
    await e2e.pgroup(`upload ${groups.mixed}`);
    const form = await eventually(() => e2e.slack.openModals(ALICE).find((v) => v.view.callback_id === 'upload_modal' && JSON.stringify(v.view.blocks).includes('mode_choice')), 'the form');
    const res = await e2e.driver.viewSubmission({ user: ALICE, viewId: form.id, values: { group_select: groups.mixed, file_input: { files: [file] }, paste_input: null, mode_choice: 'replace' } });
    // An input's error is plain text, never read for mentions: the name is shown as it is.
    expect(res.outcome).toMatchObject({ outcome: 'errors', errors: { file: expect.stringContaining('<@U123>.csv') } });
    expect(JSON.stringify(res.outcome)).toContain('Nothing was sent');
  });

  it('add with crafted invalid ids typed inline, and remove', async () => {
    const [good] = newIds(903_000, 1);
    await step([MENTION, '<!here>', '<@U123>&x'], () => ask(e2e, `add ${groups.mention} ${good} <!here> <@U123>&x`, (t) => t.includes('op_confirm')));
    await step(['<!here>', '<#C0HOSTILE>'], () => ask(e2e, `add ${groups.mention} <!here> <#C0HOSTILE>`, (t) => t.includes('nothing was sent')));
    const member = e2e.sandbox.state.members(groups.mixed)[0]!;
    let preview: LocalMessage | undefined;
    await step([MIXED_SHOWN], async () => {
      preview = await ask(e2e, `remove ${groups.mixed} ${member}`, (t) => t.includes('op_confirm'));
    });
    // The confirm dialog's text is mrkdwn too.
    expect(JSON.stringify(findButton(preview!, 'op_confirm')?.confirm)).toContain(JSON.stringify(esc(MIXED_SHOWN)).slice(1, -1));
    await step([MIXED_SHOWN], async () => {
      await clickAndWaitForUpdate(e2e, preview!, 'op_confirm', 'the outcome');
      await e2e.waitForMessage('C_NOTIFY', (m) => messageText(m).includes('removed 1 participant'), 'the notification');
    });
  });

  it('rename to a crafted name: outcome and notification; then its undo preview and outcome', async () => {
    const renamed = '<!everyone> renamed & co';
    let note: LocalMessage | undefined;
    await step([MENTION, renamed], async () => {
      await ask(e2e, `rename ${groups.mention} "${renamed}"`, (t) => t.includes('Done'));
      note = await e2e.waitForPost('C_NOTIFY', (m) => messageText(m).includes('renamed') && messageText(m).includes('everyone'), 'the notification');
    });
    let undo: LocalMessage | undefined;
    await step([renamed, MENTION], async () => {
      const before = e2e.slack.messages().length;
      await e2e.click(note!, 'op_undo');
      undo = await eventually(() => e2e.slack.messages().slice(before).find((m) => messageText(m).includes('op_confirm')), 'the undo preview');
    });
    await step([MENTION], () => clickAndWaitForUpdate(e2e, undo!, 'op_confirm', 'the undo outcome'));
    expect(e2e.sandbox.state.getGroup(groups.mention)?.name).toBe(MENTION);
  });

  it('delete: the preview, the form that takes the name, the outcome and the notification', async () => {
    let preview: LocalMessage | undefined;
    await step([PING_TOO], async () => {
      preview = await ask(e2e, `delete ${groups.pingToo}`, (t) => t.includes('op_confirm_typed'));
    });
    await step([PING_TOO], async () => {
      const openViews = new Set(e2e.slack.views().map((v) => v.id));
      await e2e.click(preview!, 'op_confirm_typed');
      const form = await eventually(() => e2e.slack.openModals(ALICE).find((v) => !openViews.has(v.id) && v.view.callback_id === 'typed_delete_modal'), 'the delete form');
      await e2e.driver.viewSubmission({ user: ALICE, viewId: form.id, values: { typed_name_input: PING_TOO } });
      await e2e.waitForPost('C_NOTIFY', (m) => messageText(m).includes('deleted'), 'the notification');
    });
  });

  it('create with a crafted name and description: the reply and the notification', async () => {
    await step(['<!channel> created'], async () => {
      await ask(e2e, 'create <!channel> created -- <@U123> & friends', (t) => t.includes('Created'));
      await e2e.waitForPost('C_NOTIFY', (m) => messageText(m).includes('created'), 'the notification');
    });
  });

  it('a failure whose Prolific error text is crafted', async () => {
    let preview: LocalMessage | undefined;
    await step([], async () => {
      preview = await previewUpload(e2e, groups.mixed, 'replace', newIds(904_000, 2));
    });
    e2e.sandbox.faults.add({ method: 'PATCH', path: `/api/v1/participant-groups/${groups.mixed}/`, times: 1, status: 400, body: ERROR_BODY, contentType: 'application/json' });
    await step([MIXED_SHOWN, '<!channel> refused', '<@U123> & <#C0HOSTILE> are not valid'], () => clickAndWaitForUpdate(e2e, preview!, 'op_confirm', 'the failure'));
  });

  it('a stale preview: the group was renamed to a crafted name and changed before the click', async () => {
    let preview: LocalMessage | undefined;
    await step([], async () => {
      preview = await previewUpload(e2e, groups.ping, 'add', newIds(905_000, 2));
    });
    e2e.sandbox.state.renameGroup(groups.ping, '<!here> stale');
    e2e.sandbox.state.addMembers(groups.ping, newIds(905_100, 1));
    await step(['<!here> stale'], () => clickAndWaitForUpdate(e2e, preview!, 'op_confirm', 'the stale answer'));
    e2e.sandbox.state.renameGroup(groups.ping, PING);
  });
});

describe('watching, history and App Home', () => {
  it('watch notices, the list of watched groups, and a change noticed by the watcher', async () => {
    await step([MENTION], () => ask(e2e, `watch ${groups.mention}`, (t) => t.includes('now hears')));
    await step([MENTION], () => ask(e2e, 'watching', (t) => t.includes('watches')));
    await step([MENTION], () => ask(e2e, 'watching all', (t) => t.includes('watches')));
    await e2e.bot.watcher.runRound();
    // A colleague renames the group and its feeder study adds people, outside the app.
    e2e.sandbox.state.renameGroup(groups.mention, '<!here> renamed outside');
    e2e.sandbox.state.addMembers(groups.mention, newIds(906_000, 2));
    await step(['<!here> renamed outside', MENTION, FEEDER.name], async () => {
      // Rounds within WATCH_INTERVAL_SECONDS of the last look pass the group over; the first after it sees the change.
      const report = await eventually(async () => {
        const r = await e2e.bot.watcher.runRound();
        return r.changes.length > 0 && r;
      }, 'the round that notices the change');
      expect(report.changes).toHaveLength(1);
      await e2e.waitForMessage('C_GENERAL', (m) => messageText(m).includes('renamed outside') && !m.ephemeralTo, 'the watch notification');
    });
  });

  it('history, with crafted names and a crafted error', async () => {
    await step(['<!everyone> renamed & co', MENTION], () => ask(e2e, `history ${groups.mention}`, (t) => t.includes('History')));
    await step(['<@U123> & <#C0HOSTILE> are not valid'], () => ask(e2e, `history ${groups.mixed}`, (t) => t.includes('History')));
  });

  it('App Home: watched groups, their last change and the latest changes', async () => {
    const res = await step(['<!here> renamed outside'], async () => {
      const answer = await e2e.driver.event({ type: 'app_home_opened', user: ALICE });
      expect(answer.status).toBe(200);
      await eventually(() => e2e.slack.homeView(ALICE), 'App Home');
    });
    expect(res).toContain('<#C_GENERAL>');
  });

  it('the rename form shows and keeps the name exactly as it is (plain_text is never read for mentions)', async () => {
    await step([], async () => {
      await e2e.pgroup(`rename ${groups.ping}`);
      const form = await eventually(() => e2e.slack.openModals(ALICE).find((v) => v.view.callback_id === 'rename_modal' && JSON.stringify(v.view.blocks).includes('initial_value')), 'the rename form');
      const texts = plainTexts(form.view.blocks);
      // Escaping plain_text would show &lt; to the user, and saving the form would rename the group to it.
      expect(texts).toContain(PING);
      expect(texts.some((t) => t.startsWith(`${PING} (`))).toBe(true);
      expect(texts.join('\n')).not.toContain(esc(PING));
    });
  });
});

describe('everything the app showed in this file', () => {
  it('holds no control sequence the app did not generate itself', () => {
    expect(shown.length).toBeGreaterThan(60);
    const calls = e2e.slack.calls
      .filter((c) => c.method.startsWith('chat.') || c.method.startsWith('views.') || c.method === 'files.completeUploadExternal')
      .flatMap((c) => surfaceProblems({ text: (c.args['text'] ?? c.args['initial_comment']) as string | undefined, blocks: c.args['blocks'], view: c.args['view'] }, c.method, POLICY));
    expect([...problemsSince(0), ...calls]).toEqual([]);
  });
});
