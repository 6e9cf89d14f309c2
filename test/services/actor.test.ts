import { type ActorIdentity, ChangePermissions } from '../../src/services/actor';

const HOME = 'T_HOME';
const person = (userId: string, teamId = HOME, teamKnown = true): ActorIdentity => ({ userId, teamId, enterpriseId: null, teamKnown });

describe('ChangePermissions: who may change groups', () => {
  it('without an allow-list, every member of the installing workspace, and nobody from another', () => {
    const permissions = new ChangePermissions(HOME, null);
    expect(permissions.refusal(person('U_ANY'))).toBeNull();
    expect(permissions.refusal(person('U_GUEST', 'T_PARTNER'))).toBe('other_workspace');
  });

  it('with ALLOWED_USER_IDS, only the people it names, and still only from the installing workspace', () => {
    const permissions = new ChangePermissions(HOME, ['U_ALLOWED', 'U_GUEST']);
    expect(permissions.refusal(person('U_ALLOWED'))).toBeNull();
    expect(permissions.refusal(person('U_OTHER'))).toBe('not_allowed');
    // Being named does not make a member of another workspace one of the installing workspace's.
    expect(permissions.refusal(person('U_GUEST', 'T_PARTNER'))).toBe('other_workspace');
  });

  it('an empty allow-list allows nobody', () => {
    expect(new ChangePermissions(HOME, []).refusal(person('U_ANY'))).toBe('not_allowed');
  });

  it('fails closed when the workspace is unknown: no change, whoever it is', () => {
    const permissions = new ChangePermissions(HOME, ['U_ALLOWED'], ['U_ALLOWED']);
    const unknown = permissions.actor(person('U_ALLOWED', HOME, false));
    expect(unknown.permissions).toEqual({ change: 'workspace_unknown', admin: false });
  });
});

describe('ChangePermissions: acting on someone else’s preview', () => {
  const permissions = new ChangePermissions(HOME, null, ['U_ADMIN']);

  it('the requester may; another person may not', () => {
    expect(permissions.mayActFor(person('U_REQ'), 'U_REQ')).toBe(true);
    expect(permissions.mayActFor(person('U_OTHER'), 'U_REQ')).toBe(false);
  });

  it('an admin of the app may, but only as a member of the installing workspace', () => {
    expect(permissions.mayActFor(person('U_ADMIN'), 'U_REQ')).toBe(true);
    expect(permissions.mayActFor(person('U_ADMIN', 'T_PARTNER'), 'U_REQ')).toBe(false);
  });
});

describe('ChangePermissions.actor', () => {
  it('carries who asked, their organisation and what they may do', () => {
    const permissions = new ChangePermissions(HOME, ['U_ADMIN', 'U_ALLOWED'], ['U_ADMIN']);
    expect(permissions.actor({ userId: 'U_ADMIN', teamId: HOME, enterpriseId: 'E_ORG', teamKnown: true })).toEqual({
      userId: 'U_ADMIN',
      teamId: HOME,
      enterpriseId: 'E_ORG',
      permissions: { change: null, admin: true },
    });
    expect(permissions.actor(person('U_ALLOWED')).permissions).toEqual({ change: null, admin: false });
    expect(permissions.actor(person('U_OTHER')).permissions).toEqual({ change: 'not_allowed', admin: false });
    expect(permissions.actor(person('U_ADMIN', 'T_PARTNER')).permissions).toEqual({ change: 'other_workspace', admin: false });
  });
});
