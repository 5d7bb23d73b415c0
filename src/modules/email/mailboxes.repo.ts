import { and, asc, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

const mb = schema.mailboxes;
export type Mailbox = typeof mb.$inferSelect;
export type NewMailboxRow = typeof mb.$inferInsert;

export async function listMailboxes(db: Executor, workspaceId: number): Promise<Mailbox[]> {
  return db.select().from(mb).where(eq(mb.workspaceId, workspaceId)).orderBy(asc(mb.id));
}

export async function findMailbox(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Mailbox | undefined> {
  const [row] = await db
    .select()
    .from(mb)
    .where(and(eq(mb.workspaceId, workspaceId), eq(mb.id, id)));
  return row;
}

/** The mailbox of an address, in whichever workspace has it (the SMTP server routes by this). */
export async function findMailboxByAddress(db: Executor, address: string): Promise<Mailbox | undefined> {
  const [row] = await db.select().from(mb).where(eq(mb.address, address.toLowerCase()));
  return row;
}

/** Only by id: the HTTP intake knows the mailbox id and its secret, not the workspace. */
export async function findMailboxById(db: Executor, id: number): Promise<Mailbox | undefined> {
  const [row] = await db.select().from(mb).where(eq(mb.id, id));
  return row;
}

/** The mailbox replies go out from when a conversation names none: the default, else the first. */
export async function defaultMailbox(db: Executor, workspaceId: number): Promise<Mailbox | undefined> {
  const [row] = await db
    .select()
    .from(mb)
    .where(eq(mb.workspaceId, workspaceId))
    .orderBy(sql`${mb.isDefault} desc`, asc(mb.id))
    .limit(1);
  return row;
}

export async function insertMailbox(tx: Executor, row: NewMailboxRow): Promise<Mailbox | undefined> {
  const [inserted] = await tx.insert(mb).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updateMailbox(
  tx: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<NewMailboxRow>,
): Promise<Mailbox | undefined> {
  const [row] = await tx
    .update(mb)
    .set(changes)
    .where(and(eq(mb.workspaceId, workspaceId), eq(mb.id, id)))
    .returning();
  return row;
}

/** At most one default: setting one clears the others. */
export async function clearDefault(tx: Executor, workspaceId: number): Promise<void> {
  await tx
    .update(mb)
    .set({ isDefault: false })
    .where(and(eq(mb.workspaceId, workspaceId), eq(mb.isDefault, true)));
}

export async function deleteMailbox(tx: Executor, workspaceId: number, id: number): Promise<boolean> {
  const rows = await tx
    .delete(mb)
    .where(and(eq(mb.workspaceId, workspaceId), eq(mb.id, id)))
    .returning({ id: mb.id });
  return rows.length > 0;
}
