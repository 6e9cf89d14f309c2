import { messageRefusalText, renderMessageRefusal, workspaceSwitchRefusalText } from '../../../src/slack/blocks/permissions';

describe('messageRefusalText', () => {
  it('says changing groups is not enough, names the list, and that nothing was sent', () => {
    const text = messageRefusalText('not_allowed');
    expect(text).toContain('needs more than changing groups');
    expect(text).toContain('MESSAGE_USER_IDS');
    expect(text).toContain('ALLOWED_USER_IDS');
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
    expect(workspaceSwitchRefusalText('not_admin')).toMatch(/ADMIN_USER_IDS.*Nothing was changed/);
    expect(workspaceSwitchRefusalText('not_allowed')).toMatch(/ALLOWED_USER_IDS.*workspace was not changed/);
  });
});
