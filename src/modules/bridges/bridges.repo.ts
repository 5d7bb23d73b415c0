import { and, asc, eq } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

const b = schema.messagingBridges;
export type Bridge = typeof b.$inferSelect;

export const listBridges = (db: Executor, workspaceId: number) =>
  db.select().from(b).where(eq(b.workspaceId, workspaceId)).orderBy(asc(b.id));

export async function findBridge(db: Executor, workspaceId: number, id: number): Promise<Bridge | undefined> {
  const [row] = await db
    .select()
    .from(b)
    .where(and(eq(b.workspaceId, workspaceId), eq(b.id, id)));
  return row;
}

/** By id alone: the inbound route knows the bridge id and its signature, not the workspace. */
export async function findBridgeById(db: Executor, id: number): Promise<Bridge | undefined> {
  const [row] = await db.select().from(b).where(eq(b.id, id));
  return row;
}

export async function insertBridge(db: Executor, row: typeof b.$inferInsert): Promise<Bridge> {
  const [inserted] = await db.insert(b).values(row).returning();
  return inserted!;
}

export async function updateBridge(
  db: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<typeof b.$inferInsert>,
): Promise<Bridge | undefined> {
  const [row] = await db
    .update(b)
    .set(changes)
    .where(and(eq(b.workspaceId, workspaceId), eq(b.id, id)))
    .returning();
  return row;
}

export async function deleteBridge(db: Executor, workspaceId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(b)
    .where(and(eq(b.workspaceId, workspaceId), eq(b.id, id)))
    .returning({ id: b.id });
  return rows.length > 0;
}
