import type { DownloadProblem } from '../../../src/slack/slackFiles';
import { describeDownloadProblem } from '../../../src/slack/blocks/downloads';

describe('describeDownloadProblem', () => {
  it.each<[DownloadProblem, string]>([
    [{ kind: 'no_link' }, 'Slack did not give a download link for people.csv. Upload it again.'],
    [{ kind: 'too_large', maxBytes: 10 * 1024 * 1024 }, 'people.csv is over 10 MB. Split it, or keep only the participant id column, and upload again.'],
    [{ kind: 'status', status: 503 }, 'Slack answered 503 when the file people.csv was downloaded. Upload it again.'],
    [{ kind: 'sign_in_page' }, 'Slack sent a sign-in page instead of people.csv: the app may have lost access. Reinstall or re-authorise the app, then upload again.'],
    [
      { kind: 'too_many_redirects', limit: 5 },
      'Slack sent the download of people.csv through more than 5 redirects, so the app stopped following them. Upload it again; if it happens again, tell whoever set up this app.',
    ],
  ])('%j', (problem, words) => {
    expect(describeDownloadProblem('people.csv', problem)).toBe(words);
  });
});
