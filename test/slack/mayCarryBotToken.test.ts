import { mayCarryBotToken } from '../../src/slack/mayCarryBotToken';

const may = (url: string, apiUrl: string | null = null) => mayCarryBotToken(new URL(url), apiUrl);

describe('mayCarryBotToken', () => {
  it.each([
    'https://files.slack.com/files-pri/T1-F1/download/people.csv',
    'https://files-edge.slack-edge.com/T1-F1/people.csv',
    'https://acme.enterprise.slack.com/files-pri/T1-F1/people.csv',
    'https://FILES.SLACK.COM/files-pri/T1-F1/people.csv',
    'https://files.slack.com./files-pri/T1-F1/people.csv',
    'https://slack.com/api/files.info',
  ])('lets the token go to Slack: %s', (url) => {
    expect(may(url)).toBe(true);
  });

  it.each([
    ['another company', 'https://files.example.com/people.csv'],
    ['a name ending like Slack’s', 'https://files.evilslack.com/people.csv'],
    ['Slack’s name inside another domain', 'https://files.slack.com.example.com/people.csv'],
    ['Slack’s name as a user name', 'https://files.slack.com@example.com/people.csv'],
    ['a user name before Slack’s host', 'https://user:pw@files.slack.com/people.csv'],
    ['plain HTTP to a Slack host', 'http://files.slack.com/people.csv'],
    ['a Slack host on another port', 'https://files.slack.com:8443/people.csv'],
    ['a look-alike of the edge domain', 'https://slack-edge.com.example.net/people.csv'],
  ])('keeps the token from %s', (_what, url) => {
    expect(may(url)).toBe(false);
  });

  it('treats the configured SLACK_API_URL host as Slack: that scheme, host and port only', () => {
    const api = 'http://127.0.0.1:4010/api/';
    expect(may('http://127.0.0.1:4010/files-pri/T1-F1/people.csv', api)).toBe(true);
    expect(may('http://127.0.0.1:4011/files-pri/T1-F1/people.csv', api)).toBe(false);
    expect(may('http://localhost:4010/files-pri/T1-F1/people.csv', api)).toBe(false);
    expect(may('https://127.0.0.1:4010/files-pri/T1-F1/people.csv', api)).toBe(false);
    // Slack's own file hosts stay allowed beside a configured API URL.
    expect(may('https://files.slack.com/files-pri/T1-F1/people.csv', api)).toBe(true);
  });
});
