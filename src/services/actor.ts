/** Who asked for something: a Slack user of a Slack team. Services need nothing more of Slack. */
export interface Actor {
  userId: string;
  /** The installing workspace for its members (whichever workspace of a Grid organisation Slack names as theirs), else their own. */
  teamId: string;
}

/** Where the app is installed: one workspace, or (an org-wide install) a whole Enterprise Grid organisation. */
export interface Installation {
  teamId: string;
  /** The workspace's Enterprise Grid organisation, or null. */
  enterpriseId: string | null;
  /** Installed for the whole organisation: everyone in it counts as a member. */
  enterpriseInstall: boolean;
}

/** Why someone may not change participant groups. */
export type ChangeRefusal =
  /** They do not belong to the workspace that installed the app (e.g. Slack Connect, or another workspace of the organisation). */
  | 'other_workspace'
  /** ALLOWED_USER_IDS is set and does not name them. */
  | 'not_allowed'
  /** Slack could not say which workspace they belong to, so the first rule cannot be checked. */
  | 'workspace_unknown';

/**
 * Why someone may not message participants (or forget one). Changing groups is not enough: a message
 * cannot be recalled, so the sender must be named in MESSAGE_USER_IDS, or in ALLOWED_USER_IDS when
 * MESSAGE_USER_IDS is unset. With neither set nobody may (`no_list`).
 */
export type MessageRefusal = ChangeRefusal | 'no_list';

/** Why someone may not switch a channel's Prolific workspace. */
export type WorkspaceSwitchRefusal =
  /** ADMIN_USER_IDS is set and does not name them. */
  | 'not_admin'
  /** No admins are set, and they may not change groups either. */
  | ChangeRefusal;

/**
 * Why someone may not see participant ids (member lists and exports): they belong to another
 * organisation (a partner's user in a Slack Connect channel), or Slack could not say which.
 */
export type IdsRefusal = 'other_organisation' | 'workspace_unknown';

/** What one person may do. */
export interface Permissions {
  /** Null when they may change groups and what channels watch; otherwise why not. */
  change: ChangeRefusal | null;
  /** Null when they may see participant ids; otherwise why not. Reading names and counts is open to all. */
  ids: IdsRefusal | null;
  /** An admin of the app may confirm, cancel or retry other people's previews. */
  admin: boolean;
  /** Null when they may message a group's participants (and forget a participant); otherwise why not. */
  message: MessageRefusal | null;
  /** Null when they may switch the Prolific workspace a channel works in; otherwise why not. */
  switchWorkspace: WorkspaceSwitchRefusal | null;
  /** Who can help someone refused: the admins of the app, else the people allowed to change groups. */
  helpers: Helpers;
}

/** The people a refusal names, so the reader knows whom to ask (never a configuration variable). */
export interface Helpers {
  /** ADMIN_USER_IDS. */
  admins: string[];
  /** ALLOWED_USER_IDS, when set (the first few). */
  allowed: string[];
}

/** How many allowed users a refusal names. */
const HELPERS_NAMED = 5;

/** Who sent one request: the person, their workspace and organisation, and what they may do. */
export interface RequestActor extends Actor {
  /** The Enterprise Grid organisation, when there is one. */
  enterpriseId: string | null;
  permissions: Permissions;
}

/** What Slack told of the person behind a request. `teamKnown` is false when their own workspace could not be learnt. */
export interface ActorIdentity extends Actor {
  enterpriseId: string | null;
  /**
   * Every workspace they belong to. On Enterprise Grid, users.info's `team_id` is one workspace of the
   * organisation and `enterprise_user.teams` lists all of theirs; off Grid it is their one team.
   */
  teamIds: string[];
  teamKnown: boolean;
}

/**
 * Who may change groups: the installing workspace's members, limited to an allow-list when one is set.
 * A person whose workspace is unknown may change nothing (the check fails closed) but may still read.
 */
export class ChangePermissions {
  constructor(
    private readonly home: Installation,
    private readonly allowedUserIds: string[] | null,
    private readonly adminUserIds: string[] = [],
    /** MESSAGE_USER_IDS; null when unset (ALLOWED_USER_IDS then decides). */
    private readonly messageUserIds: string[] | null = null,
  ) {}

