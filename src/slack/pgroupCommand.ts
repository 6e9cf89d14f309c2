import type { SubmissionStatus } from '../prolific/studyTypes';
import { normaliseSubmissionStatus, SUBMISSION_STATUSES } from '../prolific/submissionStatus';
import { truncate, unescapeSlackText } from './mrkdwn';

/** A parsed `/pgroup` command. `group` is whatever the user typed to name a group: an id or a name. */
export type PgroupCommand =
  | { kind: 'help'; unknown: string | null }
  | { kind: 'list'; filter: string }
  | { kind: 'show' | 'members' | 'delete' | 'history' | 'message'; group: string }
  /** `--dm`: the person's own direct messages with the app instead of the channel. */
  | { kind: 'watch' | 'unwatch'; group: string; dm: boolean }
  | { kind: 'create'; name: string; description: string | null }
  | { kind: 'rename'; group: string; newName: string | null }
  | {
      kind: 'add' | 'remove' | 'replace';
      group: string;
      idsText: string;
      /** An unquoted name with spaces before the ids (`add Main panel 5e9b…`): the longer name and the ids after it, tried first. */
      longer?: { group: string; idsText: string };
    }
  /** The participants of a study's submissions in these statuses (`--from-study`, `--status`). */
  | { kind: 'fromStudy'; mode: 'add' | 'remove' | 'replace'; group: string; study: string; statuses: SubmissionStatus[] }
  /** Another group's members as the source (`--from-group`), or `keep <group> --in-group <other>` (intersection). */
  | { kind: 'fromGroup'; mode: 'add' | 'remove' | 'replace' | 'keep'; group: string; other: string }
  /** A new group with the same members and description. */
  | { kind: 'copy'; group: string; newName: string }
  /** Which groups hold a participant id; `forget` previews removing it everywhere and purging it from the app. */
  | { kind: 'find' | 'forget'; participantId: string }
  /** `mode`: what the form's "What should happen?" starts on (`/pgroup add <group>` with no ids: add). */
  | { kind: 'upload'; group: string | null; mode?: 'add' | 'remove' | 'replace' }
  | { kind: 'watching'; scope: 'channel' | 'workspace' }
  /** The channel's Prolific workspace: shown, or switched to the one named. */
  | { kind: 'workspace'; query: string | null };

export type PgroupParse = { ok: true; command: PgroupCommand } | { ok: false; usage: string };

