import type { Tx } from '../../db/index.js';
import type { Channel, Priority } from '../../db/schema/conversations.js';
import { type Deps, fail, inTransaction, ok, type Result } from '../../platform/index.js';
import {
  addIdentityDuringIntake,
  type Customer,
  findCustomerForIntake,
  findOrCreateCustomerByIdentity,
  type IdentityKind,
} from '../customers/index.js';
import { claimFor, linkFor } from './attachment-claims.js';
import { publishConversationCreatedAfterCommit } from './conversation-realtime.js';
import { type Conversation, insertConversationWithMessage } from './conversations.repo.js';
import {
  duplicateFailure,
  firstMessageEvent,
  type MessageInput,
  messageFields,
  previewOf,
  withOriginal,
} from './message-writes.js';
import type { StoredMessage } from './messages.repo.js';
import { assignmentAllowed, type Caller, checkReferences } from './references.js';
import { initialFacts } from './status-rules.js';

export type CustomerRef =
  | { id: number }
  | {
      email?: string;
      phone?: string;
      name?: string;
      locale?: string;
      /** Any other identity a channel knows the customer by (a social handle, a chat visitor id). */
      identity?: { kind: IdentityKind; value: string };
    };

export type NewConversation = {
  subject: string;
  channel: Channel;
  customer: CustomerRef;
  message: MessageInput & {
    direction: 'inbound' | 'outbound';
    /** Pending uploads, or files received on the channel (storeAttachment), the first message carries. */
    attachmentIds?: number[];
    /** More work of the caller's in the same transaction, once the message is stored. */
    within?: (tx: Tx, message: StoredMessage) => Promise<void>;
  };
  priority?: Priority;
  teamId?: number | null;
  assigneeId?: number | null;
  tags?: string[];
};

export type CreatedConversation = {
  conversation: Conversation;
  message: StoredMessage;
  customer: Customer;
  customerCreated: boolean;
};

/** The customer of a new conversation: named by id, or found (or created) by e-mail, else by phone. */
async function resolveCustomer(
  tx: Tx,
  workspaceId: number,
  ref: CustomerRef,
  caller: Caller,
  now: Date,
): Promise<Result<{ customer: Customer; created: boolean }>> {
  if ('id' in ref) {
    // Key-share locked like a customer found by identity: a merge of it can't slip in before our commit.
    const customer = await findCustomerForIntake(tx, workspaceId, ref.id);
    if (!customer) return fail('CUSTOMER_NOT_FOUND', 'Customer not found', { customerId: ref.id });
    return ok({ customer, created: false });
  }
  const identity = ref.identity
    ? ref.identity
    : ref.email
      ? { kind: 'email' as const, value: ref.email }
      : ref.phone
        ? { kind: 'phone' as const, value: ref.phone }
        : undefined;
  if (!identity) return fail('VALIDATION_FAILED', 'A customer needs an id, an email or a phone');
  const found = await findOrCreateCustomerByIdentity(
    tx,
    workspaceId,
    identity,
    { name: ref.name, locale: ref.locale },
    now,
    caller.actor,
  );
  // Both given: the phone is kept too (unless it already belongs to someone).
  if (found.ok && !ref.identity && ref.email && ref.phone) {
    const phone = { kind: 'phone' as const, value: ref.phone };
    const added = await addIdentityDuringIntake(
      tx,
      workspaceId,
      found.value.customer.id,
      phone,
      now,
      caller.actor,
    );
    if (!added.ok) return added;
  }
  return found;
}

/**
 * Intake: a conversation with its first message, in one transaction of two statements: the customer (found,
 * or created with its identity and event), then the conversation with its counters already filled in, its
 * message and their events. Idempotent on the message's external id: a retried intake rolls back entirely
 * and answers DUPLICATE_EXTERNAL_ID with the original's ids.
 */
export async function createConversation(
  deps: Deps,
  workspaceId: number,
  caller: Caller,
  input: NewConversation,
): Promise<Result<CreatedConversation>> {
  const assigneeId = input.assigneeId ?? null;
  if (!assignmentAllowed(caller, null, assigneeId))
    return fail('FORBIDDEN', 'Assigning a conversation to someone else needs conversations.reassign');
  const result = await inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const refs = await checkReferences(tx, workspaceId, { assigneeId, teamId: input.teamId });
    if (!refs.ok) return refs;
    const found = await resolveCustomer(tx, workspaceId, input.customer, caller, now);
    if (!found.ok) return found;
    const { customer, created } = found.value;
    const facts = initialFacts(input.message.direction, now);
    const attached = await claimFor(tx, deps, workspaceId, caller, input.message);
    if (!attached.ok) return attached;
    const message = {
      ...messageFields(customer.id, input.channel, input.message, caller.personId, now),
      attachments: attached.value,
    };
    const inserted = await insertConversationWithMessage(
      tx,
      {
        workspaceId,
        subject: input.subject,
        channel: input.channel,
        priority: input.priority ?? 'normal',
        customerId: customer.id,
        assigneeId,
        teamId: input.teamId ?? null,
        tags: input.tags ?? [],
        lastMessagePreview: previewOf(input.message.body),
        messageCount: 1,
        createdAt: now,
        updatedAt: now,
        ...facts,
      },
      message,
      [
        {
          workspaceId,
          type: 'conversation.created',
          entityType: 'conversation',
          actor: caller.actor,
          data: {
            after: {
              status: facts.status,
              channel: input.channel,
              customerId: customer.id,
              assigneeId,
              teamId: input.teamId ?? null,
              priority: input.priority ?? 'normal',
            },
          },
          at: now,
        },
        firstMessageEvent(workspaceId, message, caller.actor),
      ],
    );
    if (!inserted.message) return duplicateFailure(input.channel, input.message.externalId ?? '');
    await linkFor(tx, inserted.message, input.message, now);
    await input.message.within?.(tx, inserted.message);
    return ok({
      conversation: inserted.conversation,
      message: inserted.message,
      customer,
      customerCreated: created,
    });
  });
  if (!result.ok) return withOriginal(deps.db, workspaceId, result);
  publishConversationCreatedAfterCommit(deps.db, result.value.conversation);
  return result;
}
