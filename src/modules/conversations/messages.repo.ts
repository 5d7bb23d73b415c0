import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { AttachmentMeta, Channel } from '../../db/schema/conversations.js';
import type { Cursor } from '../../platform/index.js';

export type Message = typeof schema.messages.$inferSelect;
export type MessageDirection = Message['direction'];
const m = schema.messages;

/** Every column but the generated tsvector, which nobody outside search needs to carry around. */
export const storedMessageColumns = {
  workspaceId: m.workspaceId,
  id: m.id,
  conversationId: m.conversationId,
  direction: m.direction,
  channel: m.channel,
  authorCustomerId: m.authorCustomerId,
  authorPersonId: m.authorPersonId,
  bodyText: m.bodyText,
  bodyHtml: m.bodyHtml,
  externalId: m.externalId,
  attachments: m.attachments,
  createdAt: m.createdAt,
};
const columns = storedMessageColumns;
export type StoredMessage = Omit<Message, 'search'>;

/**
 * Inserts a message; `undefined` when its external id is already stored on that channel. ON CONFLICT DO
 * NOTHING (rather than catching the unique violation) keeps the transaction usable on PostgreSQL, and under
 * a concurrent retry it waits for the other transaction and then sees its row.
 */
export async function insertMessage(
  tx: Executor,
  values: Omit<typeof m.$inferInsert, 'search'>,
): Promise<StoredMessage | undefined> {
  const [row] = await tx.insert(m).values(values).onConflictDoNothing().returning(columns);
  return row;
}

/** Sets the files a just-inserted message carries (intake of a first message with attachments). */
export async function setMessageAttachments(
  tx: Executor,
  message: StoredMessage,
  attachments: AttachmentMeta[],
): Promise<StoredMessage> {
  const [row] = await tx
    .update(m)
    .set({ attachments })
    .where(and(eq(m.workspaceId, message.workspaceId), eq(m.id, message.id)))
    .returning(columns);
  return row ?? message;
}

export async function findMessageByExternalId(
  db: Executor,
  workspaceId: number,
  channel: Channel,
  externalId: string,
): Promise<StoredMessage | undefined> {
  const [row] = await db
    .select(columns)
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.channel, channel), eq(m.externalId, externalId)));
  return row;
}

const exactCreatedAt = sql<string>`to_char(${m.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Oldest first, keyset-paged on (created_at, id): the order of the conversation index. */
export async function listMessages(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  after: Cursor | undefined,
  limit: number,
): Promise<Array<{ message: StoredMessage; sortKey: Cursor }>> {
  const conditions = [eq(m.workspaceId, workspaceId), eq(m.conversationId, conversationId)];
  if (after) conditions.push(sql`(${m.createdAt}, ${m.id}) > (${after.t}::timestamptz, ${after.id})`);
  const rows = await db
    .select({ message: columns, t: exactCreatedAt })
    .from(m)
    .where(and(...conditions))
    .orderBy(asc(m.createdAt), asc(m.id))
    .limit(limit);
  return rows.map((r) => ({ message: r.message, sortKey: { t: r.t, id: r.message.id } }));
}

/**
 * Re-attributes a merged customer's messages. Limited to the conversations that moved with them (where all
 * their messages are), so it walks the conversation index instead of every message of the workspace.
 */
export async function moveMessageAuthorship(
  tx: Executor,
  workspaceId: number,
  conversationIds: number[],
  fromCustomerId: number,
  toCustomerId: number,
): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const rows = await tx
    .update(m)
    .set({ authorCustomerId: toCustomerId })
    .where(
      and(
        eq(m.workspaceId, workspaceId),
        inArray(m.conversationId, conversationIds),
        eq(m.authorCustomerId, fromCustomerId),
      ),
    )
    .returning({ id: m.id });
  return rows.length;
}
