// Words for changes whose ids come from another group (`--from-group`, `keep --in-group`, `copy`).
import type { ParticipantGroup } from '../../prolific/types';
import { bold, escapeMrkdwn } from '../mrkdwn';
import { type SlackMessage, section } from './message';

/** Both names resolved to the same group: nothing to combine. */
export function renderSameGroup(group: Pick<ParticipantGroup, 'name'>): SlackMessage {
  return {
    text: `Both names are ${escapeMrkdwn(group.name)}; nothing was written.`,
    blocks: [section(`:warning: Both names are the group ${bold(group.name)}. Name another group to take members from. Nothing was written.`)],
  };
}
