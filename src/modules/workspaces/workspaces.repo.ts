import { eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type Workspace = typeof schema.workspaces.$inferSelect;

export async function findWorkspaceById(db: Executor, id: number): Promise<Workspace | undefined> {
  const [row] = await db.select().from(schema.workspaces).where(eq(schema.workspaces.id, id));
  return row;
}

export async function findWorkspaceBySlug(db: Executor, slug: string): Promise<Workspace | undefined> {
  const [row] = await db.select().from(schema.workspaces).where(eq(schema.workspaces.slug, slug));
  return row;
}

export async function findOldestWorkspace(db: Executor): Promise<Workspace | undefined> {
  const [row] = await db.select().from(schema.workspaces).orderBy(schema.workspaces.id).limit(1);
  return row;
}

export async function countWorkspaces(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(schema.workspaces);
  return row?.n ?? 0;
}

export async function insertWorkspace(
  db: Executor,
  values: { slug: string; name: string; settings?: Workspace['settings']; createdAt: Date },
): Promise<Workspace | undefined> {
  const [row] = await db
    .insert(schema.workspaces)
    .values({ ...values, settings: values.settings ?? {} })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function updateWorkspace(
  db: Executor,
  id: number,
  patch: { name?: string; settings?: Workspace['settings'] },
): Promise<Workspace | undefined> {
  const [row] = await db.update(schema.workspaces).set(patch).where(eq(schema.workspaces.id, id)).returning();
  return row;
}
