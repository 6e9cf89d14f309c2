import type { WatchedChange } from '../../../src/services/groupWatcher';
import type { WatchState } from '../../../src/store/types';
import { HOME_GROUPS_PER_PAGE, renderHome, renderWatchNotification } from '../../../src/slack/blocks/watch';
import { buttonsOf, expectSafeSurface, textsOf } from './expectSafeSurface';
import { AT, AT_UNIX, anAuditEntry, aSubscription, HOSTILE, hexId } from './renderInputs';

const GROUP = hexId(0xa1);
const SHOW_IDS = { showIds: true };

function change(overrides: Partial<WatchedChange> = {}): WatchedChange {
  return {
    groupId: GROUP,
    name: 'Pilot wave 2',
    renamedFrom: null,
    deleted: false,
    count: 1_502,
    previousCount: 1_000,
    added: 1_503,
    removed: 1_001,
    sampleAdded: [hexId(1), hexId(2)],
    sampleRemoved: [hexId(3)],
    likelyCause: null,
    ...overrides,
  };
}

describe('renderWatchNotification', () => {
  it('members joined and left: +N / −M with separators and the new count on the top line; samples of ids, the rest counted, in its thread', () => {
    const { top, threadReply } = renderWatchNotification(change(), SHOW_IDS);
    expectSafeSurface(top);
    expectSafeSurface(threadReply!);
    const [fallback, body, cause] = textsOf(top);
    expect(fallback).toBe('Pilot wave 2 changed: +1,503 / −1,001');
    expect(body).toBe(':busts_in_silhouette: *Pilot wave 2*: +1,503 / −1,001 · now 1,502 members (was 1,000).');
    expect(cause).toBe(`Changed outside this app. Group \`${GROUP}\``);
    expect(buttonsOf(top).map((b) => [b.actionId, b.value])).toEqual([['group_show', GROUP]]);
    for (const id of [hexId(1), hexId(2), hexId(3)]) expect(JSON.stringify(top)).not.toContain(id);
    expect(textsOf(threadReply!)[1]!.split('\n')).toEqual([`*Joined:* \`${hexId(1)}\`, \`${hexId(2)}\` …and 1,501 more`, `*Left:* \`${hexId(3)}\` …and 1,000 more`]);
  });

  it('counts only unless NOTIFY_SHOW_IDS is on: everyone in the channel reads it, and there is no thread', () => {
    const notice = renderWatchNotification(change(), { showIds: false });
    expectSafeSurface(notice.top);
    const all = JSON.stringify(notice);
    for (const id of [hexId(1), hexId(2), hexId(3)]) expect(all).not.toContain(id);
    expect(textsOf(notice.top)[1]).toBe(':busts_in_silhouette: *Pilot wave 2*: +1,503 / −1,001 · now 1,502 members (was 1,000).');
    expect(notice.threadReply).toBeNull();
  });

  it('names the likely cause, escaped, when the watcher could tell', () => {
    const message = renderWatchNotification(change({ likelyCause: `feeder study ${HOSTILE}` }), SHOW_IDS).top;
    expectSafeSurface(message);
    expect(textsOf(message)[2]).toBe(`Cause: feeder study &lt;!channel&gt; R&amp;D &lt;@U123&gt; *bold* \`tick\`. Group \`${GROUP}\``);
  });

  it('a rename alone says both names and the member count', () => {
    const message = renderWatchNotification(change({ renamedFrom: 'Old <name>', added: 0, removed: 0, count: 1_000, sampleAdded: [], sampleRemoved: [] }), SHOW_IDS).top;
    expectSafeSurface(message);
    expect(textsOf(message).slice(0, 2)).toEqual(['Old &lt;name&gt; was renamed to Pilot wave 2', ':pencil2: *Old &lt;name&gt;* was renamed to *Pilot wave 2*. It has 1,000 members.']);
  });

  it('a deletion says how many members the group had, and offers no button', () => {
    const message = renderWatchNotification(change({ deleted: true, previousCount: 1, added: 0, removed: 0 }), SHOW_IDS).top;
    expectSafeSurface(message);
    expect(textsOf(message).slice(0, 2)).toEqual(['Pilot wave 2 was deleted', ':wastebasket: *Pilot wave 2* was deleted (it had 1 member).']);
    expect(buttonsOf(message)).toEqual([]);
  });
});

