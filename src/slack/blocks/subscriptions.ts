import type { Subscription } from '../../store/types';
import { bold, code } from '../mrkdwn';
import { context, type SlackMessage, section } from './message';

export function renderSubscriptions(subs: Subscription[], channelId: string | null, notifyChannel: string | null): SlackMessage {
  const where = channelId ? 'This channel' : 'This workspace';
  const lines = subs.slice(0, 100).map((s) => `• ${bold(s.groupName)} ${code(s.groupId)}${channelId ? '' : ` in <#${s.channelId}>`}`);
  return {
    text: `${where} watches ${subs.length} groups`,
    blocks: [
      section(subs.length ? `*${where} watches:*\n${lines.join('\n')}` : `${where} does not watch any group. Start with \`/pgroup watch <group>\`.`),
      ...(notifyChannel ? [context(`Every change made through this app is also announced in <#${notifyChannel}>.`)] : []),
    ],
  };
}
