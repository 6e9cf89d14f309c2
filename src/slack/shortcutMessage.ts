// What the "Add to a participant group…" message shortcut reads from a message, and how that source
// travels in the upload form's private_metadata until the form is submitted. The ids of the text are
// read as inline ids are; the first CSV, TSV or TXT file shared with the message is read later with the
// upload's CSV reader (downloaded only once the group and mode are chosen). A file wins over the text:
// a shared export usually comes with a line of comment, not with ids.

import { parseInlineIds } from '../services/participantIds';
import type { SlackFileRef } from './slackFiles';

/** The message a shortcut was used on, as facts: who wrote it, where, and what it holds. */
export interface MessageSource {
  channelId: string;
  ts: string;
  /** The author's user id (a bot's message: its bot id). */
  authorId: string;
  /** Slack's link to the message, when chat.getPermalink answered. */
  permalink: string | null;
  /** The first CSV, TSV or TXT file shared with the message. */
  file: (SlackFileRef & { name: string }) | null;
  /** The text's ids, read as inline ids are; null when the file is the source. */
  text: { ids: string[]; invalid: string[]; invalidCount: number; duplicates: number } | null;
}

/** What a shortcut found in a message: a source, or nothing it could read (with the files it passed over). */
export type ShortcutMessageRead = { kind: 'source'; source: MessageSource } | { kind: 'nothing'; otherFiles: string[]; invalidCount: number };

interface PayloadFile {
  id?: string;
  name?: string;
  title?: string;
  filetype?: string;
  size?: number;
}

export interface ShortcutMessagePayload {
  channelId: string;
  message: { ts?: string; text?: string; user?: string; bot_id?: string; files?: PayloadFile[] };
}

const READABLE_FILETYPES = new Set(['csv', 'tsv', 'text']);

function isReadableFile(file: PayloadFile): boolean {
  if (file.filetype && READABLE_FILETYPES.has(file.filetype)) return true;
  return /\.(csv|tsv|txt)$/i.test(file.name ?? '');
}

/** Reads the message a shortcut came with: its first readable file, else the ids in its text. */
export function readShortcutMessage(payload: ShortcutMessagePayload): ShortcutMessageRead {
  const files = payload.message.files ?? [];
  const readable = files.find((f) => f.id && isReadableFile(f));
  const base = { channelId: payload.channelId, ts: payload.message.ts ?? '', authorId: payload.message.user ?? payload.message.bot_id ?? '', permalink: null };
  if (readable?.id) {
    const name = readable.name ?? readable.title ?? readable.id;
    return { kind: 'source', source: { ...base, file: { id: readable.id, name, ...(readable.size !== undefined ? { size: readable.size } : {}) }, text: null } };
  }
  const inline = parseInlineIds(payload.message.text ?? '');
  const otherFiles = files.map((f) => f.name ?? f.title ?? 'a file');
  if (inline.valid.length === 0) return { kind: 'nothing', otherFiles, invalidCount: inline.invalid.length };
  return {
    kind: 'source',
    source: {
      ...base,
      file: null,
      text: { ids: inline.valid, invalid: inline.invalid.slice(0, 10).map((t) => t.slice(0, 40)), invalidCount: inline.invalid.length, duplicates: inline.duplicates },
    },
  };
}

// In private_metadata an id takes 16 characters (its 12 bytes in base64url) instead of 24.
const PACKED_ID_LENGTH = 16;

export function packIds(ids: string[]): string {
  return ids.map((id) => Buffer.from(id, 'hex').toString('base64url')).join('');
}

export function unpackIds(packed: string): string[] {
  const ids: string[] = [];
  for (let i = 0; i + PACKED_ID_LENGTH <= packed.length; i += PACKED_ID_LENGTH) {
    ids.push(Buffer.from(packed.slice(i, i + PACKED_ID_LENGTH), 'base64url').toString('hex'));
  }
  return ids;
}

/** The source as it travels in private_metadata (ids packed). */
export interface PackedMessageSource extends Omit<MessageSource, 'text'> {
  text: { ids: string; invalid: string[]; invalidCount: number; duplicates: number } | null;
}

export function packMessageSource(source: MessageSource): PackedMessageSource {
  return { ...source, text: source.text ? { ...source.text, ids: packIds(source.text.ids) } : null };
}

/** The source back from private_metadata, or null when it is not one. */
export function unpackMessageSource(raw: unknown): MessageSource | null {
  if (!raw || typeof raw !== 'object') return null;
  const s = raw as Partial<PackedMessageSource>;
  if (typeof s.channelId !== 'string' || typeof s.ts !== 'string' || typeof s.authorId !== 'string') return null;
  const file = s.file && typeof s.file.id === 'string' ? { id: s.file.id, name: String(s.file.name ?? s.file.id), ...(typeof s.file.size === 'number' ? { size: s.file.size } : {}) } : null;
  const text =
    s.text && typeof s.text.ids === 'string'
      ? {
          ids: unpackIds(s.text.ids),
          invalid: Array.isArray(s.text.invalid) ? s.text.invalid.filter((t): t is string => typeof t === 'string') : [],
          invalidCount: Number(s.text.invalidCount) || 0,
          duplicates: Number(s.text.duplicates) || 0,
        }
      : null;
  if (!file && !text) return null;
  return { channelId: s.channelId, ts: s.ts, authorId: s.authorId, permalink: typeof s.permalink === 'string' ? s.permalink : null, file, text };
}
