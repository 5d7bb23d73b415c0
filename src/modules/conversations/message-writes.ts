import type { Executor } from '../../db/index.js';
import type { Channel, ChannelMeta, DeliveryState } from '../../db/schema/conversations.js';
import { type Actor, type Failure, fail, type NewEvent, sanitizeMessageHtml } from '../../platform/index.js';
import type { Conversation, NewConversationEvent } from './conversations.repo.js';
import { findMessageByExternalId, type MessageDirection, type StoredMessage } from './messages.repo.js';
import type { StatusFacts } from './status-rules.js';

export type MessageInput = {
  direction: MessageDirection;
  body: string;
  html?: string;
  externalId?: string;
  /** What the channel knows beyond the text (e-mail addresses and headers, the untrimmed original). */
  channelMeta?: ChannelMeta;
};

/** Channels on which Steward itself carries a reply to the customer, and records how that went. */
export const deliveringChannels: readonly Channel[] = ['email', 'sms', 'whatsapp', 'social'];

/**
 * A reply on a delivering channel starts `queued` (the channel's module sends it and records the outcome);
 * so does a note forwarded to a third party. Everything else has no delivery.
 */
export function initialDelivery(
  direction: MessageDirection,
  channel: Channel,
  meta: ChannelMeta | undefined,
): DeliveryState | null {
  if (!deliveringChannels.includes(channel)) return null;
  return direction === 'outbound' || (direction === 'note' && meta?.forward) ? 'queued' : null;
}

/** The inbox line of a message: whitespace collapsed, the first 200 characters (never half a character). */
export function previewOf(body: string): string {
  const flat = body.slice(0, 1000).replace(/\s+/g, ' ').trim();
  return Array.from(flat).slice(0, 200).join('');
}

/** The row of a new message: authored by the customer when inbound, by the caller otherwise. */
export function messageRow(
  conversation: Pick<Conversation, 'workspaceId' | 'id' | 'customerId'>,
  channel: Channel,
  input: MessageInput,
  personId: number,
  now: Date,
) {
  return {
    workspaceId: conversation.workspaceId,
    conversationId: conversation.id,
    ...messageFields(conversation.customerId, channel, input, personId, now),
  };
}

/** A new message's fields but where it belongs (workspace and conversation). */
export function messageFields(
  customerId: number,
  channel: Channel,
  input: MessageInput,
  personId: number,
  now: Date,
) {
  const html = input.html ? sanitizeMessageHtml(input.html) : '';
  return {
    direction: input.direction,
    channel,
    authorCustomerId: input.direction === 'inbound' ? customerId : null,
    // A message Steward itself writes (a follow-up survey) has no author: the system caller's person id is 0.
    authorPersonId: input.direction === 'inbound' || personId <= 0 ? null : personId,
    bodyText: input.body,
    bodyHtml: html.trim() === '' ? null : html,
    externalId: input.externalId ?? null,
    channelMeta: input.channelMeta ?? null,
    deliveryState: initialDelivery(input.direction, channel, input.channelMeta),
    createdAt: now,
  };
}

const messageEventType: Record<MessageDirection, string> = {
  inbound: 'message.received',
  outbound: 'message.sent',
  note: 'note.added',
};

export function messageEvent(
  conversation: Conversation,
  message: StoredMessage,
  actor: Actor,
  mentionIds: number[] = [],
): NewEvent {
  const data: Record<string, unknown> = {
    messageId: message.id,
    direction: message.direction,
    channel: message.channel,
  };
  // Colleagues named in a note: the notifications module tells them (README "Notifications").
  if (mentionIds.length > 0) data.mentionIds = mentionIds;
  if (message.attachments.length > 0) data.attachmentIds = message.attachments.map((x) => x.id);
  return {
    workspaceId: conversation.workspaceId,
    type: messageEventType[message.direction],
    entityType: 'conversation',
    entityId: conversation.id,
    actor,
    data,
    at: message.createdAt,
  };
}

/** The same event for a message inserted with its conversation, whose ids the statement assigns. */
export function firstMessageEvent(
  workspaceId: number,
  message: { direction: MessageDirection; channel: Channel; createdAt: Date },
  actor: Actor,
): NewConversationEvent {
  return {
    workspaceId,
    type: messageEventType[message.direction],
    entityType: 'conversation',
    actor,
    data: { direction: message.direction, channel: message.channel },
    withMessageId: true,
    at: message.createdAt,
  };
}

export const duplicateFailure = (channel: Channel, externalId: string): Failure =>
  fail('DUPLICATE_EXTERNAL_ID', `A message with this external id was already received on ${channel}`, {
    channel,
    externalId,
  });

/**
 * A duplicate intake rolled back everything it did; tell the caller where the original is, read after the
 * rollback, when the winning transaction is committed and visible.
 */
export async function withOriginal(db: Executor, workspaceId: number, failure: Failure): Promise<Failure> {
  if (failure.code !== 'DUPLICATE_EXTERNAL_ID') return failure;
  const { channel, externalId } = failure.details as { channel: Channel; externalId: string };
  const original = await findMessageByExternalId(db, workspaceId, channel, externalId);
  return {
    ...failure,
    details: {
      ...(failure.details as object),
      messageId: original?.id,
      conversationId: original?.conversationId,
    },
  };
}

/** The status facts of a conversation row, and nothing else, for the status rules and the update. */
export const factsOf = (c: Conversation): StatusFacts => ({
  status: c.status,
  firstInboundAt: c.firstInboundAt,
  firstResponseAt: c.firstResponseAt,
  lastInboundAt: c.lastInboundAt,
  lastOutboundAt: c.lastOutboundAt,
  solvedAt: c.solvedAt,
  closedAt: c.closedAt,
  reopenedCount: c.reopenedCount,
});
