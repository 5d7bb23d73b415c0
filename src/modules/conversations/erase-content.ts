import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

/** What erased text reads: the message and conversation rows stay (timestamps, statuses, counts). */
export const ERASED_TEXT = '[erased]';

const c = schema.conversations;
const m = schema.messages;

/**
 * GDPR erasure of what customers wrote, and of everything that may quote them: the subject and inbox line
 * of their conversations, and the text, HTML, channel message id and attachment names of every message in
 * them (replies and notes quote customers), plus any message they authored elsewhere. Rows, timestamps,
 * statuses, directions and counts stay. The stored tsvector is generated from the text, so search forgets
 * it with the same update.
 */
export async function eraseCustomerContent(
  tx: Executor,
  workspaceId: number,
  customerIds: number[],
): Promise<{ conversationIds: number[]; messages: number }> {
  if (customerIds.length === 0) return { conversationIds: [], messages: 0 };
  const conversations = await tx
    .update(c)
    .set({ subject: ERASED_TEXT, lastMessagePreview: '' })
    .where(and(eq(c.workspaceId, workspaceId), inArray(c.customerId, customerIds)))
    .returning({ id: c.id });
  const conversationIds = conversations.map((r) => r.id).sort((a, b) => a - b);
  const inConversations = conversationIds.length > 0 ? inArray(m.conversationId, conversationIds) : undefined;
  const messages = await tx
    .update(m)
    .set({
      bodyText: ERASED_TEXT,
      bodyHtml: null,
      externalId: null,
      attachments: sql`coalesce((select jsonb_agg(jsonb_set(x, '{filename}', '"erased"'))
        from jsonb_array_elements(${m.attachments}) x), '[]'::jsonb)`,
    })
    .where(and(eq(m.workspaceId, workspaceId), or(inConversations, inArray(m.authorCustomerId, customerIds))))
    .returning({ id: m.id });
  return { conversationIds, messages: messages.length };
}
