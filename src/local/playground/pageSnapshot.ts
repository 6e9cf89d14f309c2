// What the playground page shows one person: the conversations they can see with the messages
// meant for them, their open modal and Home tab, and the names the page needs for mentions.
// Messages and views are given as Slack's client receives them (with Slack's generated ids).

import type { LocalChannel, LocalSlack } from '../slack';

type Json = Record<string, unknown>;

export interface SnapshotSource {
  slack: LocalSlack;
  /** Which Prolific the bot talks to, for the page's banner. */
  prolific: 'sandbox' | 'real';
  /** Shown beside each person in the user switcher. */
  mayChangeGroups(userId: string): boolean;
}

/** The conversations a person can see: every channel, and their own DM with the app. */
export function conversationsOf(slack: LocalSlack, user: string): LocalChannel[] {
  const dm = slack.dmChannelFor(user);
  return slack.channels.filter((c) => (c.isIm ? c.id === dm : true));
}

export function pageSnapshot(source: SnapshotSource, user: string): Json {
  const { slack } = source;
  const channels = conversationsOf(slack, user);
  const messages: Record<string, Json[]> = {};
  for (const channel of channels) {
    messages[channel.id] = slack
      .messages(channel.id)
      .filter((m) => !m.deleted && (m.ephemeralTo === undefined || m.ephemeralTo === user))
      .map((m) => {
        const shown = slack.slackMessageObject(m.channel, m.ts) ?? {};
        return {
          ts: m.ts,
          // A person's message shows their name; the app's, the app's.
          author: m.user === slack.botUserId ? null : (slack.user(m.user)?.displayName ?? m.user),
          text: m.text,
          blocks: shown['blocks'] ?? [],
          ephemeral: m.ephemeralTo !== undefined,
          // A reply names its parent; the page shows it in that message's thread.
          threadTs: m.threadTs !== undefined && m.threadTs !== m.ts ? m.threadTs : null,
          edited: m.updatedCount > 0,
          files: (m.files ?? []).map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.size, filetype: f.filetype })),
        };
      });
  }
  const modals = slack.openModals(user);
  const top = modals[modals.length - 1];
  const home = slack.homeView(user);
  const people = slack.users.filter((u) => !u.isBot && !u.deleted);
  return {
    workspace: slack.teamName,
    botName: slack.user(slack.botUserId)?.name ?? 'app',
    prolific: source.prolific,
    user,
    users: people.map((u) => ({
      id: u.id,
      name: u.displayName,
      realName: u.realName,
      external: u.teamId !== slack.teamId,
      mayChangeGroups: source.mayChangeGroups(u.id),
    })),
    channels: channels.map((c) => ({ id: c.id, name: c.isIm ? slack.user(slack.botUserId)?.name : c.name, dm: c.isIm })),
    names: {
      users: Object.fromEntries(slack.users.map((u) => [u.id, u.displayName])),
      channels: Object.fromEntries(slack.channels.filter((c) => !c.isIm).map((c) => [c.id, c.name])),
    },
    messages,
    modal: top ? { ...slack.slackViewObject(top.id), updatedCount: top.updatedCount } : null,
    home: home ? { ...slack.slackViewObject(home.id), updatedCount: home.updatedCount } : null,
  };
}
