// Downloading an uploaded file when Slack serves it through redirects (Enterprise Grid sends
// files.slack.com's download on to another of its hosts) or names a host that is not Slack's. The
// bot token goes only where mayCarryBotToken allows, hop by hop: here the local Slack's host (the
// configured SLACK_API_URL) is Slack's, and its second loopback port is as foreign as any server,
// which records every request it receives. The sign-in page and the 10 MB limit still hold.
import { SEED_GROUP_IDS, sandboxParticipantIds } from '../../src/local/prolific-sandbox';
import { MAX_REDIRECTS } from '../../src/slack/slackFiles';
import { useE2E } from '../harness/e2e';
import { csvOf, messageKeys, openUploadForm, submitUpload, type UploadFile, uploadOutcome, viewText, waitForPreview } from '../harness/uploads';

const e2e = useE2E();
beforeEach(() => e2e.slack.otherHost.reset());

const ids = sandboxParticipantIds(940_000, 940_004);

/** Submits `file` to the upload form for Main panel; the preview, or the refusal on the form's file field. */
async function upload(file: UploadFile): Promise<{ preview: boolean; text: string }> {
  const view = await openUploadForm(e2e, SEED_GROUP_IDS.mainPanel);
  const before = messageKeys(e2e);
  const submitted = await submitUpload(e2e, view, { file, mode: 'add' });
  if (submitted.outcome.outcome === 'errors') return { preview: false, text: JSON.stringify(submitted.outcome.errors) };
  expect(submitted.outcome.outcome).toBe('updated');
  const outcome = await uploadOutcome(e2e, view.id);
  const text = viewText(outcome);
  if (!text.includes('preview is ready')) return { preview: false, text };
  await waitForPreview(e2e, before);
  return { preview: true, text };
}

const tokensSentElsewhere = () => e2e.slack.otherHost.requests.filter((r) => r.authorization !== undefined);

describe('a download that redirects', () => {
  it('follows a redirect to another path on Slack’s host, with the token again', async () => {
    expect(await upload({ name: 'edge.csv', content: csvOf(ids), redirects: ['slack'] })).toMatchObject({ preview: true });
    expect(e2e.slack.otherHost.requests).toEqual([]);
  });

  it('follows a hop through a host that is not Slack’s and back, sending the token to Slack’s host only', async () => {
    expect(await upload({ name: 'grid.csv', content: csvOf(ids), redirects: ['other', 'slack'] })).toMatchObject({ preview: true });
    expect(e2e.slack.otherHost.requests).toHaveLength(1);
    expect(tokensSentElsewhere()).toEqual([]);
  });

  it('sends no token to a foreign host a redirect ends on, and reads the file it serves', async () => {
    expect(await upload({ name: 'cdn.csv', content: csvOf(ids), redirects: ['other'] })).toMatchObject({ preview: true });
    expect(e2e.slack.otherHost.requests.map((r) => r.path)).toEqual([expect.stringContaining('/files-edge/')]);
    expect(tokensSentElsewhere()).toEqual([]);
  });

  it(`follows up to ${MAX_REDIRECTS} redirects`, async () => {
    expect(await upload({ name: 'far.csv', content: csvOf(ids), redirects: Array(MAX_REDIRECTS).fill('other') })).toMatchObject({ preview: true });
    expect(tokensSentElsewhere()).toEqual([]);
  });

  it('stops after that, and says why; nothing is sent to Prolific', async () => {
    const prolificBefore = e2e.sandbox.requests.filter((r) => r.method !== 'GET').length;
    const result = await upload({ name: 'loop.csv', content: csvOf(ids), redirects: Array(MAX_REDIRECTS + 1).fill('other') });
    expect(result.preview).toBe(false);
    expect(result.text).toContain(`Slack sent the download of loop.csv through more than ${MAX_REDIRECTS} redirects`);
    expect(result.text).toContain('Nothing was sent to Prolific.');
    expect(e2e.slack.otherHost.requests).toHaveLength(MAX_REDIRECTS);
    expect(e2e.sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(prolificBefore);
  });

  it('still tells a sign-in page from the file at the end of the redirects', async () => {
    const result = await upload({ name: 'lost.csv', content: '<!DOCTYPE html><title>Sign in</title>', servedContentType: 'text/html; charset=utf-8', redirects: ['slack'] });
    expect(result.preview).toBe(false);
    expect(result.text).toContain('Slack sent a sign-in page instead of lost.csv');
  });
});

describe('a file object that names a host that is not Slack’s', () => {
  it('is downloaded without the bot token', async () => {
    expect(await upload({ name: 'named-elsewhere.csv', content: csvOf(ids), at: 'other' })).toMatchObject({ preview: true });
    expect(e2e.slack.otherHost.requests).toHaveLength(1);
    expect(tokensSentElsewhere()).toEqual([]);
  });
});
