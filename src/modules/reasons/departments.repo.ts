import { and, asc, eq } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type Department = typeof schema.departments.$inferSelect;
const d = schema.departments;

export async function listDepartments(db: Executor, workspaceId: number): Promise<Department[]> {
  return db
    .select()
    .from(d)
    .where(eq(d.workspaceId, workspaceId))
    .orderBy(asc(d.name), asc(d.id))
    .limit(1000);
}

export async function findDepartment(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Department | undefined> {
  const [row] = await db
    .select()
    .from(d)
    .where(and(eq(d.workspaceId, workspaceId), eq(d.id, id)));
  return row;
}

/** Undefined when the name is taken (case-insensitive). */
export async function insertDepartment(
  db: Executor,
  values: typeof d.$inferInsert,
): Promise<Department | undefined> {
  const [row] = await db.insert(d).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateDepartment(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<Pick<Department, 'name' | 'description'>> & { updatedAt: Date },
): Promise<Department | undefined> {
  const [row] = await db
    .update(d)
    .set(patch)
    .where(and(eq(d.workspaceId, workspaceId), eq(d.id, id)))
    .returning();
  return row;
}

export async function deleteDepartment(db: Executor, workspaceId: number, id: number): Promise<void> {
  await db.delete(d).where(and(eq(d.workspaceId, workspaceId), eq(d.id, id)));
}
