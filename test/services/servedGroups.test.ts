import { SEED_FOREIGN_GROUP_IDS, SEED_GROUP_IDS, SEED_SECOND_GROUP_IDS, SEED_SECOND_WORKSPACE_ID, SEED_WORKSPACE_ID, createSandbox, type Sandbox } from '../../src/local/prolific-sandbox';
import { ProlificClient } from '../../src/prolific';
import { GroupInOtherWorkspaceError, GroupOutsideWorkspaceError, ServedGroups, servesWorkspaces } from '../../src/services/servedGroups';

describe('servesWorkspaces', () => {
  const serves = servesWorkspaces(['5E9B9C9B0F9C9A0001B1CA2F', '5e9b9c9b0f9c9a0001b1ca30']);

  it('serves the workspaces it was given, whatever their case, and no other', () => {
    expect(serves('5e9b9c9b0f9c9a0001b1ca2f')).toBe(true);
    expect(serves('5E9B9C9B0F9C9A0001B1CA30')).toBe(true);
    expect(serves('5e9b9c9b0f9c9a0001b1ca31')).toBe(false);
  });

  it('never serves a group with no workspace (an organisation-level group)', () => {
    expect(serves(null)).toBe(false);
  });
});

describe('ServedGroups', () => {
  let sandbox: Sandbox;
  let client: ProlificClient;
  let groups: ServedGroups;
  beforeAll(async () => {
    sandbox = await createSandbox();
    client = new ProlificClient({ token: sandbox.token, baseUrl: sandbox.url });
    groups = new ServedGroups(client, servesWorkspaces([SEED_WORKSPACE_ID]));
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('reads a group of the workspace with its members', async () => {
    const { group, members } = await groups.withMemberIds(SEED_GROUP_IDS.pilotWave2);
    expect(group.id).toBe(SEED_GROUP_IDS.pilotWave2);
    expect([...members].sort()).toEqual([...sandbox.state.members(SEED_GROUP_IDS.pilotWave2)].sort());
  });

  it.each(Object.values(SEED_FOREIGN_GROUP_IDS))('refuses %s, and never asks for its members', async (groupId) => {
    sandbox.clearRequests();
    await expect(groups.get(groupId)).rejects.toBeInstanceOf(GroupOutsideWorkspaceError);
    await expect(groups.members(groupId)).rejects.toBeInstanceOf(GroupOutsideWorkspaceError);
    await expect(groups.withMemberIds(groupId)).rejects.toMatchObject({ groupId });
    expect(sandbox.requests.map((r) => r.path)).toEqual(Array(3).fill(`/api/v1/participant-groups/${groupId}/`));
  });
});

describe('ServedGroups within a request’s workspace', () => {
  let sandbox: Sandbox;
  let client: ProlificClient;
  beforeAll(async () => {
    sandbox = await createSandbox();
    client = new ProlificClient({ token: sandbox.token, baseUrl: sandbox.url });
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  const lab = { id: SEED_WORKSPACE_ID, title: 'Psychology Lab' };
  const vision = { id: SEED_SECOND_WORKSPACE_ID, title: 'Vision Lab' };
  const scoped = (current: typeof lab | null) =>
    new ServedGroups(client, servesWorkspaces([lab.id, vision.id]), { current: async () => current, get: (id) => [lab, vision].find((w) => w.id === id) ?? null });

  it('refuses a group of another served workspace, naming it, and never asks for its members', async () => {
    sandbox.clearRequests();
    const error = await scoped(lab)
      .members(SEED_SECOND_GROUP_IDS.visionPilot)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GroupInOtherWorkspaceError);
    expect(error).toBeInstanceOf(GroupOutsideWorkspaceError);
    expect(error).toMatchObject({ workspace: vision, current: lab });
    expect(sandbox.requests.map((r) => r.path)).toEqual([`/api/v1/participant-groups/${SEED_SECOND_GROUP_IDS.visionPilot}/`]);
  });

  it('outside a request (no current workspace) serves every served workspace, and remembers each group’s', async () => {
    const groups = scoped(null);
    expect((await groups.get(SEED_SECOND_GROUP_IDS.visionPilot)).id).toBe(SEED_SECOND_GROUP_IDS.visionPilot);
    expect((await groups.get(SEED_GROUP_IDS.pilot)).id).toBe(SEED_GROUP_IDS.pilot);
    expect(groups.workspaceOf(SEED_SECOND_GROUP_IDS.visionPilot)).toBe(vision.id);
    await expect(groups.get(SEED_FOREIGN_GROUP_IDS.otherWorkspace)).rejects.toBeInstanceOf(GroupOutsideWorkspaceError);
  });
});
