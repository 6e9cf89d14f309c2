// Which Prolific workspace each Slack channel works in, when someone chose one (/pgroup workspace).
// A channel with no row works in the default workspace.
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

export function createChannelWorkspaceStore(db: Queryable): ChannelWorkspaceStore {
  return {
    async getChannelWorkspace(channelId) {
      const row = await firstRow<Row>(db, 'select channel_id, workspace_id, slack_user_id, set_at from channel_workspaces where channel_id = $1', [channelId]);
      return row ? toChannelWorkspace(row) : null;
    },
    async setChannelWorkspace({ channelId, workspaceId, slackUserId }) {
      const row = await firstRow<Row>(
        db,
        `insert into channel_workspaces (channel_id, workspace_id, slack_user_id) values ($1, $2, $3)
         on conflict (channel_id) do update set workspace_id = excluded.workspace_id, slack_user_id = excluded.slack_user_id, set_at = now()
         returning channel_id, workspace_id, slack_user_id, set_at`,
        [channelId, workspaceId, slackUserId],
      );
      return toChannelWorkspace(row!);
    },
  };
}