describe('renderHome', () => {
  const state = (overrides: Partial<WatchState> = {}): WatchState => ({
    groupId: GROUP,
    name: 'Pilot wave 2',
    participantCount: 2_500,
    isDeleted: false,
    memberIds: null,
    round: 3,
    lastPolledAt: AT,
    lastChangeAt: AT,
    lastChangeSummary: '+2 / −1 <@U123>',
    backoffUntil: null,
    ...overrides,
  });

  it('with nothing watched and no change: the shortcuts, and how to start', () => {
    const home = renderHome([], [], 0);
    expectSafeSurface(home);
    expect(home.type).toBe('home');
    expect(buttonsOf(home).map((b) => [b.actionId, b.text, b.style])).toEqual([
      ['group_upload_open', 'Upload a CSV', 'primary'],
      ['group_rename_open', 'Rename a group', undefined],
    ]);
    // The shortcuts carry nothing, so they have no value at all (Slack refuses an empty one).
    const shortcuts = (home.blocks as { block_id?: string; elements?: object[] }[]).find((b) => b.block_id === 'home_shortcuts');
    expect(shortcuts?.elements?.map((e) => 'value' in e)).toEqual([false, false]);
    const texts = textsOf(home);
    expect(texts).toContain('*Watched groups* (0)');
    expect(texts).toContain('No channel watches a group yet. In a channel, type `/pgroup watch &lt;group&gt;` to hear about every change to it.');
    expect(texts).toContain('No changes have been made through this app yet.');
  });

  it('one line per watched group, however many channels watch it: its count, its last change (a Slack date) and the channels', () => {
    const home = renderHome(
      [
        { subscription: aSubscription({ channelId: 'C_GENERAL' }), state: state() },
        { subscription: aSubscription({ channelId: 'C_NOTIFY' }), state: state() },
        { subscription: aSubscription({ groupId: hexId(2), groupName: 'Another', channelId: 'C_NOTIFY' }), state: null },
        { subscription: aSubscription({ groupId: hexId(3), groupName: 'Gone', channelId: 'C_NOTIFY' }), state: state({ groupId: hexId(3), name: 'Gone', isDeleted: true, lastChangeAt: null }) },
      ],
      [],
      0,
    );
    expectSafeSurface(home);
    const texts = textsOf(home);
    expect(texts).toContain('*Watched groups* (3)');
    // Sorted by name.
    const lines = texts.filter((t) => /^\*(Another|Gone|Pilot wave 2)\*/.test(t));
    expect(lines).toEqual([
      '*Another*\nno change seen yet · in <#C_NOTIFY>',
      '*Gone* · deleted\nno change seen yet · in <#C_NOTIFY>',
      `*Pilot wave 2* · 2,500 members\nlast change <!date^${AT_UNIX}^{date_short_pretty} {time}|2026-03-01 09:30 UTC>: +2 / −1 &lt;@U123&gt; · in <#C_GENERAL> <#C_NOTIFY>`,
    ]);
  });

  it(`pages the watched groups, ${HOME_GROUPS_PER_PAGE} a page, and shows the latest changes with their groups`, () => {
    const watched = Array.from({ length: HOME_GROUPS_PER_PAGE * 2 + 1 }, (_, i) => ({
      subscription: aSubscription({ groupId: hexId(i + 1), groupName: `G${String(i).padStart(3, '0')}` }),
      state: null,
    }));
    const audit = Array.from({ length: 12 }, (_, i) => anAuditEntry({ id: `a${i}`, afterName: `Changed ${i}` }));
    const page2 = renderHome(watched, audit, 1);
    expectSafeSurface(page2);
    const shows = buttonsOf(page2).filter((b) => b.actionId === 'group_show');
    expect(shows).toHaveLength(HOME_GROUPS_PER_PAGE);
    expect(shows[0]!.value).toBe(hexId(HOME_GROUPS_PER_PAGE + 1));
    expect(buttonsOf(page2).filter((b) => b.actionId.startsWith('home_page')).map((b) => [b.actionId, b.value])).toEqual([
      ['home_page:prev', '0'],
      ['home_page:next', '2'],
    ]);
    expect(textsOf(page2)).toContain('Page 2 of 3');
    const changes = textsOf(page2).filter((t) => t.startsWith('*Changed '));
    expect(changes).toHaveLength(10);
    expect(changes[0]).toMatch(new RegExp(`^\\*Changed 0\\* \`${GROUP}\`\\n:white_check_mark: \\*add\\* by <@U_ALICE>`));
  });
});

describe('renderHome with several Prolific workspaces', () => {
  const workspaces = Array.from({ length: 30 }, (_, i) => ({ id: hexId(0x100 + i), title: i === 0 ? HOSTILE : `Lab ${i} ${'x'.repeat(i === 1 ? 200 : 0)}` }));

  test('none chosen and no default: the question with a button per workspace (up to 25), and no forms', () => {
    const home = renderHome([], [], 0, { served: workspaces, current: null });
    expectSafeSurface(home);
    expect(textsOf(home).join('\n')).toContain('*Choose your Prolific workspace.*');
    const buttons = buttonsOf(home);
    expect(buttons.filter((b) => b.actionId.startsWith('home_workspace_choose:')).map((b) => b.value)).toEqual(workspaces.slice(0, 25).map((w) => w.id));
    expect(buttons.some((b) => b.actionId === 'group_upload_open' || b.actionId === 'group_rename_open')).toBe(false);
  });

  test('a choice: names it (escaped) and where it comes from, offers the others, and the forms', () => {
    const home = renderHome([], [], 0, { served: workspaces.slice(0, 3), current: { workspace: workspaces[0]!, source: 'chosen' } });
    expectSafeSurface(home);
    const text = textsOf(home).join('\n');
    expect(text).toContain('You work in the Prolific workspace *&lt;!channel&gt; R&amp;D &lt;@U123&gt; ∗bold∗ `tick`*');
    expect(text).toContain('here (your choice).');
    const buttons = buttonsOf(home);
    expect(buttons.filter((b) => b.actionId.startsWith('home_workspace_choose:')).map((b) => b.value)).toEqual([workspaces[1]!.id, workspaces[2]!.id]);
    expect(buttons.map((b) => b.actionId)).toContain('group_upload_open');
  });

  test('one workspace served, or none given: no workspace section, as before', () => {
    const only = renderHome([], [], 0, { served: workspaces.slice(0, 1), current: { workspace: workspaces[0]!, source: 'only' } });
    expect(textsOf(only).join('\n')).not.toContain('Prolific workspace');
    expect(renderHome([], [], 0)).toEqual(renderHome([], [], 0, null));
  });
});
