import { WatchList } from '../../src/services/watchList';
import { openStore } from '../../src/store';
import type { NewAuditEntry } from '../../src/store/audit';
import type { Store } from '../../src/store/types';
import type { WatchState } from '../../src/store/watchState';

let store: Store;
let list: WatchList;

beforeAll(async () => {
  store = await openStore();
  list = new WatchList(store);
  const watch = (teamId: string, channelId: string, groupId: string, groupName: string) => store.subscribe({ teamId, channelId, groupId, groupName, createdBy: 'U_ALICE' });
  await watch('T_HOME', 'C_ONE', 'g1', 'Panel as first watched');
  await watch('T_HOME', 'C_TWO', 'g1', 'Panel as first watched');
  await watch('T_HOME', 'C_ONE', 'g2', 'Never read');
  await watch('T_OTHER', 'C_ELSEWHERE', 'g1', 'Panel as first watched');
  const state: WatchState = { groupId: 'g1', name: 'Panel renamed', participantCount: 7, isDeleted: false, memberIds: null, round: 1, lastPolledAt: null, lastChangeAt: null, lastChangeSummary: null, backoffUntil: null };
  await store.saveWatchState(state);
  const entry = (teamId: string, groupName: string): NewAuditEntry => ({ slackUserId: 'U_ALICE', slackTeamId: teamId, action: 'add', groupId: 'g1', groupName, beforeName: null, afterName: null, beforeCount: 1, afterCount: 2, added: 1, removed: 0, outcome: 'applied', error: null, operationId: null, snapshotId: null });
  for (let i = 0; i < 12; i += 1) await store.appendAudit(entry('T_HOME', `change ${i}`));
  await store.appendAudit(entry('T_OTHER', 'elsewhere'));
});
afterAll(async () => {
  await store.close();
});

describe('WatchList', () => {
  it('gives each matching subscription with its group as the watcher last saw it, or null before the first read', async () => {
    const watched = await list.watched({ channelId: 'C_ONE' });
    const byGroup = Object.fromEntries(watched.map((w) => [w.subscription.groupId, w]));
    expect(Object.keys(byGroup).sort()).toEqual(['g1', 'g2']);
    expect(byGroup.g1!.state).toMatchObject({ name: 'Panel renamed', participantCount: 7 });
    expect(byGroup.g1!.subscription.groupName).toBe('Panel as first watched');
    expect(byGroup.g2!.state).toBeNull();
  });

  it('App Home: only the team’s own subscriptions and its ten latest changes, newest first', async () => {
    const home = await list.home('T_HOME');
    expect(home.watched.map((w) => w.subscription.channelId).sort()).toEqual(['C_ONE', 'C_ONE', 'C_TWO']);
    expect(home.recentChanges.map((e) => e.groupName)).toEqual(Array.from({ length: 10 }, (_, i) => `change ${11 - i}`));
  });
});
