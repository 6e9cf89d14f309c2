import { renderSubscriptions } from '../../../src/slack/blocks/subscriptions';
import { expectSafeSurface, textsOf } from './expectSafeSurface';
import { aSubscription, HOSTILE, hexId } from './renderInputs';

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
