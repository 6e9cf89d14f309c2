import type { Subscription } from '../../store/types';
import { bold, code, plural } from '../mrkdwn';
import { context, type SlackMessage, section } from './message';

const MAX_LISTED = 100;
const SECTION_BUDGET = 2900;

export function renderSubscriptions(subs: Subscription[], channelId: string | null, notifyChannel: string | null): SlackMessage {
  const where = channelId ? 'This channel' : 'This workspace';
  const shown = subs.slice(0, MAX_LISTED);
  const lines = shown.map((s) => `• ${bold(s.groupName)} ${code(s.groupId)}${channelId ? '' : ` in <#${s.channelId}>`}`);
  // A long list fills several sections rather than being cut off at one section's 3,000 characters.
  const chunks: string[] = [];
  for (const line of [`*${where} watches:*`, ...lines]) {
    const last = chunks.length - 1;
    if (last >= 0 && chunks[last]!.length + 1 + line.length <= SECTION_BUDGET) chunks[last] += `\n${line}`;
    else chunks.push(line);
  }
  return {
    text: `${where} watches ${plural(subs.length, 'group')}`,
    blocks: [
      ...(subs.length ? chunks.map((chunk) => section(chunk)) : [section(`${where} does not watch any group. Start with \`/pgroup watch &lt;group&gt;\`.`)]),
      ...(subs.length > shown.length ? [context(`…and ${subs.length - shown.length} more.`)] : []),
      ...(notifyChannel ? [context(`Every change made through this app is also announced in <#${notifyChannel}>.`)] : []),
    ],
  };
}
