// Slack's error texts can echo what the app sent, a token included. Whatever route a reply takes
// (the response_url, an ephemeral message, a DM), the user sees the error with every secret
// replaced, by the same redaction the logs use; the harness's close() scans every call, message
// and log line for the secrets as well.
import { REDACTED } from '../../src/secretRedactor';
import { messageText, useE2E } from '../harness/e2e';
import { ALICE, ask } from '../reliability/conversation';

const e2e = useE2E();
// The local Slack records the error it was told to answer with, which holds the secrets this test
// put there; that record is the stand-in's, not something the app sent, so it is blanked before the
// harness scans everything else.
afterEach(() => {
  for (const call of e2e.slack.calls) if (call.error?.startsWith('invalid_auth: token')) call.error = 'invalid_auth: (the echo)';
});

describe('a Slack error text that echoes a secret', () => {
  const echoes = () => `invalid_auth: token ${e2e.secrets.botToken} (signing ${e2e.secrets.signingSecret}, prolific ${e2e.secrets.prolificToken})`;

  it('reaches the user through the response_url with the secrets redacted', async () => {
    e2e.slack.failNext('views.open', { error: echoes() });
    const reply = await ask(e2e, 'upload "Main panel"', (t) => t.includes('Slack refused'));
    const text = messageText(reply);
    expect(text).toContain(`invalid_auth: token ${REDACTED}`);
    for (const secret of Object.values(e2e.secrets)) expect(text).not.toContain(secret);
    expect(reply.ephemeralTo).toBe(ALICE);
  });

  it('reaches the user by an ephemeral message (a Web API call) with the secrets redacted', async () => {
    e2e.slack.failResponseUrls(404);
    e2e.slack.failNext('views.open', { error: echoes() });
    const reply = await ask(e2e, 'upload "Main panel"', (t) => t.includes('Slack refused'));
    expect(e2e.slack.callsTo('chat.postEphemeral').some((c) => JSON.stringify(c.args).includes(`token ${REDACTED}`))).toBe(true);
    const text = messageText(reply);
    expect(text).toContain(`signing ${REDACTED}, prolific ${REDACTED}`);
    for (const secret of Object.values(e2e.secrets)) expect(text).not.toContain(secret);
  });

  it('is logged with the same redaction', async () => {
    const before = e2e.logs.length;
    e2e.slack.failNext('views.open', { error: echoes() });
    await ask(e2e, 'upload "Main panel"', (t) => t.includes('Slack refused'));
    await e2e.settled();
    const lines = e2e.logs.slice(before).join('\n');
    for (const secret of Object.values(e2e.secrets)) expect(lines).not.toContain(secret);
  });
});

