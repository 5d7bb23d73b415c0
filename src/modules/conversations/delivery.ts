import type { Db, Tx } from '../../db/index.js';
import { publishRealtime } from '../../platform/index.js';
import { type DeliveryOutcome, type StoredMessage, updateDelivery } from './messages.repo.js';

/**
 * Records how the delivery of an outgoing message went (a channel's module calls this) and tells the agents
 * who have the conversation open (`message.delivery`), in one transaction.
 */
export async function recordDelivery(
  db: Db | Tx,
  workspaceId: number,
  messageId: number,
  outcome: DeliveryOutcome,
): Promise<StoredMessage | undefined> {
  return db.transaction(async (tx) => {
    const message = await updateDelivery(tx, workspaceId, messageId, outcome);
    if (message)
      await publishRealtime(tx, {
        workspaceId,
        type: 'message.delivery',
        data: { conversationId: message.conversationId, messageId, state: outcome.state },
      });
    return message;
  });
}
