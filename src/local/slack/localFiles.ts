// Files, and the hosting Slack does beside the Web API: files.getUploadURLExternal hands out an
// upload URL that takes the bytes, files.completeUploadExternal shares them (a message carrying
// the files; only in a conversation the bot is in, named by its id: a DM by the D… id
// conversations.open gives, never the user's id), files.info describes them, and url_private(_download) serves them to the bot token
// only. Files users share (e.g. through a modal's file_input) are hosted with hostFile.
//
// A hosted file can also be served through redirects, as Enterprise Grid's file servers do: each
// hop a 302 to Slack's host again (its token checked there again) or to a host that is not Slack's
// (OtherFileHost, a second loopback port, which takes no token and records what it was sent); the
// last hop serves the file. A file object can name that other host outright, too.

import { asRecord, type HttpReply, plainText } from '../http/loopbackHttp';
import type { BlockKitViolations } from './blockKitViolations';
import type { LocalChat } from './localChat';
import type { LocalConversations } from './localConversations';
import type { SlackIdentity } from './slackIdentity';
import { randomId } from './slackIds';
import { type ApiAnswer, type ApiArgs, type ApiMethod, bearerToken, fail, parseMultipart, stringArg } from './webApiArgs';

/** Slack's file object, as files.info and file_input state give it. */
export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  user_team: string;
  editable: boolean;
  size: number;
  mode: string;
  is_external: boolean;
  external_type: string;
  is_public: boolean;
  public_url_shared: boolean;
  display_as_bot: boolean;
  username: string;
  url_private: string;
  url_private_download: string;
  permalink: string;
  channels: string[];
  groups: string[];
  ims: string[];
  comments_count: number;
}

export interface UploadedFile {
  id: string;
  /** The filename given to files.getUploadURLExternal. */
  name: string;
  title: string;
  content: Buffer;
  /** The `length` the app declared; compare with content.length to catch a wrong declaration. */
  declaredLength: number;
  channel_id?: string;
  initial_comment?: string;
  thread_ts?: string;
  /** files.completeUploadExternal has been called for it. */
  completed: boolean;
  file: SlackFile;
}

export interface HostFileOptions {
  name: string;
  content: Buffer | string;
  /** The uploader. */
  user: string;
  title?: string;
  /** Guessed from the name's extension when left out ('people.csv' → text/csv, csv). */
  mimetype?: string;
  filetype?: string;
  /** The Content-Type the download answers with, when it should differ from `mimetype`. */
  servedContentType?: string;
  /** The host url_private(_download) names: Slack's (default) or another one. */
  at?: FileHostName;
  /** Redirects a download goes through before the file, each to Slack's host or the other one. */
  redirects?: FileHostName[];
}

/** Slack's own host (the one the API is on), or a host that is not Slack's. */
export type FileHostName = 'slack' | 'other';

interface StoredFile {
  file: SlackFile;
  content: Buffer | undefined;
  servedContentType: string;
  redirects: FileHostName[];
  origin: 'hosted' | 'upload';
  upload?: {
    declaredLength: number;
    completed: boolean;
    channel_id?: string;
    initial_comment?: string;
    thread_ts?: string;
  };
}

