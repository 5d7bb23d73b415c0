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
import {
  customerNotFound,
  findCustomer,
  lockCustomer,
  markCustomerMerged,
  moveIdentities,
} from '../customers/index.js';
import { moveConversationsToCustomer } from './conversations.repo.js';
import { moveMessageAuthorship } from './messages.repo.js';

export type MergeOutcome = {
  targetCustomerId: number;
  sourceCustomerId: number;
  conversationIds: number[];
  identityIds: number[];
  messagesReattributed: number;
};

/**
 * Merges the source customer into the target, in one transaction: conversations, message authorship and
 * identities move, the source is marked merged, and the event log keeps what moved (the audit trail).
 * Merges of a workspace run one at a time (an advisory lock): two crossed merges (A into B, B into A)
 * would otherwise both pass their checks and leave each customer merged into the other. The source is locked
 * for update, so no intake can attach a conversation to it behind the merge's back.
 */
const CHUNK = 5_000;

function* chunks<T>(list: T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

export async function mergeCustomers(
  deps: Deps,
  workspaceId: number,
  targetId: number,
  sourceId: number,
  actor: Actor,
): Promise<Result<MergeOutcome>> {
  if (targetId === sourceId)
    return fail('CANNOT_MERGE_INTO_ITSELF', 'A customer cannot be merged into itself');
  return inTransaction(deps.db, async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended('steward.customer-merge', ${workspaceId}))`,
    );
    const target = await findCustomer(tx, workspaceId, targetId);
    if (!target) return customerNotFound(tx, workspaceId, targetId);
    // Locked for update: an intake attaching a new conversation to the source (which key-share locks it)
    // either finishes first, and its conversation is moved below, or waits and then follows the merge.
    const source = await lockCustomer(tx, workspaceId, sourceId);
    if (!source) {
      const missing = await customerNotFound(tx, workspaceId, sourceId);
      const mergedIntoId = (missing.details as { mergedIntoId?: number } | undefined)?.mergedIntoId;
      return mergedIntoId
        ? fail('ALREADY_MERGED', `Customer ${sourceId} was already merged into customer ${mergedIntoId}`, {
            mergedIntoId,
          })
        : fail('CUSTOMER_NOT_FOUND', 'The customer to merge was not found', { customerId: sourceId });
    }
    const now = deps.clock.now();
    const conversationIds = await moveConversationsToCustomer(tx, workspaceId, sourceId, targetId, now);
    // In chunks: a customer with many thousands of conversations must not hit PostgreSQL's limit of
    // 65,535 parameters per statement.
    let messagesReattributed = 0;
    for (const ids of chunks(conversationIds, CHUNK)) {
      messagesReattributed += await moveMessageAuthorship(tx, workspaceId, ids, sourceId, targetId);
    }
    const identityIds = await moveIdentities(tx, workspaceId, sourceId, targetId);
    await markCustomerMerged(tx, workspaceId, sourceId, targetId, now);
    const outcome = {
      targetCustomerId: targetId,
      sourceCustomerId: sourceId,
      conversationIds,
      identityIds,
      messagesReattributed,
    };
    const onCustomer = (entityId: number): NewEvent => ({
      workspaceId,
      type: 'customer.merged',
      entityType: 'customer',
      entityId,
      actor,
      data: { ...outcome },
      at: now,
    });
    await recordEvents(tx, [onCustomer(targetId), onCustomer(sourceId)]);
    for (const ids of chunks(conversationIds, CHUNK / 5)) {
      await recordEvents(
        tx,
        ids.map((id) => ({
          workspaceId,
          type: 'conversation.customer_changed',
          entityType: 'conversation',
          entityId: id,
          actor,
          data: {
            before: { customerId: sourceId },
            after: { customerId: targetId },
            cause: 'customer_merge',
          },
          at: now,
        })),
      );
    }
    return ok(outcome);
  });
}
