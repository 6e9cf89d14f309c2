import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { RequestActor } from '../../services/actor';
import type { BotContext } from '../../slack/flows/botContext';
import { withFailureReply } from '../../slack/flows/withFailureReply';
import type { Reply } from '../../slack/replies';
import { afterAck } from '../afterAck';
import type { RequestScope } from '../requestScope';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs<RequestScope>;

/** What every button handler needs from the payload: who clicked, where, and how to answer them. */
export interface Click {
  userId: string;
  actor: () => Promise<RequestActor>;
  channelId: string | null;
  triggerId: string;
  value: string;
  reply: Reply;
}

/** A button's handler: acks at once, then runs `handle` with the click, turning a failure into a reply. */
export function button(ctx: BotContext, what: string, handle: (click: Click, args: ButtonArgs) => Promise<void>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    await afterAck();
    const { body, context } = args;
    const click = { userId: body.user.id, actor: context.actor, channelId: body.channel?.id ?? null, triggerId: body.trigger_id, value: args.action.value ?? '', reply: context.reply };
    await withFailureReply(ctx, context.reply, what, () => handle(click, args));
  };
}
