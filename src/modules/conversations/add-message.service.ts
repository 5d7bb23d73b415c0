import type { Tx } from '../../db/index.js';
import type { Channel, ConversationStatus } from '../../db/schema/conversations.js';
import {
  type Deps,
  fail,
  inTransaction,
  type NewEvent,
  ok,
  type Result,
  recordEvents,
} from '../../platform/index.js';
import { claimFor, linkFor } from './attachment-claims.js';
import { followStatusChange, statusChangeEvent } from './auto-close.js';
import { publishConversationCreated, publishMessageCreated } from './conversation-realtime.js';
import {
  type Conversation,
  type ConversationChanges,
  insertConversation,
  lockConversation,
  updateConversation,
} from './conversations.repo.js';
import {
  duplicateFailure,
  factsOf,
  type MessageInput,
  messageEvent,
  messageRow,
  previewOf,
  withOriginal,
} from './message-writes.js';
import { insertMessage, type StoredMessage } from './messages.repo.js';
import { type Caller, checkMentions } from './references.js';
import { type ConversationEvent, decide, initialFacts } from './status-rules.js';

export type NewMessage = MessageInput & {
  /** The channel it travels on; by default the conversation's. */
  channel?: Channel;
  /** With a reply only: the status to leave the conversation in ("reply and set pending"). */
  status?: ConversationStatus;
  /** Pending uploads (POST /attachments, or storeAttachment for received files) this message carries. */
  attachmentIds?: number[];
  /** With a note only: colleagues (people of this workspace) the note mentions; they are notified. */
  mentionIds?: number[];
  /** More work of the caller's in the same transaction, once the message is stored (a call's handle time). */
  within?: (tx: Tx, message: StoredMessage) => Promise<void>;
};

export type AddedMessage = {
  conversation: Conversation;
  message: StoredMessage;
  /** True when the conversation was closed and the inbound message started a new, linked one. */
  startedNew: boolean;
};

/** Closed is final: the customer writing again opens a new conversation that points back to the old one. */
async function continueClosed(
  tx: Tx,
  deps: Deps,
  closed: Conversation,
  caller: Caller,
  input: NewMessage,
  channel: Channel,
  now: Date,
): Promise<Result<AddedMessage>> {
  const conversation = await insertConversation(tx, {
    workspaceId: closed.workspaceId,
    subject: closed.subject,
    channel,
    priority: closed.priority,
    customerId: closed.customerId,
    teamId: closed.teamId,
    previousConversationId: closed.id,
    lastMessagePreview: previewOf(input.body),
    messageCount: 1,
    createdAt: now,
    updatedAt: now,
    ...initialFacts('inbound', now),
  });
  const attached = await claimFor(tx, deps, closed.workspaceId, caller, input);
  if (!attached.ok) return attached;
  const message = await insertMessage(tx, {
    ...messageRow(conversation, channel, input, caller.personId, now),
    attachments: attached.value,
  });
  if (!message) return duplicateFailure(channel, input.externalId ?? '');
  await linkFor(tx, message, input, now);
  await recordEvents(tx, [
    {
      workspaceId: closed.workspaceId,
      type: 'conversation.created',
      entityType: 'conversation',
      entityId: conversation.id,
      actor: caller.actor,
      data: {
        after: { status: conversation.status, channel, customerId: conversation.customerId },
        previousConversationId: closed.id,
      },
      at: now,
    },
    messageEvent(conversation, message, caller.actor),
    {
      workspaceId: closed.workspaceId,
      type: 'conversation.continued',
      entityType: 'conversation',
      entityId: closed.id,
      actor: caller.actor,
      data: { nextConversationId: conversation.id },
      at: now,
    },
  ]);
  await publishConversationCreated(tx, conversation);
  await publishMessageCreated(tx, conversation, message);
  await input.within?.(tx, message);
  return ok({ conversation, message, startedNew: true });
}

/**
 * A reply, an internal note or an inbound message from an integration, applied under the conversation's
 * row lock through the status rules. Idempotent on the external id, like intake. An inbound message to a
 * conversation merged into another lands in that other one (the result names the conversation it joined).
 */
export async function addMessage(
  deps: Deps,
  workspaceId: number,
  conversationId: number,
  caller: Caller,
  input: NewMessage,
): Promise<Result<AddedMessage>> {
  if (input.status !== undefined && input.direction !== 'outbound')
    return fail('VALIDATION_FAILED', 'Only a reply (outbound) can set the status; use PATCH for the rest');
  if (input.mentionIds?.length && input.direction !== 'note')
    return fail('VALIDATION_FAILED', 'Only an internal note can mention colleagues');
  const copies = (input.channelMeta?.cc?.length ?? 0) + (input.channelMeta?.bcc?.length ?? 0);
  if (copies > 0 && input.direction !== 'outbound')
    return fail('VALIDATION_FAILED', 'Copies (cc, bcc) go with an e-mail reply only');
  const mentionIds = [...new Set(input.mentionIds ?? [])];
  const result = await inTransaction(deps.db, async (tx) => {
    let before = await lockConversation(tx, workspaceId, conversationId);
    // The customer's words go where a merged conversation continues (a chain followed a few steps).
    for (let hops = 0; input.direction === 'inbound' && before?.mergedIntoId && hops < 5; hops++)
      before = await lockConversation(tx, workspaceId, before.mergedIntoId);
    if (!before) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
    const mentions = await checkMentions(tx, workspaceId, mentionIds);
    if (!mentions.ok) return mentions;
    const now = deps.clock.now();
    const channel = input.channel ?? before.channel;
    if (copies > 0 && channel !== 'email')
      return fail('VALIDATION_FAILED', 'Copies (cc, bcc) go with an e-mail reply only', { channel });
    const event: ConversationEvent =
      input.direction === 'outbound'
        ? { kind: 'outbound', at: now, setStatus: input.status }
        : { kind: input.direction, at: now };
    const decision = decide(factsOf(before), event);
    if (decision.kind === 'refuse') return fail(decision.code, decision.message, { status: before.status });
    if (decision.kind === 'start_new') return continueClosed(tx, deps, before, caller, input, channel, now);

    const attached = await claimFor(tx, deps, workspaceId, caller, input);
    if (!attached.ok) return attached;
    const message = await insertMessage(tx, {
      ...messageRow(before, channel, input, caller.personId, now),
      attachments: attached.value,
    });
    if (!message) return duplicateFailure(channel, input.externalId ?? '');
    await linkFor(tx, message, input, now);
    const changes: ConversationChanges = {
      ...decision.facts,
      messageCount: before.messageCount + 1,
      updatedAt: now,
    };
    // Internal notes are for colleagues: the inbox line stays the last word exchanged with the customer.
    if (input.direction !== 'note') changes.lastMessagePreview = previewOf(input.body);
    const after = await updateConversation(tx, workspaceId, before.id, changes);
    const events: NewEvent[] = [messageEvent(after, message, caller.actor, mentionIds)];
    if (decision.change)
      events.push(statusChangeEvent(after, decision.change, caller.actor, now, { messageId: message.id }));
    await recordEvents(tx, events);
    await followStatusChange(tx, deps.settings.autoCloseDays, after, decision.change, now);
    await publishMessageCreated(tx, after, message);
    await input.within?.(tx, message);
    return ok({ conversation: after, message, startedNew: false });
  });
  return result.ok ? result : withOriginal(deps.db, workspaceId, result);
}
