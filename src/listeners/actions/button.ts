import type { AllMiddlewareArgs, BlockAction, ButtonAction, OverflowAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { RequestActor } from '../../services/actor';
import type { BotContext } from '../../slack/flows/botContext';
import { withFailureReply } from '../../slack/flows/withFailureReply';
import type { Reply } from '../../slack/replies';
import { afterAck } from '../afterAck';
import type { RequestScope } from '../requestScope';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs<RequestScope>;
type OverflowArgs = SlackActionMiddlewareArgs<BlockAction<OverflowAction>> & AllMiddlewareArgs<RequestScope>;

/** What every button handler needs from the payload: who clicked, where, and how to answer them. */
export interface Click {
  userId: string;
  actor: () => Promise<RequestActor>;
  channelId: string | null;
  triggerId: string;
  value: string;
  reply: Reply;
}

type ActionArgs = ButtonArgs | OverflowArgs;

/** Acks at once, then runs `handle` with the click (its value as `value` says), turning a failure into a reply. */
function clickHandler<A extends ActionArgs>(ctx: BotContext, what: string, valueIn: (args: A) => string, handle: (click: Click, args: A) => Promise<void>) {
  return async (args: A): Promise<void> => {
    await args.ack();
    await afterAck();
    const { body, context } = args;
    const click = { userId: body.user.id, actor: context.actor, channelId: body.channel?.id ?? null, triggerId: body.trigger_id, value: valueIn(args), reply: context.reply };
    await withFailureReply(ctx, context.reply, what, () => handle(click, args));
  };
}

/** A button's handler: acks at once, then runs `handle` with the click, turning a failure into a reply. */
export function button(ctx: BotContext, what: string, handle: (click: Click, args: ButtonArgs) => Promise<void>) {
  return clickHandler<ButtonArgs>(ctx, what, (args) => args.action.value ?? '', handle);
}

/** An overflow menu's handler: as a button's, the chosen option's value as the click's value. */
export function overflowMenu(ctx: BotContext, what: string, handle: (click: Click, args: OverflowArgs) => Promise<void>) {
  return clickHandler<OverflowArgs>(ctx, what, (args) => args.action.selected_option?.value ?? '', handle);
}
