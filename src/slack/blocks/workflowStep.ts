// What the Workflow Builder step "Add participants to a group" says in the workflow's run log when
// it fails: plain text (Slack shows it as is), saying whether anything was written.
import type { ChangeRefusal } from '../../services/actor';
import type { ConfirmResult } from '../../services/changes';
import { changeRefusalText } from './permissions';

/** Why a run of the step failed, as facts; `stepErrorText` words them. */
export type StepFailure =
  | { kind: 'missing_input'; input: 'group' | 'participant_ids' | 'on_behalf_of' }
  | { kind: 'refused'; userId: string; refusal: ChangeRefusal }
  | { kind: 'group_not_found'; query: string }
  | { kind: 'group_ambiguous'; query: string; count: number }
  | { kind: 'no_ids'; invalidCount: number }
  | { kind: 'invalid_ids'; invalid: string[]; invalidCount: number }
  | { kind: 'not_applied'; result: Exclude<ConfirmResult, { kind: 'applied' }> }
  | { kind: 'error'; detail: string };

const NOTHING = 'Nothing was added.';

export function stepErrorText(failure: StepFailure): string {
  switch (failure.kind) {
    case 'missing_input':
      return `The step's input "${failure.input === 'on_behalf_of' ? 'On behalf of' : failure.input === 'group' ? 'Group' : 'Participant ids'}" is empty. ${NOTHING}`;
    case 'refused':
      return `The person this workflow acts for (${failure.userId}) may not change participant groups: ${changeRefusalText(failure.refusal)} ${NOTHING}`;
    case 'group_not_found':
      return `No participant group matches "${failure.query.slice(0, 100)}". Give the group's id or its exact name. ${NOTHING}`;
    case 'group_ambiguous':
      return `${failure.count} participant groups match "${failure.query.slice(0, 100)}". Give the group's id instead. ${NOTHING}`;
    case 'no_ids':
      return `None of the text is a participant id (24 characters, 0-9 and a-f)${failure.invalidCount ? `; ${failure.invalidCount} other words were given` : ''}. ${NOTHING}`;
    case 'invalid_ids': {
      const shown = failure.invalid.slice(0, 5).map((t) => `"${t.slice(0, 40)}"`).join(', ');
      const more = failure.invalidCount > 5 ? ` and ${failure.invalidCount - 5} more` : '';
      return `${failure.invalidCount === 1 ? 'This is not a participant id' : 'These are not participant ids'} (24 characters, 0-9 and a-f): ${shown}${more}. A workflow step adds a list only when all of it is valid. ${NOTHING}`;
    }
    case 'not_applied':
      return notApplied(failure.result);
    case 'error':
      return `${failure.detail} ${NOTHING}`.trim();
  }
}

function notApplied(result: Exclude<ConfirmResult, { kind: 'applied' }>): string {
  switch (result.kind) {
    case 'failed':
      return 'Prolific did not take the change. /pgroup history shows what was written.';
    case 'stale':
      return `The group changed while the step ran. Run the workflow again. ${NOTHING}`;
    case 'refused':
      return result.reason === 'group_busy'
        ? `Another change to this group was being written. Run the workflow again in a minute. ${NOTHING}`
        : `The app refused the change (${result.reason}). ${NOTHING}`;
  }
}
