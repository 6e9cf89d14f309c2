// The people and conversations of the local workspace, and how Slack's Web API shows them
// (users.info, conversations.info, conversations.open).
//
// Enterprise Grid, as users.info shows it: a user's `team_id` is one fixed workspace of the
// organisation, whichever workspace they are using; `enterprise_user.teams` lists every workspace of
// the organisation they belong to. A Slack Connect user of another organisation keeps their own
// team_id (and their own organisation, when it is on Grid).

import type { LocalEnterprise } from './slackIdentity';

export interface LocalUser {
  id: string;
  /** The user's home workspace: a user of another workspace reaches ours through a shared channel. */
  teamId: string;
  /** The handle (`user.name`), also sent as `user_name` in slash commands. */
  name: string;
  realName: string;
  displayName: string;
  email?: string;
  tz: string;
  tzLabel: string;
  /** Seconds east of UTC, as Slack gives it. */
  tzOffset: number;
  isBot: boolean;
  isAdmin: boolean;
  deleted: boolean;
  /** On Enterprise Grid: the user's organisation and every workspace of it they belong to; null off Grid. */
  enterprise: LocalUserEnterprise | null;
}

export interface LocalUserEnterprise extends LocalEnterprise {
  teams: string[];
}

export interface LocalChannel {
  id: string;
  /** Empty for a DM, which has no name. */
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  /** For a DM: the person on the other side. */
  user?: string;
  created: number;
  /**
   * Whether the app's bot user is in the channel. With chat:write alone Slack lets it post only where
   * it is (not_in_channel), and a private channel it is not in does not exist for it (channel_not_found).
   */
  botIsMember: boolean;
}

export type NewLocalUser = Pick<LocalUser, 'id' | 'name'> & Partial<Omit<LocalUser, 'id' | 'name'>>;
export type NewLocalChannel = Pick<LocalChannel, 'id' | 'name'> & Partial<Omit<LocalChannel, 'id' | 'name'>>;

export const OTHER_TEAM_ID = 'T0OTHER';

const LONDON = { tz: 'Europe/London', tzLabel: 'Greenwich Mean Time', tzOffset: 0 };

export function seededUsers(teamId: string, enterprise: LocalEnterprise | null = null): LocalUser[] {
  const person = (user: NewLocalUser): LocalUser => completeUser(user, teamId, enterprise);
  return [
    person({ id: 'U_ALICE', name: 'alice', realName: 'Alice Archer', displayName: 'Alice', email: 'alice@example.org' }),
    person({
      id: 'U_BOB',
      name: 'bob',
      realName: 'Bob Baker',
      displayName: 'Bob',
      email: 'bob@example.org',
      tz: 'America/New_York',
      tzLabel: 'Eastern Standard Time',
      tzOffset: -18000,
    }),
    person({
      id: 'U_CAROL',
      name: 'carol',
      realName: 'Carol Clarke',
      displayName: 'Carol',
      email: 'carol@example.org',
      isAdmin: true,
    }),
    person({
      id: 'U_EXT',
      name: 'erin.external',
      realName: 'Erin External',
      displayName: 'Erin (partner org)',
      email: 'erin@partner.example',
      teamId: OTHER_TEAM_ID,
      // Slack Connect from a partner organisation that is not on Grid.
      enterprise: null,
      tz: 'Europe/Berlin',
      tzLabel: 'Central European Time',
      tzOffset: 3600,
    }),
  ];
}

/** The playground's channels: the app is a member of both, as after `/invite @pgroup`. */
export function seededChannels(): LocalChannel[] {
  return [
    completeChannel({ id: 'C_GENERAL', name: 'general' }),
    completeChannel({ id: 'C_NOTIFY', name: 'pgroup-notifications' }),
  ];
}

/** A user with defaults filled in: of the local workspace, and of its organisation when it is on Grid. */
export function completeUser(user: NewLocalUser, teamId: string, enterprise: LocalEnterprise | null = null): LocalUser {
  const home = user.teamId ?? teamId;
  return {
    teamId,
    realName: user.name,
    displayName: user.name,
    ...LONDON,
    isBot: false,
    isAdmin: false,
    deleted: false,
    enterprise: enterprise && { ...enterprise, teams: [home] },
    ...user,
  };
}

/** A channel with defaults filled in; the bot is in it unless `botIsMember: false` says otherwise. */
export function completeChannel(channel: NewLocalChannel): LocalChannel {
  return { isPrivate: false, isIm: false, created: 1_700_000_000, botIsMember: true, ...channel };
}

/** A DM's id follows from the person's id, so tests can name it without asking ('U_ALICE' → 'D_ALICE'). */
export function dmChannelId(userId: string): string {
  return `D${userId.slice(1)}`;
}

/** users.info's `user`. */
export function userObject(user: LocalUser): Record<string, unknown> {
  return {
    id: user.id,
    team_id: user.teamId,
    name: user.name,
    deleted: user.deleted,
    color: '9f69e7',
    real_name: user.realName,
    tz: user.tz,
    tz_label: user.tzLabel,
    tz_offset: user.tzOffset,
    profile: {
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.displayName,
      display_name_normalized: user.displayName,
      ...(user.email === undefined ? {} : { email: user.email }),
      team: user.teamId,
      image_48: '',
    },
    is_admin: user.isAdmin,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: 1_700_000_000,
    ...(user.enterprise
      ? {
          enterprise_user: {
            id: user.id,
            enterprise_id: user.enterprise.id,
            enterprise_name: user.enterprise.name,
            is_admin: user.isAdmin,
            is_owner: false,
            is_primary_owner: false,
            teams: [...user.enterprise.teams],
          },
        }
      : {}),
  };
}

/** conversations.info's `channel`. */
export function channelObject(channel: LocalChannel, teamId: string): Record<string, unknown> {
  if (channel.isIm) {
    return {
      id: channel.id,
      created: channel.created,
      is_im: true,
      is_org_shared: false,
      context_team_id: teamId,
      user: channel.user,
      is_user_deleted: false,
      priority: 0,
    };
  }
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: !channel.isPrivate,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    created: channel.created,
    is_archived: false,
    is_general: channel.name === 'general',
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    is_member: channel.botIsMember,
    context_team_id: teamId,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
  };
}
