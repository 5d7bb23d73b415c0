import { and, asc, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { Cursor } from '../../platform/index.js';

export type Subscription = typeof schema.webhookSubscriptions.$inferSelect;
export type Delivery = typeof schema.webhookDeliveries.$inferSelect;
export type Attempt = typeof schema.webhookAttempts.$inferSelect;
export type DeliveryStatus = Delivery['status'];

const s = schema.webhookSubscriptions;
const d = schema.webhookDeliveries;
const a = schema.webhookAttempts;

export async function listSubscriptions(db: Executor, workspaceId: number): Promise<Subscription[]> {
  return db.select().from(s).where(eq(s.workspaceId, workspaceId)).orderBy(asc(s.id)).limit(1000);
}

export async function activeSubscriptions(db: Executor, workspaceId: number): Promise<Subscription[]> {
  return db
    .select()
    .from(s)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.status, 'active')))
    .orderBy(asc(s.id));
}

export async function findSubscription(
  db: Executor,
  workspaceId: number,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<Subscription | undefined> {
  const q = db
    .select()
    .from(s)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)));
  const [row] = options.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertSubscription(db: Executor, values: typeof s.$inferInsert): Promise<Subscription> {
  const [row] = await db.insert(s).values(values).returning();
  return row!;
}

export async function updateSubscription(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<typeof s.$inferInsert> & { updatedAt: Date },
): Promise<Subscription | undefined> {
  const [row] = await db
    .update(s)
    .set(patch)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)))
    .returning();
  return row;
}

/** Deliver only events of transactions after this one (creation, resume). */
export async function markActiveFromNow(db: Executor, workspaceId: number, id: number): Promise<void> {
  await db
    .update(s)
    .set({ activeSinceTxId: sql`pg_current_xact_id()` })
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)));
}

export async function deleteSubscription(db: Executor, workspaceId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(s)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)))
    .returning({ id: s.id });
  return rows.length > 0;
}

/** One more delivery failed for good: the new count (the row is locked until the transaction ends). */
export async function countFailure(db: Executor, workspaceId: number, id: number, now: Date) {
  const [row] = await db
    .update(s)
    .set({ consecutiveFailures: sql`${s.consecutiveFailures} + 1`, updatedAt: now })
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)))
    .returning();
  return row;
}

export async function resetFailures(db: Executor, workspaceId: number, id: number): Promise<void> {
  await db
    .update(s)
    .set({ consecutiveFailures: 0 })
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id), sql`${s.consecutiveFailures} <> 0`));
}

export async function insertDelivery(db: Executor, values: typeof d.$inferInsert): Promise<Delivery> {
  const [row] = await db.insert(d).values(values).returning();
  return row!;
}

export async function findDelivery(
  db: Executor,
  workspaceId: number,
  id: number,
  subscriptionId?: number,
): Promise<Delivery | undefined> {
  const where = [eq(d.workspaceId, workspaceId), eq(d.id, id)];
  if (subscriptionId !== undefined) where.push(eq(d.subscriptionId, subscriptionId));
  const [row] = await db
    .select()
    .from(d)
    .where(and(...where));
  return row;
}

export async function updateDelivery(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<typeof d.$inferInsert> & { updatedAt: Date },
): Promise<Delivery | undefined> {
  const [row] = await db
    .update(d)
    .set(patch)
    .where(and(eq(d.workspaceId, workspaceId), eq(d.id, id)))
    .returning();
  return row;
}

/** A subscription's deliveries, newest first, from a keyset cursor; `limit + 1` rows (the extra one says "more"). */
export async function listDeliveries(
  db: Executor,
  workspaceId: number,
  subscriptionId: number,
  filter: { status?: DeliveryStatus; after?: Cursor; limit: number },
): Promise<Delivery[]> {
  const where: SQL[] = [eq(d.workspaceId, workspaceId), eq(d.subscriptionId, subscriptionId)];
  if (filter.status) where.push(eq(d.status, filter.status));
  if (filter.after) {
    const t = new Date(filter.after.t);
    where.push(or(lt(d.createdAt, t), and(eq(d.createdAt, t), lt(d.id, filter.after.id)))!);
  }
  return db
    .select()
    .from(d)
    .where(and(...where))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(filter.limit + 1);
}

export async function insertAttempt(db: Executor, values: typeof a.$inferInsert): Promise<Attempt> {
  const [row] = await db.insert(a).values(values).returning();
  return row!;
}

export async function listAttempts(
  db: Executor,
  workspaceId: number,
  deliveryId: number,
): Promise<Attempt[]> {
  return db
    .select()
    .from(a)
    .where(and(eq(a.workspaceId, workspaceId), eq(a.deliveryId, deliveryId)))
    .orderBy(asc(a.id))
    .limit(500);
}