const FILE_TYPES: Record<string, [mimetype: string, filetype: string]> = {
  csv: ['text/csv', 'csv'],
  tsv: ['text/tab-separated-values', 'tsv'],
  txt: ['text/plain', 'text'],
  json: ['application/json', 'json'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  pdf: ['application/pdf', 'pdf'],
  png: ['image/png', 'png'],
};

const SIGN_IN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in | Slack</title></head>
<body><h1>Sign in to your workspace</h1><p>Enter your workspace's Slack URL.</p>
<form action="/signin" method="post"><input name="domain"><button>Continue</button></form></body></html>
`;

/** Slack answers an unauthenticated file URL with its sign-in page, not an error status. */
function signInPage(): HttpReply {
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: SIGN_IN_PAGE };
}

/** What files.completeUploadExternal's channel_id accepts (Slack's ids, with the local ids' underscores). */
const CONVERSATION_ID = /^[CGDZ][A-Z0-9_]{2,}$/;

function fileTypeOf(name: string): [mimetype: string, filetype: string] {
  const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  return FILE_TYPES[extension] ?? ['application/octet-stream', 'binary'];
}

export class LocalFiles {
  readonly methods: Readonly<Record<string, ApiMethod>> = {
    'files.info': (args) => this.info(args),
    'files.getUploadURLExternal': (args) => this.getUploadUrlExternal(args),
    'files.completeUploadExternal': (args) => this.completeUploadExternal(args),
  };

  private readonly store = new Map<string, StoredFile>();

  constructor(
    private readonly identity: SlackIdentity,
    private readonly conversations: LocalConversations,
    private readonly chat: LocalChat,
    private readonly blockKit: BlockKitViolations,
    /** The only token url_private answers. */
    private readonly botToken: string,
    /** The host that is not Slack's, e.g. 'http://127.0.0.1:4011/'. */
    private readonly otherHostUrl: string,
  ) {}

  reset(): void {
    this.store.clear();
  }

  /** Files uploaded through files.getUploadURLExternal + upload_url (+ files.completeUploadExternal). */
  get uploads(): UploadedFile[] {
    const uploads: UploadedFile[] = [];
    for (const stored of this.store.values()) {
      if (stored.origin !== 'upload' || !stored.upload || !stored.content) continue;
      uploads.push({
        id: stored.file.id,
        name: stored.file.name,
        title: stored.file.title,
        content: Buffer.from(stored.content),
        declaredLength: stored.upload.declaredLength,
        ...(stored.upload.channel_id === undefined ? {} : { channel_id: stored.upload.channel_id }),
        ...(stored.upload.initial_comment === undefined ? {} : { initial_comment: stored.upload.initial_comment }),
        ...(stored.upload.thread_ts === undefined ? {} : { thread_ts: stored.upload.thread_ts }),
        completed: stored.upload.completed,
        file: structuredClone(stored.file),
      });
    }
    return uploads;
  }

  /** A file as Slack holds it after a user shared it (e.g. through a modal's file_input). */
  hostFile(options: HostFileOptions): SlackFile {
    const [guessedMimetype, guessedFiletype] = fileTypeOf(options.name);
    const content = typeof options.content === 'string' ? Buffer.from(options.content, 'utf8') : options.content;
    const mimetype = options.mimetype ?? guessedMimetype;
    const file = this.buildFile({
      name: options.name,
      title: options.title ?? options.name,
      mimetype,
      filetype: options.filetype ?? guessedFiletype,
      user: options.user,
      size: content.length,
      at: options.at ?? 'slack',
    });
    this.store.set(file.id, {
      file,
      content: Buffer.from(content),
      servedContentType: options.servedContentType ?? mimetype,
      redirects: [...(options.redirects ?? [])],
      origin: 'hosted',
    });
    return structuredClone(file);
  }

  /** The POST of a file's bytes to its upload_url: raw, or the first file of a multipart form. */
  async receiveUpload(fileId: string, contentType: string, body: Buffer): Promise<HttpReply> {
    const stored = this.store.get(fileId);
    if (stored?.origin !== 'upload' || stored.upload?.completed) return plainText(404, 'not_found');
    let content = body;
    if (contentType.startsWith('multipart/form-data')) {
      const fields = await parseMultipart(body, contentType);
      const file = fields['__file'];
      content = Buffer.isBuffer(file) ? file : Buffer.from(String(fields['body'] ?? fields['file'] ?? ''), 'utf8');
    }
    stored.content = Buffer.from(content);
    stored.file.size = content.length;
    return plainText(200, `OK - ${content.length}`);
  }

  /**
   * A GET (or HEAD) of url_private or url_private_download, on Slack's host (the bot token required)
   * or on the other host (no token asked): the file, or the first of its redirects.
   */
  download(fileId: string, options: { host?: FileHostName; authorization: string | undefined; asDownload: boolean; head: boolean }): HttpReply {
    const host = options.host ?? 'slack';
    const stored = this.store.get(fileId);
    if (host === 'slack' && bearerToken(options.authorization) !== this.botToken) return signInPage();
    if (!stored?.content || (stored.file.url_private.startsWith(this.otherHostUrl) !== (host === 'other'))) return plainText(404, 'file_not_found');
    if (stored.redirects.length > 0) return this.redirectTo(stored, 0);
    return this.serve(stored, options);
  }

  /** A GET (or HEAD) of one of a file's redirect hops, on the host that hop names. */
  hop(fileId: string, index: number, options: { host: FileHostName; authorization: string | undefined; head: boolean }): HttpReply {
    const stored = this.store.get(fileId);
    if (!stored?.content || stored.redirects[index] !== options.host) return plainText(404, 'file_not_found');
    if (options.host === 'slack' && bearerToken(options.authorization) !== this.botToken) return signInPage();
    if (index + 1 < stored.redirects.length) return this.redirectTo(stored, index + 1);
    return this.serve(stored, { asDownload: true, head: options.head });
  }

  private redirectTo(stored: StoredFile, index: number): HttpReply {
    const base = stored.redirects[index] === 'other' ? this.otherHostUrl : this.identity.url;
    return { status: 302, headers: { Location: `${base}files-edge/${stored.file.id}/${index}/${encodeURIComponent(stored.file.name)}` }, body: '' };
  }

  private serve(stored: StoredFile, options: { asDownload: boolean; head: boolean }): HttpReply {
    const content = stored.content ?? Buffer.alloc(0);
    const headers: Record<string, string> = { 'Content-Type': stored.servedContentType, 'Content-Length': String(content.length) };
    if (options.asDownload) headers['Content-Disposition'] = `attachment; filename="${encodeURIComponent(stored.file.name)}"`;
    return { status: 200, headers, ...(options.head ? {} : { body: content }) };
  }

  private info(args: ApiArgs): ApiAnswer {
    const stored = this.store.get(stringArg(args, 'file') ?? '');
    if (!stored || (stored.origin === 'upload' && !stored.upload?.completed)) return fail('file_not_found');
    return { ok: true, file: structuredClone(stored.file), comments: [], response_metadata: { next_cursor: '' } };
  }

  private getUploadUrlExternal(args: ApiArgs): ApiAnswer {
    const filename = stringArg(args, 'filename');
    const length = Number(stringArg(args, 'length'));
    if (!filename || !Number.isInteger(length) || length < 0) {
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] filename and length are required'] } });
    }
    const [mimetype, filetype] = fileTypeOf(filename);
    const file = this.buildFile({ name: filename, title: filename, mimetype, filetype, user: this.identity.botUserId, size: length });
    this.store.set(file.id, {
      file,
      content: undefined,
      servedContentType: mimetype,
      redirects: [],
      origin: 'upload',
      upload: { declaredLength: length, completed: false },
    });
    return { ok: true, upload_url: `${this.identity.url}upload/v1/${file.id}`, file_id: file.id };
  }

  private completeUploadExternal(args: ApiArgs): ApiAnswer {
    const files = args['files'];
    if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments');
    const entries: { stored: StoredFile; title?: string }[] = [];
    for (const entry of files) {
      const record = asRecord(entry);
      const stored = this.store.get(typeof record?.['id'] === 'string' ? record['id'] : '');
      if (!stored?.upload || stored.content === undefined || stored.upload.completed) return fail('file_not_found');
      entries.push({ stored, ...(typeof record?.['title'] === 'string' ? { title: record['title'] } : {}) });
    }
    const channelArg = stringArg(args, 'channel_id') ?? stringArg(args, 'channels');
    // Slack takes a conversation id only: a user id (U…, W…) or a #name is refused by the schema,
    // so a file for someone's DM needs conversations.open first.
    if (channelArg !== undefined && !CONVERSATION_ID.test(channelArg)) {
      return fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] input must match regex pattern: ${CONVERSATION_ID.source} [json-pointer:/channel_id]`] } });
    }
    const channel = channelArg === undefined ? undefined : this.conversations.resolve(channelArg);
    if (channelArg !== undefined && (!channel || !this.conversations.visibleToBot(channel))) return fail('channel_not_found');
    // As chat.postMessage: files:write shares only where the bot is a member (or in its DMs).
    if (channel && !channel.isIm && !channel.botIsMember) return fail('not_in_channel');
    const initialComment = stringArg(args, 'initial_comment');
    const threadTs = stringArg(args, 'thread_ts');
    for (const { stored, title } of entries) {
      const upload = stored.upload!;
      upload.completed = true;
      if (title) stored.file.title = title;
      if (channel) {
        upload.channel_id = channel.id;
        // Slack lists where a file is shared by kind: public channels, private ones, DMs.
        if (channel.isIm) stored.file.ims = [channel.id];
        else if (channel.isPrivate) stored.file.groups = [channel.id];
        else stored.file.channels = [channel.id];
      }
      if (initialComment !== undefined) upload.initial_comment = initialComment;
      if (threadTs !== undefined) upload.thread_ts = threadTs;
    }
    if (channel) {
      // Slack shares the files in the conversation as one message carrying them, the comment as its text.
      const blocks = Array.isArray(args['blocks']) ? args['blocks'] : undefined;
      if (blocks && this.blockKit.check('files.completeUploadExternal', 'message', { blocks }).length > 0) {
        return fail('invalid_blocks');
      }
      this.chat.add({
        channel: channel.id,
        text: initialComment ?? '',
        ...(blocks ? { blocks } : {}),
        files: entries.map((e) => structuredClone(e.stored.file)),
        ...(threadTs === undefined ? {} : { threadTs }),
        source: 'api',
      });
    }
    return { ok: true, files: entries.map((e) => ({ id: e.stored.file.id, title: e.stored.file.title })) };
  }

  private buildFile(fields: { name: string; title: string; mimetype: string; filetype: string; user: string; size: number; at?: FileHostName }): SlackFile {
    const { url, teamId, teamDomain } = this.identity;
    const id = `F${randomId(10)}`;
    const created = Math.floor(Date.now() / 1000);
    const base = `${fields.at === 'other' ? this.otherHostUrl : url}files-pri/${teamId}-${id}/`;
    const encodedName = encodeURIComponent(fields.name);
    return {
      id,
      created,
      timestamp: created,
      name: fields.name,
      title: fields.title,
      mimetype: fields.mimetype,
      filetype: fields.filetype,
      pretty_type: fields.filetype.toUpperCase(),
      user: fields.user,
      user_team: teamId,
      editable: false,
      size: fields.size,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: false,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `${base}${encodedName}`,
      url_private_download: `${base}download/${encodedName}`,
      permalink: `https://${teamDomain}.slack.com/files/${fields.user}/${id}/${encodedName}`,
      channels: [],
      groups: [],
      ims: [],
      comments_count: 0,
    };
  }
}
