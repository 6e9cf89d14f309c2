// The Workflow Builder step "Add participants to a group", end to end: Slack sends function_executed
// with the step's inputs and a run token; the app adds the ids (additions only) for the person the
// workflow acts for, audits and announces the change as its own kind, and ends the run with
// functions.completeSuccess (outputs) or functions.completeError (a clear sentence for the run log).
import { messageText, useE2E } from '../harness/e2e';
import { newGroup } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E({ env: { NOTIFY_CHANNEL: 'C_NOTIFY' } });

async function runStep(inputs: Record<string, unknown>) {
  const res = await e2e.driver.functionExecuted({ callbackId: 'add_participants_to_group', inputs, title: 'Add participants to a group' });
  expect(res.status).toBe(200);
  return eventually(() => e2e.slack.functionExecution(res.executionId)?.outcome ?? undefined, 'the run’s end');
}

describe('the Workflow Builder step “Add participants to a group”', () => {
  it('adds the ids, outputs the counts, and records and announces the actor as “via Workflow Builder, on behalf of”', async () => {
    const g = newGroup(e2e, 'Step target', 2);
    const ids = g.outsiders(3);
    const res = await e2e.driver.functionExecuted({ callbackId: 'add_participants_to_group', inputs: { group: g.name, participant_ids: `${ids[0]}\n${ids[1]}, ${ids[2]}`, on_behalf_of: 'U_CAROL' } });
    const outcome = await eventually(() => e2e.slack.functionExecution(res.executionId)?.outcome ?? undefined, 'the run’s end');
    expect(outcome).toEqual({ kind: 'success', outputs: { added_count: 3, new_count: 5 } });
    expect(e2e.sandbox.state.members(g.id)).toEqual([...g.members, ...ids]);
    // The run ended with the run's own token (Bolt's complete()).
    expect(e2e.slack.callsTo('functions.completeSuccess')).toHaveLength(1);

    const [entry] = await e2e.store.listAudit({ groupId: g.id, limit: 5, offset: 0 });
    expect(entry).toMatchObject({ slackUserId: 'U_CAROL', action: 'add', added: 3, outcome: 'applied' });
    const op = await e2e.store.getOperation(entry!.operationId!);
    expect(((op?.details ?? {}) as { source?: { workflow?: unknown } }).source?.workflow).toEqual({ executionId: res.executionId });

    expect(entry!.workflowRun).toBe(res.executionId);

    const note = await eventually(() => e2e.slack.posts('C_NOTIFY').find((m) => messageText(m).includes(g.id)), 'the notification');
    expect(messageText(note)).toContain(':gear: Added 3 participants to *Step target* via Workflow Builder, on behalf of <@U_CAROL> · 2 → 5 (+3 / −0).');
    // The run's execution id is in the notification's thread.
    const reply = await eventually(() => e2e.slack.replies('C_NOTIFY', note.ts)[0], 'the thread reply');
    expect(messageText(reply)).toContain(`run \`${res.executionId}\``);

    // The history says who acted for whom, and keeps the run findable.
    await e2e.pgroup(`history ${g.id}`, { user: 'U_ALICE' });
    const history = await e2e.waitForMessage('C_GENERAL', (m) => messageText(m).includes('*History of* *Step target*'), 'the history');
    expect(messageText(history)).toMatch(new RegExp(`:white_check_mark: \\*add\\* via Workflow Builder, on behalf of <@U_CAROL> <!date[^>]+> · 2 → 5 \\(\\+3 / −0\\) · run \`${res.executionId}\``));
  });

  it('fails the run with a clear error and writes nothing when an id is invalid', async () => {
    const g = newGroup(e2e, 'Step invalid', 1);
    const outcome = await runStep({ group: g.id, participant_ids: `${g.outsiders(1)[0]} not-an-id`, on_behalf_of: 'U_ALICE' });
    expect(outcome).toEqual({
      kind: 'error',
      error: 'This is not a participant id (24 characters, 0-9 and a-f): "not-an-id". A workflow step adds a list only when all of it is valid. Nothing was added.',
    });
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
    expect(await e2e.store.listAudit({ groupId: g.id, limit: 5, offset: 0 })).toEqual([]);
  });

  it('refuses a person who may not change groups, naming them, and writes nothing', async () => {
    const g = newGroup(e2e, 'Step refused', 1);
    const outcome = await runStep({ group: g.id, participant_ids: g.outsiders(1)[0], on_behalf_of: 'U_EXT' });
    expect(outcome?.kind).toBe('error');
    expect(outcome && 'error' in outcome && outcome.error).toBe(
      'The person this workflow acts for (U_EXT) may not change participant groups: Only members of the workspace that installed this app can change participant groups. You can still list and view them. Nothing was added.',
    );
    expect(e2e.sandbox.state.members(g.id)).toEqual(g.members);
  });

  it('says which input is missing, and that no group matches', async () => {
    expect(await runStep({ group: 'x', participant_ids: 'y' })).toEqual({ kind: 'error', error: 'The step\'s input "On behalf of" is empty. Nothing was added.' });
    const outcome = await runStep({ group: 'No such group anywhere', participant_ids: newGroup(e2e, 'Unused', 0).outsiders(1)[0], on_behalf_of: 'U_ALICE' });
    expect(outcome).toEqual({ kind: 'error', error: 'No participant group matches "No such group anywhere". Give the group\'s id or its exact name. Nothing was added.' });
  });
});
