import { changeRefusalText, messageRefusalText, renderChangeRefusal, renderMessageRefusal, workspaceSwitchRefusalText } from '../../../src/slack/blocks/permissions';

const ADMINS = { admins: ['U_ADMIN'], allowed: ['U_ALICE', 'U_BOB'] };
const NO_ADMINS = { admins: [], allowed: ['U_ALICE', 'U_BOB'] };

describe('changeRefusalText', () => {
  it('names the people who can help, as mentions, never a configuration variable', () => {
    expect(changeRefusalText('not_allowed', ADMINS)).toBe(
      'You are not on the list of people who may change participant groups. Ask <@U_ADMIN> (the admin of this app) to add you. You can still list and view them.',
    );
    expect(changeRefusalText('not_allowed', NO_ADMINS)).toContain('Ask <@U_ALICE> or <@U_BOB>, who may change groups, to add you.');
    expect(JSON.stringify(renderChangeRefusal('not_allowed', ADMINS).blocks)).toContain(':no_entry: You are not on the list');
    // In plain text (a form's inline error) a mention would show as <@U…>: the people are described instead.
    expect(changeRefusalText('not_allowed', ADMINS, true)).toContain('Ask an admin of this app to add you.');
    expect(changeRefusalText('not_allowed', ADMINS)).not.toMatch(/_USER_IDS/);
  });
});

describe('messageRefusalText', () => {
  it('says changing groups is not enough, names the list, and that nothing was sent', () => {
    const text = messageRefusalText('not_allowed', ADMINS, false);
    expect(text).toContain('needs more than changing groups');
    expect(text).toContain('ask <@U_ADMIN> (the admin of this app) to add you');
    expect(text).not.toMatch(/_USER_IDS/);
    expect(text).toMatch(/Nothing was sent/);
  });

  it('with no list set, says nobody may yet', () => {
    expect(messageRefusalText('no_list')).toMatch(/^Nobody may message participants yet/);
  });

  it('every reason says nothing was sent, as a refusal', () => {
    for (const reason of ['other_workspace', 'not_allowed', 'no_list', 'workspace_unknown'] as const) {
      expect(messageRefusalText(reason)).toMatch(/nothing was sent/i);
      expect(JSON.stringify(renderMessageRefusal(reason).blocks)).toContain(':no_entry:');
    }
  });
});

describe('workspaceSwitchRefusalText', () => {
  it('names the admins, or the reason one may not change groups, and that nothing changed', () => {
    expect(workspaceSwitchRefusalText('not_admin', ADMINS, false)).toMatch(/admins of this app \(<@U_ADMIN>\).*Nothing was changed/);
    expect(workspaceSwitchRefusalText('not_allowed', ADMINS, false)).toMatch(/Ask <@U_ADMIN>.*workspace was not changed/);
  });
});
