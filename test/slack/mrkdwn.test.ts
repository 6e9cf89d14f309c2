import { bold, code, escapeMrkdwn, slackDate, unescapeSlackText } from '../../src/slack/mrkdwn';

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

describe('slackDate', () => {
  const at = new Date('2026-03-01T09:30:45.000Z');
  it('is a Slack date token of the unix time, with the time in UTC as the fallback', () => {
    expect(slackDate(at, '{date_short_pretty} {time}')).toBe('<!date^1772357445^{date_short_pretty} {time}|2026-03-01 09:30 UTC>');
  });
  it('takes another fallback', () => {
    expect(slackDate(at, '{time}', 'at 09:30 UTC')).toBe('<!date^1772357445^{time}|at 09:30 UTC>');
  });
});
