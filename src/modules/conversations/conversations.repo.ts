import { and, arrayContains, eq, gte, isNull, type SQL, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { Channel, ConversationStatus, Priority } from '../../db/schema/conversations.js';
import type { Cursor } from '../../platform/index.js';
import type { StatusFacts } from './status-rules.js';

export type Conversation = typeof schema.conversations.$inferSelect;
export type NewConversationRow = typeof schema.conversations.$inferInsert;
const c = schema.conversations;

export async function findConversation(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)));
  return row;
}

/** The conversation, locked until the transaction ends: concurrent messages and changes apply one by one. */
export async function lockConversation(
  tx: Executor,
  workspaceId: number,
  id: number,
): Promise<Conversation | undefined> {
  const [row] = await tx
    .select()
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)))
    .for('update');
  return row;
}

export async function insertConversation(tx: Executor, values: NewConversationRow): Promise<Conversation> {
  const [row] = await tx.insert(c).values(values).returning();
  if (!row) throw new Error('insert into conversations returned no row');
  return row;
}

export type ConversationChanges = Partial<
  StatusFacts &
    Pick<
      Conversation,
      'subject' | 'priority' | 'assigneeId' | 'teamId' | 'tags' | 'messageCount' | 'lastMessagePreview'
    >
> & { updatedAt: Date };

export async function updateConversation(
  tx: Executor,
  workspaceId: number,
  id: number,
  changes: ConversationChanges,
): Promise<Conversation> {
  const [row] = await tx
    .update(c)
    .set(changes)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)))
    .returning();
  if (!row) throw new Error(`conversation ${id} vanished while locked`);
  return row;
}

export type ConversationFilter = {
  statuses?: ConversationStatus[];
  assigneeId?: number | 'none';
  teamId?: number;
  priority?: Priority;
  tag?: string;
  channel?: Channel;
  customerId?: number;
  updatedSince?: Date;
};

/** A row plus its sort key at full (microsecond) precision, so a cursor never skips or repeats a row. */
export type ListedConversation = { conversation: Conversation; sortKey: Cursor };

/**
 * The indexes are `updated_at DESC NULLS LAST, id DESC NULLS LAST` (drizzle's default), while a bare `DESC`
 * means NULLS FIRST: spelled out, the index delivers the order and no sort of every matching row is needed.
 */
const newestFirst = [sql`${c.updatedAt} desc nulls last`, sql`${c.id} desc nulls last`];

const exactUpdatedAt = sql<string>`to_char(${c.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Newest activity first, keyset-paged on (updated_at, id). The conditions and the order match the indexes
 * (workspace, [team | assignee | customer,] status, updated_at desc, id desc), so a page reads `limit` index
 * entries whatever its depth. Several statuses are read as one ordered scan per status, merged: a plain
 * `status in (...)` would read and sort every matching row.
 */
export async function listConversations(
  db: Executor,
  workspaceId: number,
  filter: ConversationFilter,
  after: Cursor | undefined,
  limit: number,
): Promise<ListedConversation[]> {
  const base: SQL[] = [eq(c.workspaceId, workspaceId)];
  if (filter.assigneeId === 'none') base.push(isNull(c.assigneeId));
  else if (filter.assigneeId !== undefined) base.push(eq(c.assigneeId, filter.assigneeId));
  if (filter.teamId !== undefined) base.push(eq(c.teamId, filter.teamId));
  if (filter.customerId !== undefined) base.push(eq(c.customerId, filter.customerId));
  if (filter.priority) base.push(eq(c.priority, filter.priority));
  if (filter.channel) base.push(eq(c.channel, filter.channel));
  if (filter.tag) base.push(arrayContains(c.tags, [filter.tag]));
  if (filter.updatedSince) base.push(gte(c.updatedAt, filter.updatedSince));
  if (after) base.push(sql`(${c.updatedAt}, ${c.id}) < (${after.t}::timestamptz, ${after.id})`);

  const page = (conditions: SQL[]) =>
    db
      .select({ conversation: c, t: exactUpdatedAt })
      .from(c)
      .where(and(...conditions))
      .orderBy(...newestFirst)
      .limit(limit);

  const statuses = [...new Set(filter.statuses ?? [])];
  let rows: Array<{ conversation: Conversation; t: string }>;
  if (statuses.length <= 1) {
    rows = await page(statuses[0] ? [...base, eq(c.status, statuses[0])] : base);
  } else {
    const pages = await Promise.all(statuses.map((s) => page([...base, eq(c.status, s)])));
    rows = pages
      .flat()
      .sort((a, b) => (a.t === b.t ? b.conversation.id - a.conversation.id : a.t < b.t ? 1 : -1))
      .slice(0, limit);
  }
  return rows.map((r) => ({ conversation: r.conversation, sortKey: { t: r.t, id: r.conversation.id } }));
}

/** Moves every conversation of one customer to another (a merge). Returns the moved ids. */
export async function moveConversationsToCustomer(
  tx: Executor,
  workspaceId: number,
  fromCustomerId: number,
  toCustomerId: number,
  now: Date,
): Promise<number[]> {
  const rows = await tx
    .update(c)
    .set({ customerId: toCustomerId, updatedAt: now })
    .where(and(eq(c.workspaceId, workspaceId), eq(c.customerId, fromCustomerId)))
    .returning({ id: c.id });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}
