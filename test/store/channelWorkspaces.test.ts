// The embedded store keeps each channel's workspace choice once read or written (every request
// reads its channel's). What it keeps must stay what the database holds: a write whose answer was
// lost, or a read that failed, leaves the channel to be read again.
import type { Database, Queryable } from '../../src/store/database';
import { createChannelWorkspaceStore } from '../../src/store/channelWorkspaces';
import { migrate } from '../../src/store/migrations';
import { openPgliteDatabase } from '../../src/store/pgliteDatabase';

let db: Database;
beforeAll(async () => {
  db = await openPgliteDatabase(undefined);
  await migrate(db, () => {});
});
afterAll(async () => {
  await db.close();
});

/** The database, counting the statements sent and failing the next one when told: before it runs, or after (its answer lost). */
function watched(): Queryable & { statements: number; failNext: 'before' | 'after' | null } {
  const q = {
    statements: 0,
    failNext: null as 'before' | 'after' | null,
    async query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
      q.statements += 1;
      const failing = q.failNext;
      q.failNext = null;
      if (failing === 'before') throw new Error('connection lost');
      const rows = await db.query<Row>(sql, params);
      if (failing === 'after') throw new Error('connection lost');
      return rows;
    },
  };
  return q;
}

describe('channel workspace choices on the embedded store', () => {
  it('reads a channel once, and sees its own writes at once', async () => {
    const q = watched();
    const store = createChannelWorkspaceStore(q, { soleWriter: true });
    expect(await store.getChannelWorkspace('C_ONCE')).toBeNull();
    expect(await store.getChannelWorkspace('C_ONCE')).toBeNull();
    expect(q.statements).toBe(1);
    await store.setChannelWorkspace({ channelId: 'C_ONCE', workspaceId: 'w1', slackUserId: 'U1' });
    expect(await store.getChannelWorkspace('C_ONCE')).toMatchObject({ workspaceId: 'w1' });
    expect(q.statements).toBe(2);
  });

  it('reads a channel again after a write whose answer was lost, and finds what the database holds', async () => {
    const q = watched();
    const store = createChannelWorkspaceStore(q, { soleWriter: true });
    await store.setChannelWorkspace({ channelId: 'C_LOST', workspaceId: 'w1', slackUserId: 'U1' });
    q.failNext = 'after';
    await expect(store.setChannelWorkspace({ channelId: 'C_LOST', workspaceId: 'w2', slackUserId: 'U1' })).rejects.toThrow('connection lost');
    expect(await store.getChannelWorkspace('C_LOST')).toMatchObject({ workspaceId: 'w2' });
  });

  it('keeps no failed read, and no read a write overtook', async () => {
    const q = watched();
    const store = createChannelWorkspaceStore(q, { soleWriter: true });
    q.failNext = 'before';
    await expect(store.getChannelWorkspace('C_READ')).rejects.toThrow('connection lost');
    expect(await store.getChannelWorkspace('C_READ')).toBeNull();
    // A read under way when a write starts answers as of before it; the next read sees the write.
    const before = store.getChannelWorkspace('C_RACE');
    const writing = store.setChannelWorkspace({ channelId: 'C_RACE', workspaceId: 'w3', slackUserId: 'U1' });
    const during = store.getChannelWorkspace('C_RACE');
    await writing;
    expect(await before).toBeNull();
    expect(await during).toMatchObject({ workspaceId: 'w3' });
    expect(await store.getChannelWorkspace('C_RACE')).toMatchObject({ workspaceId: 'w3' });
  });
});
