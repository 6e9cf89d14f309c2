// The people and conversations of the local workspace, and how Slack's Web API shows them
// (users.info, conversations.info, conversations.open).

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
}

export type NewLocalUser = Pick<LocalUser, 'id' | 'name'> & Partial<Omit<LocalUser, 'id' | 'name'>>;
export type NewLocalChannel = Pick<LocalChannel, 'id' | 'name'> & Partial<Omit<LocalChannel, 'id' | 'name'>>;

export const OTHER_TEAM_ID = 'T0OTHER';

const LONDON = { tz: 'Europe/London', tzLabel: 'Greenwich Mean Time', tzOffset: 0 };

export function seededUsers(teamId: string): LocalUser[] {
  const person = (user: NewLocalUser): LocalUser => completeUser(user, teamId);
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
      tz: 'Europe/Berlin',
      tzLabel: 'Central European Time',
      tzOffset: 3600,
    }),
  ];
}

export function seededChannels(): LocalChannel[] {
  return [
    completeChannel({ id: 'C_GENERAL', name: 'general' }),
    completeChannel({ id: 'C_NOTIFY', name: 'pgroup-notifications' }),
  ];
}

export function completeUser(user: NewLocalUser, teamId: string): LocalUser {
  return {
    teamId,
    realName: user.name,
    displayName: user.name,
    ...LONDON,
    isBot: false,
    isAdmin: false,
    deleted: false,
    ...user,
  };
}

export function completeChannel(channel: NewLocalChannel): LocalChannel {
  return { isPrivate: false, isIm: false, created: 1_700_000_000, ...channel };
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
    is_member: true,
    context_team_id: teamId,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
  };
}
