// While the app runs on the embedded demo sandbox instead of Prolific (Slack credentials but no
// PROLIFIC_API_TOKEN, outside production), everything it says in Slack carries this mark, so no
// one takes a made-up group for a real one.
import type { HomeView, KnownBlock } from '@slack/types';
import { BLOCK_KIT_LIMITS as L } from './blockKitLimits';
import { context, type SlackMessage } from './message';

const NOTE = ':test_tube: *Demo data.* This app is not connected to Prolific: its groups and participants come from a demo sandbox, and nothing here reaches Prolific.';

/** The line that says the app is running on the demo sandbox. */
export function demoSandboxNote(): KnownBlock {
  return context(NOTE);
}

/** A message with the demo-data line last and its fallback text marked too (notifications show only the text). */
export function markAsDemo(message: SlackMessage): SlackMessage {
  // At the block limit the mark takes the place of the last block but one, so a final row of buttons stays.
  const blocks = message.blocks.length < L.messageBlocks ? message.blocks : [...message.blocks.slice(0, L.messageBlocks - 2), ...message.blocks.slice(-1)];
  return { text: `[Demo data] ${message.text}`, blocks: [...blocks, demoSandboxNote()] };
}

/** App Home with the demo-data line first. */
export function markViewAsDemo(view: HomeView): HomeView {
  return { ...view, blocks: [demoSandboxNote(), ...view.blocks.slice(0, L.viewBlocks - 1)] };
}
