/** Who asked for something: a Slack user of a Slack team. Services need nothing more of Slack. */
export interface Actor {
  userId: string;
  teamId: string;
}

/** Why someone may not change participant groups. */
export type ChangeRefusal =
  /** They belong to another workspace than the one that installed the app (e.g. through Slack Connect). */
  | 'other_workspace'
  /** ALLOWED_USER_IDS is set and does not name them. */
  | 'not_allowed'
  /** Slack could not say which workspace they belong to, so the first rule cannot be checked. */
  | 'workspace_unknown';

/** What one person may do. */
export interface Permissions {
  /** Null when they may change groups and what channels watch; otherwise why not. */
  change: ChangeRefusal | null;
  /** An admin of the app may confirm, cancel or retry other people's previews. */
  admin: boolean;
}

/** Who sent one request: the person, their workspace and organisation, and what they may do. */
export interface RequestActor extends Actor {
  /** The Enterprise Grid organisation, when there is one. */
  enterpriseId: string | null;
  permissions: Permissions;
}

/** What Slack told of the person behind a request. `teamKnown` is false when their own workspace could not be learnt. */
export interface ActorIdentity extends Actor {
  enterpriseId: string | null;
  teamKnown: boolean;
}

/**
 * Who may change groups: the installing team's members, limited to an allow-list when one is set.
 * A person whose workspace is unknown may change nothing (the check fails closed) but may still read.
 */
export class ChangePermissions {
  constructor(
    private readonly homeTeamId: string,
    private readonly allowedUserIds: string[] | null,
    private readonly adminUserIds: string[] = [],
  ) {}

  /** A preview is confirmed, cancelled or retried by whoever asked for it, or by an admin of the app. */
  mayActFor(actor: Actor, requesterId: string): boolean {
    return actor.userId === requesterId || this.isAdmin(actor);
  }

  /** Null when allowed; otherwise why not. */
  refusal(actor: Actor, teamKnown = true): ChangeRefusal | null {
    if (!teamKnown) return 'workspace_unknown';
    if (actor.teamId !== this.homeTeamId) return 'other_workspace';
    if (this.allowedUserIds && !this.allowedUserIds.includes(actor.userId)) return 'not_allowed';
    return null;
  }

  /** The actor of a request, with their permissions. */
  actor(identity: ActorIdentity): RequestActor {
    const { userId, teamId, enterpriseId, teamKnown } = identity;
    return {
      userId,
      teamId,
      enterpriseId,
      permissions: { change: this.refusal(identity, teamKnown), admin: teamKnown && this.isAdmin(identity) },
    };
  }

  private isAdmin(actor: Actor): boolean {
    return actor.teamId === this.homeTeamId && this.adminUserIds.includes(actor.userId);
  }
}
