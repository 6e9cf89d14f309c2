import { truncate, unescapeSlackText } from './mrkdwn';

/** A parsed `/pgroup` command. `group` is whatever the user typed to name a group: an id or a name. */
export type PgroupCommand =
  | { kind: 'help'; unknown: string | null }
  | { kind: 'list'; filter: string }
  | { kind: 'show' | 'members' | 'delete' | 'history' | 'watch' | 'unwatch'; group: string }
  | { kind: 'create'; name: string; description: string | null }
  | { kind: 'rename'; group: string; newName: string | null }
  | { kind: 'add' | 'remove'; group: string; idsText: string }
  | { kind: 'upload'; group: string | null }
  | { kind: 'watching'; scope: 'channel' | 'workspace' };

export type PgroupParse = { ok: true; command: PgroupCommand } | { ok: false; usage: string };

export const USAGE: Record<string, string> = {
  list: '/pgroup list [text]',
  show: '/pgroup show <group>',
  create: '/pgroup create <name> [-- description]',
  rename: '/pgroup rename <group> <new name>',
  add: '/pgroup add <group> <ids...>',
  remove: '/pgroup remove <group> <ids...>',
  members: '/pgroup members <group>',
  delete: '/pgroup delete <group>',
  upload: '/pgroup upload [group]',
  history: '/pgroup history <group>',
  watch: '/pgroup watch <group>',
  unwatch: '/pgroup unwatch <group>',
  watching: '/pgroup watching [all]',
};

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '”': '”' };

/** One word of the command: its text, and where the rest of the line starts after it. */
interface Word {
  text: string;
  end: number;
}

/** Reads the next word at `from`: a quoted phrase (straight or typographic quotes) or a run of non-spaces. */
function nextWord(text: string, from: number): Word | null {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (i >= text.length) return null;
  const open = text[i]!;
  const close = QUOTES[open];
  if (close) {
    const endQuote = text.indexOf(close, i + 1);
    if (endQuote > i) return { text: text.slice(i + 1, endQuote), end: endQuote + 1 };
  }
  let j = i;
  while (j < text.length && !/\s/.test(text[j]!)) j++;
  return { text: text.slice(i, j), end: j };
}

/** The remainder of a line as a single value: a lone quoted phrase loses its quotes. */
function restAsValue(rest: string): string {
  const trimmed = rest.trim();
  const word = nextWord(trimmed, 0);
  if (word && word.end === trimmed.length && QUOTES[trimmed[0]!]) return word.text.trim();
  return trimmed;
}

const GROUP_COMMANDS = new Set(['show', 'members', 'delete', 'history', 'watch', 'unwatch']);
const ALIASES: Record<string, string> = { ls: 'list', info: 'show', rm: 'remove', export: 'members', '?': 'help' };

/** Parses the text after `/pgroup`. Never throws: anything it cannot read is a usage message. */
export function parsePgroupCommand(rawText: string): PgroupParse {
  const text = unescapeSlackText(typeof rawText === 'string' ? rawText : '').replace(/\u00a0/g, ' ');
  const first = nextWord(text, 0);
  if (!first) return { ok: true, command: { kind: 'help', unknown: null } };
  const sub = ALIASES[first.text.toLowerCase()] ?? first.text.toLowerCase();
  const rest = text.slice(first.end);
  const groupWord = nextWord(rest, 0);
  const afterGroup = groupWord ? rest.slice(groupWord.end) : '';
  const needGroup = (): PgroupParse => ({ ok: false, usage: `Which group? Usage: \`${USAGE[sub]}\`` });

  if (sub === 'help') return { ok: true, command: { kind: 'help', unknown: null } };
  if (sub === 'list') return { ok: true, command: { kind: 'list', filter: restAsValue(rest) } };
  if (GROUP_COMMANDS.has(sub)) {
    if (!groupWord?.text.trim()) return needGroup();
    // A name with spaces may be typed without quotes when it is the only argument.
    const group = afterGroup.trim() ? restAsValue(rest) : groupWord.text.trim();
    return { ok: true, command: { kind: sub as 'show', group } };
  }
  switch (sub) {
    case 'create': {
      const sep = rest.search(/(^|\s)--(\s|$)/);
      const namePart = sep >= 0 ? rest.slice(0, sep) : rest;
      const descPart = sep >= 0 ? rest.slice(sep).replace(/^\s*--/, '') : '';
      const name = restAsValue(namePart);
      if (!name) return { ok: false, usage: `Give the new group a name. Usage: \`${USAGE.create}\`` };
      const description = restAsValue(descPart);
      return { ok: true, command: { kind: 'create', name, description: description || null } };
    }
    case 'rename': {
      if (!groupWord?.text.trim()) return needGroup();
      const newName = restAsValue(afterGroup);
      return { ok: true, command: { kind: 'rename', group: groupWord.text.trim(), newName: newName || null } };
    }
    case 'add':
    case 'remove': {
      if (!groupWord?.text.trim()) return needGroup();
      const idsText = afterGroup.trim();
      if (!idsText) {
        return { ok: false, usage: `Paste the participant ids after the group. Usage: \`${USAGE[sub]}\`` };
      }
      return { ok: true, command: { kind: sub, group: groupWord.text.trim(), idsText } };
    }
    case 'upload':
      return { ok: true, command: { kind: 'upload', group: restAsValue(rest) || null } };
    case 'watching': {
      const scope = restAsValue(rest).toLowerCase();
      return { ok: true, command: { kind: 'watching', scope: scope === 'all' || scope === 'workspace' ? 'workspace' : 'channel' } };
    }
    default:
      return { ok: true, command: { kind: 'help', unknown: truncate(first.text, 40) } };
  }
}
