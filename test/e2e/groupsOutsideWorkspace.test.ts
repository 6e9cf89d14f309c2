// Groups the Prolific token can read but that belong to no workspace this app serves: one at the
// organisation's level and one in another lab's workspace (both seeded in the sandbox). Every
// path that names a group by id treats them as not found in this workspace: nothing of them is
// shown (no name, no members) and nothing is written to them.
import { SEED_FOREIGN_GROUP_IDS, SEED_FOREIGN_GROUP_NAMES, SEED_WORKSPACE_ID, sandboxParticipantId } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { type E2E, findButton, messageText, startE2E, useE2E } from '../harness/e2e';
import { eventually } from '../support/eventually';
import { ALICE, ask, openUploadForm } from '../reliability/conversation';

const FOREIGN = [
  ['an organisation-level group', SEED_FOREIGN_GROUP_IDS.organisation, SEED_FOREIGN_GROUP_NAMES.organisation],
  ['a group of another workspace', SEED_FOREIGN_GROUP_IDS.otherWorkspace, SEED_FOREIGN_GROUP_NAMES.otherWorkspace],
] as const;

/** What the app must never reveal of a foreign group: its name and its members. */
function revealed(e2e: E2E, groupId: string, name: string): string[] {
  const members = e2e.sandbox.state.members(groupId);
  const everything = [
    ...e2e.slack.messages().map(messageText),
    ...e2e.slack.views().map((v) => JSON.stringify(v.view)),
    ...e2e.slack.files.map((f) => f.content.toString('utf8')),
  ].join('\n');
  return [name, ...members].filter((s) => everything.includes(s));
}

/** Requests that read the group's members or write the group. */
function touches(e2e: E2E, groupId: string) {
  return e2e.sandbox.requests.filter((r) => r.path.startsWith(`/api/v1/participant-groups/${groupId}/`) && (r.method !== 'GET' || r.path.endsWith('/participants/')));
}

/** A reply after `before` (a message count) that the user sees, matching. */
function replyAfter(e2e: E2E, before: number, match: (t: string) => boolean, what: string): Promise<LocalMessage> {
  return eventually(() => e2e.slack.messages().slice(before).find((m) => (!m.ephemeralTo || m.ephemeralTo === ALICE) && match(messageText(m))), what);
}

const notInWorkspace = (t: string) => t.includes('in this workspace');

