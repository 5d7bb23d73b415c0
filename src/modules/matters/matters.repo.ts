import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { Channel } from '../../db/schema/conversations.js';
import type { ContactKind, MatterRule } from '../../db/schema/matters.js';
import { publishRealtimeMany } from '../../platform/index.js';
import type { ContactFact, ConversationFact, MatterSummary } from './contacts.js';

export type Matter = typeof schema.matters.$inferSelect;
export type ConversationMatter = typeof schema.conversationMatters.$inferSelect;
export type Contact = typeof schema.contacts.$inferSelect;
const m = schema.matters;
const cm = schema.conversationMatters;
const ct = schema.contacts;

export async function matterOfConversation(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<ConversationMatter | undefined> {
  const [row] = await db
    .select()
    .from(cm)
    .where(and(eq(cm.workspaceId, workspaceId), eq(cm.conversationId, conversationId)));
  return row;
}

export async function findMatter(
  db: Executor,
  workspaceId: number,
  id: number,
  lock = false,
): Promise<Matter | undefined> {
  const query = db
    .select()
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** The conversation's latest contact (the one after which a reply makes the next message a contact). */
export async function lastContactIn(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<Contact | undefined> {
  const [row] = await db
    .select()
    .from(ct)
    .where(and(eq(ct.workspaceId, workspaceId), eq(ct.conversationId, conversationId)))
    .orderBy(desc(ct.messageId))
    .limit(1);
  return row;
}

export async function contactsOfConversation(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<Contact[]> {
  return db
    .select()
    .from(ct)
    .where(and(eq(ct.workspaceId, workspaceId), eq(ct.conversationId, conversationId)));
}

/** Whether the company replied in the conversation between two messages (by message order). */
export async function repliedBetween(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  afterMessageId: number,
  beforeMessageId: number,
): Promise<boolean> {
  const result = await db.execute(sql`
    select 1 from messages
    where workspace_id = ${workspaceId} and conversation_id = ${conversationId} and direction = 'outbound'
      and id > ${afterMessageId} and id < ${beforeMessageId}
    limit 1`);
  return result.rows.length > 0;
}

/**
 * A new matter. With `first` (its first contact, being inserted with it) it is complete at once: one contact,
 * its channel, the conversation's reason; otherwise `refreshMatter` sums it up from the contacts moved to it.
 */
export async function insertMatter(
  db: Executor,
  values: { workspaceId: number; customerId: number; firstConversationId: number; at: Date },
  first?: { channel: Channel; contactReasonId: number | null },
): Promise<Matter> {
  const [row] = await db
    .insert(m)
    .values({
      workspaceId: values.workspaceId,
      customerId: values.customerId,
      status: 'open',
      firstConversationId: values.firstConversationId,
      firstContactAt: values.at,
      lastContactAt: values.at,
      ...(first
        ? { contactCount: 1, channels: [first.channel], contactReasonId: first.contactReasonId }
        : {}),
      createdAt: values.at,
      updatedAt: values.at,
    })
    .returning();
  if (!row) throw new Error('insert into matters returned no row');
  return row;
}

export type Assignment = {
  rule: MatterRule;
  score: number | null;
  comparedConversationId: number | null;
  decidedById: number | null;
};

/**
 * Matters of a workspace are written by one transaction at a time (a transaction-scoped advisory lock): the live
 * consumer and a replay of history (backfill.job.ts) each decide from what the other may be writing.
 */
export async function lockMatters(tx: Executor, workspaceId: number): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`steward.matters:${workspaceId}`}, 0))`,
  );
}

/** Puts a conversation (with its contacts, unless it has none yet) in a matter, with the reason why. */
export async function assignConversation(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  matterId: number,
  why: Assignment,
  at: Date,
  hasContacts = true,
): Promise<void> {
  const values = { ...why, matterId, decidedAt: at };
  await db
    .insert(cm)
    .values({ workspaceId, conversationId, ...values })
    .onConflictDoUpdate({ target: [cm.workspaceId, cm.conversationId], set: values });
  if (!hasContacts) return;
  await db
    .update(ct)
    .set({ matterId })
    .where(and(eq(ct.workspaceId, workspaceId), eq(ct.conversationId, conversationId)));
}

export async function insertContact(
  db: Executor,
  values: {
    workspaceId: number;
    conversationId: number;
    matterId: number;
    messageId: number;
    kind: ContactKind;
    channel: Channel;
    at: Date;
  },
): Promise<Contact> {
  const [row] = await db.insert(ct).values(values).returning();
  if (!row) throw new Error('insert into contacts returned no row');
  return row;
}

/** Contacts of a conversation whose message moved to another conversation (merge, split) follow it. */
export async function moveContacts(
  db: Executor,
  workspaceId: number,
  toConversationId: number,
  matterId: number,
  where: { conversationId: number } | { messageIds: number[] },
): Promise<number> {
  if ('messageIds' in where && where.messageIds.length === 0) return 0;
  const moved = await db
    .update(ct)
    .set({ conversationId: toConversationId, matterId })
    .where(
      and(
        eq(ct.workspaceId, workspaceId),
        'messageIds' in where
          ? inArray(ct.messageId, where.messageIds)
          : eq(ct.conversationId, where.conversationId),
      ),
    )
    .returning({ id: ct.id });
  return moved.length;
}

export async function unassignConversation(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<void> {
  await db.delete(cm).where(and(eq(cm.workspaceId, workspaceId), eq(cm.conversationId, conversationId)));
}

/** What `summarize` needs: the matter's contacts and its conversations' states. */
export async function matterFacts(
  db: Executor,
  workspaceId: number,
  matterId: number,
): Promise<{
  contacts: ContactFact[];
  conversations: (ConversationFact & { customerId: number; contactReasonId: number | null })[];
}> {
  const contacts = await db
    .select({ id: ct.id, at: ct.at, channel: ct.channel, conversationId: ct.conversationId })
    .from(ct)
    .where(and(eq(ct.workspaceId, workspaceId), eq(ct.matterId, matterId)));
  const c = schema.conversations;
  const conversations = await db
    .select({
      conversationId: c.id,
      status: c.status,
      solvedAt: c.solvedAt,
      closedAt: c.closedAt,
      customerId: c.customerId,
      contactReasonId: c.contactReasonId,
    })
    .from(cm)
    .innerJoin(c, and(eq(c.workspaceId, cm.workspaceId), eq(c.id, cm.conversationId)))
    .where(and(eq(cm.workspaceId, workspaceId), eq(cm.matterId, matterId)));
  return { contacts, conversations };
}

export async function writeMatter(
  db: Executor,
  workspaceId: number,
  matterId: number,
  summary: MatterSummary & { contactReasonId: number | null },
  now: Date,
): Promise<Matter> {
  const [row] = await db
    .update(m)
    .set({ ...summary, updatedAt: now })
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, matterId)))
    .returning();
  if (!row) throw new Error('update of matters returned no row');
  return row;
}

export async function deleteMatter(db: Executor, workspaceId: number, matterId: number): Promise<void> {
  await db.delete(m).where(and(eq(m.workspaceId, workspaceId), eq(m.id, matterId)));
}

export async function setMatterCustomer(
  db: Executor,
  workspaceId: number,
  matterId: number,
  customerId: number,
): Promise<void> {
  await db
    .update(m)
    .set({ customerId })
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, matterId)));
}

/**
 * One more contact on a matter, in one statement (the hot path of every inbound message; `refreshMatter` would
 * read everything back): the count, the channel (in order of first use), first and last contact, the first
 * contact after its first solve; `reopen` (a new conversation joined it) makes it open again.
 */
export async function countContact(
  db: Executor,
  workspaceId: number,
  matterId: number,
  contact: { channel: Channel; at: Date; reopen: boolean },
  now: Date,
): Promise<Matter | undefined> {
  const at = contact.at.toISOString();
  const [row] = await db
    .update(m)
    .set({
      contactCount: sql`${m.contactCount} + 1`,
      channels: sql`case when ${contact.channel}::text = any(${m.channels}) then ${m.channels}
        else array_append(${m.channels}, ${contact.channel}::text) end`,
      firstContactAt: sql`least(${m.firstContactAt}, ${at}::timestamptz)`,
      lastContactAt: sql`greatest(${m.lastContactAt}, ${at}::timestamptz)`,
      firstRepeatAt: sql`case when ${m.firstSolvedAt} is not null and ${at}::timestamptz > ${m.firstSolvedAt}
        and (${m.firstRepeatAt} is null or ${at}::timestamptz < ${m.firstRepeatAt}) then ${at}::timestamptz
        else ${m.firstRepeatAt} end`,
      ...(contact.reopen ? { status: 'open' as const, solvedAt: null } : {}),
      updatedAt: now,
    })
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, matterId)))
    .returning();
  return row;
}

/** Tells the agent app of every conversation on a matter that it changed. */
export async function notifyMatterChanged(
  db: Executor,
  workspaceId: number,
  matterId: number,
): Promise<void> {
  const rows = await db
    .select({ conversationId: cm.conversationId })
    .from(cm)
    .where(and(eq(cm.workspaceId, workspaceId), eq(cm.matterId, matterId)))
    .limit(50);
  await publishRealtimeMany(
    db,
    rows.map((r) => ({
      workspaceId,
      type: 'matter.changed',
      data: { conversationId: r.conversationId, matterId },
    })),
  );
}
