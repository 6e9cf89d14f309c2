import {
  LIST_PAGE_SIZE,
  MEMBERS_INLINE,
  membersCsv,
  renderAmbiguous,
  renderCreated,
  renderGroupCard,
  renderGroupList,
  renderGroupNotFound,
  renderIdsRefusal,
  renderMembers,
} from '../../../src/slack/blocks/groups';
import { bold } from '../../../src/slack/mrkdwn';
import { BLOCK_KIT_LIMITS } from '../../../src/slack/blocks/blockKitLimits';
import { decodeCardMenuChoice } from '../../../src/slack/cardMenuChoice';
import { buttonsOf, expectSafeSurface, textsOf } from './expectSafeSurface';
import { aGroup, HOSTILE, hexId } from './renderInputs';

/** The overflow menus of a payload's actions blocks. */
function overflowsOf(rendered: { blocks: unknown[] }): { action_id: string; options: { text: { text: string }; value: string }[] }[] {
  return (rendered.blocks as { elements?: { type: string }[] }[]).flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'overflow')) as never;
}

const groups = (n: number) => Array.from({ length: n }, (_, i) => aGroup({ id: hexId(i + 1), name: `Group ${i + 1}`, participant_count: 1000 * i + 1 }));

describe('renderGroupList', () => {
  it('one page: a title with the count, one section per group with its id, member count and a Show button', () => {
    const message = renderGroupList(groups(3), '', 0);
    const blocks = expectSafeSurface(message);
    expect(blocks).toHaveLength(4);
    expect(textsOf(message)[0]).toBe('3 participant groups');
    expect(textsOf(message)[1]).toBe('*Participant groups* · 3 groups');
    expect(textsOf(message)).toContain(`*Group 3*\n\`${hexId(3)}\` · 2,001 members`);
    expect(textsOf(message)).toContain(`*Group 1*\n\`${hexId(1)}\` · 1 member`);
    expect(buttonsOf(message).map((b) => [b.actionId, b.text, b.value])).toEqual([1, 2, 3].map((i) => ['group_show', 'Show', hexId(i)]));
  });

  it(`pages of ${LIST_PAGE_SIZE}: Next on the first page, Previous on the last, the filter kept in each button`, () => {
    const all = groups(25);
    const first = renderGroupList(all, 'wave', 0);
    expectSafeSurface(first);
    expect(textsOf(first)[1]).toBe('*Groups matching `wave`* · 25 groups');
    expect(textsOf(first)).toContain('Page 1 of 3');
    expect(buttonsOf(first).filter((b) => b.actionId.startsWith('list_page'))).toEqual([
      { actionId: 'list_page:next', text: 'Next ›', value: JSON.stringify({ filter: 'wave', page: 1 }), style: undefined, confirm: undefined },
    ]);
    const last = renderGroupList(all, 'wave', 2);
    expect(buttonsOf(last).filter((b) => b.actionId === 'group_show')).toHaveLength(5);
    expect(buttonsOf(last).filter((b) => b.actionId.startsWith('list_page')).map((b) => b.actionId)).toEqual(['list_page:prev']);
    // A page past the end (the list shrank since the button was drawn) shows the last page.
    expect(renderGroupList(all, 'wave', 9)).toEqual(last);
  });

  it('says so when nothing matches, and how to go on', () => {
    expect(textsOf(renderGroupList([], 'zzz', 0))).toEqual(['No participant groups found', 'No group matches `zzz`. Try `/pgroup list` to see them all.']);
    expect(textsOf(renderGroupList([], '', 0))[1]).toBe('This workspace has no participant groups yet. Create one with `/pgroup create &lt;name&gt;`.');
  });

  it('escapes names and the filter', () => {
    const message = renderGroupList([aGroup({ name: HOSTILE })], HOSTILE, 0);
    expectSafeSurface(message);
    expect(textsOf(message).join('\n')).toContain('&lt;!channel&gt; R&amp;D &lt;@U123&gt; ∗bold∗');
  });
});

