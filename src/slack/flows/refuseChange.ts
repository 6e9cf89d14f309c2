import type { RequestActor } from '../../services/actor';
import { renderChangeRefusal, renderMessageRefusal } from '../blocks/permissions';
import type { Reply } from '../replies';

/** Refuses a change the actor may not make, telling them why. Returns true when refused. */
export async function refuseChange(actor: RequestActor, reply: Reply): Promise<boolean> {
  const refusal = actor.permissions.change;
  if (!refusal) return false;
  await reply(renderChangeRefusal(refusal, actor.permissions.helpers));
  return true;
}

/** Refuses messaging participants (or forgetting one) to someone who may not, telling them why. Returns true when refused. */
export async function refuseMessage(actor: RequestActor, reply: Reply): Promise<boolean> {
  const refusal = actor.permissions.message;
  if (!refusal) return false;
  await reply(renderMessageRefusal(refusal, actor.permissions.helpers));
  return true;
}
