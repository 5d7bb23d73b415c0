import { z } from 'zod';
import { type Deps, fail, ok, type Result } from '../../platform/index.js';
import {
  addMessage,
  type Caller,
  type CustomerRef,
  createConversation,
  findOpenConversationOn,
} from '../conversations/index.js';
import { findIdentityByValue, normalizeIdentity } from '../customers/index.js';
import type { Bridge } from './bridges.repo.js';

/** What a bridge posts for each message a customer sends. */
export const inboundMessageSchema = z.strictObject({
  externalId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe("The provider's id of the message: retries dedupe on it"),
  sender: z.strictObject({
    id: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('A phone number (SMS, WhatsApp) or `network:handle` (social): the customer identity'),
    name: z.string().trim().max(200).optional(),
    email: z
      .email()
      .max(254)
      .optional()
      .describe('Also an identity of the customer, when the provider knows it'),
  }),
  text: z.string().max(20_000).default(''),
  attachments: z
    .array(
      z.strictObject({
        url: z
          .url()
          .max(2_000)
          .refine((u) => /^https?:/i.test(u), 'http(s) only'),
        filename: z.string().max(200).optional(),
        contentType: z.string().max(200).optional(),
      }),
    )
    .max(20)
    .default([]),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

const intake: Caller = { actor: { type: 'system' }, personId: 0, canReassign: true };

/** The sender as a customer identity: a phone for SMS and WhatsApp, a social handle otherwise. */
function identityOf(bridge: Bridge, senderId: string) {
  return bridge.channel === 'social'
    ? { kind: 'social' as const, value: senderId }
    : { kind: 'phone' as const, value: senderId };
}

export type Received = { conversationId: number; messageId: number; duplicate: boolean; startedNew: boolean };

/**
 * One message from a bridge: the customer found (or created) by the sender's identity; their conversation in
 * progress on this channel continues, else a new one starts. Idempotent on the provider's message id.
 */
export async function receiveBridgeMessage(
  deps: Deps,
  bridge: Bridge,
  input: InboundMessage,
): Promise<Result<Received>> {
  const ws = bridge.workspaceId;
  const identity = identityOf(bridge, input.sender.id);
  const normalized = normalizeIdentity(identity.kind, identity.value);
  if (!normalized.ok) return normalized;
  const links = input.attachments.map((a) => ({
    url: a.url,
    filename: a.filename,
    contentType: a.contentType,
  }));
  const text =
    input.text.trim() || (links.length ? `(${links.length} attachment${links.length > 1 ? 's' : ''})` : '');
  if (!text) return fail('VALIDATION_FAILED', 'A message needs text or attachments');
  const message = {
    direction: 'inbound' as const,
    body: text,
    externalId: `${bridge.id}:${input.externalId}`,
    channelMeta: { bridgeId: bridge.id, senderId: normalized.value, ...(links.length ? { links } : {}) },
  };
  const known = await findIdentityByValue(deps.db, ws, identity.kind, normalized.value);
  const open = known
    ? await findOpenConversationOn(deps.db, ws, known.customerId, bridge.channel)
    : undefined;
  const outcome = (r: { conversationId: number; messageId: number }, startedNew: boolean) =>
    ok({ ...r, duplicate: false, startedNew });
  if (open) {
    const added = await addMessage(deps, ws, open.id, intake, { ...message, channel: bridge.channel });
    if (added.ok)
      return outcome(
        { conversationId: added.value.conversation.id, messageId: added.value.message.id },
        added.value.startedNew,
      );
    if (added.code !== 'DUPLICATE_EXTERNAL_ID') return added;
    return duplicate(added.details);
  }
  const customer: CustomerRef = { identity, name: input.sender.name, email: input.sender.email };
  const created = await createConversation(deps, ws, intake, {
    subject: text.replace(/\s+/g, ' ').slice(0, 80),
    channel: bridge.channel,
    customer,
    teamId: bridge.teamId,
    message,
  });
  if (created.ok)
    return outcome(
      { conversationId: created.value.conversation.id, messageId: created.value.message.id },
      true,
    );
  if (created.code !== 'DUPLICATE_EXTERNAL_ID') return created;
  return duplicate(created.details);
}

function duplicate(details: unknown): Result<Received> {
  const d = details as { conversationId?: number; messageId?: number };
  return ok({
    conversationId: d.conversationId ?? 0,
    messageId: d.messageId ?? 0,
    duplicate: true,
    startedNew: false,
  });
}
