import type { EventConsumer } from '../../platform/index.js';
import { enqueueDelivery, envelopeOfEvent } from './deliveries.js';
import { isOwnBookkeeping, matchesEventType } from './event-types.js';
import { activeSubscriptions } from './webhooks.repo.js';

/**
 * The `webhooks` event consumer: each event becomes one delivery (and its `webhook.deliver` job) for each
 * active subscription of the event's workspace whose event types match. Runs exactly once per event, in
 * the transaction that moves the consumer's cursor. Paused subscriptions get nothing (no delivery row):
 * events that happen while a webhook is paused are not delivered, also not after it is resumed; nor are
 * events from before a subscription was created (or resumed): only events of later transactions.
 */
export const webhooksConsumer: EventConsumer = {
  async handle(tx, event, ctx) {
    if (isOwnBookkeeping(event.type)) return;
    const subscriptions = await activeSubscriptions(tx, event.workspaceId);
    if (subscriptions.length === 0) return;
    const now = ctx.clock.now();
    const envelope = envelopeOfEvent(event);
    for (const sub of subscriptions) {
      if (BigInt(event.txId) <= BigInt(sub.activeSinceTxId)) continue;
      if (!matchesEventType(sub.eventTypes, event.type)) continue;
      await enqueueDelivery(
        tx,
        { workspaceId: event.workspaceId, target: { subscriptionId: sub.id }, envelope },
        now,
      );
    }
  },
};
