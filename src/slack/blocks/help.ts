import { escapeMrkdwn } from '../mrkdwn';
import { context, type SlackMessage, section } from './message';

const ROWS: [string, string][] = [
  ['`/pgroup list [text]`', 'Groups in the workspace, with id and member count'],
  ['`/pgroup show <group>`', 'A group card: description, members, feeder studies, actions'],
  ['`/pgroup create <name> [-- description]`', 'Create an empty group'],
  ['`/pgroup rename <group> <new name>`', 'Rename (no new name opens a form)'],
  ['`/pgroup add <group> <ids...>`', 'Add participant ids (spaces, commas or new lines); no ids opens the upload form'],
  ['`/pgroup remove <group> <ids...>`', 'Remove ids, after a confirmation'],
  ['`/pgroup replace <group> <ids...>`', 'Make the group exactly these ids, after a confirmation'],
  ['`/pgroup add|replace|remove <group> --from-study <study> [--status approved,awaiting-review]`', 'Use the participants of a study’s submissions (APPROVED unless --status says otherwise)'],
  ['`/pgroup add|replace|remove <group> --from-group <other>`', 'Add, copy or remove the members of another group, after a preview'],
  ['`/pgroup keep <group> --in-group <other>`', 'Keep only the members also in another group, after a preview'],
  ['`/pgroup copy <group> <new name>`', 'A new group with the same members and description'],
  ['`/pgroup find <participant id>`', 'Which groups hold the participant, and the live studies they gate'],
  ['`/pgroup forget <participant id>`', 'Remove a participant from every group and from the app’s records, after a preview'],
  ['`/pgroup upload [group]`', 'Upload a CSV: replace, add or remove, with a preview first'],
  ['`/pgroup members <group>`', 'The first members here, and the full list as a CSV file'],
  ['`/pgroup history <group>`', 'Who changed the group, newest first'],
  ['`/pgroup delete <group>`', 'Delete a group, after a confirmation'],
  ['`/pgroup watch <group>` / `unwatch <group>`', 'Announce every change of the group in this channel'],
  ['`/pgroup watch <group> --dm` / `unwatch <group> --dm`', 'Tell you, by direct message, of every change of the group'],
  ['`/pgroup watching [all]`', 'What this channel (or the workspace) watches'],
  ['`/pgroup workspace [name or id]`', 'The Prolific workspace this channel works in, and the others; with a name, switch this channel (admins)'],
  ['`/pgroup message <group>`', 'Message every member in their Prolific inbox: a form, a preview, then Send (needs MESSAGE_USER_IDS)'],
];

/** The one confirmation policy (services/changes/confirmationPolicy), in the users' words. */
export const CONFIRMATION_RULE = [
  '*When a change needs your confirmation*',
  '• *Previewed first:* anything that removes or replaces members or deletes a group; ids from a file, pasted list, study, another group or a message; any change of members of a group a live study uses; a command whose group name was not an exact match, or with text that is not a participant id; a rename to a name another group has.',
  '• *Applied at once, and undoable:* other renames, and ids typed in the command added to a group no live study uses.',
].join('\n');

export function renderHelp(unknownSubcommand: string | null = null, usageProblem: string | null = null): SlackMessage {
  const intro = usageProblem
    ? `:warning: ${escapeMrkdwn(usageProblem)}`
    : unknownSubcommand
      ? `:thinking_face: I don't know \`${escapeMrkdwn(unknownSubcommand)}\`. Here is what \`/pgroup\` can do:`
      : '*Manage Prolific participant groups from Slack.* Here is what `/pgroup` can do:';
  return {
    text: 'How to use /pgroup',
    blocks: [
      section(intro),
      // `<group>` would be read as a link: the placeholders are escaped like any other text.
      section(ROWS.map(([cmd, what]) => `${escapeMrkdwn(cmd)}\n      ${what}`).join('\n')),
      section(CONFIRMATION_RULE),
      context(
        '`&lt;group&gt;` is a group id or its name: quote names with spaces (`"Pilot wave 2"`). Case does not matter and a unique start of a name is enough.',
        'Examples: `/pgroup list pilot` · `/pgroup show "Main panel"` · `/pgroup add Pilot 5e9b9c9b0f9c9a0001b0b1f4`',
      ),
    ],
  };
}
