import type { Button, KnownBlock } from '@slack/types';
import { escapeMrkdwn, truncate, truncateMrkdwn } from '../mrkdwn';

/** What every renderer returns: the blocks and the plain-text fallback for notifications. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const SECTION_TEXT_LIMIT = 3000;

export function section(mrkdwn: string, accessory?: Button): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateMrkdwn(mrkdwn, SECTION_TEXT_LIMIT) },
    ...(accessory ? { accessory } : {}),
  };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, 150), emoji: true } };
}

export function context(...mrkdwn: string[]): KnownBlock {
  return { type: 'context', elements: mrkdwn.slice(0, 10).map((t) => ({ type: 'mrkdwn' as const, text: truncateMrkdwn(t, 2000) })) };
}

export function divider(): KnownBlock {
  return { type: 'divider' };
}

export function fields(pairs: [string, string][]): KnownBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, 10).map(([label, value]) => ({ type: 'mrkdwn' as const, text: truncateMrkdwn(`*${label}*\n${value}`, 2000) })),
  };
}

export function button(
  text: string,
  actionId: string,
  value: string,
  options: { style?: 'primary' | 'danger'; confirm?: { title: string; text: string; confirm: string; deny?: string } } = {},
): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, 75), emoji: true },
    action_id: actionId,
    value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: truncate(options.confirm.title, 100) },
            text: { type: 'mrkdwn', text: truncateMrkdwn(options.confirm.text, 300) },
            confirm: { type: 'plain_text', text: truncate(options.confirm.confirm, 30) },
            deny: { type: 'plain_text', text: truncate(options.confirm.deny ?? 'Go back', 30) },
            ...(options.style === 'danger' ? { style: 'danger' as const } : {}),
          },
        }
      : {}),
  };
}

export function actions(blockId: string | undefined, elements: Button[]): KnownBlock {
  return { type: 'actions', ...(blockId ? { block_id: blockId } : {}), elements: elements.slice(0, 25) };
}

/** A short message that is only a sentence, e.g. an error or a refusal. */
export function notice(text: string, emoji = ':warning:'): SlackMessage {
  return { text: truncateMrkdwn(escapeMrkdwn(text), 3000), blocks: [section(`${emoji} ${escapeMrkdwn(text)}`)] };
}