describe('renderGroupCard', () => {
  const card = renderGroupCard(
    aGroup({
      name: HOSTILE,
      description: 'Second wave <!here>',
      participant_count: 12_345,
      feeder_studies: Array.from({ length: 7 }, (_, i) => ({
        id: hexId(100 + i),
        name: `Screener ${i}`,
        internal_name: '',
        status: 'ACTIVE',
        feeder_completion_codes: [
          { code: 'C0DE', code_type: 'COMPLETED', action: 'ADD_TO_PARTICIPANT_GROUP' },
          { code: 'GONE', code_type: 'COMPLETED', action: 'REMOVE_FROM_PARTICIPANT_GROUP' },
        ],
      })),
    }),
  );

  it('shows the name as its header, the description, the member count with separators, the id and the feeder studies', () => {
    const blocks = expectSafeSurface(card);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'actions']);
    const texts = textsOf(card);
    // A header is plain text: Slack shows it as written, so it is not escaped.
    expect(texts).toContain(HOSTILE);
    expect(texts).toContain('Second wave &lt;!here&gt;');
    expect(texts).toContain('*Members*\n12,345');
    expect(texts).toContain(`*Group id*\n\`${hexId(0xa1)}\``);
    const feeders = texts.find((t) => t.startsWith('*Feeder studies*'))!;
    expect(feeders.split('\n')).toHaveLength(7);
    expect(feeders).toContain('• Screener 0 (ACTIVE): `C0DE` adds, `GONE` removes');
    expect(feeders).toContain('…and 2 more');
    expect(feeders).not.toContain('Screener 5');
  });

  it('offers the actions people reach for as buttons, Add ids the main one, each carrying the group id; no Watch where there is no channel', () => {
    expect(buttonsOf(card).map((b) => [b.actionId, b.text, b.style, b.value])).toEqual([
      ['group_add_ids_open', 'Add ids', 'primary', hexId(0xa1)],
      ['group_remove_ids_open', 'Remove ids', undefined, hexId(0xa1)],
      ['group_upload_open', 'Upload', undefined, hexId(0xa1)],
      ['group_history', 'History', undefined, hexId(0xa1)],
    ]);
  });

  it('puts the rest in one overflow menu within its limit of 5 options, Delete last, each option naming its action and the group', () => {
    const menus = overflowsOf(card);
    expect(menus).toHaveLength(1);
    expect(menus[0]!.action_id).toBe('group_more');
    expect(menus[0]!.options.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.overflowOptions);
    expect(menus[0]!.options.map((o) => [o.text.text, o.value])).toEqual([
      ['Export members (only to you)', `export:${hexId(0xa1)}`],
      ['Message members…', `message:${hexId(0xa1)}`],
      ['Tell me when it changes (DM)', `dm:${hexId(0xa1)}`],
      ['Rename…', `rename:${hexId(0xa1)}`],
      ['Delete group…', `delete:${hexId(0xa1)}`],
    ]);
    for (const option of menus[0]!.options) expect(decodeCardMenuChoice(option.value)).toEqual({ kind: option.value.split(':')[0], groupId: hexId(0xa1) });
  });

  it('Watch here where the channel does not watch the group; Unwatch here, with a line saying so, where it does', () => {
    const notWatching = renderGroupCard(aGroup(), undefined, { channelWatches: false });
    expectSafeSurface(notWatching);
    expect(buttonsOf(notWatching).map((b) => b.text)).toEqual(['Add ids', 'Remove ids', 'Upload', 'Watch here', 'History']);
    expect(buttonsOf(notWatching)[3]).toMatchObject({ actionId: 'group_watch_here', value: hexId(0xa1) });
    expect(textsOf(notWatching).join('\n')).not.toContain('hears about');
    const watching = renderGroupCard(aGroup(), undefined, { channelWatches: true });
    expectSafeSurface(watching);
    expect(buttonsOf(watching)[3]).toMatchObject({ actionId: 'group_unwatch_here', text: 'Unwatch here', value: hexId(0xa1) });
    expect(textsOf(watching)).toContain(':eyes: This channel hears about every change to this group.');
  });

  it('stays within Block Kit limits with the longest name, description and every section', () => {
    const long = aGroup({ name: 'N'.repeat(400), description: 'D'.repeat(5000) });
    const blocks = expectSafeSurface(renderGroupCard(long, undefined, { channelWatches: true }));
    expect(blocks.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.messageBlocks);
  });

  it('says None when no study feeds the group, and leaves out an empty description', () => {
    const plain = renderGroupCard(aGroup());
    expect(textsOf(plain)).toContain('*Feeder studies*\nNone');
    expect(plain.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
  });
});

