import { and, asc, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type ContactReason = typeof schema.contactReasons.$inferSelect;
export type ContactReasonFields = Pick<
  ContactReason,
  'name' | 'description' | 'parentId' | 'departmentId' | 'avoidable' | 'status'
>;
const r = schema.contactReasons;

/** The largest taxonomy a workspace may have: it is read whole (paths, cycles). */
export const MAX_REASONS = 2000;

export async function listReasons(db: Executor, workspaceId: number): Promise<ContactReason[]> {
  return db
    .select()
    .from(r)
    .where(eq(r.workspaceId, workspaceId))
    .orderBy(asc(r.id))
    .limit(MAX_REASONS + 1);
}

export async function findReason(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<ContactReason | undefined> {
  const [row] = await db
    .select()
    .from(r)
    .where(and(eq(r.workspaceId, workspaceId), eq(r.id, id)));
  return row;
}

/** Undefined when a sibling has that name already (case-insensitive). */
export async function insertReason(
  db: Executor,
  values: typeof r.$inferInsert,
): Promise<ContactReason | undefined> {
  const [row] = await db.insert(r).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateReason(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<ContactReasonFields> & { updatedAt: Date; archivedAt?: Date | null },
): Promise<ContactReason | undefined> {
  const [row] = await db
    .update(r)
    .set(patch)
    .where(and(eq(r.workspaceId, workspaceId), eq(r.id, id)))
    .returning();
  return row;
}

export async function deleteReason(db: Executor, workspaceId: number, id: number): Promise<void> {
  await db.delete(r).where(and(eq(r.workspaceId, workspaceId), eq(r.id, id)));
}

/** Whether a saved inbox view filters on the reason (a reference kept in JSON, so no foreign key guards it). */
export async function savedViewsFilterOn(db: Executor, workspaceId: number, id: number): Promise<boolean> {
  const v = schema.savedViews;
  const [row] = await db
    .select({ id: v.id })
    .from(v)
    .where(and(eq(v.workspaceId, workspaceId), sql`${v.filters}->>'contactReasonId' = ${String(id)}`))
    .limit(1);
  return row !== undefined;
}
