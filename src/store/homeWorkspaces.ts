// Which Prolific workspace each person works in from the app's Home tab, when the app serves
// several and they chose one there. What they start from Home (the upload and rename forms, a
// group's Show button) has no channel to take a workspace from: it works in this one.
import type { Queryable } from './database';
import { firstRow, toDate } from './sqlValues';

export interface HomeWorkspace {
  slackUserId: string;
  workspaceId: string;
  setAt: Date;
}

export interface HomeWorkspaceStore {
  getHomeWorkspace(slackUserId: string): Promise<HomeWorkspace | null>;
  /** Records the person's choice, replacing any earlier one. */
  setHomeWorkspace(input: { slackUserId: string; workspaceId: string }): Promise<HomeWorkspace>;
}

interface Row {
  slack_user_id: string;
  workspace_id: string;
  set_at: unknown;
}

function toHomeWorkspace(row: Row): HomeWorkspace {
  return { slackUserId: row.slack_user_id, workspaceId: row.workspace_id, setAt: toDate(row.set_at) };
}

export function createHomeWorkspaceStore(db: Queryable): HomeWorkspaceStore {
  return {
    async getHomeWorkspace(slackUserId) {
      const row = await firstRow<Row>(db, 'select slack_user_id, workspace_id, set_at from home_workspaces where slack_user_id = $1', [slackUserId]);
      return row ? toHomeWorkspace(row) : null;
    },
    async setHomeWorkspace({ slackUserId, workspaceId }) {
      const row = await firstRow<Row>(
        db,
        `insert into home_workspaces (slack_user_id, workspace_id) values ($1, $2)
         on conflict (slack_user_id) do update set workspace_id = excluded.workspace_id, set_at = now()
         returning slack_user_id, workspace_id, set_at`,
        [slackUserId, workspaceId],
      );
      return toHomeWorkspace(row!);
    },
  };
}
