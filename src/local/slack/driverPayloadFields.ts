// The fields Slack repeats across payloads (team, organisation, user, channel, the view being looked
// at, action_ts), read from the SlackForDriver so SlackDriver's payload methods stay short.

import type { SlackForDriver } from './slackForDriver';
import type { Json } from './viewState';

export class DriverPayloadFields {
  constructor(
    private readonly slack: SlackForDriver,
    private readonly teamId: string,
    private readonly teamDomain: string,
  ) {}

  /** Slack's action_ts: 'seconds.micros', unique enough within a test. */
  actionTs(): string {
    const micros = Date.now() * 1000 + Math.floor(Math.random() * 1000);
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** An interaction's team: the workspace it happened in, with its organisation on Grid. */
  teamObject(): Json {
    const { enterprise } = this.slack;
    return { id: this.teamId, domain: this.teamDomain, ...(enterprise ? { enterprise_id: enterprise.id, enterprise_name: enterprise.name } : {}) };
  }

  /** An interaction's organisation fields: the organisation of the workspace it happened in (not the user's own). */
  enterpriseFields(): Json {
    const { enterprise } = this.slack;
    return { enterprise: enterprise ? { id: enterprise.id, name: enterprise.name } : null, is_enterprise_install: this.slack.enterpriseInstall };
  }

  workspaceFields(): Json {
    return { team: this.teamObject(), ...this.enterpriseFields() };
  }

  /** The user as interactions show them: on Grid, team_id is their one fixed workspace, whichever they are using. */
  userObject(user: string): Json {
    const known = this.slack.user(user);
    return { id: user, username: known?.name ?? user, name: known?.name ?? user, team_id: known?.teamId ?? this.teamId };
  }

  conversationId(ref: string): string {
    return this.slack.channel(ref)?.id ?? ref;
  }

  channelName(channelId: string): string {
    const channel = this.slack.channel(channelId);
    if (!channel) return channelId;
    return channel.isIm ? 'directmessage' : channel.name;
  }

  /** The view as Slack puts it in payloads; throws when the user could not be looking at it. */
  openView(viewId: string, user: string): Json {
    const stored = this.slack.view(viewId);
    if (!stored) throw new Error(`no view ${viewId}`);
    if (stored.closed) throw new Error(`view ${viewId} is closed`);
    if (stored.user !== user) throw new Error(`view ${viewId} is shown to ${stored.user}, not ${user}`);
    return this.slack.slackViewObject(viewId) ?? {};
  }
}
