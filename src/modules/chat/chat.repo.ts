import { and, asc, eq, gt, inArray, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type ChatWidget = typeof schema.chatWidgets.$inferSelect;
export type ChatVisitor = typeof schema.chatVisitors.$inferSelect;
const w = schema.chatWidgets;
const v = schema.chatVisitors;
const m = schema.messages;
const conv = schema.conversations;

export async function listWidgets(db: Executor, workspaceId: number): Promise<ChatWidget[]> {
  return db.select().from(w).where(eq(w.workspaceId, workspaceId)).orderBy(asc(w.name), asc(w.id)).limit(500);
}

export async function findWidget(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<ChatWidget | undefined> {
  const [row] = await db
    .select()
    .from(w)
    .where(and(eq(w.workspaceId, workspaceId), eq(w.id, id)));
  return row;
}

/** The widget a page names by its public key (any workspace: the key says which). */
export async function findWidgetByKey(db: Executor, publicKey: string): Promise<ChatWidget | undefined> {
  const [row] = await db.select().from(w).where(eq(w.publicKey, publicKey));
  return row;
}

export async function insertWidget(db: Executor, values: typeof w.$inferInsert): Promise<ChatWidget> {
  const [row] = await db.insert(w).values(values).returning();
  return row!;
}

export async function updateWidget(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<Pick<ChatWidget, 'name' | 'greeting' | 'color' | 'allowedOrigins' | 'teamId'>> & {
    updatedAt: Date;
  },
): Promise<ChatWidget | undefined> {
  const [row] = await db
    .update(w)
    .set(patch)
    .where(and(eq(w.workspaceId, workspaceId), eq(w.id, id)))
    .returning();
  return row;
}

export async function deleteWidget(db: Executor, workspaceId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(w)
    .where(and(eq(w.workspaceId, workspaceId), eq(w.id, id)))
    .returning({ id: w.id });
  return rows.length > 0;
}

export async function insertVisitor(db: Executor, values: typeof v.$inferInsert): Promise<ChatVisitor> {
  const [row] = await db.insert(v).values(values).returning();
  return row!;
}

/** A visitor of this widget by public id (a visitor of another widget or workspace is not found). */
export async function findVisitor(
  db: Executor,
  widget: Pick<ChatWidget, 'workspaceId' | 'id'>,
  publicId: string,
): Promise<ChatVisitor | undefined> {
  const [row] = await db
    .select()
    .from(v)
    .where(and(eq(v.workspaceId, widget.workspaceId), eq(v.widgetId, widget.id), eq(v.publicId, publicId)));
  return row;
}

export async function findVisitorById(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<ChatVisitor | undefined> {
  const [row] = await db
    .select()
    .from(v)
    .where(and(eq(v.workspaceId, workspaceId), eq(v.id, id)));
  return row;
}

/** The visitor row, locked: a visitor's first message and identification happen one at a time. */
export async function lockVisitor(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<ChatVisitor | undefined> {
  const [row] = await db
    .select()
    .from(v)
    .where(and(eq(v.workspaceId, workspaceId), eq(v.id, id)))
    .for('update');
  return row;
}

export async function updateVisitor(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<Pick<ChatVisitor, 'name' | 'email' | 'customerId' | 'lastSeenAt'>>,
): Promise<ChatVisitor> {
  const [row] = await db
    .update(v)
    .set(patch)
    .where(and(eq(v.workspaceId, workspaceId), eq(v.id, id)))
    .returning();
  return row!;
}

/** Adds a conversation to the visitor's own (idempotent). */
export async function addVisitorConversation(
  db: Executor,
  workspaceId: number,
  id: number,
  conversationId: number,
): Promise<ChatVisitor> {
  const [row] = await db
    .update(v)
    .set({
      conversationIds: sql`case when ${conversationId}::bigint = any(${v.conversationIds}) then ${v.conversationIds}
        else array_append(${v.conversationIds}, ${conversationId}::bigint) end`,
    })
    .where(and(eq(v.workspaceId, workspaceId), eq(v.id, id)))
    .returning();
  return row!;
}

/**
 * A visitor's conversations that an agent merged into others continue there: each merged id is replaced by
 * the conversation it ended in (a chain of merges followed a few steps), stored so, and the visitor returned
 * as it is now. Moved messages keep their ids, so what the visitor has seen stays seen.
 */
export async function followMerges(db: Executor, visitor: ChatVisitor): Promise<ChatVisitor> {
  const final = new Map<number, number>();
  let ids = visitor.conversationIds;
  for (let hops = 0; hops < 5 && ids.length > 0; hops++) {
    const merged = await db
      .select({ id: conv.id, into: conv.mergedIntoId })
      .from(conv)
      .where(
        and(eq(conv.workspaceId, visitor.workspaceId), inArray(conv.id, ids), isNotNull(conv.mergedIntoId)),
      );
    if (merged.length === 0) break;
    for (const { id, into } of merged) {
      for (const [from, to] of final) if (to === id) final.set(from, into!);
      if (!final.has(id)) final.set(id, into!);
    }
    ids = merged.map((r) => r.into!);
  }
  if (final.size === 0) return visitor;
  let replaced: SQL = sql`${v.conversationIds}`;
  for (const [from, to] of final) replaced = sql`array_replace(${replaced}, ${from}::bigint, ${to}::bigint)`;
  const [row] = await db
    .update(v)
    .set({ conversationIds: replaced })
    .where(and(eq(v.workspaceId, visitor.workspaceId), eq(v.id, visitor.id)))
    .returning();
  return row ?? visitor;
}

export type ChatLine = {
  id: number;
  conversationId: number;
  direction: 'inbound' | 'outbound';
  text: string;
  authorPersonId: number | null;
  externalId: string | null;
  createdAt: Date;
};

/**
 * What the visitor may read: the chat messages, the customer's and the agents' (never internal notes, never
 * what went by another channel), of the conversations the visitor started or that those were merged into,
 * after a message id, oldest first. Only the chat: a visitor is known by this browser alone (an e-mail given
 * in the widget is not proven), so the e-mails of a conversation a chat was merged into stay out of it. Within a conversation ids follow commit order (a
 * message is inserted under the conversation's row lock), so "after my last seen id" misses nothing.
 */
export async function visitorLines(
  db: Executor,
  workspaceId: number,
  conversationIds: number[],
  afterId: number,
  limit = 500,
): Promise<ChatLine[]> {
  if (conversationIds.length === 0) return [];
  const rows = await db
    .select({
      id: m.id,
      conversationId: m.conversationId,
      direction: m.direction,
      text: m.bodyText,
      authorPersonId: m.authorPersonId,
      externalId: m.externalId,
      createdAt: m.createdAt,
    })
    .from(m)
    .where(
      and(
        eq(m.workspaceId, workspaceId),
        inArray(m.conversationId, conversationIds),
        gt(m.id, afterId),
        ne(m.direction, 'note'),
        eq(m.channel, 'chat'),
      ),
    )
    .orderBy(asc(m.id))
    .limit(limit);
  return rows as ChatLine[];
}

/**
 * GDPR erasure: the visitors that became these customers are deleted (their names, e-mails and the link from
 * a browser's stored token to the conversations); that browser starts again as a new visitor.
 */
export async function eraseChatVisitors(
  db: Executor,
  workspaceId: number,
  customerIds: number[],
): Promise<number> {
  if (customerIds.length === 0) return 0;
  const rows = await db
    .delete(v)
    .where(and(eq(v.workspaceId, workspaceId), inArray(v.customerId, customerIds)))
    .returning({ id: v.id });
  return rows.length;
}
