import { sql } from 'drizzle-orm';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  type NewEvent,
  ok,
  type Result,
  recordEvents,
} from '../../platform/index.js';
import { insertCustomer, listIdentities, lockCustomer, moveIdentities } from '../customers/index.js';
import { moveConversationsToCustomer } from './conversations.repo.js';
import { moveMessageAuthorship } from './messages.repo.js';

export type SplitRequest = { identityIds: number[]; conversationIds: number[]; name: string };
export type SplitOutcome = {
  sourceCustomerId: number;
  newCustomerId: number;
  identityIds: number[];
  conversationIds: number[];
  messagesReattributed: number;
};

/**
 * The reverse of a merge, for two people who were taken for one (a shared family e-mail, a wrong merge):
 * the chosen identities and conversations move to a new customer, with their messages' authorship. Runs
 * under the same per-workspace lock as merges, with the source locked, so intake cannot interleave.
 */
export async function splitCustomer(
  deps: Deps,
  workspaceId: number,
  sourceId: number,
  actor: Actor,
  request: SplitRequest,
): Promise<Result<SplitOutcome>> {
  const identityIds = [...new Set(request.identityIds)];
  const conversationIds = [...new Set(request.conversationIds)];
  if (identityIds.length === 0 && conversationIds.length === 0)
    return fail('INVALID_SPLIT', 'Choose identities or conversations to move to the new customer');
  return inTransaction(deps.db, async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended('steward.customer-merge', ${workspaceId}))`,
    );
    const source = await lockCustomer(tx, workspaceId, sourceId);
    if (!source) return fail('CUSTOMER_NOT_FOUND', 'Customer not found', { customerId: sourceId });
    const own = new Set((await listIdentities(tx, workspaceId, [sourceId])).map((i) => i.id));
    const foreign = identityIds.filter((id) => !own.has(id));
    if (foreign.length > 0)
      return fail('INVALID_SPLIT', 'Only identities of this customer can move', { identityIds: foreign });
    const now = deps.clock.now();
    const created = await insertCustomer(tx, workspaceId, { name: request.name, tier: source.tier }, now);
    const moved = await moveConversationsToCustomer(
      tx,
      workspaceId,
      sourceId,
      created.id,
      now,
      conversationIds,
    );
    if (moved.length !== conversationIds.length)
      return fail('INVALID_SPLIT', 'Only conversations of this customer can move', {
        conversationIds: conversationIds.filter((id) => !moved.includes(id)),
      });
    const messagesReattributed = moved.length
      ? await moveMessageAuthorship(tx, workspaceId, moved, sourceId, created.id)
      : 0;
    const movedIdentities = identityIds.length
      ? await moveIdentities(tx, workspaceId, sourceId, created.id, identityIds)
      : [];
    const outcome: SplitOutcome = {
      sourceCustomerId: sourceId,
      newCustomerId: created.id,
      identityIds: movedIdentities,
      conversationIds: moved,
      messagesReattributed,
    };
    const event = (type: string, entityId: number, data: Record<string, unknown>): NewEvent => ({
      workspaceId,
      type,
      entityType: 'customer',
      entityId,
      actor,
      data,
      at: now,
    });
    await recordEvents(tx, [
      event('customer.created', created.id, { cause: 'customer_split', fromCustomerId: sourceId }),
      event('customer.split', sourceId, { ...outcome }),
      ...moved.map((id) => ({
        workspaceId,
        type: 'conversation.customer_changed',
        entityType: 'conversation',
        entityId: id,
        actor,
        data: {
          before: { customerId: sourceId },
          after: { customerId: created.id },
          cause: 'customer_split',
        },
        at: now,
      })),
    ]);
    return ok(outcome);
  });
}
