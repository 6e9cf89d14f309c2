// Ids typed after a command, when none of them is a participant id.
import { MAX_DISPLAY_CHARS } from '../../services/csvIds';
import { truncate } from '../../truncate';
import { code } from '../mrkdwn';
import { type SlackMessage, section } from './message';

/** The first ten of what was typed, each shown as code, and that nothing was sent. */
export function renderNoValidIds(invalid: string[]): SlackMessage {
  const shown = invalid.slice(0, 10).map((s) => code(truncate(s, MAX_DISPLAY_CHARS)));
  const more = invalid.length > 10 ? ` …and ${invalid.length - 10} more` : '';
  return {
    text: 'No valid participant ids',
    blocks: [section(`:warning: None of these is a participant id (24 characters, 0–9 and a–f), so nothing was sent to Prolific:\n${shown.join(', ')}${more}`)],
  };
}
