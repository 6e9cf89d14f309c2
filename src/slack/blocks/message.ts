import type { Button, KnownBlock, Overflow } from '@slack/types';
import { escapeMrkdwn, truncate, truncateMrkdwn } from '../mrkdwn';
import { BLOCK_KIT_LIMITS as L } from './blockKitLimits';

/** What every renderer returns: the blocks and the plain-text fallback for notifications. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * A channel notification as a busy channel reads it: a short top-level post, and its details in a
 * reply in that post's thread (null when there are none).
 */
export interface ThreadedNotice {
  top: SlackMessage;
  threadReply: SlackMessage | null;
}

export const SECTION_TEXT_LIMIT = L.sectionText;

export function section(mrkdwn: string, accessory?: Button): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateMrkdwn(mrkdwn, L.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, L.headerText), emoji: true } };
}

export function context(...mrkdwn: string[]): KnownBlock {
  return {
    type: 'context',
    elements: mrkdwn.slice(0, L.contextElements).map((t) => ({ type: 'mrkdwn' as const, text: truncateMrkdwn(t, L.contextText) })),
  };
}

export function divider(): KnownBlock {
  return { type: 'divider' };
}

export function fields(pairs: [string, string][]): KnownBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, L.sectionFields).map(([label, value]) => ({ type: 'mrkdwn' as const, text: truncateMrkdwn(`*${label}*\n${value}`, L.sectionFieldText) })),
  };
}

/** A button; `value` is what the click carries, left out when it carries nothing (Slack refuses an empty value). */
export function button(
  text: string,
  actionId: string,
  value?: string,
  options: { style?: 'primary' | 'danger'; confirm?: { title: string; text: string; confirm: string; deny?: string } } = {},
): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, L.buttonText), emoji: true },
    action_id: actionId,
    ...(value ? { value } : {}),
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: truncate(options.confirm.title, L.confirmTitle) },
            text: { type: 'mrkdwn', text: truncateMrkdwn(options.confirm.text, L.confirmText) },
            confirm: { type: 'plain_text', text: truncate(options.confirm.confirm, L.confirmButton) },
            deny: { type: 'plain_text', text: truncate(options.confirm.deny ?? 'Go back', L.confirmButton) },
            ...(options.style === 'danger' ? { style: 'danger' as const } : {}),
          },
        }
      : {}),
  };
}

/** An overflow menu (⋯): one action id, each option's value saying which action it is (1–5 options). */
export function overflow(actionId: string, options: { text: string; value: string }[]): Overflow {
  return {
    type: 'overflow',
    action_id: actionId,
    options: options.slice(0, L.overflowOptions).map((o) => ({ text: { type: 'plain_text', text: truncate(o.text, L.optionText), emoji: true }, value: o.value })),
  };
}

export function actions(blockId: string | undefined, elements: (Button | Overflow)[]): KnownBlock {
  return { type: 'actions', ...(blockId ? { block_id: blockId } : {}), elements: elements.slice(0, L.actionsElements) };
}

/** A short message that is only a sentence, e.g. an error or a refusal. */
export function notice(text: string, emoji = ':warning:'): SlackMessage {
  return { text: truncateMrkdwn(escapeMrkdwn(text), L.sectionText), blocks: [section(`${emoji} ${escapeMrkdwn(text)}`)] };
}
