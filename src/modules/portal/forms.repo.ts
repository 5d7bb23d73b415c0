import { and, asc, eq } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

const f = schema.contactForms;
export type ContactForm = typeof f.$inferSelect;
export type ContactFormFields = Pick<
  ContactForm,
  'name' | 'intro' | 'teamId' | 'askPhone' | 'allowAttachments' | 'allowedOrigins' | 'active'
>;

export async function listForms(db: Executor, workspaceId: number): Promise<ContactForm[]> {
  return db.select().from(f).where(eq(f.workspaceId, workspaceId)).orderBy(asc(f.id));
}

export async function findForm(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<ContactForm | undefined> {
  const [row] = await db
    .select()
    .from(f)
    .where(and(eq(f.workspaceId, workspaceId), eq(f.id, id)));
  return row;
}

/** The public face: a form is found by its key alone (the key names the workspace). */
export async function findFormByKey(db: Executor, publicKey: string): Promise<ContactForm | undefined> {
  const [row] = await db.select().from(f).where(eq(f.publicKey, publicKey));
  return row;
}

export async function insertForm(
  db: Executor,
  values: ContactFormFields & { workspaceId: number; publicKey: string; createdAt: Date; updatedAt: Date },
): Promise<ContactForm> {
  const [row] = await db.insert(f).values(values).returning();
  return row!;
}

export async function updateForm(
  db: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<ContactFormFields> & { updatedAt: Date },
): Promise<ContactForm | undefined> {
  const [row] = await db
    .update(f)
    .set(changes)
    .where(and(eq(f.workspaceId, workspaceId), eq(f.id, id)))
    .returning();
  return row;
}

export async function deleteForm(db: Executor, workspaceId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(f)
    .where(and(eq(f.workspaceId, workspaceId), eq(f.id, id)))
    .returning({ id: f.id });
  return rows.length > 0;
}
