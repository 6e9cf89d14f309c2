import type { DownloadProblem } from '../slackFiles';

/** Why an uploaded file could not be read, and what to do, as the upload form shows it. */
export function describeDownloadProblem(name: string, problem: DownloadProblem): string {
  switch (problem.kind) {
    case 'no_link':
      return `Slack did not give a download link for ${name}. Upload it again.`;
    case 'too_large':
      return `${name} is over ${Math.round(problem.maxBytes / 1024 / 1024)} MB. Split it, or keep only the participant id column, and upload again.`;
    case 'status':
      return `Slack answered ${problem.status} when the file ${name} was downloaded. Upload it again.`;
    case 'sign_in_page':
      return `Slack sent a sign-in page instead of ${name}: the app may have lost access. Reinstall or re-authorise the app, then upload again.`;
    case 'too_many_redirects':
      return `Slack sent the download of ${name} through more than ${problem.limit} redirects, so the app stopped following them. Upload it again; if it happens again, tell whoever set up this app.`;
  }
}
