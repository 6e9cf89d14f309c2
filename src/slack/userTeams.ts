import type { WebClient } from '@slack/web-api';

/** The workspace (and organisation) a user belongs to, as users.info says. */
export interface UserTeam {
  /** On Enterprise Grid, one workspace of the organisation, the same whichever workspace they use. */
  teamId: string;
  enterpriseId: string | null;
  /** Every workspace they belong to: `enterprise_user.teams` on Grid, else their one team. */
  teamIds: string[];
}

/**
 * Which workspace each user belongs to, asked of Slack (users.info) and kept for a while, so that
 * a user's commands cost one lookup every ten minutes rather than one each. A failed lookup is not
 * kept: the next request asks again. One per bot, so two bots in one process share nothing.
 */
export class UserTeams {
  private readonly known = new Map<string, UserTeam & { until: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 5000,
  ) {}

  /** Throws when Slack does not answer or does not say. */
  async lookup(client: WebClient, userId: string): Promise<UserTeam> {
    const cached = this.known.get(userId);
    if (cached && cached.until > Date.now()) return { teamId: cached.teamId, enterpriseId: cached.enterpriseId, teamIds: cached.teamIds };
    const res = await client.users.info({ user: userId });
    const teamId = res.user?.team_id;
    if (!teamId) throw new Error('users.info named no team');
    const grid = res.user?.enterprise_user;
    const team = { teamId, enterpriseId: grid?.enterprise_id ?? null, teamIds: [...new Set([teamId, ...(grid?.teams ?? [])])] };
    if (this.ttlMs > 0) {
      if (this.known.size >= this.maxEntries) this.known.clear();
      this.known.set(userId, { ...team, until: Date.now() + this.ttlMs });
    }
    return team;
  }
}
