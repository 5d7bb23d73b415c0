import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { Channel, ChannelMeta, DeliveryState } from '../../db/schema/conversations.js';
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
  channelMeta: m.channelMeta,
  deliveryState: m.deliveryState,
  deliveryDetail: m.deliveryDetail,
  deliveryAt: m.deliveryAt,
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

export type DeliveryOutcome = {
  state: DeliveryState;
  detail?: string | null;
  at: Date;
  /** The channel's id of what went out (the e-mail Message-ID): replies to it thread by it. */
  externalId?: string;
  channelMeta?: ChannelMeta;
};

/**
 * Records how the delivery of an outgoing message went (the channel's module calls this). A bounce may
 * follow `sent`; nothing moves a message back to `queued`.
 */
export async function updateDelivery(
  db: Executor,
  workspaceId: number,
  messageId: number,
  outcome: DeliveryOutcome,
): Promise<StoredMessage | undefined> {
  const [row] = await db
    .update(m)
    .set({
      deliveryState: outcome.state,
      deliveryDetail: outcome.detail ?? null,
      deliveryAt: outcome.at,
      ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
      ...(outcome.channelMeta ? { channelMeta: outcome.channelMeta } : {}),
    })
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, messageId)))
    .returning(columns);
  return row;
}

export async function findMessage(
  db: Executor,
  workspaceId: number,
  messageId: number,
): Promise<StoredMessage | undefined> {
  const [row] = await db
    .select(columns)
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, messageId)));
  return row;
}

/** Messages of a channel by their external ids (e-mail threading looks up In-Reply-To and References). */
export async function findMessagesByExternalIds(
  db: Executor,
  workspaceId: number,
  channel: Channel,
  externalIds: string[],
): Promise<StoredMessage[]> {
  if (externalIds.length === 0) return [];
  return db
    .select(columns)
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.channel, channel), inArray(m.externalId, externalIds)))
    .orderBy(desc(m.id));
}

/**
 * The conversation of a customer whose e-mail carries this Outlook Thread-Index root (Outlook replies
 * sometimes come without References). Walks the customer's conversations, newest first.
 */
export async function findConversationByThreadIndex(
  db: Executor,
  workspaceId: number,
  customerId: number,
  root: string,
): Promise<number | undefined> {
  const c = schema.conversations;
  const [row] = await db
    .select({ conversationId: m.conversationId })
    .from(m)
    .innerJoin(c, and(eq(c.workspaceId, m.workspaceId), eq(c.id, m.conversationId)))
    .where(
      and(
        eq(m.workspaceId, workspaceId),
        eq(c.customerId, customerId),
        eq(m.channel, 'email'),
        sql`${m.channelMeta}->>'threadIndex' = ${root}`,
      ),
    )
    .orderBy(desc(m.id))
    .limit(1);
  return row?.conversationId;
}

/** The latest e-mail the customer sent in a conversation: a reply answers it (headers, mailbox, address). */
export const lastInboundEmail = (db: Executor, workspaceId: number, conversationId: number) =>
  lastInboundOn(db, workspaceId, conversationId, 'email');

/** The customer's latest message on a channel in a conversation (where a reply on that channel goes). */
export async function lastInboundOn(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  channel: Channel,
): Promise<StoredMessage | undefined> {
  const [row] = await db
    .select(columns)
    .from(m)
    .where(
      and(
        eq(m.workspaceId, workspaceId),
        eq(m.conversationId, conversationId),
        eq(m.channel, channel),
        eq(m.direction, 'inbound'),
      ),
    )
    .orderBy(desc(m.createdAt), desc(m.id))
    .limit(1);
  return row;
}
