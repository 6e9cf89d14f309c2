// Which Prolific workspace each Slack channel works in, when someone chose one (/pgroup workspace).
// A channel with no row works in the default workspace.
//
// Every request reads its channel's choice. On embedded PGlite a query runs on the app's own thread
// (about half a millisecond each, while other commands wait for their ack), and the database is
// this process's alone: the store is the only writer, so it keeps each channel's choice once read
// and updates it when it writes one. On PostgreSQL several instances may share the database, and
// every read asks it.
import type { Queryable } from './database';
import { firstRow, toDate } from './sqlValues';

export interface ChannelWorkspace {
  channelId: string;
  workspaceId: string;
  /** Who chose it, and when. */
  slackUserId: string;
  setAt: Date;
}

export interface ChannelWorkspaceStore {
  getChannelWorkspace(channelId: string): Promise<ChannelWorkspace | null>;
  /** Binds the channel to the workspace, replacing any earlier choice. */
  setChannelWorkspace(input: { channelId: string; workspaceId: string; slackUserId: string }): Promise<ChannelWorkspace>;
}

interface Row {
  channel_id: string;
  workspace_id: string;
  slack_user_id: string;
  set_at: unknown;
}

function toChannelWorkspace(row: Row): ChannelWorkspace {
  return { channelId: row.channel_id, workspaceId: row.workspace_id, slackUserId: row.slack_user_id, setAt: toDate(row.set_at) };
}

/** Channels kept in memory at most (a choice is a few dozen bytes); past it, they are read again. */
const KEPT_CHANNELS = 10_000;

/** `soleWriter`: this store is the database's only writer (embedded PGlite), so what it read or wrote stays true. */
export function createChannelWorkspaceStore(db: Queryable, { soleWriter = false } = {}): ChannelWorkspaceStore {
  /** Each channel's choice as read or written, as the promise of it: a write replaces a read still under way. */
  const kept = new Map<string, Promise<ChannelWorkspace | null>>();

  const read = async (channelId: string) => {
    const row = await firstRow<Row>(db, 'select channel_id, workspace_id, slack_user_id, set_at from channel_workspaces where channel_id = $1', [channelId]);
    return row ? toChannelWorkspace(row) : null;
  };

  return {
    getChannelWorkspace(channelId) {
      if (!soleWriter) return read(channelId);
      const known = kept.get(channelId);
      if (known) return known;
      if (kept.size >= KEPT_CHANNELS) kept.clear();
      const reading = read(channelId);
      kept.set(channelId, reading);
      // A failed read is not kept.
      reading.catch(() => {
        if (kept.get(channelId) === reading) kept.delete(channelId);
      });
      return reading;
    },
    async setChannelWorkspace({ channelId, workspaceId, slackUserId }) {
      // Whatever happens to the write, the channel is read afresh unless it is known to have succeeded.
      kept.delete(channelId);
      const row = await firstRow<Row>(
        db,
        `insert into channel_workspaces (channel_id, workspace_id, slack_user_id) values ($1, $2, $3)
         on conflict (channel_id) do update set workspace_id = excluded.workspace_id, slack_user_id = excluded.slack_user_id, set_at = now()
         returning channel_id, workspace_id, slack_user_id, set_at`,
        [channelId, workspaceId, slackUserId],
      );
      const written = toChannelWorkspace(row!);
      if (soleWriter) kept.set(channelId, Promise.resolve(written));
      return written;
    },
  };
}
