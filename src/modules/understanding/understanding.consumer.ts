import type { Tx } from '../../db/index.js';
import type { DistressSignal } from '../../db/schema/understanding.js';
import type { EventConsumer, StoredEvent } from '../../platform/index.js';
import { findConversation, findMessage, setConversationDistress } from '../conversations/index.js';
import { readCustomerMessage } from './read-message.js';
import { predictReason } from './reason-model/predict-reason.js';
import { countLabel } from './reason-model/reason-models.repo.js';
import { requestTraining } from './reason-model/training.service.js';
import { signalsOfConversation } from './understanding.repo.js';

export const UNDERSTANDING_CONSUMER = 'understanding';

/**
 * Every customer message is read as it arrives: its sentiment and distress signals are stored, and the
 * conversation's distress (what the inbox sorts and marks on) becomes the union of its messages' signals.
 * When messages move (a merge or a split), the conversations they left and joined are read again. Each
 * reason a person sets or confirms is a new label: when RETRAIN_AFTER of them came since the last training,
 * the next contact-reason model is trained.
 */
export const understandingConsumer: EventConsumer = {
  types: [
    'message.received',
    'conversation.merged',
    'conversation.merged_into',
    'conversation.split',
    'conversation.contact_reason_set',
  ],
  async handle(tx, event, ctx) {
    if (event.type === 'message.received') return readMessage(tx, event, ctx.clock.now());
    if (event.type === 'conversation.contact_reason_set') return countNewLabel(tx, event, ctx.clock.now());
    const data = event.data as { sourceId?: unknown; targetId?: unknown; createdId?: unknown };
    const ids = [event.entityId, data.sourceId, data.targetId, data.createdId].filter(
      (x): x is number => typeof x === 'number',
    );
    for (const id of new Set(ids))
      await setConversationDistress(
        tx,
        event.workspaceId,
        id,
        await signalsOfConversation(tx, event.workspaceId, id),
      );
  },
};

async function readMessage(tx: Tx, event: StoredEvent, now: Date) {
  const messageId = (event.data as { messageId?: unknown }).messageId;
  if (typeof messageId !== 'number') return;
  const message = await findMessage(tx, event.workspaceId, messageId);
  if (message?.direction !== 'inbound') return;
  const signals = await readCustomerMessage(tx, event.workspaceId, messageId, message.bodyText, now);
  const conversation = await findConversation(tx, event.workspaceId, message.conversationId);
  if (!conversation) return;
  // The customer's first message of a conversation nobody gave a reason yet: the reason model reads it.
  const first = conversation.firstInboundAt?.getTime() === message.createdAt.getTime();
  if (first && conversation.contactReasonId === null)
    await predictReason(tx, event.workspaceId, conversation.id, message.bodyText, now);
  const known = conversation.distressSignals as DistressSignal[];
  // Open agent apps refetch the conversation's sentiment: pushed even when its distress stays the same.
  await setConversationDistress(tx, event.workspaceId, conversation.id, [...known, ...signals], {
    announce: true,
  });
}

/** New labels that make Steward train the next contact-reason model by itself. */
export const RETRAIN_AFTER = 50;

async function countNewLabel(tx: Tx, event: StoredEvent, now: Date) {
  const after = (
    event.data as { after?: { contactReasonId?: unknown; noneFits?: unknown; source?: unknown } }
  ).after;
  // A reason, or "none of these": both are labels the model learns from.
  if (typeof after?.contactReasonId !== 'number' && after?.noneFits !== true) return;
  if (after.source !== 'agent' && after.source !== 'suggestion') return;
  const count = await countLabel(tx, event.workspaceId, now);
  // While one is being trained the request is refused and the count goes on: the next label asks again.
  if (count >= RETRAIN_AFTER) await requestTraining(tx, event.workspaceId, null, now);
}
