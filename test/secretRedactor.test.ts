import { REDACTED, SecretRedactor } from '../src/secretRedactor';

describe('SecretRedactor', () => {
  it('replaces a registered secret wherever it is in a text', () => {
    const redactor = new SecretRedactor(['xoxb-1234-5678-abcdef']);
    expect(redactor.redact('Slack said: invalid_auth (xoxb-1234-5678-abcdef) twice xoxb-1234-5678-abcdef')).toBe(`Slack said: invalid_auth (${REDACTED}) twice ${REDACTED}`);
  });

  it('finds the secret URL-encoded, inside a JSON string and escaped for mrkdwn, alone or combined', () => {
    const secret = "p@ss\"w<rd>&more/+ (it's)";
    const redactor = new SecretRedactor([secret]);
    const json = JSON.stringify({ text: `token ${secret}` });
    const mrkdwn = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const form = new URLSearchParams({ blocks: JSON.stringify([{ text: `said ${mrkdwn}` }]) }).toString();
    for (const text of [json, `text=${encodeURIComponent(secret)}`, `<${mrkdwn}>`, form]) {
      const out = redactor.redact(text);
      expect(out).toContain(REDACTED);
      expect(out).not.toContain('ss');
    }
  });

  it('ignores values too short to be a secret, and leaves other text as it is', () => {
    const redactor = new SecretRedactor(['short', '', null, undefined, 'a-long-enough-secret']);
    expect(redactor.redact('a short text with no secret')).toBe('a short text with no secret');
  });

  it('takes secrets registered later', () => {
    const redactor = new SecretRedactor();
    expect(redactor.redact('value 0123456789abcdef')).toBe('value 0123456789abcdef');
    redactor.add('0123456789abcdef');
    expect(redactor.redact('value 0123456789abcdef')).toBe(`value ${REDACTED}`);
  });
});

describe('SecretRedactor.redactJson', () => {
  it('redacts the strings of a JSON value and keeps its shape', () => {
    const redactor = new SecretRedactor(['xoxb-9999-secret']);
    const answer = { response_action: 'errors', errors: { group: 'Slack said "invalid_auth xoxb-9999-secret"' } };
    expect(redactor.redactJson(answer)).toEqual({ response_action: 'errors', errors: { group: `Slack said "invalid_auth ${REDACTED}"` } });
    expect(redactor.redactJson('xoxb-9999-secret')).toBe(REDACTED);
    expect(redactor.redactJson(undefined)).toBeUndefined();
    const clean = { ok: true };
    expect(redactor.redactJson(clean)).toBe(clean);
  });
});
