// What every listener gets on Bolt's `context`, built once per request by one global middleware:
// the person who sent the request (resolved lazily, after the ack) and the route a reply to them takes.
import type { AnyMiddlewareArgs, Middleware, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ActorIdentity, RequestActor } from '../services/actor';
import { markAsDemo } from '../slack/blocks/demoSandbox';
import { decodeModalContext } from '../slack/blocks/modals';
import type { BotContext } from '../slack/flows/botContext';
import { bindReply, type Reply, type ReplyTarget, slackErrorCode } from '../slack/replies';

/** Bolt's `context` in every listener of this app. */
export interface RequestScope {
  /**
   * Who sent the request, with their permissions; resolved at the first call and kept for the request.
   * For a slash command it asks Slack (users.info, through the bot's cache), so call it after the ack.
   */
  actor: () => Promise<RequestActor>;
  /** Replies privately to whoever sent the request: by response_url, else ephemerally in the channel, else by DM. */
  reply: Reply;
}

/** What a payload says of its sender, and whether it names their own workspace. */
interface Sender {
  identity: Omit<ActorIdentity, 'teamKnown' | 'teamIds'>;
  /**
   * An interaction's user.team_id is the user's own team (on Grid, their one fixed workspace); a slash
   * command's team_id is the channel's workspace (in Slack Connect, maybe not the user's own).
   */
  namesOwnTeam: boolean;
  route: ReplyTarget;
}

type Payload = Record<string, unknown> & {
  type?: string;
  command?: string;
  user_id?: string;
  team_id?: string;
  enterprise_id?: string;
  channel_id?: string;
  response_url?: string;
  user?: { id?: string; team_id?: string; enterprise_id?: string };
  team?: { id?: string } | null;
  enterprise?: { id?: string } | null;
  channel?: { id?: string };
  message?: { ts?: string };
  container?: { is_ephemeral?: boolean };
  view?: { private_metadata?: string };
  event?: { user?: string };
};

function senderOf(payload: Payload, respond: RespondFn | undefined): Sender {
  if (payload.command !== undefined) {
    const channelId = payload.channel_id ?? null;
    return {
      identity: { userId: payload.user_id ?? '', teamId: payload.team_id ?? '', enterpriseId: payload.enterprise_id ?? null },
      namesOwnTeam: false,
      route: { userId: payload.user_id ?? '', channelId, respond },
    };
  }
  // Interactions carry the user's own team.
  const userId = payload.user?.id ?? payload.event?.user ?? '';
  const identity = {
    userId,
    teamId: payload.user?.team_id ?? payload.team?.id ?? payload.team_id ?? '',
    enterpriseId: payload.user?.enterprise_id ?? payload.enterprise?.id ?? payload.enterprise_id ?? null,
  };
  if (payload.type === 'view_submission') {
    // A modal's replies go to the conversation it was opened from.
    return { identity, namesOwnTeam: true, route: { userId, channelId: decodeModalContext(payload.view?.private_metadata).channelId } };
  }
  const channelId = payload.channel?.id ?? null;
  const ts = payload.message?.ts;
  // Buttons in App Home and modals have no response_url: replies then go by ephemeral or DM.
  const message = ts && payload.container?.is_ephemeral !== true && channelId ? { channel: channelId, ts } : null;
  return { identity, namesOwnTeam: true, route: { userId, channelId, respond: payload.response_url ? respond : undefined, message } };
}

async function resolveActor(ctx: BotContext, client: WebClient, sender: Sender): Promise<RequestActor> {
  const { identity } = sender;
  // An interaction naming the installing workspace as the user's own settles it. Anything else (a
  // slash command, another workspace of a Grid organisation, an org-wide install, Slack Connect) is
  // asked of users.info, whose enterprise_user.teams lists every workspace the user belongs to.
  // The payload's organisation is the channel's, not necessarily the user's: it is never trusted.
  const fromPayload = { userId: identity.userId, teamId: identity.teamId, teamIds: [identity.teamId], enterpriseId: null, teamKnown: true };
  if (sender.namesOwnTeam && ctx.permissions.isMember(fromPayload)) return ctx.permissions.actor(fromPayload);
  try {
    const team = await ctx.userTeams.lookup(client, identity.userId);
    return ctx.permissions.actor({ userId: identity.userId, ...team, teamKnown: true });
  } catch (err) {
    // Fail closed: without the user's own workspace no change is allowed; reading goes on with the payload's.
    ctx.logger.warn(`looking up the workspace of ${identity.userId} failed (${slackErrorCode(err)}); changes are refused for this request`);
    return ctx.permissions.actor({ ...identity, teamIds: [identity.teamId], teamKnown: false });
  }
}

/** The global middleware that puts a RequestScope on every request's context. */
export function requestScope(ctx: BotContext): Middleware<AnyMiddlewareArgs, RequestScope> {
  return async (args) => {
    const { context, client, next } = args;
    const sender = senderOf(args.body as Payload, 'respond' in args ? (args.respond as RespondFn | undefined) : undefined);
    let actor: Promise<RequestActor> | undefined;
    context.actor = () => {
      actor ??= resolveActor(ctx, client, sender);
      return actor;
    };
    context.reply = bindReply(client, ctx.logger, sender.route, ctx.demoSandbox ? markAsDemo : undefined);
    // Everything the request does works in its channel's Prolific workspace (resolved when first asked).
    // A request with no channel (the Home tab, a form opened from it) works in the person's Home choice.
    await ctx.workspaces.runInChannel(sender.route.channelId, next, sender.route.userId || null);
  };
}