describe('renderAmbiguous', () => {
  it('offers up to 20 candidates, one line each with the end of its id, each button carrying on with its own group', () => {
    const message = renderAmbiguous('pilot', groups(23), (id) => `show ${id}`);
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toBe('Several groups match `pilot`. Which one did you mean?');
    const buttons = buttonsOf(message);
    expect(buttons).toHaveLength(20);
    expect(new Set(buttons.map((b) => b.actionId)).size).toBe(20);
    expect(buttons[0]).toMatchObject({ actionId: 'group_pick:0', text: `Use Group 1 …${hexId(1).slice(-6)}`, value: `show ${hexId(1)}` });
    expect(buttons[7]).toMatchObject({ actionId: 'group_pick:7', value: `show ${hexId(8)}` });
    expect(textsOf(message)).toContain(`*Group 8* · 7,001 members · id \`…${hexId(8).slice(-6)}\``);
    expect(textsOf(message)).toContain('…and 3 more: type more of the name.');
  });

  it('two groups of one name: told apart by the end of the id and the description, escaped', () => {
    const twins = [aGroup({ id: hexId(0xb1), name: 'Twin', description: 'UK <sample>' }), aGroup({ id: hexId(0xb2), name: 'Twin', description: null })];
    const message = renderAmbiguous('twin', twins, (id) => `show ${id}`);
    expectSafeSurface(message);
    expect(textsOf(message)).toContain(`*Twin* · 12 members · id \`…0000b1\`\nUK &lt;sample&gt;`);
    expect(buttonsOf(message).map((b) => b.text)).toEqual(['Use Twin …0000b1', 'Use Twin …0000b2']);
  });

  it('a long name with an emoji where the button text is cut keeps the emoji whole or leaves it out', () => {
    const names = [47, 48, 49].map((pad) => ({ ...aGroup({ id: hexId(pad), name: `${'p'.repeat(pad)}🎉🎉 pilot` }) }));
    const message = renderAmbiguous('pilot', names, (id) => `show ${id}`);
    expectSafeSurface(message);
    const cut = buttonsOf(message).map((b) => b.text.replace(/ …\w+$/, ''));
    expect(cut).toEqual([`Use ${'p'.repeat(47)}🎉…`, `Use ${'p'.repeat(48)}…`, `Use ${'p'.repeat(49)}…`]);
  });
});

describe('renderGroupNotFound with suggestions', () => {
  it('asks "did you mean" with the closest names in bold, and a button for each', () => {
    const suggestions = [aGroup({ id: hexId(1), name: 'Pilot wave 2' }), aGroup({ id: hexId(2), name: 'Pilot <x>' })];
    const message = renderGroupNotFound('pilto', suggestions, (id) => `show ${id}`);
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toBe(':mag: No group matches `pilto` in this workspace. Did you mean *Pilot wave 2* or *Pilot &lt;x&gt;*?');
    expect(buttonsOf(message).map((b) => [b.text, b.value])).toEqual([
      ['Use Pilot wave 2', `show ${hexId(1)}`],
      ['Use Pilot <x>', `show ${hexId(2)}`],
    ]);
  });
});

