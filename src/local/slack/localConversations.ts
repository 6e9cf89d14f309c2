// The people and conversations of the local workspace as the Web API serves them: auth.test,
// users.info, conversations.info and conversations.open, and how a channel argument is read
// (an id, a #name, or a user id meaning that person's DM with the app). conversations.info says
// whether the bot is a member (`is_member`), and a private channel it is not in is channel_not_found.

import type { SlackIdentity } from './slackIdentity';
import { type ApiAnswer, type ApiArgs, type ApiMethod, fail, stringArg, truthy } from './webApiArgs';
import {
  channelObject,
  completeChannel,
  completeUser,
  dmChannelId,
  type LocalChannel,
  type LocalUser,
  type NewLocalChannel,
  type NewLocalUser,
  seededChannels,
  seededUsers,
  userObject,
} from './workspace';

export class LocalConversations {
  readonly methods: Readonly<Record<string, ApiMethod>> = {
    'auth.test': () => this.authTest(),
    'users.info': (args) => this.usersInfo(args),
    'conversations.info': (args) => this.conversationsInfo(args),
    'conversations.open': (args) => this.conversationsOpen(args),
  };

  private readonly userMap = new Map<string, LocalUser>();
  private readonly channelMap = new Map<string, LocalChannel>();

  constructor(private readonly identity: SlackIdentity) {
    for (const user of seededUsers(identity.teamId, identity.enterprise)) this.userMap.set(user.id, user);
    this.userMap.set(
      identity.botUserId,
      completeUser({ id: identity.botUserId, name: 'pgroup', realName: 'pgroup', isBot: true }, identity.teamId, identity.enterprise),
    );
    for (const channel of seededChannels()) this.channelMap.set(channel.id, channel);
  }

  get users(): LocalUser[] {
    return [...this.userMap.values()].map((u) => ({ ...u }));
  }

  get channels(): LocalChannel[] {
    return [...this.channelMap.values()].map((c) => ({ ...c }));
  }

  user(id: string): LocalUser | undefined {
    const found = this.userMap.get(id);
    return found && { ...found };
  }

  hasUser(id: string): boolean {
    return this.userMap.has(id);
  }

  addUser(user: NewLocalUser): LocalUser {
    const complete = completeUser(user, this.identity.teamId, this.identity.enterprise);
    this.userMap.set(complete.id, complete);
    return { ...complete };
  }

  addChannel(channel: NewLocalChannel): LocalChannel {
    const complete = completeChannel(channel);
    this.channelMap.set(complete.id, complete);
    return { ...complete };
  }

  /** A channel by id or #name, or a known user id's DM (created on first use, as Slack does). */
  resolve(ref: unknown): LocalChannel | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    const direct = this.channelMap.get(ref);
    if (direct) return direct;
    if (/^[UW]/.test(ref) && this.userMap.has(ref)) return this.dmFor(ref);
    const name = ref.replace(/^#/, '');
    return [...this.channelMap.values()].find((c) => !c.isIm && c.name === name);
  }

  /** The conversation id `ref` names, or `ref` itself when it names none. */
  idOf(ref: string): string {
    return this.resolve(ref)?.id ?? ref;
  }

  dmFor(user: string): LocalChannel {
    const id = dmChannelId(user);
    const existing = this.channelMap.get(id);
    if (existing) return existing;
    const dm = completeChannel({ id, name: '', isIm: true, isPrivate: true, user });
    this.channelMap.set(id, dm);
    return dm;
  }

  private authTest(): ApiAnswer {
    const { identity } = this;
    return {
      ok: true,
      url: `https://${identity.teamDomain}.slack.com/`,
      team: identity.teamName,
      user: 'pgroup',
      team_id: identity.teamId,
      user_id: identity.botUserId,
      bot_id: identity.botId,
      ...(identity.enterprise ? { enterprise_id: identity.enterprise.id } : {}),
      is_enterprise_install: identity.enterpriseInstall,
    };
  }

  private usersInfo(args: ApiArgs): ApiAnswer {
    const user = this.userMap.get(stringArg(args, 'user') ?? '');
    if (!user) return fail('user_not_found');
    return { ok: true, user: userObject(user) };
  }

  /** Whether the bot may see the channel at all: a private channel it is not in does not exist for it. */
  visibleToBot(channel: LocalChannel): boolean {
    return channel.isIm || channel.botIsMember || !channel.isPrivate;
  }

  /** Puts the bot in a channel (`/invite @pgroup`) or takes it out (someone removed it); false for an unknown channel. */
  setBotMembership(ref: string, member: boolean): boolean {
    const channel = this.resolve(ref);
    if (!channel || channel.isIm) return false;
    channel.botIsMember = member;
    return true;
  }

  private conversationsInfo(args: ApiArgs): ApiAnswer {
    const id = stringArg(args, 'channel') ?? '';
    const channel = this.channelMap.get(id);
    if (!channel || !this.visibleToBot(channel)) return fail('channel_not_found');
    return { ok: true, channel: channelObject(channel, this.identity.teamId) };
  }

  private conversationsOpen(args: ApiArgs): ApiAnswer {
    const channelArg = stringArg(args, 'channel');
    const users = (stringArg(args, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    let channel: LocalChannel | undefined;
    if (channelArg) {
      channel = this.channelMap.get(channelArg);
      if (!channel) return fail('channel_not_found');
    } else if (users.length === 1 && users[0]) {
      if (!this.userMap.has(users[0])) return fail('user_not_found');
      channel = this.dmFor(users[0]);
    } else if (users.length === 0) {
      return fail('users_list_not_supplied');
    } else {
      return fail('not_supported', { detail: 'the local Slack opens one-to-one DMs only' });
    }
    return {
      ok: true,
      channel: truthy(args['return_im']) ? channelObject(channel, this.identity.teamId) : { id: channel.id },
    };
  }
}