  /**
   * Whether they belong to the installing workspace: one of their workspaces is it (Grid members of
   * other workspaces of the organisation are not), or, for an org-wide install, they are of the
   * organisation. Someone of another organisation (Slack Connect) never is.
   */
  isMember(identity: Pick<ActorIdentity, 'teamId' | 'teamIds' | 'enterpriseId'>): boolean {
    const { home } = this;
    if (home.enterpriseInstall) return home.enterpriseId !== null && identity.enterpriseId === home.enterpriseId;
    if (home.enterpriseId !== null && identity.enterpriseId !== null && identity.enterpriseId !== home.enterpriseId) return false;
    return identity.teamId === home.teamId || identity.teamIds.includes(home.teamId);
  }

  /**
   * Whether they belong to the installing organisation: a member of the installing workspace, or, on
   * Enterprise Grid, of any workspace of its organisation. A Slack Connect user of a partner is not.
   */
  isOfOrganisation(identity: Pick<ActorIdentity, 'teamId' | 'teamIds' | 'enterpriseId'>): boolean {
    return this.isMember(identity) || (this.home.enterpriseId !== null && identity.enterpriseId === this.home.enterpriseId);
  }

  /** Null when they may see participant ids; fails closed when their workspace is unknown. */
  idsRefusal(identity: ActorIdentity): IdsRefusal | null {
    if (!identity.teamKnown) return 'workspace_unknown';
    return this.isOfOrganisation(identity) ? null : 'other_organisation';
  }

  /** A preview is confirmed, cancelled or retried by whoever asked for it, or by an admin of the app. */
  mayActFor(actor: Actor, requesterId: string): boolean {
    return actor.userId === requesterId || this.isAdmin(actor);
  }

  /** Null when allowed; otherwise why not. */
  refusal(identity: ActorIdentity): ChangeRefusal | null {
    if (!identity.teamKnown) return 'workspace_unknown';
    if (!this.isMember(identity)) return 'other_workspace';
    if (this.allowedUserIds && !this.allowedUserIds.includes(identity.userId)) return 'not_allowed';
    return null;
  }

  /**
   * Null when they may message participants: a member of the installing workspace (never Slack
   * Connect, never an unknown workspace) named in MESSAGE_USER_IDS, or in ALLOWED_USER_IDS when
   * MESSAGE_USER_IDS is unset. With neither list set nobody may: changing groups is not enough.
   */
  messageRefusal(identity: ActorIdentity): MessageRefusal | null {
    if (!identity.teamKnown) return 'workspace_unknown';
    if (!this.isMember(identity)) return 'other_workspace';
    const list = this.messageUserIds ?? this.allowedUserIds;
    if (list === null) return 'no_list';
    return list.includes(identity.userId) ? null : 'not_allowed';
  }

  /** Null when they may switch a channel's Prolific workspace: the admins, or, with no admins set, whoever may change groups. */
  workspaceSwitchRefusal(identity: ActorIdentity): WorkspaceSwitchRefusal | null {
    const change = this.refusal(identity);
    if (this.adminUserIds.length === 0) return change;
    if (change === 'workspace_unknown' || change === 'other_workspace') return change;
    return this.adminUserIds.includes(identity.userId) ? null : 'not_admin';
  }

  /** The actor of a request, with their permissions; a member acts as one of the installing workspace. */
  actor(identity: ActorIdentity): RequestActor {
    const { userId, enterpriseId, teamKnown } = identity;
    const member = teamKnown && this.isMember(identity);
    const actor = { userId, teamId: member ? this.home.teamId : identity.teamId };
    const permissions: Permissions = {
      change: this.refusal(identity),
      ids: this.idsRefusal(identity),
      admin: member && this.isAdmin(actor),
      message: this.messageRefusal(identity),
      switchWorkspace: this.workspaceSwitchRefusal(identity),
      helpers: this.helpers(),
    };
    return { ...actor, enterpriseId, permissions };
  }

  /** The admins, and the first few allowed users: whom a refused person can ask. */
  helpers(): Helpers {
    return { admins: [...this.adminUserIds], allowed: (this.allowedUserIds ?? []).slice(0, HELPERS_NAMED) };
  }

  private isAdmin(actor: Actor): boolean {
    return actor.teamId === this.home.teamId && this.adminUserIds.includes(actor.userId);
  }
}
