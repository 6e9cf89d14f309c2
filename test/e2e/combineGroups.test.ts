// Combining groups end to end: another group as the source of add (union), remove (difference),
// replace (copy) and keep (intersection); a copy into a new group; the upload form's "Another
// group" source; and a confirmation that finds either group moved since the preview.
import { SEED_WORKSPACE_ID } from '../../src/local/prolific-sandbox';
import type { LocalMessage } from '../../src/local/slack';
import { messageText, useE2E } from '../harness/e2e';
import { messageKeys, newGroup, openUploadForm, uploadOutcome, viewText, waitForNew, waitForPreview } from '../harness/uploads';
import { eventually } from '../support/eventually';

const e2e = useE2E();
const sorted = (ids: string[]) => [...ids].sort();

async function command(text: string): Promise<LocalMessage> {
  const before = messageKeys(e2e);
  expect((await e2e.pgroup(text)).status).toBe(200);
  return waitForNew(e2e, before, () => true, `a reply to /pgroup ${text}`);
}

/** Clicks the preview's confirm button and returns the message it becomes (the outcome, or a fresh preview). */
async function confirmed(preview: LocalMessage): Promise<string> {
  const shown = messageText(preview);
  await e2e.click(preview, 'op_confirm');
  return eventually(() => {
    const text = messageText(e2e.slack.message(preview.channel, preview.ts));
    return text !== shown && (text.includes('Done') || text.includes('changed since your preview')) ? text : undefined;
  }, 'the outcome');
}

/** Two groups that share `shared` members: a has `onlyA` more, b has `onlyB` more. */
function overlapping(label: string, onlyA: number, shared: number, onlyB: number) {
  const a = newGroup(e2e, `${label} A`, onlyA + shared);
  const b = newGroup(e2e, `${label} B`, onlyB);
  const common = a.members.slice(onlyA);
  e2e.sandbox.state.addMembers(b.id, common);
  return { a, b, onlyA: a.members.slice(0, onlyA), common, onlyB: b.members };
}

describe('another group as the source', () => {
  it('add --from-group: the union, previewed with both groups and their counts', async () => {
    const { a, b, onlyA, common, onlyB } = overlapping('Union', 3, 2, 4);
    const preview = await command(`add "${a.name}" --from-group "${b.name}"`);
    const text = messageText(preview);
    expect(text).toContain(`*Add members to* *${a.name}* *from the group* *${b.name}*?`);
    expect(text).toContain(`*Source:* group *${b.name}* (6 members`);
    expect(text).toContain(`*Members of ${b.name}*\\n6`);
    expect(text).toContain('*To add*\\n4');
    expect(text).toContain('*Already members*\\n2');
    expect(await confirmed(preview)).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(a.id))).toEqual(sorted([...onlyA, ...common, ...onlyB]));
    expect(sorted(e2e.sandbox.state.members(b.id))).toEqual(sorted([...common, ...onlyB]));
  });

  it('remove --from-group: the difference', async () => {
    const { a, b, onlyA } = overlapping('Difference', 3, 2, 4);
    const preview = await command(`remove "${a.name}" --from-group "${b.name}"`);
    expect(messageText(preview)).toContain('*To remove*\\n2');
    expect(await confirmed(preview)).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(a.id))).toEqual(sorted(onlyA));
  });

  it('replace --from-group: a copy of the other group’s members', async () => {
    const { a, b, common, onlyB } = overlapping('Copy', 3, 2, 4);
    const preview = await command(`replace "${a.name}" --from-group "${b.name}"`);
    expect(messageText(preview)).toContain(`The group will have exactly the 6 ids of *${b.name}*.`);
    expect(await confirmed(preview)).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(a.id))).toEqual(sorted([...common, ...onlyB]));
  });

  it('keep --in-group: the intersection, and an em dash typed for --', async () => {
    const { a, b, common } = overlapping('Intersection', 3, 2, 4);
    const preview = await command(`keep "${a.name}" —in-group "${b.name}"`);
    const text = messageText(preview);
    expect(text).toContain(`*Keep only the members of* *${a.name}* *who are also in* *${b.name}*?`);
    expect(text).toContain('*To remove*\\n3');
    expect(await confirmed(preview)).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(a.id))).toEqual(sorted(common));
  });

  it('the source group moved since the preview: nothing is written, and a fresh preview follows its members now', async () => {
    const { a, b, onlyA, common, onlyB } = overlapping('Stale source', 2, 1, 2);
    const preview = await command(`add "${a.name}" --from-group "${b.name}"`);
    const joined = a.outsiders(1);
    e2e.sandbox.state.addMembers(b.id, joined);
    const outcome = await confirmed(preview);
    expect(outcome).toContain(`The group the ids come from, *${b.name}*, changed since your preview* (3 → 4 members)`);
    expect(sorted(e2e.sandbox.state.members(a.id))).toEqual(sorted([...onlyA, ...common]));
    const fresh = e2e.slack.message(preview.channel, preview.ts)!;
    expect(messageText(fresh)).toContain('*To add*\\n3');
    expect(await confirmed(fresh)).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(a.id))).toEqual(sorted([...onlyA, ...common, ...onlyB, ...joined]));
  });

  it('the target group moved since a keep preview: nothing is written either', async () => {
    const { a, b, onlyA, common } = overlapping('Stale target', 2, 2, 1);
    const preview = await command(`keep "${a.name}" --in-group "${b.name}"`);
    e2e.sandbox.state.removeMembers(a.id, [onlyA[0]!]);
    expect(await confirmed(preview)).toContain('*The group changed since your preview* (1 participant left)');
    expect(sorted(e2e.sandbox.state.members(a.id))).toEqual(sorted([onlyA[1]!, ...common]));
  });

  it('the same group twice, and an unknown other group, write nothing', async () => {
    const a = newGroup(e2e, 'Combine self', 2);
    expect(messageText(await command(`add "${a.name}" --from-group "${a.name}"`))).toContain('Both names are the group');
    expect(messageText(await command(`keep "${a.name}" --in-group "No such group anywhere"`))).toContain('No such group anywhere');
    expect(messageText(await command(`keep "${a.name}"`))).toContain('/pgroup keep &lt;group&gt; --in-group &lt;other group&gt;');
    expect(e2e.sandbox.state.members(a.id)).toEqual(a.members);
  });
});

