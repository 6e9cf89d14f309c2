import { actions, button, context, fields, header, notice, SECTION_TEXT_LIMIT, section } from '../../../src/slack/blocks/message';
import { expectSafeSurface } from './expectSafeSurface';

const long = (n: number) => 'x'.repeat(n);

describe('the block builders keep within Block Kit limits, whatever they are given', () => {
  it('cut long text at each field’s limit and mark the cut with an ellipsis', () => {
    const s = section(long(5000));
    const sectionText = (s as { text: { text: string } }).text.text;
    expect(sectionText).toHaveLength(SECTION_TEXT_LIMIT);
    expect(sectionText.endsWith('x…')).toBe(true);
    expect((header(long(200)) as { text: { text: string } }).text.text).toHaveLength(150);
    const c = context(...Array.from({ length: 12 }, () => long(3100)));
    const elements = (c as { elements: { text: string }[] }).elements;
    expect(elements).toHaveLength(10);
    expect(elements.every((e) => e.text.length === 3000)).toBe(true);
    const f = fields(Array.from({ length: 12 }, (_, i) => [`Label ${i}`, long(2100)] as [string, string]));
    const fieldTexts = (f as { fields: { text: string }[] }).fields.map((field) => field.text);
    expect(fieldTexts).toHaveLength(10);
    expect(fieldTexts[0]!.startsWith('*Label 0*\nxxx')).toBe(true);
    expect(fieldTexts[0]).toHaveLength(2000);
    const b = button(long(100), 'a', 'v', { style: 'danger', confirm: { title: long(120), text: long(400), confirm: long(40) } });
    expect(b.text.text).toHaveLength(75);
    expect(b.confirm).toMatchObject({ title: { text: expect.stringMatching(/^x{99}…$/) }, confirm: { text: expect.stringMatching(/^x{29}…$/) }, deny: { text: 'Go back' }, style: 'danger' });
    expect((actions('row', Array.from({ length: 30 }, (_, i) => button(`B${i}`, `a${i}`, 'v'))) as { elements: unknown[] }).elements).toHaveLength(25);
    expectSafeSurface({ text: 'x', blocks: [s, header(long(200)), c, f, actions('row', [b])] });
  });

  it('never cuts an escaped character or an app-written <…> sequence in half', () => {
    for (let n = 990; n < 1010; n++) {
      const message = notice(`${'&'.repeat(n)}<<<`);
      expectSafeSurface(message);
      const text = (message.blocks[0] as { text: { text: string } }).text.text;
      expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
      expect(text).toMatch(/(&amp;)+…$/);
    }
    const withDate = `${'a'.repeat(2990)} <!date^1767225600^{time}|00:00 UTC>`;
    expect((context(withDate) as { elements: { text: string }[] }).elements[0]!.text).toBe(`${'a'.repeat(2990)} …`);
  });

  it('short text is left as it is, with no ellipsis', () => {
    expect(section('*Bold* and `code`')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Bold* and `code`' } });
    expect(button('Show', 'group_show', 'g1')).toEqual({ type: 'button', text: { type: 'plain_text', text: 'Show', emoji: true }, action_id: 'group_show', value: 'g1' });
  });

  it('a confirm dialog on a primary button is not styled as danger', () => {
    expect(button('Go', 'a', 'v', { style: 'primary', confirm: { title: 'T', text: 'X', confirm: 'Yes', deny: 'No' } }).confirm).toEqual({
      title: { type: 'plain_text', text: 'T' },
      text: { type: 'mrkdwn', text: 'X' },
      confirm: { type: 'plain_text', text: 'Yes' },
      deny: { type: 'plain_text', text: 'No' },
    });
  });
});

describe('notice', () => {
  it('is one section: the emoji, then the sentence escaped, with the same sentence as the fallback text', () => {
    const message = notice('Group <!channel> & co was not found.', ':mag:');
    expect(message).toEqual({
      text: 'Group &lt;!channel&gt; &amp; co was not found.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':mag: Group &lt;!channel&gt; &amp; co was not found.' } }],
    });
    expectSafeSurface(message);
  });

  it('warns by default', () => {
    expect((notice('Careful.').blocks[0] as { text: { text: string } }).text.text).toBe(':warning: Careful.');
  });
});
