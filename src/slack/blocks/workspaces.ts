// The Prolific workspace a channel works in: what /pgroup workspace shows, a switch's outcome, the
// question asked when a channel must choose, and a group that belongs to another workspace; and
// the workspace a person works in from the Home tab, with its question.
import type { KnownBlock } from '@slack/types';
import type { ChannelWorkspaceSource, HomeWorkspaceFacts, HomeWorkspaceSource, ServedWorkspace, WorkspaceSwitch } from '../../services/workspaces';
import { ACTIONS } from '../interactionIds';
import { bold, code, escapeMrkdwn } from '../mrkdwn';
import { actions, button, context, type SlackMessage, section } from './message';

const SOURCE: Record<ChannelWorkspaceSource, string> = {
  channel: 'chosen for this channel',
  home: 'your choice in the app’s Home tab',
  default: 'the default, set by PROLIFIC_WORKSPACE_ID',
  only: 'the only workspace the app serves',
};

function named(w: ServedWorkspace): string {
  return `${bold(w.title)} ${code(w.id)}`;
}

/** One button per workspace, five to a row: each binds this channel (or, with the Home action, the person's Home tab) to it. */
function chooseButtons(workspaces: ServedWorkspace[], exceptId: string | null = null, actionId: string = ACTIONS.chooseWorkspace): KnownBlock[] {
  const offered = workspaces.filter((w) => w.id !== exceptId).slice(0, 25);
  const rows: KnownBlock[] = [];
  for (let i = 0; i < offered.length; i += 5) {
    rows.push(actions(`${actionId}_${i}`, offered.slice(i, i + 5).map((w, j) => button(`Use ${w.title}`, `${actionId}:${i + j}`, w.id))));
  }
  return rows;
}

const HOME_SOURCE: Record<HomeWorkspaceSource, string> = {
  chosen: 'your choice',
  default: 'the default, set by PROLIFIC_WORKSPACE_ID',
  only: 'the only workspace the app serves',
};

/**
 * The Home tab's workspace section, when the app serves several: the workspace the person works in
 * from the tab and where it comes from, with a button for each other; or, with none, the question.
 */
export function homeWorkspaceBlocks(facts: HomeWorkspaceFacts): KnownBlock[] {
  if (!facts.current) {
    return [
      section(
        ':office: *Choose your Prolific workspace.* The app serves several and none is the default. The upload and rename forms and the groups’ Show buttons here work in the one you choose (for you only; in a channel, commands use the channel’s workspace).',
      ),
      ...chooseButtons(facts.served, null, ACTIONS.chooseHomeWorkspace),
    ];
  }
  const { workspace, source } = facts.current;
  return [
    section(`:office: You work in the Prolific workspace ${named(workspace)} here (${HOME_SOURCE[source]}).`),
    context('The upload and rename forms and the groups’ Show buttons here use it. In a channel, commands use the channel’s workspace (`/pgroup workspace`).'),
    ...chooseButtons(facts.served, workspace.id, ACTIONS.chooseHomeWorkspace),
  ];
}

/** /pgroup workspace: the channel's workspace, where it comes from, and the others it can switch to. */
export function renderWorkspaceStatus(current: { workspace: ServedWorkspace; source: ChannelWorkspaceSource } | null, served: ServedWorkspace[]): SlackMessage {
  const others = served.filter((w) => w.id !== current?.workspace.id);
  const head = current
    ? `:office: This channel works in the Prolific workspace ${named(current.workspace)} (${SOURCE[current.source]}).`
    : ':office: This channel has not chosen a Prolific workspace yet, and the app serves several.';
  const list = others.length ? `*Other workspaces the app serves:*\n${others.map((w) => `• ${named(w)}`).join('\n')}` : 'The app serves no other workspace.';
  return {
    text: current ? `This channel works in ${escapeMrkdwn(current.workspace.title)}` : 'This channel has not chosen a Prolific workspace',
    blocks: [
      section(head),
      section(list),
      ...(others.length ? [context('`/pgroup workspace <name or id>` switches this channel (for the admins of this app, or those allowed to change groups when no admins are set).'), ...chooseButtons(others)] : []),
    ],
  };
}

