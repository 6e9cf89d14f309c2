import type { Actor } from '../../services/actor';
import { notice } from '../blocks/message';
import type { Reply } from '../replies';
import type { BotContext } from './botContext';

/** Refuses a change the actor may not make, telling them why. Returns true when refused. */
export async function refuseChange(ctx: BotContext, actor: Actor, reply: Reply): Promise<boolean> {
  const refusal = ctx.permissions.refusal(actor);
  if (!refusal) return false;
  await reply(notice(refusal, ':no_entry:'));
  return true;
}