describe('renderGroupNotFound', () => {
  it('names what was typed, escaped, and how to find the groups', () => {
    const message = renderGroupNotFound('<!channel>');
    expectSafeSurface(message);
    expect(textsOf(message)).toEqual(['No group matches &lt;!channel&gt; in this workspace', ':mag: No group matches `&lt;!channel&gt;` in this workspace. Try `/pgroup list` to see the groups and their ids.']);
  });
});

describe('renderMembers', () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => ({ participant_id: hexId(5000 + i), datetime_created: '2026-01-02T03:04:05Z' }));

  it(`shows the first ${MEMBERS_INLINE} ids, the rest as a count, and says the CSV file is in the requester's DM only`, () => {
    const message = renderMembers(aGroup(), members(1_234), { kind: 'sent', recorded: true });
    expectSafeSurface(message);
    const texts = textsOf(message);
    expect(texts[0]).toBe('Pilot wave 2: 1,234 members');
    expect(texts[1]).toBe('*Pilot wave 2* has 1,234 members.');
    expect(texts[2]!.split('\n')).toEqual(members(MEMBERS_INLINE).map((m) => `\`${m.participant_id}\``));
    expect(texts[3]).toBe('…and 1,214 more. The full list of 1,234 ids is a CSV file in your direct messages with this app. Only you can see it.');
  });

  it('says when that is everyone, when the export is missing from the history, and when no file was sent', () => {
    expect(textsOf(renderMembers(aGroup(), members(2), { kind: 'sent', recorded: false }))[3]).toBe(
      'That is everyone. The full list of 2 ids is a CSV file in your direct messages with this app. Only you can see it. The app’s own database did not answer, so this export is missing from `/pgroup history`.',
    );
    expect(textsOf(renderMembers(aGroup(), members(2), { kind: 'not_sent' }))[3]).toBe(
      'That is everyone. Slack did not take the CSV file for your direct messages with this app, so no file was sent. Try again in a moment.',
    );
  });

  it('an empty group: a clear message, no id list and no file', () => {
    const empty = renderMembers(aGroup({ name: HOSTILE }), [], { kind: 'not_sent' });
    expectSafeSurface(empty);
    expect(textsOf(empty)).toEqual([
      '&lt;!channel&gt; R&amp;D &lt;@U123&gt; *bold* `tick` has no members',
      `:information_source: ${bold(HOSTILE)} has no members, so there is nothing to export. No file was made.`,
    ]);
  });
});

describe('renderIdsRefusal', () => {
  it('tells a partner organisation’s user that ids are not theirs to see, and what still works', () => {
    const message = renderIdsRefusal('other_organisation');
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toBe(':no_entry: Participant ids are shown only to people of the organisation that installed this app. You can still list groups and see their names and member counts.');
    expect(textsOf(renderIdsRefusal('workspace_unknown'))[1]).toContain('Slack did not tell me which workspace you belong to, so I showed no participant ids.');
  });
});

describe('membersCsv', () => {
  it('writes the header Prolific’s exports use, one member a line, and a final newline', () => {
    expect(membersCsv([{ participant_id: hexId(1), datetime_created: '2026-01-02T03:04:05Z' }])).toBe(`participant_id,datetime_created\n${hexId(1)},2026-01-02T03:04:05Z\n`);
  });
});

describe('renderCreated', () => {
  it('confirms with the name and id, a Show button, how to add members, and offers its creator alerts by DM', () => {
    const message = renderCreated(aGroup({ name: 'R&D' }));
    expectSafeSurface(message);
    expect(textsOf(message)).toEqual([
      'Created R&amp;D',
      `:white_check_mark: Created *R&amp;D* (\`${hexId(0xa1)}\`).`,
      'Show',
      'Add members with `/pgroup add` or `/pgroup upload`.',
      'Tell me when it changes',
    ]);
    expect(buttonsOf(message).find((b) => b.actionId === 'group_watch_dm')?.value).toBe(hexId(0xa1));
  });
});
