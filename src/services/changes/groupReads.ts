import { type ProlificClient, ProlificError } from '../../prolific';
import type { Operation } from '../../store/types';
import { sameMembership } from '../membershipPlan';

export async function memberIds(client: ProlificClient, groupId: string): Promise<string[]> {
  return client.listMemberIds(groupId);
}

/** Does the group, read now, show what the operation asked for? Unreadable counts as no (a delete: gone counts as yes). */
export async function reachedTarget(client: ProlificClient, op: Operation, target: string[] | null): Promise<boolean> {
  try {
    if (op.kind === 'delete') {
      await client.getGroup(op.groupId);
      return false;
    }
    const group = await client.getGroup(op.groupId);
    if (op.newName && group.name !== op.newName) return false;
    return target ? sameMembership(await memberIds(client, op.groupId), target) : true;
  } catch (err) {
    return op.kind === 'delete' && err instanceof ProlificError && err.status === 404;
  }
}
