/** Who asked for something: a Slack user of a Slack team. Services need nothing more of Slack. */
export interface Actor {
  userId: string;
  teamId: string;
}

/** Who may change groups: the installing team's members, limited to an allow-list when one is set. */
export class ChangePermissions {
  constructor(
    private readonly homeTeamId: string,
    private readonly allowedUserIds: string[] | null,
    private readonly adminUserIds: string[] = [],
  ) {}

  /** A preview is confirmed, cancelled or retried by whoever asked for it, or by an admin of the app. */
  mayActFor(actor: Actor, requesterId: string): boolean {
    return actor.userId === requesterId || (actor.teamId === this.homeTeamId && this.adminUserIds.includes(actor.userId));
  }

  /** Null when allowed; otherwise the reason, in the user's words. */
  refusal(actor: Actor): string | null {
    if (actor.teamId !== this.homeTeamId) {
      return 'Only members of the workspace that installed this app can change participant groups. You can still list and view them.';
    }
    if (this.allowedUserIds && !this.allowedUserIds.includes(actor.userId)) {
      return 'You are not on the list of people who may change participant groups. Ask an admin of this app to add you to ALLOWED_USER_IDS.';
    }
    return null;
  }
}
