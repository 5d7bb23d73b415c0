import type { Executor } from '../../db/index.js';
import {
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
  routingActor,
} from '../../platform/index.js';
import { publishConversationUpdated } from './conversation-realtime.js';
import { type Conversation, lockConversation, updateConversation } from './conversations.repo.js';
import { type Caller, checkAssignee } from './references.js';

const assignedEvent = (after: Conversation, before: number | null, now: Date) => ({
  workspaceId: after.workspaceId,
  type: 'conversation.assigned',
  entityType: 'conversation',
  entityId: after.id,
  data: { before: { assigneeId: before }, after: { assigneeId: after.assigneeId } },
  at: now,
});

/**
 * "Take it": the caller becomes the assignee of an unassigned conversation. Under the conversation's lock, so
 * of two agents clicking at once one gets it and the other is told who was first (409
 * CONVERSATION_ALREADY_ASSIGNED); taking one's own again changes nothing.
 */
export async function claimConversation(
  deps: Deps,
  workspaceId: number,
  id: number,
  caller: Caller,
): Promise<Result<Conversation>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await lockConversation(tx, workspaceId, id);
    if (!before) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
    if (before.status === 'closed')
      return fail('CONVERSATION_CLOSED', 'The conversation is closed and can no longer change');
    if (before.assigneeId === caller.personId) return ok(before);
    if (before.assigneeId !== null)
      return fail('CONVERSATION_ALREADY_ASSIGNED', 'Someone else has taken this conversation already', {
        assigneeId: before.assigneeId,
      });
    const allowed = await checkAssignee(tx, workspaceId, caller.personId);
    if (!allowed.ok) return allowed;
    const now = deps.clock.now();
    const after = await updateConversation(tx, workspaceId, id, {
      assigneeId: caller.personId,
      updatedAt: now,
    });
    const event = assignedEvent(after, null, now);
    await recordEvent(tx, { ...event, actor: caller.actor, data: { ...event.data, claimed: true } });
    await publishConversationUpdated(tx, after, ['assigneeId']);
    return ok(after);
  });
}

/** Why routing chose this agent, recorded with the assignment (the History panel shows it). */
export type RoutingReason = {
  teamId: number;
  mode: 'round_robin' | 'least_busy';
  /** In words: "next in rotation", "fewest open conversations (2)". */
  reason: string;
};

/**
 * Routing's assignment, inside the routing module's transaction: only if the conversation is still in the
 * team's queue (unassigned, new or open, in that team) once locked: a claim or a lead's change that came
 * first wins, and routing moves on. The event's actor is `routing`, with the rule and the reason.
 */
export async function assignFromQueue(
  tx: Executor,
  workspaceId: number,
  id: number,
  personId: number,
  why: RoutingReason,
  now: Date,
): Promise<Conversation | undefined> {
  const before = await lockConversation(tx, workspaceId, id);
  if (!before || before.assigneeId !== null || before.teamId !== why.teamId) return undefined;
  if (before.status !== 'new' && before.status !== 'open') return undefined;
  const after = await updateConversation(tx, workspaceId, id, { assigneeId: personId, updatedAt: now });
  const event = assignedEvent(after, null, now);
  await recordEvent(tx, { ...event, actor: routingActor, data: { ...event.data, routing: why } });
  await publishConversationUpdated(tx, after, ['assigneeId']);
  return after;
}
