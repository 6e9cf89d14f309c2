import { type ActorIdentity, ChangePermissions, type Installation } from '../../src/services/actor';

const HOME = 'T_HOME';
const INSTALLED: Installation = { teamId: HOME, enterpriseId: null, enterpriseInstall: false };
const person = (userId: string, teamId = HOME, teamKnown = true): ActorIdentity => ({ userId, teamId, teamIds: [teamId], enterpriseId: null, teamKnown });

describe('ChangePermissions: who may change groups', () => {
  it('without an allow-list, every member of the installing workspace, and nobody from another', () => {
    const permissions = new ChangePermissions(INSTALLED, null);
    expect(permissions.refusal(person('U_ANY'))).toBeNull();
    expect(permissions.refusal(person('U_GUEST', 'T_PARTNER'))).toBe('other_workspace');
  });

  it('with ALLOWED_USER_IDS, only the people it names, and still only from the installing workspace', () => {
    const permissions = new ChangePermissions(INSTALLED, ['U_ALLOWED', 'U_GUEST']);
    expect(permissions.refusal(person('U_ALLOWED'))).toBeNull();
    expect(permissions.refusal(person('U_OTHER'))).toBe('not_allowed');
    // Being named does not make a member of another workspace one of the installing workspace's.
    expect(permissions.refusal(person('U_GUEST', 'T_PARTNER'))).toBe('other_workspace');
  });

  it('an empty allow-list allows nobody', () => {
    expect(new ChangePermissions(INSTALLED, []).refusal(person('U_ANY'))).toBe('not_allowed');
  });

  it('fails closed when the workspace is unknown: no change, whoever it is', () => {
    const permissions = new ChangePermissions(INSTALLED, ['U_ALLOWED'], ['U_ALLOWED']);
    const unknown = permissions.actor(person('U_ALLOWED', HOME, false));
    expect(unknown.permissions).toEqual({ change: 'workspace_unknown', ids: 'workspace_unknown', admin: false, message: 'workspace_unknown', switchWorkspace: 'workspace_unknown', helpers: { admins: ['U_ALLOWED'], allowed: ['U_ALLOWED'] } });
  });
});

describe('ChangePermissions: acting on someone else’s preview', () => {
  const permissions = new ChangePermissions(INSTALLED, null, ['U_ADMIN']);

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
    const permissions = new ChangePermissions(INSTALLED, ['U_ADMIN', 'U_ALLOWED'], ['U_ADMIN']);
    // Whom a refused person is told to ask: the admins, and the people allowed to change groups.
    const HELPERS = { admins: ['U_ADMIN'], allowed: ['U_ADMIN', 'U_ALLOWED'] };
    expect(permissions.actor({ userId: 'U_ADMIN', teamId: HOME, teamIds: [HOME], enterpriseId: 'E_ORG', teamKnown: true })).toEqual({
      userId: 'U_ADMIN',
      teamId: HOME,
      enterpriseId: 'E_ORG',
      permissions: { change: null, ids: null, admin: true, message: null, switchWorkspace: null, helpers: HELPERS },
    });
    expect(permissions.actor(person('U_ALLOWED')).permissions).toEqual({ change: null, ids: null, admin: false, message: null, switchWorkspace: 'not_admin', helpers: HELPERS });
    expect(permissions.actor(person('U_OTHER')).permissions).toEqual({ change: 'not_allowed', ids: null, admin: false, message: 'not_allowed', switchWorkspace: 'not_admin', helpers: HELPERS });
    expect(permissions.actor(person('U_ADMIN', 'T_PARTNER')).permissions).toEqual({ change: 'other_workspace', ids: 'other_organisation', admin: false, message: 'other_workspace', switchWorkspace: 'other_workspace', helpers: HELPERS });
  });
});

