import { ProlificError, type ProlificErrorKind } from '../../../src/prolific/errors';
import { describeFailure } from '../../../src/slack/blocks/failures';
import { DatabaseError } from '../../../src/store/databaseError';

function prolificError(status: number, kind: ProlificErrorKind, title: string, detail = ''): ProlificError {
  return new ProlificError({ kind, status, title, detail, method: 'PATCH', path: '/api/v1/participant-groups/x/', ambiguous: false, attempts: 1 });
}

describe('describeFailure', () => {
  it('Prolific refusing the token: says so and who can fix it', () => {
    expect(describeFailure(prolificError(401, 'http', 'Unauthorized'))).toBe("Prolific refused the app's access (Unauthorized). Ask whoever set up this app to check its Prolific API token.");
    expect(describeFailure(prolificError(403, 'http', 'Forbidden'))).toContain("refused the app's access (Forbidden)");
  });

  it('Prolific throttling: wait, and nothing was changed', () => {
    expect(describeFailure(prolificError(429, 'http', 'Too many requests'))).toBe('Prolific is busy (too many requests). Wait a minute and try again. Nothing was changed.');
  });

  it('Prolific out of reach: try again in a moment', () => {
    expect(describeFailure(prolificError(0, 'timeout', 'No answer within 30 s'))).toBe('Prolific could not be reached (No answer within 30 s). Try again in a moment.');
    expect(describeFailure(prolificError(0, 'network', 'Connection refused'))).toBe('Prolific could not be reached (Connection refused). Try again in a moment.');
  });

  it('any other answer from Prolific: its own words, title and detail', () => {
    expect(describeFailure(prolificError(400, 'http', 'Bad request', 'name: too long'))).toBe('Prolific said: Bad request: name: too long');
    expect(describeFailure(prolificError(502, 'http', 'Bad gateway'))).toBe('Prolific said: Bad gateway');
  });

  it('Slack refusing: an expired form trigger, throttling, or its error code', () => {
    expect(describeFailure({ data: { error: 'expired_trigger_id' } })).toBe('Slack did not let me open the form in time. Please run the command or click the button again.');
    expect(describeFailure({ data: { error: 'ratelimited' } })).toBe('Slack is rate-limiting the app. Wait a moment and try again.');
    expect(describeFailure({ data: { error: 'channel_not_found' } })).toBe('Slack refused the request (channel_not_found). Please try again.');
    expect(describeFailure({ statusCode: 503 })).toBe('Slack refused the request (http_503). Please try again.');
  });

  it('the app’s own database: what failed and that nothing was changed, never Slack, never the code', () => {
    const refused = describeFailure(new DatabaseError(Object.assign(new Error('permission denied for table subscriptions'), { code: '42501', severity: 'ERROR' })));
    expect(refused).toBe('The app’s own database refused the request, so nothing was changed. Tell whoever runs this app: trying again will not help until it is fixed.');
    for (const cause of [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), new Error('Connection terminated unexpectedly'), Object.assign(new Error('the database system is shutting down'), { code: '57P03' })]) {
      expect(describeFailure(new DatabaseError(cause))).toBe('The app’s own database did not answer, so nothing was changed. Try again in a moment; if it keeps happening, tell whoever runs this app.');
    }
  });

  it('an error that is not Slack’s is never called Slack’s, whatever code it carries', () => {
    expect(describeFailure(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))).toBe('Something went wrong on our side. Nothing was changed; please try again.');
  });

  it('anything else: our side, nothing was changed; never the error’s own text', () => {
    const text = describeFailure(new Error('secret xoxb-123 in a stack'));
    expect(text).toBe('Something went wrong on our side. Nothing was changed; please try again.');
  });
});
