import { ProlificError } from '../../prolific';
import { GroupInOtherWorkspaceError, GroupOutsideWorkspaceError } from '../../services/servedGroups';
import { WorkspaceNotChosenError } from '../../services/workspaces';
import { otherWorkspaceGroupText } from './workspaces';
import { DatabaseError } from '../../store/databaseError';
import { code as inlineCode } from '../mrkdwn';
import { slackErrorCode } from '../replies';

/** What went wrong, in words a researcher can act on. Never a stack trace, never a token. */
export function describeFailure(err: unknown): string {
  if (err instanceof GroupInOtherWorkspaceError) return otherWorkspaceGroupText(err.groupId, err.workspace, err.current, err.where);
  if (err instanceof WorkspaceNotChosenError) {
    return err.where === 'home'
      ? 'The app serves several Prolific workspaces and you have not chosen one in the app’s Home tab, so nothing was done. Choose it there.'
      : 'The app serves several Prolific workspaces and this channel has not chosen one, so nothing was done. `/pgroup workspace` lists them.';
  }
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
  // The code (a SQLSTATE or ECONNREFUSED) is for whoever runs the app: it is in the log line.
  if (err instanceof DatabaseError) {
    return err.kind === 'unreachable'
      ? 'The app’s own database did not answer, so nothing was changed. Try again in a moment; if it keeps happening, tell whoever runs this app.'
      : 'The app’s own database refused the request, so nothing was changed. Tell whoever runs this app: trying again will not help until it is fixed.';
  }
  if (!isSlackError(err)) return 'Something went wrong on our side. Nothing was changed; please try again.';
  const code = slackErrorCode(err);
  if (code === 'expired_trigger_id' || code === 'invalid_trigger_id') {
    return 'Slack did not let me open the form in time. Please run the command or click the button again.';
  }
  if (code === 'ratelimited' || code === 'rate_limited') return 'Slack is rate-limiting the app. Wait a moment and try again.';
  return `Slack refused the request (${code}). Please try again.`;
}

/** An error from Slack's Web API: its own error code, an HTTP status, or one of its client's codes. */
function isSlackError(err: unknown): boolean {
  const e = err as { data?: { error?: unknown }; statusCode?: unknown; code?: unknown } | null;
  return typeof e?.data?.error === 'string' || typeof e?.statusCode === 'number' || (typeof e?.code === 'string' && e.code.startsWith('slack_'));
}
