import { bold, code, escapeMrkdwn, unescapeSlackText } from '../../src/slack/mrkdwn';

describe('mrkdwn escaping', () => {
  it('escapes the three control characters, & first', () => {
    expect(escapeMrkdwn('<!channel> & <@U123>')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
  });
  it('round-trips with Slack’s own escaping of command text', () => {
    const s = 'R&D <team> "quoted" > 3';
    expect(unescapeSlackText(escapeMrkdwn(s))).toBe(s);
  });
  it('keeps formatting from escaping its container', () => {
    expect(code('a`b<c>')).toBe("`a'b&lt;c&gt;`");
    expect(bold('*bold* <x>')).toBe('*∗bold∗ &lt;x&gt;*');
  });
});
