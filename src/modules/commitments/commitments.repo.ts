import { and, asc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { CommitmentStatus } from '../../db/schema/commitments.js';

export type Commitment = typeof schema.commitments.$inferSelect;
export type NewCommitment = Omit<typeof schema.commitments.$inferInsert, 'id'>;
const c = schema.commitments;

export async function insertCommitment(db: Executor, values: NewCommitment): Promise<Commitment> {
  const [row] = await db.insert(c).values(values).returning();
  if (!row) throw new Error('insert into commitments returned no row');
  return row;
}

export async function findCommitment(
  db: Executor,
  workspaceId: number,
  id: number,
  lock = false,
): Promise<Commitment | undefined> {
  const query = db
    .select()
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function updateCommitment(
  db: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<NewCommitment>,
): Promise<Commitment> {
  const [row] = await db
    .update(c)
    .set(changes)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)))
    .returning();
  if (!row) throw new Error('update of commitments returned no row');
  return row;
}

/** A conversation's commitments and suggestions (dismissed ones left out unless asked for), by due time. */
export async function listCommitments(
  db: Executor,
  workspaceId: number,
  conversationIds: number[],
  statuses?: CommitmentStatus[],
): Promise<Commitment[]> {
  if (conversationIds.length === 0) return [];
  const where: SQL[] = [eq(c.workspaceId, workspaceId), inArray(c.conversationId, conversationIds)];
  if (statuses) where.push(inArray(c.status, statuses));
  return db
    .select()
    .from(c)
    .where(and(...where))
    .orderBy(asc(c.dueAt), asc(c.id))
    .limit(500);
}

export type OverdueCommitment = Commitment & {
  conversationSubject: string;
  ownerName: string;
};

/** Open commitments past their due time, the longest overdue first. */
export async function listOverdue(
  db: Executor,
  workspaceId: number,
  now: Date,
  filter: { ownerId?: number; teamId?: number },
  limit: number,
): Promise<OverdueCommitment[]> {
  const where: SQL[] = [eq(c.workspaceId, workspaceId), eq(c.status, 'open'), lt(c.dueAt, now)];
  if (filter.ownerId !== undefined) where.push(eq(c.ownerId, filter.ownerId));
  if (filter.teamId !== undefined) where.push(eq(c.teamId, filter.teamId));
  const rows = await db
    .select({
      commitment: c,
      conversationSubject: schema.conversations.subject,
      ownerName: schema.people.name,
    })
    .from(c)
    .innerJoin(
      schema.conversations,
      and(eq(schema.conversations.workspaceId, c.workspaceId), eq(schema.conversations.id, c.conversationId)),
    )
    .innerJoin(
      schema.people,
      and(eq(schema.people.workspaceId, c.workspaceId), eq(schema.people.id, c.ownerId)),
    )
    .where(and(...where))
    .orderBy(asc(c.dueAt), asc(c.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r.commitment,
    conversationSubject: r.conversationSubject,
    ownerName: r.ownerName,
  }));
}

export type KeptCounts = { key: number | null; name: string | null; due: number; kept: number };

/**
 * The promise-kept rate's counts for a period, per owner, per team, or for the workspace (see
 * kept-rate.ts for the definition): `due` counts commitments due in [from, to) whose outcome is known at
 * `now` (due by now, or already kept or broken); `kept` those of them fulfilled by their due time.
 */
export async function keptCounts(
  db: Executor,
  workspaceId: number,
  period: { from: Date; to: Date },
  now: Date,
  by: 'owner' | 'team' | 'workspace',
): Promise<KeptCounts[]> {
  const counted = and(
    eq(c.workspaceId, workspaceId),
    inArray(c.status, ['open', 'kept', 'broken']),
    gte(c.dueAt, period.from),
    lt(c.dueAt, period.to),
    sql`(${c.dueAt} <= ${now} or ${c.status} <> 'open')`,
  );
  const due = sql<number>`count(*)::int`.mapWith(Number);
  const kept =
    sql<number>`(count(*) filter (where ${c.status} = 'kept' and ${c.keptAt} <= ${c.dueAt}))::int`.mapWith(
      Number,
    );
  if (by === 'workspace') {
    const [row] = await db.select({ due, kept }).from(c).where(counted);
    return [{ key: null, name: null, due: row?.due ?? 0, kept: row?.kept ?? 0 }];
  }
  if (by === 'owner') {
    const p = schema.people;
    return db
      .select({ key: c.ownerId, name: p.name, due, kept })
      .from(c)
      .innerJoin(p, and(eq(p.workspaceId, c.workspaceId), eq(p.id, c.ownerId)))
      .where(counted)
      .groupBy(c.ownerId, p.name)
      .orderBy(asc(p.name), asc(c.ownerId));
  }
  const t = schema.teams;
  return db
    .select({ key: c.teamId, name: t.name, due, kept })
    .from(c)
    .leftJoin(t, and(eq(t.workspaceId, c.workspaceId), eq(t.id, c.teamId)))
    .where(counted)
    .groupBy(c.teamId, t.name)
    .orderBy(asc(t.name), asc(c.teamId));
}

/** The open commitments of a customer's conversations, soonest due first (the portal shows them). */
export async function openForConversations(
  db: Executor,
  workspaceId: number,
  conversationIds: number[],
): Promise<Commitment[]> {
  return listCommitments(db, workspaceId, conversationIds, ['open']);
}

/** A merge: the merged conversation's promises continue on the conversation it went into. */
export async function moveCommitments(
  db: Executor,
  workspaceId: number,
  fromConversationId: number,
  toConversationId: number,
  now: Date,
): Promise<number> {
  const rows = await db
    .update(c)
    .set({ conversationId: toConversationId, updatedAt: now })
    .where(and(eq(c.workspaceId, workspaceId), eq(c.conversationId, fromConversationId)))
    .returning({ id: c.id });
  return rows.length;
}

/**
 * GDPR erasure: the promises on an erased customer's conversations keep their rows, owners, times and
 * outcomes (the kept rate stays), but not their words, which may quote the customer.
 */
export async function eraseCommitmentText(
  db: Executor,
  workspaceId: number,
  conversationIds: number[],
  erased: string,
): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const rows = await db
    .update(c)
    .set({ text: erased, note: null })
    .where(and(eq(c.workspaceId, workspaceId), inArray(c.conversationId, conversationIds)))
    .returning({ id: c.id });
  return rows.length;
}
