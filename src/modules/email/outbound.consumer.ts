import { type EventConsumer, enqueueJob } from '../../platform/index.js';
import { findMessage } from '../conversations/index.js';

export const EMAIL_CONSUMER = 'email';
export const EMAIL_SEND_JOB = 'email.send';
export const EMAIL_ACK_JOB = 'email.acknowledge';

/**
 * Replies on the e-mail channel (and notes forwarded to a third party) become a send job each; a new e-mail
 * conversation gets its acknowledgement job (which decides whether the mailbox wants one). Jobs are written
 * in the transaction that moves the consumer's cursor: each exactly once.
 */
export const emailConsumer: EventConsumer = {
  types: ['message.sent', 'note.added', 'conversation.created'],
  async handle(tx, event, ctx) {
    const data = event.data as {
      messageId?: number;
      channel?: string;
      after?: { channel?: string };
      previousConversationId?: number;
    };
    const now = ctx.clock.now();
    if (event.type === 'conversation.created') {
      if (data.after?.channel !== 'email' || data.previousConversationId || event.entityId === null) return;
      await enqueueJob(
        tx,
        {
          workspaceId: event.workspaceId,
          type: EMAIL_ACK_JOB,
          payload: { conversationId: event.entityId },
          runAt: now,
          dedupeKey: `email-ack:${event.entityId}`,
        },
        now,
      );
      return;
    }
    if (data.channel !== 'email' || typeof data.messageId !== 'number') return;
    if (event.type === 'note.added') {
      const note = await findMessage(tx, event.workspaceId, data.messageId);
      if (note?.deliveryState !== 'queued') return;
    }
    await enqueueJob(
      tx,
      {
        workspaceId: event.workspaceId,
        type: EMAIL_SEND_JOB,
        payload: { messageId: data.messageId },
        runAt: now,
        dedupeKey: `email-send:${data.messageId}`,
      },
      now,
    );
  },
};