describe('/pgroup copy <group> <new name>', () => {
  it('creates a group with the same description and members, recorded and undoable', async () => {
    const members = newGroup(e2e, 'Copy members', 4).members;
    const source = e2e.sandbox.state.createGroup({ name: 'Copy source', description: 'Screened in May', workspace_id: SEED_WORKSPACE_ID, participant_ids: members });
    const before = messageKeys(e2e);
    expect((await e2e.pgroup(`copy "${source.name}" "Copy of the source"`)).status).toBe(200);
    const done = await waitForNew(e2e, before, (text) => text.includes('Done: you added 4 participants to *Copy of the source*'), 'the copy’s outcome');
    const copy = e2e.sandbox.state.findGroupByName('Copy of the source')!;
    expect(copy.description).toBe('Screened in May');
    expect(sorted(e2e.sandbox.state.members(copy.id))).toEqual(sorted(members));
    expect(sorted(e2e.sandbox.state.members(source.id))).toEqual(sorted(members));
    expect(messageText(done)).toContain('op_undo');
  });
});

describe('the upload form: another group as the source', () => {
  it('keeps only the members also in the group chosen, and refuses keep without one', async () => {
    const { a, b, common } = overlapping('Form', 2, 3, 1);
    const view = await openUploadForm(e2e, `"${a.name}"`);
    expect(viewText(view)).toContain('Or another group');
    const without = await e2e.driver.viewSubmission({ user: 'U_ALICE', viewId: view.id, values: { paste_input: a.members[0]!, mode_choice: 'keep' } });
    expect(without.outcome).toEqual({ outcome: 'errors', errors: { mode: 'Keeping only those in another group needs the other group: choose it above.' } });
    const before = messageKeys(e2e);
    const submitted = await e2e.driver.viewSubmission({
      user: 'U_ALICE',
      viewId: view.id,
      values: { file_input: { files: [] }, paste_input: null, other_group_select: { selected: b.id }, mode_choice: 'keep' },
    });
    expect(submitted.outcome.outcome).toBe('updated');
    const preview = await waitForPreview(e2e, before);
    expect(messageText(preview)).toContain(`*who are also in* *${b.name}*`);
    expect(viewText(await uploadOutcome(e2e, view.id))).toContain('The preview is ready');
    expect(await confirmed(preview)).toContain('Done');
    expect(sorted(e2e.sandbox.state.members(a.id))).toEqual(sorted(common));
  });
});
