import { renderSubscriptions, renderWatchBroken, renderWatchNeedsApp } from '../../../src/slack/blocks/subscriptions';
import { expectSafeSurface, textsOf } from './expectSafeSurface';
import { AT, AT_UNIX, aSubscription, HOSTILE, hexId } from './renderInputs';

const subs = (n: number, name = (i: number) => `Group ${i}`) => Array.from({ length: n }, (_, i) => aSubscription({ groupId: hexId(i + 1), groupName: name(i + 1), channelId: i % 2 ? 'C_NOTIFY' : 'C_GENERAL' }));

describe('renderSubscriptions', () => {
  it('in a channel: the groups it watches, by name and id', () => {
    const message = renderSubscriptions(subs(2), 'C_GENERAL', null);
    expectSafeSurface(message);
    expect(textsOf(message)).toEqual(['This channel watches 2 groups', `*This channel watches:*\n• *Group 1* \`${hexId(1)}\`\n• *Group 2* \`${hexId(2)}\``]);
  });

  it('for the workspace: each group with the channel that watches it, and where changes made in the app are announced', () => {
    const message = renderSubscriptions(subs(2), null, 'C_NOTIFY');
    expectSafeSurface(message);
    const texts = textsOf(message);
    expect(texts[1]).toBe(`*This workspace watches:*\n• *Group 1* \`${hexId(1)}\` in <#C_GENERAL>\n• *Group 2* \`${hexId(2)}\` in <#C_NOTIFY>`);
    expect(texts[2]).toBe('Every change made through this app is also announced in <#C_NOTIFY>.');
  });

  it('counts one group as one', () => {
    expect(textsOf(renderSubscriptions(subs(1), 'C_GENERAL', null))[0]).toBe('This channel watches 1 group');
  });

  it('says how to start when nothing is watched', () => {
    expect(textsOf(renderSubscriptions([], 'C_GENERAL', null))[0]).toBe('This channel watches 0 groups');
    expect(textsOf(renderSubscriptions([], 'C_GENERAL', null))[1]).toBe('This channel does not watch any group. Start with `/pgroup watch &lt;group&gt;`.');
  });

  it('a long list fills several sections, each within its limit, up to 100 groups and a count of the rest', () => {
    const message = renderSubscriptions(subs(130, (i) => `${HOSTILE} ${'n'.repeat(40)} ${i}`), null, null);
    const blocks = expectSafeSurface(message);
    const sections = blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    const listed = textsOf(message).join('\n').match(/^• /gm) ?? [];
    expect(listed).toHaveLength(100);
    expect(textsOf(message)).toContain('…and 30 more.');
  });
});

describe('broken subscriptions', () => {
  it('a watch list says which channel no longer hears about its group, since when and why, and how to mend it', () => {
    const broken = aSubscription({ groupId: hexId(7), groupName: 'Pilot', channelId: 'C_NOTIFY', broken: { at: AT, reason: 'not_in_channel' } });
    const message = renderSubscriptions([aSubscription(), broken], null, null);
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toBe(
      `*This workspace watches:*\n• *Pilot wave 2* \`${hexId(0xa1)}\` in <#C_GENERAL>\n• *Pilot* \`${hexId(7)}\` in <#C_NOTIFY> · :warning: no notifications since <!date^${AT_UNIX}^{date_short_pretty} {time}|2026-03-01 09:30 UTC>: the app cannot post in <#C_NOTIFY> (not_in_channel). Invite it with \`/invite @pgroup\`, then run \`/pgroup watch ${hexId(7)}\` there again.`,
    );
  });

  it('the subscriber’s DM names the channel, Slack’s reason, the groups (escaped) and what to do', () => {
    const message = renderWatchBroken('C_NOTIFY', 'not_in_channel', [{ groupId: hexId(1), groupName: HOSTILE }, { groupId: hexId(2), groupName: 'Pilot' }]);
    expectSafeSurface(message);
    expect(message.text).toBe('<#C_NOTIFY> no longer hears about changes to 2 groups');
    expect(textsOf(message).slice(1)).toEqual([
      `:warning: The app can no longer post in <#C_NOTIFY> (Slack said \`not_in_channel\`: it was removed from the channel, or the channel was archived or made private), so <#C_NOTIFY> no longer hears about changes to *&lt;!channel&gt; R&amp;D &lt;@U123&gt; ∗bold∗ \`tick\`* \`${hexId(1)}\`, *Pilot* \`${hexId(2)}\`. You set this up with \`/pgroup watch\`.`,
      `To start again, invite the app there with \`/invite @pgroup\` and run \`/pgroup watch ${hexId(1)}\` in the channel.`,
    ]);
  });

  it('the DM lists at most ten groups and counts the rest', () => {
    const subs = Array.from({ length: 12 }, (_, i) => ({ groupId: hexId(i + 1), groupName: `Group ${i + 1}` }));
    const message = renderWatchBroken('C_NOTIFY', 'is_archived', subs);
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toContain('*Group 10*');
    expect(textsOf(message)[1]).not.toContain('*Group 11*');
    expect(textsOf(message)[1]).toContain(' and 2 more groups.');
  });
});

describe('renderWatchNeedsApp', () => {
  const group = { id: hexId(3), name: HOSTILE };

  it('a channel the app is not in: nothing watched, and how to invite it', () => {
    const message = renderWatchNeedsApp({ kind: 'not_member' }, group);
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toBe(
      `:no_entry: The app is not in this channel, so it could not post changes to *&lt;!channel&gt; R&amp;D &lt;@U123&gt; ∗bold∗ \`tick\`* here, and this channel does not watch it. Invite the app with \`/invite @pgroup\`, then run \`/pgroup watch ${hexId(3)}\` here again.`,
    );
  });

  it('a private channel it cannot see, and a channel Slack would not say anything about', () => {
    expect(textsOf(renderWatchNeedsApp({ kind: 'not_visible' }, group))[1]).toMatch(/^:no_entry: The app cannot see this channel \(a private channel it is not in\), so this channel does not watch .*Invite the app with `\/invite @pgroup`/);
    const unknown = renderWatchNeedsApp({ kind: 'unknown', error: 'ratelimited' }, group);
    expectSafeSurface(unknown);
    expect(textsOf(unknown)[1]).toMatch(/^:warning: Slack did not say whether the app is in this channel \(ratelimited\), so this channel does not watch .* yet\. Try again in a moment\.$/);
  });
});
