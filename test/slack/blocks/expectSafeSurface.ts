// What every rendered payload must satisfy, whatever it says: it fits Slack's Block Kit limits
// (checked by the same code the local Slack applies to each call), and no text in it reads as a
// mention, broadcast, channel link or URL the renderer did not mean to write.
import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import { checkBlockKitLimits } from '../../../src/local/slack/blockKitLimits';
import type { SlackMessage } from '../../../src/slack/blocks/message';
import { type MrkdwnPolicy, surfaceProblems } from '../../reliability/mrkdwnSafety';

/** The people and channels the renderer tests put in their inputs, so links to them are intended. */
export const RENDER_POLICY: MrkdwnPolicy = { users: ['U_ALICE', 'U_BOB'], channels: ['C_GENERAL', 'C_NOTIFY'] };

type Rendered = SlackMessage | ModalView | HomeView;

function isView(rendered: Rendered): rendered is ModalView | HomeView {
  return 'type' in rendered && (rendered.type === 'modal' || rendered.type === 'home');
}

/** Fails the test when the payload breaks a Block Kit limit or holds an unescaped control sequence; returns its blocks. */
export function expectSafeSurface(rendered: Rendered): KnownBlock[] {
  const limits = isView(rendered) ? checkBlockKitLimits(rendered.type, { view: rendered }) : checkBlockKitLimits('message', { blocks: rendered.blocks });
  expect(limits).toEqual([]);
  const surface = isView(rendered) ? { view: rendered } : { text: rendered.text, blocks: rendered.blocks };
  expect(surfaceProblems(surface, 'rendered', RENDER_POLICY)).toEqual([]);
  return rendered.blocks as KnownBlock[];
}

/** Every mrkdwn and plain text of a payload, in order, for assertions on its words. */
export function textsOf(rendered: Rendered): string[] {
  const out: string[] = [];
  if (!isView(rendered)) out.push(rendered.text);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if ((record['type'] === 'mrkdwn' || record['type'] === 'plain_text') && typeof record['text'] === 'string') out.push(record['text']);
      for (const value of Object.values(record)) walk(value);
    }
  };
  walk(rendered.blocks);
  return out;
}

/** The buttons of a payload, in order, as action id, label, value and style. */
export function buttonsOf(rendered: Rendered): { actionId: string; text: string; value: string | undefined; style: string | undefined; confirm: unknown }[] {
  const out: { actionId: string; text: string; value: string | undefined; style: string | undefined; confirm: unknown }[] = [];
  for (const block of rendered.blocks as { elements?: unknown[]; accessory?: unknown }[]) {
    for (const el of [...(block.elements ?? []), block.accessory] as { type?: string; action_id?: string; text?: { text: string }; value?: string; style?: string; confirm?: unknown }[]) {
      if (el?.type === 'button') out.push({ actionId: el.action_id!, text: el.text!.text, value: el.value, style: el.style, confirm: el.confirm });
    }
  }
  return out;
}
