import type { KnownBlock } from '@slack/types';
import { markAsDemo, markViewAsDemo } from '../../../src/slack/blocks/demoSandbox';
import { actions, button, notice, section } from '../../../src/slack/blocks/message';
import { renderHome } from '../../../src/slack/blocks/watch';
import { expectSafeSurface, textsOf } from './expectSafeSurface';

const LINE = ':test_tube: *Demo data.* This app is not connected to Prolific: its groups and participants come from a demo sandbox, and nothing here reaches Prolific.';

describe('markAsDemo', () => {
  it('adds the demo-data line last and marks the fallback text, leaving the message otherwise as it was', () => {
    const original = notice('Group not found.', ':mag:');
    const marked = markAsDemo(original);
    expectSafeSurface(marked);
    expect(marked.text).toBe(`[Demo data] ${original.text}`);
    expect(marked.blocks.slice(0, -1)).toEqual(original.blocks);
    expect(marked.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: LINE }] });
  });

  it('keeps within 50 blocks: a full message gives up its last block but one, so its final buttons stay', () => {
    const blocks: KnownBlock[] = [...Array.from({ length: 49 }, (_, i) => section(`row ${i}`)), actions('nav', [button('Next ›', 'next', '1')])];
    const marked = markAsDemo({ text: 'Many', blocks });
    expectSafeSurface(marked);
    expect(marked.blocks).toHaveLength(50);
    expect(marked.blocks.at(-2)).toEqual(blocks.at(-1));
    expect(textsOf(marked)).not.toContain('row 48');
    expect(textsOf(marked)).toContain('row 47');
  });
});

describe('markViewAsDemo', () => {
  it('puts the demo-data line at the top of App Home', () => {
    const home = renderHome([], [], 0);
    const marked = markViewAsDemo(home);
    expectSafeSurface(marked);
    expect(marked.blocks[0]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: LINE }] });
    expect(marked.blocks.slice(1)).toEqual(home.blocks);
  });
});
