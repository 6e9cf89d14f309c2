import type { AppliedChange } from '../../../src/services/changes';
import type { OperationKind } from '../../../src/store/types';
import { renderApplied, renderChangeNotification } from '../../../src/slack/blocks/appliedChange';
import { buttonsOf, expectSafeSurface, textsOf } from './expectSafeSurface';
import { anOperation, hexId } from './renderInputs';

const GROUP = hexId(0xa1);

function applied(kind: OperationKind, overrides: Partial<AppliedChange> = {}): AppliedChange {
  return {
    operation: anOperation({ kind, groupId: GROUP, groupName: 'Pilot wave 2', baselineName: 'Pilot wave 2', status: 'applied' }),
    actor: { userId: 'U_ALICE', teamId: 'T0LOCAL' },
    groupId: GROUP,
    beforeName: 'Pilot wave 2',
    afterName: 'Pilot wave 2',
    beforeCount: 1_000,
    afterCount: 1_250,
    added: 1_300,
    removed: 1_050,
    sampleAdded: [hexId(1)],
    sampleRemoved: [hexId(3), hexId(4)],
    snapshotId: 'snap-1',
    countMismatch: null,
    ...overrides,
  };
}

describe('renderApplied', () => {
  it('says done in the second person, with before → after and samples, and offers Undo and Show group', () => {
    const message = renderApplied(applied('replace'));
    expectSafeSurface(message);
    const texts = textsOf(message);
    expect(texts[0]).toBe('Done: replace Pilot wave 2');
    expect(texts[1]).toBe(':white_check_mark: Done: you replaced the members of *Pilot wave 2*.');
    expect(texts).toContain('*Members*\n1,000 → 1,250 (+1,300 / −1,050)');
    expect(texts).toContain(`*Added:* \`${hexId(1)}\` …and 1,299 more\n*Removed:* \`${hexId(3)}\`, \`${hexId(4)}\` …and 1,048 more`);
    expect(buttonsOf(message).map((b) => [b.actionId, b.value])).toEqual([
      ['op_undo', 'op-1'],
      ['group_show', GROUP],
    ]);
  });

  it('warns when Prolific’s count is not the one expected', () => {
    const texts = textsOf(renderApplied(applied('add', { countMismatch: { expected: 1_250, actual: 1_251 } })));
    expect(texts).toContain(':warning: Prolific now reports 1,251 members, not the 1,250 expected. Someone or a feeder study may have changed the group at the same time; check it with `/pgroup show`.');
  });

  it('an unrecorded change says so and offers no Undo yet; a recovered one says why it is late', () => {
    const unrecorded = renderApplied(applied('add', { unrecorded: true }));
    expect(textsOf(unrecorded).join('\n')).toContain("Prolific made the change, but the app's database did not answer, so it is not recorded yet.");
    expect(buttonsOf(unrecorded)).toEqual([]);
    expect(textsOf(renderApplied(applied('add', { recovered: true }))).join('\n')).toContain('This confirmation was cut short');
  });

  it('names the ids an overwrite dropped (up to 5, then a count) and offers to add them back first', () => {
    const dropped = [1, 2, 3, 4, 5, 6, 7].map((n) => hexId(0x700 + n));
    const message = renderApplied(applied('replace', { dropped }));
    expectSafeSurface(message);
    expect(textsOf(message)).toContain(
      `:warning: *7 participants joined the group while this change was being written and are no longer in it:* ${dropped
        .slice(0, 5)
        .map((id) => `\`${id}\``)
        .join(', ')} …and 2 more. The change replaced the whole membership, and these ids were not in it. *Add them back* previews adding exactly them.`,
    );
    expect(buttonsOf(message).map((b) => [b.actionId, b.value])).toEqual([
      ['op_add_back', 'op-1'],
      ['op_undo', 'op-1'],
      ['group_show', GROUP],
    ]);
    const one = textsOf(renderApplied(applied('replace', { dropped: [hexId(9)] }))).join('\n');
    expect(one).toContain(`1 participant joined the group while this change was being written and is no longer in it:* \`${hexId(9)}\`. The change replaced the whole membership, and this id was not in it. *Add them back* previews adding exactly it.`);
  });

  it('a deletion names the group and its members, and offers Recreate instead of Undo', () => {
    const message = renderApplied(applied('delete', { beforeCount: 3, afterCount: 0, added: 0, removed: 3 }));
    expect(textsOf(message)[1]).toBe(':white_check_mark: Done: you deleted *Pilot wave 2* (3 members).');
    expect(buttonsOf(message).map((b) => [b.text, b.actionId])).toEqual([['Recreate…', 'group_recreate']]);
  });

  it('a rename shows both names', () => {
    const message = renderApplied(applied('rename', { afterName: 'Wave <2>', added: 0, removed: 0, afterCount: 1_000 }));
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toBe(':white_check_mark: Done: you renamed *Pilot wave 2* to *Wave &lt;2&gt;*.');
    expect(textsOf(message)).toContain('*Name*\nPilot wave 2 → Wave &lt;2&gt;');
  });
});