describe('ChangePermissions on Enterprise Grid', () => {
  const ORG = 'E_ORG';
  const onGrid: Installation = { teamId: HOME, enterpriseId: ORG, enterpriseInstall: false };
  // users.info on Grid: team_id is one workspace of the organisation; enterprise_user.teams lists all of the user's.
  const gridUser = (userId: string, teamId: string, teamIds: string[], enterpriseId: string | null = ORG): ActorIdentity => ({ userId, teamId, teamIds, enterpriseId, teamKnown: true });

  it('a member of the installing workspace whose fixed team is another workspace of the organisation may change, and acts as one of the installing workspace', () => {
    const permissions = new ChangePermissions(onGrid, null, ['W_GINA']);
    const actor = permissions.actor(gridUser('W_GINA', 'T_SISTER', ['T_SISTER', HOME]));
    expect(actor).toMatchObject({ userId: 'W_GINA', teamId: HOME, enterpriseId: ORG, permissions: { change: null, ids: null, admin: true } });
    expect(permissions.mayActFor(actor, 'W_SOMEONE')).toBe(true);
  });

  it('someone of the organisation who does not belong to the installing workspace is refused', () => {
    const permissions = new ChangePermissions(onGrid, null, ['W_SAM']);
    expect(permissions.actor(gridUser('W_SAM', 'T_SISTER', ['T_SISTER'])).permissions).toMatchObject({ change: 'other_workspace', ids: null, admin: false, message: 'other_workspace' });
  });

  it('Slack Connect: someone of another organisation is refused, even if a list of theirs claimed the installing workspace', () => {
    const permissions = new ChangePermissions(onGrid, null);
    expect(permissions.refusal(gridUser('W_PAT', 'T_PARTNER', ['T_PARTNER'], 'E_PARTNER'))).toBe('other_workspace');
    expect(permissions.refusal(gridUser('W_ODD', 'T_PARTNER', ['T_PARTNER', HOME], 'E_PARTNER'))).toBe('other_workspace');
    expect(permissions.refusal(gridUser('U_EXT', 'T_OTHER', ['T_OTHER'], null))).toBe('other_workspace');
  });

  it('participant ids: everyone of the organisation may see them, a partner organisation’s user never', () => {
    const permissions = new ChangePermissions(onGrid, ['W_NOBODY']);
    // Another workspace of the organisation, or someone not allowed to change groups: reading ids is theirs.
    expect(permissions.idsRefusal(gridUser('W_SAM', 'T_SISTER', ['T_SISTER']))).toBeNull();
    expect(permissions.idsRefusal(gridUser('W_ANY', HOME, [HOME]))).toBeNull();
    expect(permissions.idsRefusal(gridUser('W_PAT', 'T_PARTNER', ['T_PARTNER'], 'E_PARTNER'))).toBe('other_organisation');
    expect(permissions.idsRefusal(gridUser('U_EXT', 'T_OTHER', ['T_OTHER'], null))).toBe('other_organisation');
    expect(permissions.idsRefusal({ ...gridUser('W_ANY', HOME, [HOME]), teamKnown: false })).toBe('workspace_unknown');
    // Off Grid a workspace is its own organisation.
    expect(new ChangePermissions(INSTALLED, null).idsRefusal(person('U_GUEST', 'T_PARTNER'))).toBe('other_organisation');
  });

  it('an org-wide install counts everyone of the organisation, and nobody else', () => {
    const permissions = new ChangePermissions({ teamId: HOME, enterpriseId: ORG, enterpriseInstall: true }, null);
    expect(permissions.refusal(gridUser('W_SAM', 'T_SISTER', ['T_SISTER']))).toBeNull();
    expect(permissions.refusal(gridUser('W_PAT', 'T_PARTNER', ['T_PARTNER'], 'E_PARTNER'))).toBe('other_workspace');
    // Without the organisation (users.info not asked or silent), membership cannot be shown.
    expect(permissions.refusal(gridUser('W_ANY', HOME, [HOME], null))).toBe('other_workspace');
  });
});

describe('ChangePermissions: who may message participants', () => {
  it('MESSAGE_USER_IDS decides when set: changing groups is not enough, and being on it is enough', () => {
    const permissions = new ChangePermissions(INSTALLED, ['U_CHANGER', 'U_BOTH'], [], ['U_BOTH', 'U_MESSENGER']);
    expect(permissions.messageRefusal(person('U_CHANGER'))).toBe('not_allowed');
    expect(permissions.messageRefusal(person('U_BOTH'))).toBeNull();
    expect(permissions.messageRefusal(person('U_MESSENGER'))).toBeNull();
  });

  it('ALLOWED_USER_IDS decides when MESSAGE_USER_IDS is unset', () => {
    const permissions = new ChangePermissions(INSTALLED, ['U_ALLOWED']);
    expect(permissions.messageRefusal(person('U_ALLOWED'))).toBeNull();
    expect(permissions.messageRefusal(person('U_OTHER'))).toBe('not_allowed');
  });

  it('with neither list set nobody may, though everyone may change groups', () => {
    const permissions = new ChangePermissions(INSTALLED, null);
    expect(permissions.refusal(person('U_ANY'))).toBeNull();
    expect(permissions.messageRefusal(person('U_ANY'))).toBe('no_list');
  });

  it('never a Slack Connect user or someone whose workspace is unknown, even when named', () => {
    const onGrid: Installation = { teamId: HOME, enterpriseId: 'E_ORG', enterpriseInstall: false };
    const permissions = new ChangePermissions(onGrid, null, [], ['W_PAT', 'U_ME']);
    const connect: ActorIdentity = { userId: 'W_PAT', teamId: 'T_PARTNER', teamIds: ['T_PARTNER', HOME], enterpriseId: 'E_PARTNER', teamKnown: true };
    expect(permissions.messageRefusal(connect)).toBe('other_workspace');
    expect(permissions.messageRefusal(person('U_ME', HOME, false))).toBe('workspace_unknown');
  });
});

describe('ChangePermissions: who may switch a channel’s Prolific workspace', () => {
  it('with ADMIN_USER_IDS set, the admins only', () => {
    const permissions = new ChangePermissions(INSTALLED, null, ['U_ADMIN']);
    expect(permissions.workspaceSwitchRefusal(person('U_ADMIN'))).toBeNull();
    expect(permissions.workspaceSwitchRefusal(person('U_CHANGER'))).toBe('not_admin');
    expect(permissions.workspaceSwitchRefusal(person('U_ADMIN', 'T_PARTNER'))).toBe('other_workspace');
  });

  it('with no admins set, whoever may change groups', () => {
    const permissions = new ChangePermissions(INSTALLED, ['U_CHANGER']);
    expect(permissions.workspaceSwitchRefusal(person('U_CHANGER'))).toBeNull();
    expect(permissions.workspaceSwitchRefusal(person('U_READER'))).toBe('not_allowed');
  });
});
