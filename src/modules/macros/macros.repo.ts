import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type Macro = typeof schema.macros.$inferSelect;
const m = schema.macros;

/** The macros a person sees: the workspace's shared ones and their own. */
export async function listVisibleMacros(
  db: Executor,
  workspaceId: number,
  personId: number,
): Promise<Macro[]> {
  return db
    .select()
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), or(isNull(m.ownerId), eq(m.ownerId, personId))))
    .orderBy(asc(m.name), asc(m.id))
    .limit(1000);
}

/** One macro, if the person may see it (shared, or their own). */
export async function findVisibleMacro(
  db: Executor,
  workspaceId: number,
  personId: number,
  id: number,
): Promise<Macro | undefined> {
  const [row] = await db
    .select()
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id), or(isNull(m.ownerId), eq(m.ownerId, personId))));
  return row;
}

export async function insertMacro(db: Executor, values: typeof m.$inferInsert): Promise<Macro> {
  const [row] = await db.insert(m).values(values).returning();
  return row!;
}

export async function updateMacro(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<Pick<Macro, 'name' | 'body' | 'actions' | 'ownerId'>> & { updatedAt: Date },
): Promise<Macro> {
  const [row] = await db
    .update(m)
    .set(patch)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)))
    .returning();
  return row!;
}

export async function deleteMacro(db: Executor, workspaceId: number, id: number): Promise<void> {
  await db.delete(m).where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
}
