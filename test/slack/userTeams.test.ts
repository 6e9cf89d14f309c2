// The bot's memory of which workspace each user belongs to, against the local Slack Web API.
import { WebClient } from '@slack/web-api';
import { LocalSlack } from '../../src/local/slack';
import { UserTeams } from '../../src/slack/userTeams';

let slack: LocalSlack;
let client: WebClient;

beforeAll(async () => {
  slack = await LocalSlack.start({ botToken: 'xoxb-user-teams-test' });
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => slack.reset());

const lookups = () => slack.callsTo('users.info').length;

describe('UserTeams', () => {
  it('asks Slack once per user while the answer is fresh', async () => {
    const teams = new UserTeams();
    expect(await teams.lookup(client, 'U_EXT')).toEqual({ teamId: 'T0OTHER', enterpriseId: null, teamIds: ['T0OTHER'] });
    expect(await teams.lookup(client, 'U_EXT')).toEqual({ teamId: 'T0OTHER', enterpriseId: null, teamIds: ['T0OTHER'] });
    expect(await teams.lookup(client, 'U_ALICE')).toEqual({ teamId: slack.teamId, enterpriseId: null, teamIds: [slack.teamId] });
    expect(lookups()).toBe(2);
  });

  it('asks again once the answer is older than its time to live', async () => {
    const teams = new UserTeams(0);
    await teams.lookup(client, 'U_ALICE');
    await teams.lookup(client, 'U_ALICE');
    expect(lookups()).toBe(2);
  });

  it('keeps no failure: the next lookup asks again', async () => {
    const teams = new UserTeams();
    slack.failNext('users.info', { error: 'internal_error' });
    await expect(teams.lookup(client, 'U_ALICE')).rejects.toMatchObject({ data: { error: 'internal_error' } });
    expect(await teams.lookup(client, 'U_ALICE')).toEqual({ teamId: slack.teamId, enterpriseId: null, teamIds: [slack.teamId] });
    await expect(teams.lookup(client, 'U_NOBODY')).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    expect(lookups()).toBe(3);
  });

  it('on Enterprise Grid, keeps the organisation and every workspace the user belongs to, not only their one fixed team', async () => {
    const org = { id: 'E0LOCALORG', name: 'Local Org' };
    const grid = await LocalSlack.start({ botToken: 'xoxb-user-teams-grid', enterprise: org });
    try {
      grid.addUser({ id: 'W_GINA', name: 'gina', teamId: 'T0SISTER', enterprise: { ...org, teams: ['T0SISTER', grid.teamId] } });
      const gridClient = new WebClient(grid.botToken, { slackApiUrl: grid.apiUrl, retryConfig: { retries: 0 } });
      expect(await new UserTeams().lookup(gridClient, 'W_GINA')).toEqual({ teamId: 'T0SISTER', enterpriseId: org.id, teamIds: ['T0SISTER', grid.teamId] });
      expect(await new UserTeams().lookup(gridClient, 'U_EXT')).toEqual({ teamId: 'T0OTHER', enterpriseId: null, teamIds: ['T0OTHER'] });
    } finally {
      await grid.close();
    }
  });

  it('two bots keep separate memories', async () => {
    await new UserTeams().lookup(client, 'U_ALICE');
    await new UserTeams().lookup(client, 'U_ALICE');
    expect(lookups()).toBe(2);
  });
});