export const USAGE: Record<string, string> = {
  list: '/pgroup list [text]',
  show: '/pgroup show <group>',
  create: '/pgroup create <name> [-- description]',
  rename: '/pgroup rename <group> <new name>',
  add: '/pgroup add <group> <ids...>',
  remove: '/pgroup remove <group> <ids...>',
  replace: '/pgroup replace <group> <ids...>',
  fromStudy: '/pgroup add|replace|remove <group> --from-study <study> [--status approved,awaiting-review]',
  fromGroup: '/pgroup add|replace|remove <group> --from-group <other group>',
  keep: '/pgroup keep <group> --in-group <other group>',
  copy: '/pgroup copy <group> <new name>',
  find: '/pgroup find <participant id>',
  forget: '/pgroup forget <participant id>',
  members: '/pgroup members <group>',
  delete: '/pgroup delete <group>',
  upload: '/pgroup upload [group]',
  history: '/pgroup history <group>',
  watch: '/pgroup watch <group> [--dm]',
  unwatch: '/pgroup unwatch <group> [--dm]',
  watching: '/pgroup watching [all]',
  message: '/pgroup message <group>',
  workspace: '/pgroup workspace [name or id]',
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

/**
 * `add Main panel 5e9b…`: the words between the first and the first participant id may be the rest
 * of the group's name. Null when there are none (or no id follows them).
 */
function longerName(first: string, idsText: string): { group: string; idsText: string } | null {
  const match = /(^|[\s,;])[0-9a-fA-F]{24}(?=$|[\s,;])/.exec(idsText);
  if (!match || match.index === 0) return null;
  const words = idsText.slice(0, match.index).trim();
  if (!words || /[,;]/.test(words)) return null;
  return { group: `${first} ${words.replace(/\s+/g, ' ')}`, idsText: idsText.slice(match.index).trim() };
}

/** The remainder of a line as a single value: a lone quoted phrase loses its quotes. */
function restAsValue(rest: string): string {
  const trimmed = rest.trim();
  const word = nextWord(trimmed, 0);
  if (word && word.end === trimmed.length && QUOTES[trimmed[0]!]) return word.text.trim();
  return trimmed;
}

const GROUP_COMMANDS = new Set(['show', 'members', 'delete', 'history', 'message']);
const ALIASES: Record<string, string> = { ls: 'list', info: 'show', rm: 'remove', export: 'members', '?': 'help' };

/** The submission statuses a `--from-study` uses unless `--status` says otherwise. */
export const DEFAULT_STUDY_STATUSES: readonly SubmissionStatus[] = ['APPROVED'];

/** Phones and Macs turn a typed `--` into an em or en dash: `—from-study` and `–from-study` mean `--from-study`. */
function restoreFlagDashes(text: string): string {
  return text.replace(/(^|\s)(?:[\u2014\u2013]-?|-[\u2014\u2013])(?=(?:from-study|status|from-group|in-group)\b)/gi, '$1--');
}

/** `--from-study <study> [--status a,b]` after the group: the study as typed (quotes removed) and the statuses. */
function parseFromStudy(afterGroup: string, sub: string): { ok: true; study: string; statuses: SubmissionStatus[] } | { ok: false; usage: string } {
  const flags = afterGroup.trim();
  if (!/^--from-study\b/i.test(flags)) return { ok: false, usage: `Put the study right after \`--from-study\`. Usage: \`${USAGE.fromStudy}\`` };
  const rest = flags.replace(/^--from-study\b/i, '');
  const statusAt = rest.search(/(^|\s)--status\b/i);
  const study = restAsValue(statusAt >= 0 ? rest.slice(0, statusAt) : rest);
  if (!study) return { ok: false, usage: `Which study? Give its id or name after \`--from-study\`. Usage: \`${USAGE.fromStudy}\`` };
  if (statusAt < 0) return { ok: true, study, statuses: [...DEFAULT_STUDY_STATUSES] };
  const words = rest
    .slice(statusAt)
    .replace(/^\s*--status\b=?/i, '')
    .split(/[,\s]+/)
    .filter(Boolean);
  const statuses: SubmissionStatus[] = [];
  for (const word of words) {
    if (word.toLowerCase() === 'all') {
      statuses.push(...SUBMISSION_STATUSES);
      continue;
    }
    const status = normaliseSubmissionStatus(word);
    if (!status) {
      const known = SUBMISSION_STATUSES.map((s) => s.toLowerCase().replace(/ /g, '-')).join(', ');
      return { ok: false, usage: `\`${word.slice(0, 40)}\` is not a submission status. Use one or more of: ${known}, or all (for /pgroup ${sub}).` };
    }
    statuses.push(status);
  }
  if (!statuses.length) return { ok: false, usage: `Name at least one status after \`--status\`, e.g. \`--status approved,awaiting-review\`.` };
  return { ok: true, study, statuses: [...new Set(statuses)] };
}

/** The group named after `--from-group` or `--in-group` (quotes removed), or null when none is. */
function otherGroup(afterGroup: string, flag: 'from-group' | 'in-group'): string | null {
  const flags = afterGroup.trim();
  const pattern = new RegExp(`^--${flag}\\b`, 'i');
  if (!pattern.test(flags)) return null;
  return restAsValue(flags.replace(pattern, '')) || null;
}

/** Parses the text after `/pgroup`. Never throws: anything it cannot read is a usage message. */
export function parsePgroupCommand(rawText: string): PgroupParse {
  const text = restoreFlagDashes(unescapeSlackText(typeof rawText === 'string' ? rawText : '').replace(/\u00a0/g, ' '));
  const first = nextWord(text, 0);
  if (!first) return { ok: true, command: { kind: 'help', unknown: null } };
  const sub = ALIASES[first.text.toLowerCase()] ?? first.text.toLowerCase();
  const rest = text.slice(first.end);
  const groupWord = nextWord(rest, 0);
  const afterGroup = groupWord ? rest.slice(groupWord.end) : '';
  const needGroup = (): PgroupParse => ({ ok: false, usage: `Which group? Usage: \`${USAGE[sub]}\`` });

  if (sub === 'help') return { ok: true, command: { kind: 'help', unknown: null } };
  if (sub === 'list') return { ok: true, command: { kind: 'list', filter: restAsValue(rest) } };
  if (sub === 'watch' || sub === 'unwatch') {
    // `--dm` anywhere after the verb (phones turn `--` into a dash) means the person's DM with the app.
    const flag = /(^|\s)(--|[\u2014\u2013])dm(?=\s|$)/i;
    const dm = flag.test(rest);
    const words = dm ? rest.replace(flag, ' ') : rest;
    const name = restAsValue(words);
    if (!name) return needGroup();
    return { ok: true, command: { kind: sub, group: name, dm } };
  }
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
    case 'keep': {
      if (!groupWord?.text.trim()) return needGroup();
      const other = otherGroup(afterGroup, 'in-group');
      if (!other) return { ok: false, usage: `Which group should the members also be in? Usage: \`${USAGE.keep}\`` };
      return { ok: true, command: { kind: 'fromGroup', mode: 'keep', group: groupWord.text.trim(), other } };
    }
    case 'copy': {
      if (!groupWord?.text.trim()) return needGroup();
      const newName = restAsValue(afterGroup);
      if (!newName) return { ok: false, usage: `Give the copy a name. Usage: \`${USAGE.copy}\`` };
      return { ok: true, command: { kind: 'copy', group: groupWord.text.trim(), newName } };
    }
    case 'find':
    case 'forget': {
      const participantId = restAsValue(rest);
      if (!participantId) return { ok: false, usage: `Which participant? Usage: \`${USAGE[sub]}\`` };
      return { ok: true, command: { kind: sub, participantId } };
    }
    case 'add':
    case 'remove':
    case 'replace': {
      if (!groupWord?.text.trim()) return needGroup();
      if (/(^|\s)--from-group\b/i.test(afterGroup)) {
        const other = otherGroup(afterGroup, 'from-group');
        if (!other) return { ok: false, usage: `Which group should the members come from? Usage: \`${USAGE.fromGroup}\`` };
        return { ok: true, command: { kind: 'fromGroup', mode: sub, group: groupWord.text.trim(), other } };
      }
      if (/(^|\s)--(from-study|status)\b/i.test(afterGroup)) {
        const flags = parseFromStudy(afterGroup, sub);
        if (!flags.ok) return flags;
        return { ok: true, command: { kind: 'fromStudy', mode: sub, group: groupWord.text.trim(), study: flags.study, statuses: flags.statuses } };
      }
      const idsText = afterGroup.trim();
      // No ids: the upload form opens for the group in this mode (a file, pasted ids or a study), as
      // `rename <group>` with no new name opens the rename form.
      if (!idsText) return { ok: true, command: { kind: 'upload', group: groupWord.text.trim(), mode: sub } };
      const longer = QUOTES[rest.trim()[0] ?? ''] ? null : longerName(groupWord.text.trim(), idsText);
      return { ok: true, command: { kind: sub, group: groupWord.text.trim(), idsText, ...(longer ? { longer } : {}) } };
    }
    case 'upload':
      return { ok: true, command: { kind: 'upload', group: restAsValue(rest) || null } };
    case 'workspace':
      return { ok: true, command: { kind: 'workspace', query: restAsValue(rest) || null } };
    case 'watching': {
      const scope = restAsValue(rest).toLowerCase();
      return { ok: true, command: { kind: 'watching', scope: scope === 'all' || scope === 'workspace' ? 'workspace' : 'channel' } };
    }
    default:
      return { ok: true, command: { kind: 'help', unknown: truncate(first.text, 40) } };
  }
}