describe.each(FOREIGN)('%s', (_what, groupId, name) => {
  const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });
  const snapshot = () => ({ name: e2e.sandbox.state.getGroup(groupId)?.name, members: [...e2e.sandbox.state.members(groupId)].sort() });
  let before: ReturnType<typeof snapshot>;
  beforeEach(() => {
    before = snapshot();
  });
  afterEach(() => {
    // Nothing was ever written to it, and nothing of it shown.
    expect(snapshot()).toEqual(before);
    expect(e2e.sandbox.state.getGroup(groupId)?.is_deleted).toBe(false);
    expect(touches(e2e, groupId)).toEqual([]);
    expect(revealed(e2e, groupId, name)).toEqual([]);
  });

  it('show: not found in this workspace, and the card is not shown', async () => {
    const reply = await ask(e2e, `show ${groupId}`, notInWorkspace);
    expect(messageText(reply)).toContain('No group matches');
    expect(findButton(reply, 'group_export')).toBeUndefined();
  });

  it('show, from a button that names the id: the same', async () => {
    const start = e2e.slack.messages().length;
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'group_show', value: groupId });
    const reply = await replyAfter(e2e, start, notInWorkspace, 'the refusal');
    expect(messageText(reply)).toContain(groupId);
  });

  it('members: not found, no file shared and the members never read', async () => {
    const files = e2e.slack.files.length;
    await ask(e2e, `members ${groupId}`, notInWorkspace);
    const start = e2e.slack.messages().length;
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'group_export', value: groupId });
    await replyAfter(e2e, start, notInWorkspace, 'the refusal of the export button');
    await e2e.settled();
    expect(e2e.slack.files).toHaveLength(files);
  });

  it('history: not found, from the command and from a paging button', async () => {
    await ask(e2e, `history ${groupId}`, notInWorkspace);
    const start = e2e.slack.messages().length;
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'history_page:older', value: JSON.stringify({ groupId, page: 1 }) });
    await replyAfter(e2e, start, notInWorkspace, 'the refusal of the paging button');
  });

  it('rename: not found, and the name is unchanged', async () => {
    const reply = await ask(e2e, `rename ${groupId} "Taken over"`, notInWorkspace);
    expect(messageText(reply)).not.toContain('Done');
  });

  it('upload: the form opens with no group chosen, and the group is not among its options', async () => {
    const form = await openUploadForm(e2e, groupId);
    const picker = JSON.stringify(form.view.blocks);
    expect(picker).not.toContain(groupId);
    expect(picker).not.toContain('"initial_option"'); // the status checkboxes' initial_options are not a group
  });

  it('delete: not found, from the command and from a delete button naming the id', async () => {
    await ask(e2e, `delete ${groupId}`, notInWorkspace);
    const start = e2e.slack.messages().length;
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'group_delete', value: groupId });
    const reply = await replyAfter(e2e, start, notInWorkspace, 'the refusal of the delete button');
    expect(findButton(reply, 'op_confirm')).toBeUndefined();
  });

  it('watch: not found, and no subscription is stored', async () => {
    await ask(e2e, `watch ${groupId}`, notInWorkspace);
    expect(await e2e.store.listSubscriptions({ groupId })).toEqual([]);
  });

  it('a watch stored by an older release: the watcher neither reads the group’s members nor keeps its name', async () => {
    await e2e.store.subscribe({ teamId: e2e.slack.teamId, channelId: 'C_GENERAL', groupId, groupName: 'Watched before', createdBy: ALICE });
    try {
      const report = await e2e.bot.watcher.runRound();
      expect(report.polled).toBe(true);
      expect(report.changes).toEqual([]);
      expect(await e2e.store.getWatchState(groupId)).toBeNull();
      expect(e2e.logs.some((l) => l.includes(`not watching group ${groupId}`))).toBe(true);
    } finally {
      await e2e.store.unsubscribe('C_GENERAL', groupId);
    }
  });

  it('undo of a change recorded for it (by an older release): refused, no preview', async () => {
    // An applied change to the group, with its snapshot, as a release without this check left it.
    const op = await e2e.store.createOperation({
      kind: 'rename',
      groupId,
      groupName: 'Renamed before',
      slackUserId: ALICE,
      slackTeamId: e2e.slack.teamId,
      channelId: 'C_GENERAL',
      participantIds: [],
      baselineIds: [],
      baselineName: 'Renamed before',
      newName: 'Renamed after',
      snapshotId: null,
      details: {},
      message: null,
      ttlMs: 60_000,
    });
    const snapshot = await e2e.store.saveSnapshot({ groupId, name: 'Renamed before', memberIds: [], operationId: op.id });
    await e2e.store.transitionOperation(op.id, ['pending'], 'applying');
    await e2e.store.transitionOperation(op.id, ['applying'], 'applied', { result: { snapshotId: snapshot.id } });

    const start = e2e.slack.messages().length;
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'op_undo', value: op.id });
    const reply = await replyAfter(e2e, start, notInWorkspace, 'the refusal of the undo');
    expect(findButton(reply, 'op_confirm')).toBeUndefined();
  });

  it('confirming a preview made for it (by an older release): refused, nothing written', async () => {
    const op = await e2e.store.createOperation({
      kind: 'replace',
      groupId,
      groupName: 'Previewed before',
      slackUserId: ALICE,
      slackTeamId: e2e.slack.teamId,
      channelId: 'C_GENERAL',
      participantIds: [sandboxParticipantId(990_001)],
      baselineIds: e2e.sandbox.state.members(groupId),
      baselineName: 'Previewed before',
      newName: null,
      snapshotId: null,
      details: {},
      message: null,
      ttlMs: 60_000,
    });
    const start = e2e.slack.messages().length;
    await e2e.driver.blockAction({ user: ALICE, channel: 'C_GENERAL', actionId: 'op_confirm', value: op.id });
    const reply = await replyAfter(e2e, start, notInWorkspace, 'the refusal of the confirmation');
    expect(messageText(reply)).toContain('Nothing was written');
    expect((await e2e.store.getOperation(op.id))?.status).toBe('cancelled');
    await e2e.settled();
    expect(e2e.slack.messages('C_NOTIFY').filter((m) => messageText(m).includes('Previewed before'))).toEqual([]);
  });
});

describe('the upload form’s searchable picker (more groups than a static menu holds)', () => {
  // useE2E closes what this starts.
  const e2e = useE2E(() =>
    startE2E().then((running) => {
      for (let i = 0; i < 101; i++) running.sandbox.state.createGroup({ name: `Cohort ${i}`, workspace_id: SEED_WORKSPACE_ID });
      return running;
    }),
  );

  it('refuses a submission naming a foreign group: no preview, no operation, the members never read', async () => {
    const groupId = SEED_FOREIGN_GROUP_IDS.organisation;
    const form = await openUploadForm(e2e, '');
    expect(JSON.stringify(form.view.blocks)).toContain('external_select');
    const submitted = await e2e.driver.viewSubmission({
      user: ALICE,
      viewId: form.id,
      values: { group_select: groupId, paste_input: sandboxParticipantId(990_002), mode_choice: 'add', file_input: null },
    });
    expect(submitted.status).toBe(200);
    const status = await eventually(() => e2e.slack.views().find((v) => JSON.stringify(v.view).includes('in this workspace')), 'the refusal in the form');
    expect(JSON.stringify(status.view)).toContain('Nothing was sent to Prolific');
    await e2e.settled();
    expect(e2e.slack.messages().filter((m) => messageText(m).includes('op_confirm'))).toEqual([]);
    expect(await e2e.store.listOperations({ status: ['pending'], groupId })).toEqual([]);
    expect(revealed(e2e, groupId, SEED_FOREIGN_GROUP_NAMES.organisation)).toEqual([]);
  });
});
