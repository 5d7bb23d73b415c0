import { bridgeChannels } from '../../db/schema/bridges.js';
import type { EventConsumer } from '../../platform/index.js';
import { findConversation, findMessage, lastInboundOn, recordDelivery } from '../conversations/index.js';
import { enqueueSignedCall } from '../webhooks/index.js';
import { findBridge } from './bridges.repo.js';

export const BRIDGES_CONSUMER = 'bridges';
/** The event type of the signed call that carries a reply to a bridge. */
export const REPLY_CALL = 'message.reply';

const isBridgeChannel = (c: unknown): c is (typeof bridgeChannels)[number] =>
  (bridgeChannels as readonly unknown[]).includes(c);

/**
 * A reply on SMS, WhatsApp or social goes to the bridge the customer last wrote through, as a signed call
 * (retried, logged); when the call ends, its outcome becomes the reply's delivery state.
 */
export const bridgesConsumer: EventConsumer = {
  types: ['message.sent', 'signed_call.succeeded', 'signed_call.failed'],
  async handle(tx, event, ctx) {
    const ws = event.workspaceId;
    const now = ctx.clock.now();
    if (event.type !== 'message.sent') {
      const data = event.data as {
        eventType?: string;
        entity?: { type?: string; id?: number };
        error?: string;
      };
      if (data.eventType !== REPLY_CALL || data.entity?.type !== 'message' || !data.entity.id) return;
      await recordDelivery(tx, ws, data.entity.id, {
        state: event.type === 'signed_call.succeeded' ? 'sent' : 'failed',
        detail:
          event.type === 'signed_call.succeeded'
            ? null
            : `The bridge did not take it: ${data.error ?? 'failed'}`,
        at: now,
      });
      return;
    }
    const data = event.data as { messageId?: number; channel?: string };
    if (!isBridgeChannel(data.channel) || typeof data.messageId !== 'number') return;
    const message = await findMessage(tx, ws, data.messageId);
    if (!message || message.deliveryState !== 'queued') return;
    const last = await lastInboundOn(tx, ws, message.conversationId, data.channel);
    const bridge = last?.channelMeta?.bridgeId
      ? await findBridge(tx, ws, last.channelMeta.bridgeId)
      : undefined;
    if (!bridge?.replyUrl || !last?.channelMeta?.senderId) {
      await recordDelivery(tx, ws, message.id, {
        state: 'failed',
        detail: `No ${data.channel} bridge with a reply URL has carried a message of this customer here`,
        at: now,
      });
      return;
    }
    const conversation = await findConversation(tx, ws, message.conversationId);
    await enqueueSignedCall(
      tx,
      {
        workspaceId: ws,
        target: { url: bridge.replyUrl, secret: bridge.secret },
        eventType: REPLY_CALL,
        entity: { type: 'message', id: message.id },
        actor: message.authorPersonId ? { type: 'person', id: message.authorPersonId } : undefined,
        data: {
          bridgeId: bridge.id,
          channel: bridge.channel,
          conversationId: message.conversationId,
          subject: conversation?.subject ?? null,
          messageId: message.id,
          to: last.channelMeta.senderId,
          text: message.bodyText,
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            size: a.size,
          })),
        },
      },
      now,
    );
  },
};
