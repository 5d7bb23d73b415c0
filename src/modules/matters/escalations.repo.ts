import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type Escalation = typeof schema.escalations.$inferSelect;
export type NewEscalation = Omit<typeof schema.escalations.$inferInsert, 'id'>;
export type EscalationSettings = Omit<
  typeof schema.escalationSettings.$inferSelect,
  'workspaceId' | 'updatedAt'
>;
const e = schema.escalations;
const s = schema.escalationSettings;

export const DEFAULT_ESCALATION_SETTINGS: EscalationSettings = {
  enabled: true,
  contactThreshold: 3,
  target: 'team_lead',
  personId: null,
  teamId: null,
  executiveTeamId: null,
  callbackBusinessHours: 4,
  raisePriority: 'urgent',
  tellCustomer: true,
};

export async function readEscalationSettings(db: Executor, workspaceId: number): Promise<EscalationSettings> {
  const [row] = await db.select().from(s).where(eq(s.workspaceId, workspaceId));
  if (!row) return DEFAULT_ESCALATION_SETTINGS;
  const { workspaceId: _w, updatedAt: _u, ...settings } = row;
  return settings;
}

export async function writeEscalationSettings(
  db: Executor,
  workspaceId: number,
  settings: EscalationSettings,
  now: Date,
): Promise<void> {
  await db
    .insert(s)
    .values({ workspaceId, ...settings, updatedAt: now })
    .onConflictDoUpdate({ target: s.workspaceId, set: { ...settings, updatedAt: now } });
}

/** Inserts an escalation; an automatic one a matter already has is not inserted again (undefined). */
export async function insertEscalation(db: Executor, values: NewEscalation): Promise<Escalation | undefined> {
  const [row] = await db.insert(e).values(values).onConflictDoNothing().returning();
  return row;
}

export async function findEscalation(
  db: Executor,
  workspaceId: number,
  id: number,
  lock = false,
): Promise<Escalation | undefined> {
  const query = db
    .select()
    .from(e)
    .where(and(eq(e.workspaceId, workspaceId), eq(e.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function updateEscalation(
  db: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<NewEscalation>,
): Promise<Escalation> {
  const [row] = await db
    .update(e)
    .set(changes)
    .where(and(eq(e.workspaceId, workspaceId), eq(e.id, id)))
    .returning();
  if (!row) throw new Error('update of escalations returned no row');
  return row;
}

export async function conversationEscalations(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<Escalation[]> {
  return db
    .select()
    .from(e)
    .where(and(eq(e.workspaceId, workspaceId), eq(e.conversationId, conversationId)))
    .orderBy(asc(e.createdAt), asc(e.id))
    .limit(100);
}

export type ListedEscalation = Escalation & {
  conversationSubject: string;
  customerId: number;
  customerName: string | null;
};

/** Escalations of a status (open: soonest call-back first; resolved: latest first), optionally one owner's. */
export async function listEscalations(
  db: Executor,
  workspaceId: number,
  filter: { status: 'open' | 'resolved'; ownerId?: number },
  limit: number,
): Promise<ListedEscalation[]> {
  const where: SQL[] = [eq(e.workspaceId, workspaceId), eq(e.status, filter.status)];
  if (filter.ownerId !== undefined) where.push(eq(e.ownerId, filter.ownerId));
  const c = schema.conversations;
  const cu = schema.customers;
  const rows = await db
    .select({ escalation: e, subject: c.subject, customerId: c.customerId, customerName: cu.name })
    .from(e)
    .innerJoin(c, and(eq(c.workspaceId, e.workspaceId), eq(c.id, e.conversationId)))
    .leftJoin(cu, and(eq(cu.workspaceId, c.workspaceId), eq(cu.id, c.customerId)))
    .where(and(...where))
    .orderBy(
      filter.status === 'open' ? sql`${e.callbackDueAt} asc nulls last` : sql`${e.resolvedAt} desc`,
      asc(e.id),
    )
    .limit(limit);
  return rows.map((r) => ({
    ...r.escalation,
    conversationSubject: r.subject,
    customerId: r.customerId,
    customerName: r.customerName,
  }));
}

/** The workspace's owner (an active one), who gets an automatic escalation nobody else is named for. */
export async function workspaceOwnerId(db: Executor, workspaceId: number): Promise<number | null> {
  const p = schema.people;
  const [row] = await db
    .select({ id: p.id })
    .from(p)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.isOwner, true), eq(p.status, 'active')))
    .orderBy(asc(p.id))
    .limit(1);
  return row?.id ?? null;
}

/** Erasure of a customer (README "Data care"): the words of their conversations' escalations go. */
export async function eraseEscalationText(
  db: Executor,
  workspaceId: number,
  conversationIds: number[],
  erased: string,
): Promise<void> {
  if (conversationIds.length === 0) return;
  await db
    .update(e)
    .set({ reason: erased, callbackNote: null })
    .where(and(eq(e.workspaceId, workspaceId), inArray(e.conversationId, conversationIds)));
}