describe('renderChangeNotification', () => {
  it('is one short top-level line (who did what and the counts) with Show group and Undo; the group id and where the ids came from are in the thread reply', () => {
    const { top, threadReply } = renderChangeNotification(applied('add', { added: 2, removed: 0, sampleAdded: [hexId(1), hexId(2)], sampleRemoved: [] }), { source: 'ids.csv <x>' });
    expectSafeSurface(top);
    expectSafeSurface(threadReply!);
    // Counts only by default: everyone in the channel reads both.
    expect(JSON.stringify([top, threadReply])).not.toContain(hexId(1));
    expect(textsOf(top)).toEqual([
      '<@U_ALICE> added 2 participants to *Pilot wave 2* · 1,000 → 1,250 (+2 / −0).',
      ':busts_in_silhouette: <@U_ALICE> added 2 participants to *Pilot wave 2* · 1,000 → 1,250 (+2 / −0).',
      'Show group',
      'Undo',
    ]);
    expect(top.blocks).toHaveLength(2);
    expect(buttonsOf(top).map((b) => b.actionId)).toEqual(['group_show', 'op_undo']);
    const details = textsOf(threadReply!);
    expect(details).toContain('*Members*\n1,000 → 1,250 (+2 / −0)');
    expect(details).toContain('*Source:* ids.csv &lt;x&gt;');
    expect(details).toContain(`Group \`${GROUP}\` · \`/pgroup show ${GROUP}\` · \`/pgroup history ${GROUP}\``);
    expect(buttonsOf(threadReply!)).toEqual([]);
  });

  it('with NOTIFY_SHOW_IDS on, shows the sample ids in the thread reply, never in the top line', () => {
    const { top, threadReply } = renderChangeNotification(applied('add', { added: 2, removed: 0, sampleAdded: [hexId(1), hexId(2)], sampleRemoved: [] }), { showIds: true });
    expect(textsOf(threadReply!)).toContain(`*Added:* \`${hexId(1)}\`, \`${hexId(2)}\``);
    expect(JSON.stringify(top)).not.toContain(hexId(1));
  });

  it('says a Workflow Builder step made it, on behalf of the person the workflow names, with the run in the thread', () => {
    const { top, threadReply } = renderChangeNotification(applied('add', { added: 2, removed: 0 }), { workflow: { executionId: 'Fx0RUN1' } });
    expect(textsOf(top)[1]).toBe(':gear: Added 2 participants to *Pilot wave 2* via Workflow Builder, on behalf of <@U_ALICE> · 1,000 → 1,250 (+2 / −0).');
    expect(textsOf(threadReply!).join('\n')).toContain('run `Fx0RUN1`');
  });

  it('says which ids an overwrite dropped in the thread, for the channel too, with the button to add them back on the top line', () => {
    const { top, threadReply } = renderChangeNotification(applied('replace', { dropped: [hexId(9), hexId(10)] }), { showIds: true });
    expectSafeSurface(top);
    expectSafeSurface(threadReply!);
    expect(textsOf(top)[1]).toContain(':warning: Read the thread.');
    expect(textsOf(threadReply!).join('\n')).toContain(`2 participants joined the group while this change was being written and are no longer in it:* \`${hexId(9)}\`, \`${hexId(10)}\``);
    const countsOnly = renderChangeNotification(applied('replace', { dropped: [hexId(9), hexId(10)] }));
    expect(textsOf(countsOnly.threadReply!).join('\n')).toContain('2 participants joined the group while this change was being written and are no longer in it*. The change');
    expect(JSON.stringify(countsOnly)).not.toContain(hexId(9));
    expect(buttonsOf(top).map((b) => b.actionId)).toEqual(['op_add_back', 'group_show', 'op_undo']);
  });
});