/** Several workspaces, none chosen for this channel (or, with no channel, in the person's Home tab) and no default: nothing was done; choose one. */
export function renderChooseWorkspace(workspaces: ServedWorkspace[], where: 'channel' | 'home' = 'channel'): SlackMessage {
  if (where === 'home') {
    return {
      text: 'Choose the Prolific workspace you work in',
      blocks: [
        section(':office: The app serves several Prolific workspaces and you have not chosen the one you work in from the Home tab, so nothing was done. Choose it (for you only), then try again:'),
        ...chooseButtons(workspaces, null, ACTIONS.chooseHomeWorkspace),
      ],
    };
  }
  return {
    text: 'Choose the Prolific workspace this channel works in',
    blocks: [
      section(':office: The app serves several Prolific workspaces and this channel has not chosen one, so nothing was done. Choose the workspace this channel works in, then run the command again:'),
      ...chooseButtons(workspaces),
      context('Only the admins of this app (or, when none are set, those allowed to change groups) can choose.'),
    ],
  };
}

/**
 * The answer, in place of the question (renderChooseWorkspace's 'home'), once a person has chosen the
 * workspace they work in from the Home tab and their direct messages with the app; null: that
 * workspace is no longer served.
 */
export function renderHomeWorkspaceChosen(workspace: ServedWorkspace | null): SlackMessage {
  if (!workspace) {
    return { text: 'No such workspace', blocks: [section(':mag: The app no longer serves that Prolific workspace. Nothing was changed; choose another in the Home tab.')] };
  }
  return {
    text: `You now work in ${escapeMrkdwn(workspace.title)}`,
    blocks: [
      section(
        `:white_check_mark: You now work in the Prolific workspace ${named(workspace)} from the Home tab and in your direct messages with the app (for you only). Nothing else was done: run what you started again.`,
      ),
    ],
  };
}

export function renderWorkspaceSwitch(result: WorkspaceSwitch): SlackMessage {
  switch (result.kind) {
    case 'switched':
      return {
        text: `This channel now works in ${escapeMrkdwn(result.workspace.title)}`,
        blocks: [
          section(
            `:white_check_mark: This channel now works in the Prolific workspace ${named(result.workspace)}${result.previous && result.previous.id !== result.workspace.id ? ` (it was ${bold(result.previous.title)})` : ''}. Group names, lists, new groups and studies are from it.`,
          ),
        ],
      };
    case 'unchanged':
      return { text: 'Nothing changed', blocks: [section(`:information_source: This channel already works in ${named(result.workspace)}. Nothing was changed.`)] };
    case 'not_found':
      return {
        text: 'No such workspace',
        blocks: [section(`:mag: No Prolific workspace the app serves matches ${code(result.query)}. Nothing was changed. It serves: ${result.workspaces.map((w) => named(w)).join(', ')}.`)],
      };
    case 'ambiguous':
      return {
        text: 'Several workspaces match',
        blocks: [section(`Several workspaces match ${code(result.query)}. Nothing was changed. Which one?`), ...chooseButtons(result.candidates)],
      };
    case 'no_channel':
      return { text: 'No channel', blocks: [section(':information_source: A workspace is chosen for a channel: run `/pgroup workspace <name>` in the channel. Nothing was changed.')] };
  }
}

/** A group id of another workspace the app serves: not resolved here, and how to switch. */
export function otherWorkspaceGroupText(groupId: string, workspace: ServedWorkspace, current: ServedWorkspace, where: 'channel' | 'home' = 'channel'): string {
  if (where === 'home') {
    return `Group ${groupId} belongs to the Prolific workspace “${workspace.title}”, and you work in “${current.title}” from the Home tab, so it is not shown or changed there. Choose “${workspace.title}” at the top of the Home tab to work with it (for you only). Nothing was changed.`;
  }
  return `Group ${groupId} belongs to the Prolific workspace “${workspace.title}”, and this channel works in “${current.title}”, so it is not shown or changed here. \`/pgroup workspace ${workspace.title}\` switches this channel (for the admins of this app, or those allowed to change groups when no admins are set). Nothing was changed.`;
}

/** The line a notification or history carries when the app serves more than one workspace. */
export function workspaceLine(title: string): string {
  return `Prolific workspace: ${bold(title)}`;
}

/** A notification with its group's workspace named at the end. */
export function withWorkspaceLine(message: SlackMessage, title: string): SlackMessage {
  return { ...message, blocks: [...message.blocks, context(workspaceLine(title))] };
}
