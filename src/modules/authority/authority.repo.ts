import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { ResolutionKind, ResolutionStatus } from '../../db/schema/authority.js';
import { defaultCatalogue, type Limit, type Spent } from './limits.js';

export type ResolutionAction = typeof schema.resolutionActions.$inferSelect;
export type AuthorityLimit = typeof schema.authorityLimits.$inferSelect;
export type Resolution = typeof schema.resolutions.$inferSelect;
export type NewResolution = Omit<typeof schema.resolutions.$inferInsert, 'id'>;
const a = schema.resolutionActions;
const l = schema.authorityLimits;
const r = schema.resolutions;
const s = schema.authoritySettings;

/** The workspace's catalogue; the first time, the seven usual actions are created (idempotent). */
export async function catalogue(db: Executor, workspaceId: number, now: Date): Promise<ResolutionAction[]> {
  const rows = await db.select().from(a).where(eq(a.workspaceId, workspaceId)).orderBy(asc(a.id));
  if (rows.length > 0) return rows;
  await db
    .insert(a)
    .values(
      defaultCatalogue.map((c) => ({
        workspaceId,
        kind: c.kind as ResolutionKind,
        name: c.name,
        unit: c.unit,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing();
  return db.select().from(a).where(eq(a.workspaceId, workspaceId)).orderBy(asc(a.id));
}

export async function findAction(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<ResolutionAction | undefined> {
  const [row] = await db
    .select()
    .from(a)
    .where(and(eq(a.workspaceId, workspaceId), eq(a.id, id)));
  return row;
}

export async function updateAction(
  db: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<Pick<ResolutionAction, 'name' | 'enabled' | 'workspacePerDay'>> & { updatedAt: Date },
): Promise<ResolutionAction | undefined> {
  const [row] = await db
    .update(a)
    .set(changes)
    .where(and(eq(a.workspaceId, workspaceId), eq(a.id, id)))
    .returning();
  return row;
}

export async function listLimits(db: Executor, workspaceId: number): Promise<AuthorityLimit[]> {
  return db
    .select()
    .from(l)
    .where(eq(l.workspaceId, workspaceId))
    .orderBy(asc(l.actionId), asc(l.role), asc(l.personId))
    .limit(2000);
}

export async function replaceLimits(
  db: Executor,
  workspaceId: number,
  items: Array<Limit & { actionId: number; role: string | null; personId: number | null }>,
  now: Date,
): Promise<void> {
  await db.delete(l).where(eq(l.workspaceId, workspaceId));
  if (items.length > 0) await db.insert(l).values(items.map((x) => ({ ...x, workspaceId, updatedAt: now })));
}

/** One person's limit for an action: their own row, else their role's; null: no authority. */
export async function limitFor(
  db: Executor,
  workspaceId: number,
  actionId: number,
  person: { id: number; role: string },
): Promise<Limit | null> {
  const rows = await db
    .select()
    .from(l)
    .where(
      and(
        eq(l.workspaceId, workspaceId),
        eq(l.actionId, actionId),
        sql`(${l.personId} = ${person.id} or ${l.role} = ${person.role})`,
      ),
    );
  const row = rows.find((x) => x.personId === person.id) ?? rows.find((x) => x.role === person.role);
  return row
    ? {
        perAction: row.perAction,
        perConversation: row.perConversation,
        perDay: row.perDay,
        perMonth: row.perMonth,
      }
    : null;
}

/**
 * What was granted of an action without approval (the agent's own authority): by this agent since the start
 * of the day and of the month, on this conversation; and by the whole workspace today (approved ones too).
 */
export async function spent(
  db: Executor,
  workspaceId: number,
  actionId: number,
  personId: number,
  conversationId: number,
  starts: { day: Date; month: Date },
): Promise<Spent> {
  const day = starts.day.toISOString();
  const month = starts.month.toISOString();
  const result = await db.execute(sql`
    select
      coalesce(sum(amount) filter (where requested_by_id = ${personId} and decided_by_id is null
        and applied_at >= ${day}), 0)::bigint as day,
      coalesce(sum(amount) filter (where requested_by_id = ${personId} and decided_by_id is null
        and applied_at >= ${month}), 0)::bigint as month,
      coalesce(sum(amount) filter (where conversation_id = ${conversationId} and decided_by_id is null), 0)::bigint
        as conversation,
      coalesce(sum(amount) filter (where applied_at >= ${day}), 0)::bigint as workspace_day
    from resolutions
    where workspace_id = ${workspaceId} and action_id = ${actionId} and status = 'applied'
      and (applied_at >= ${month} or conversation_id = ${conversationId})`);
  const row = result.rows[0] as Record<string, string | number>;
  return {
    day: Number(row.day),
    month: Number(row.month),
    conversation: Number(row.conversation),
    workspaceDay: Number(row.workspace_day),
  };
}

export async function insertResolution(db: Executor, values: NewResolution): Promise<Resolution> {
  const [row] = await db.insert(r).values(values).returning();
  if (!row) throw new Error('insert into resolutions returned no row');
  return row;
}

export async function findResolution(
  db: Executor,
  workspaceId: number,
  id: number,
  lock = false,
): Promise<Resolution | undefined> {
  const query = db
    .select()
    .from(r)
    .where(and(eq(r.workspaceId, workspaceId), eq(r.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function updateResolution(
  db: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<NewResolution>,
): Promise<Resolution> {
  const [row] = await db
    .update(r)
    .set(changes)
    .where(and(eq(r.workspaceId, workspaceId), eq(r.id, id)))
    .returning();
  if (!row) throw new Error('update of resolutions returned no row');
  return row;
}

export async function listResolutions(
  db: Executor,
  workspaceId: number,
  filter: { status?: ResolutionStatus; conversationId?: number; requestedById?: number },
  limit: number,
): Promise<Array<Resolution & { conversationSubject: string }>> {
  const where: SQL[] = [eq(r.workspaceId, workspaceId)];
  if (filter.status) where.push(eq(r.status, filter.status));
  if (filter.conversationId !== undefined) where.push(eq(r.conversationId, filter.conversationId));
  if (filter.requestedById !== undefined) where.push(eq(r.requestedById, filter.requestedById));
  const c = schema.conversations;
  const rows = await db
    .select({ resolution: r, subject: c.subject })
    .from(r)
    .innerJoin(c, and(eq(c.workspaceId, r.workspaceId), eq(c.id, r.conversationId)))
    .where(and(...where))
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(limit);
  return rows.map((x) => ({ ...x.resolution, conversationSubject: x.subject }));
}

export type AuthoritySettings = { currency: string; approvalBusinessHours: number };

export async function readAuthoritySettings(db: Executor, workspaceId: number): Promise<AuthoritySettings> {
  const [row] = await db.select().from(s).where(eq(s.workspaceId, workspaceId));
  return { currency: row?.currency ?? 'EUR', approvalBusinessHours: row?.approvalBusinessHours ?? 4 };
}

export async function writeAuthoritySettings(
  db: Executor,
  workspaceId: number,
  settings: AuthoritySettings,
  now: Date,
): Promise<void> {
  await db
    .insert(s)
    .values({ workspaceId, ...settings, updatedAt: now })
    .onConflictDoUpdate({ target: s.workspaceId, set: { ...settings, updatedAt: now } });
}

export async function proposalOf(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  proposalId: number,
): Promise<boolean> {
  const p = schema.conversationProposals;
  const [row] = await db
    .select({ id: p.id })
    .from(p)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.conversationId, conversationId), eq(p.id, proposalId)));
  return row !== undefined;
}

/** What the customer sees on the conversation: grants applied or waiting for approval, with the action's name. */
export async function customerResolutions(db: Executor, workspaceId: number, conversationId: number) {
  return db
    .select({
      name: a.name,
      amount: r.amount,
      unit: r.unit,
      currency: r.currency,
      status: r.status,
      at: r.createdAt,
    })
    .from(r)
    .innerJoin(a, and(eq(a.workspaceId, r.workspaceId), eq(a.id, r.actionId)))
    .where(
      and(
        eq(r.workspaceId, workspaceId),
        eq(r.conversationId, conversationId),
        sql`${r.status} <> 'rejected'`,
      ),
    )
    .orderBy(asc(r.createdAt), asc(r.id))
    .limit(50);
}

/** Erasure of a customer (README "Data care"): the notes on their conversations' grants go; amounts stay. */
export async function eraseResolutionNotes(db: Executor, workspaceId: number, conversationIds: number[]) {
  if (conversationIds.length === 0) return;
  await db
    .update(r)
    .set({ note: null, decisionNote: null })
    .where(and(eq(r.workspaceId, workspaceId), inArray(r.conversationId, conversationIds)));
}
