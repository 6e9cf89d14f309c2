import { ProlificError } from '../../prolific';
import { GroupOutsideWorkspaceError } from '../../services/servedGroups';
import { code as inlineCode } from '../mrkdwn';
import { slackErrorCode } from '../replies';

/** What went wrong, in words a researcher can act on. Never a stack trace, never a token. */
export function describeFailure(err: unknown): string {
  if (err instanceof GroupOutsideWorkspaceError) {
    return `No group ${inlineCode(err.groupId)} was found in this workspace, so nothing was shown or changed. Try \`/pgroup list\` to see the groups and their ids.`;
  }
  if (err instanceof ProlificError) {
    if (err.status === 401 || err.status === 403) {
      return `Prolific refused the app's access (${err.title}). Ask whoever set up this app to check its Prolific API token.`;
    }
    if (err.status === 429) return 'Prolific is busy (too many requests). Wait a minute and try again. Nothing was changed.';
    if (err.kind === 'timeout' || err.kind === 'network') return `Prolific could not be reached (${err.title}). Try again in a moment.`;
    return `Prolific said: ${err.title}${err.detail ? `: ${err.detail}` : ''}`;
  }
  const code = slackErrorCode(err);
  if (code === 'expired_trigger_id' || code === 'invalid_trigger_id') {
    return 'Slack did not let me open the form in time. Please run the command or click the button again.';
  }
  if (code === 'ratelimited' || code === 'rate_limited') return 'Slack is rate-limiting the app. Wait a moment and try again.';
  if (code !== 'unknown_error') return `Slack refused the request (${code}). Please try again.`;
  return 'Something went wrong on our side. Nothing was changed; please try again.';
}
