import type { OperationDetails, PlanSummary } from '../../../src/services/changes';
import type { Operation, OperationKind } from '../../../src/store/types';
import { renderCancelled, renderPreview, renderRefused, renderStale } from '../../../src/slack/blocks/changes';
import { buttonsOf, expectSafeSurface, textsOf } from './expectSafeSurface';
import { anOperation, HOSTILE, hexId } from './renderInputs';

const GROUP = hexId(0xa1);
const EXPIRES = new Date('2026-03-01T10:00:00.000Z');
const EXPIRY = `Nothing has been written yet. This preview expires <!date^${Math.floor(EXPIRES.getTime() / 1000)}^{time}|at 10:00 UTC>.`;

function summary(overrides: Partial<PlanSummary> = {}): PlanSummary {
  return { currentTotal: 1_200, newTotal: 1_500, toAdd: 1_300, toRemove: 1_000, unchanged: 200, alreadyPresent: 0, notPresent: 0, sampleAdd: [hexId(1), hexId(2)], sampleRemove: [hexId(3)], ...overrides };
}

function operation(kind: OperationKind, details: Partial<OperationDetails> = {}, overrides: Partial<Operation> = {}): Operation {
  return anOperation({ kind, groupId: GROUP, groupName: 'Pilot wave 2', baselineName: 'Pilot wave 2', details: details as Record<string, unknown>, expiresAt: EXPIRES, ...overrides });
}

describe('renderPreview', () => {
  it('replace: a prominent warning with the counts, the plan in fields, samples, the expiry, and a red confirm with a dialog', () => {
    const message = renderPreview(operation('replace', { summary: summary() }));
    expectSafeSurface(message);
    const texts = textsOf(message);
    expect(texts[0]).toBe('Replace all members of Pilot wave 2? Review the preview before confirming.');
    expect(texts[1]).toBe('*Replace all members of* *Pilot wave 2*?');
    expect(texts[2]).toBe(':rotating_light: *1,000 of the 1,200 current members will be removed, 1,300 added, 200 stay.* The group will have exactly the 1,500 ids from your list.');
    for (const field of ['*Members now*\n1,200', '*Members after*\n1,500', '*To add*\n1,300', '*To remove*\n1,000', '*Unchanged*\n200']) expect(texts).toContain(field);
    expect(texts).toContain(`*Will be added:* \`${hexId(1)}\`, \`${hexId(2)}\` …and 1,298 more\n*Will be removed:* \`${hexId(3)}\` …and 999 more`);
    expect(texts).toContain(EXPIRY);
    const [confirm, cancel] = buttonsOf(message);
    expect(confirm).toMatchObject({ actionId: 'op_confirm', text: 'Replace with 1,500 ids', value: 'op-1', style: 'danger' });
    expect(confirm!.confirm).toEqual({
      title: { type: 'plain_text', text: 'Change the group now?' },
      text: { type: 'mrkdwn', text: '1,000 participants will be removed from Pilot wave 2 and 1,300 added. You can undo it afterwards.' },
      confirm: { type: 'plain_text', text: 'Replace with 1,500 ids' },
      deny: { type: 'plain_text', text: 'Go back' },
      style: 'danger',
    });
    expect(cancel).toMatchObject({ actionId: 'op_cancel', text: 'Cancel', value: 'op-1', style: undefined, confirm: undefined });
  });

  it('add: a green button without a dialog, and the ids already in the group counted', () => {
    const message = renderPreview(operation('add', { summary: summary({ toRemove: 0, sampleRemove: [], alreadyPresent: 4 }) }));
    expectSafeSurface(message);
    expect(textsOf(message)).toContain('*Already members*\n4');
    expect(textsOf(message).join('\n')).not.toContain('Will be removed');
    expect(buttonsOf(message)[0]).toMatchObject({ text: 'Add 1,300 members', style: 'primary', confirm: undefined });
  });

  it('remove: the ids that are not members counted, and a red button with a dialog', () => {
    const message = renderPreview(operation('remove', { summary: summary({ toAdd: 0, sampleAdd: [], notPresent: 1 }) }));
    expectSafeSurface(message);
    expect(textsOf(message)).toContain('*Not members*\n1');
    expect(buttonsOf(message)[0]).toMatchObject({ text: 'Remove 1,000 members', style: 'danger' });
    expect(buttonsOf(message)[0]!.confirm).toMatchObject({ title: { text: 'Change the group now?' }, text: { text: '1,000 participants will be removed from Pilot wave 2 and 0 added. You can undo it afterwards.' } });
  });

  it('rename: both names, escaped, and a plain confirm', () => {
    const message = renderPreview(operation('rename', {}, { newName: HOSTILE }));
    expectSafeSurface(message);
    expect(textsOf(message)).toContain('Name: *Pilot wave 2* → *&lt;!channel&gt; R&amp;D &lt;@U123&gt; ∗bold∗ `tick`*');
    expect(buttonsOf(message)[0]).toMatchObject({ text: 'Rename', style: 'primary', confirm: undefined });
  });

  it('delete of an empty group: what will be lost, that Recreate can make it again, and a dialog naming the group', () => {
    const message = renderPreview(operation('delete', { summary: summary({ currentTotal: 0 }) }, { groupName: 'R&D' }));
    expectSafeSurface(message);
    expect(textsOf(message)).toContain(
      ':rotating_light: *The group and its 0 members will be deleted.* Studies that use it will lose it. The app keeps its name, description and members for a while: *Recreate* can then make a new group from them, with a new id.',
    );
    expect(buttonsOf(message)[0]).toMatchObject({ text: 'Delete group', style: 'danger' });
    expect(buttonsOf(message)[0]!.confirm).toMatchObject({ title: { text: 'Delete this group?' }, text: { text: 'R&amp;D will be deleted from Prolific.' } });
  });

  it('delete of a group with members: its name is typed in a form, not one click', () => {
    const message = renderPreview(operation('delete', { summary: summary({ currentTotal: 1 }) }, { groupName: 'R&D' }));
    expectSafeSurface(message);
    expect(buttonsOf(message).map((b) => [b.text, b.actionId])).toEqual([
      ['Delete group…', 'op_confirm_typed'],
      ['Cancel', 'op_cancel'],
    ]);
  });

  it('a file source: its label, a note, duplicates dropped, and the first ten invalid rows with their lines, escaped', () => {
    const invalid = Array.from({ length: 12 }, (_, i) => ({ line: i + 2, value: i === 0 ? '<!here>' : `bad${i}` }));
    const message = renderPreview(
      operation('add', {
        summary: summary({ toRemove: 0 }),
        source: { label: 'export <1>.csv, column participant_id', invalid, invalidCount: 1_012, duplicateCount: 1, note: 'Two columns hold ids & the first was used.' },
      }),
    );
    expectSafeSurface(message);
    const source = textsOf(message).find((t) => t.startsWith('*Source:*'))!;
    const lines = source.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '*Source:* export &lt;1&gt;.csv, column participant_id',
      ':information_source: Two columns hold ids &amp; the first was used.',
      '1 duplicate id dropped.',
      ':warning: 1,012 invalid ids skipped (an id is 24 characters, 0–9 and a–f):',
    ]);
    expect(lines[4]).toBe('• line 2: `&lt;!here&gt;`');
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(10);
    expect(lines.at(-1)).toBe('…and 1,002 more');
  });

  it('when nothing would change: says so and that nothing was written, with only a Dismiss button', () => {
    const message = renderPreview(operation('add', { summary: summary({ toAdd: 0, toRemove: 0 }) }));
    expectSafeSurface(message);
    expect(textsOf(message)).toContain(':information_source: Nothing would change: the group already matches. Nothing was written.');
    expect(textsOf(message)).not.toContain(EXPIRY);
    expect(buttonsOf(message).map((b) => [b.actionId, b.text])).toEqual([['op_cancel', 'Dismiss']]);
  });
});

