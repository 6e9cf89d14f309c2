import { renderHelp } from '../../../src/slack/blocks/help';
import { expectSafeSurface, textsOf } from './expectSafeSurface';

describe('renderHelp', () => {
  it('introduces the command, lists every subcommand with what it does, and explains <group>', () => {
    const message = renderHelp();
    const blocks = expectSafeSurface(message);
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'context']);
    const [fallback, intro, table, rule, group, examples] = textsOf(message);
    expect(fallback).toBe('How to use /pgroup');
    expect(intro).toBe('*Manage Prolific participant groups from Slack.* Here is what `/pgroup` can do:');
    for (const sub of ['list', 'show', 'create', 'rename', 'add', 'remove', 'upload', 'members', 'history', 'delete', 'watch', 'watching']) {
      expect(table).toContain(`\`/pgroup ${sub}`);
    }
    // Placeholders are written as text, not read as Slack links.
    expect(table).toContain('`/pgroup show &lt;group&gt;`\n      A group card');
    expect(table).not.toMatch(/<group>/);
    // The one confirmation policy, both halves.
    expect(rule).toContain('*Previewed first:* anything that removes or replaces members');
    expect(rule).toContain('*Applied at once, and undoable:* other renames, and ids typed in the command added to a group no live study uses.');
    expect(group).toContain('`&lt;group&gt;` is a group id or its name');
    expect(examples).toMatch(/^Examples: /);
  });

  it('names an unknown subcommand, escaped', () => {
    const message = renderHelp('<!here>');
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toBe(":thinking_face: I don't know `&lt;!here&gt;`. Here is what `/pgroup` can do:");
  });

  it('puts a usage problem first, as a warning', () => {
    const message = renderHelp(null, 'Give the group and the new name: rename <group> <new name>');
    expectSafeSurface(message);
    expect(textsOf(message)[1]).toBe(':warning: Give the group and the new name: rename &lt;group&gt; &lt;new name&gt;');
  });
});