describe('renderRefused', () => {
  it.each([
    ['expired', 'This preview has expired and nothing was written. Start again to see a fresh preview.'],
    ['already_applied', 'This change has already been applied. Nothing was written again.'],
    ['cancelled', 'This preview was cancelled or replaced; nothing was written.'],
    ['missing', 'This preview no longer exists; nothing was written. Start again with `/pgroup upload` or the command you used.'],
    ['not_requester', 'Only the person who asked for this change (or an admin of the app, ADMIN_USER_IDS) can confirm or cancel it. Nothing was written.'],
    ['not_allowed', 'You may not change participant groups. Nothing was written.'],
    [
      'snapshot_gone',
      'Its snapshot is gone, so the group cannot be restored or recreated as it was. Undo, which takes back just this change, still works from the change’s message. Nothing was written.',
    ],
    ['nothing_to_revert', 'Nothing of this change is left to undo: the participants it added have left the group, the ones it removed are back, and its name was changed since. Nothing was written.'],
    ['not_undoable', 'This change cannot be undone from Slack. Nothing was written.'],
    ['group_busy', 'Another change to this group is still being written, so nothing was written. Your preview still stands: confirm it again in a minute.'],
  ] as const)('%s: says so, and that nothing was written', (reason, sentence) => {
    const message = renderRefused(reason);
    expectSafeSurface(message);
    expect(textsOf(message)).toEqual([sentence, `:no_entry: ${sentence}`]);
  });
});

describe('renderRefused while the change is being applied', () => {
  it('says the outcome follows, since it may still be written', () => {
    expect(textsOf(renderRefused('in_progress'))[0]).toBe('This change is being applied right now. You will see the outcome here in a moment.');
  });
});

describe('renderCancelled', () => {
  it('names what was cancelled and says nothing was written', () => {
    const message = renderCancelled(operation('remove', {}, { groupName: 'R&D' }));
    expectSafeSurface(message);
    expect(textsOf(message)).toEqual(['Cancelled', ':heavy_multiplication_x: Cancelled: remove members from *R&amp;D*. Nothing was written.']);
  });
});

describe('renderStale', () => {
  it('says what changed since the preview and that nothing was written, followed by the fresh preview', () => {
    const fresh = operation('add', { summary: summary({ toRemove: 0 }) }, { id: 'op-2' });
    const message = renderStale({ kind: 'stale', previous: operation('add'), fresh, drift: { added: 2, removed: 1, renamedTo: '<!here>' } });
    expectSafeSurface(message);
    const texts = textsOf(message);
    expect(texts[0]).toBe('The group changed since your preview; nothing was written. Here is a fresh preview.');
    expect(texts[1]).toBe(':arrows_counterclockwise: *The group changed since your preview* (2 participants joined, 1 participant left, it was renamed to *&lt;!here&gt;*), perhaps through a feeder study or a colleague. Nothing was written. Here is a fresh preview:');
    expect(buttonsOf(message)[0]).toMatchObject({ actionId: 'op_confirm', value: 'op-2' });
  });
});
