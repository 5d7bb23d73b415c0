import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type TemplateOverride = typeof schema.customerTemplates.$inferSelect;
const t = schema.customerTemplates;

export async function listOverrides(
  db: Executor,
  workspaceId: number,
  key?: string,
): Promise<TemplateOverride[]> {
  return db
    .select()
    .from(t)
    .where(
      key === undefined
        ? eq(t.workspaceId, workspaceId)
        : and(eq(t.workspaceId, workspaceId), eq(t.key, key)),
    )
    .orderBy(asc(t.key), asc(t.locale))
    .limit(5000);
}

export async function overridesFor(
  db: Executor,
  workspaceId: number,
  key: string,
  locales: string[],
): Promise<TemplateOverride[]> {
  if (locales.length === 0) return [];
  return db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.key, key), inArray(t.locale, locales)));
}

export async function upsertOverride(
  db: Executor,
  values: {
    workspaceId: number;
    key: string;
    locale: string;
    body: string;
    updatedById: number | null;
    now: Date;
  },
): Promise<TemplateOverride> {
  const [row] = await db
    .insert(t)
    .values({
      workspaceId: values.workspaceId,
      key: values.key,
      locale: values.locale,
      body: values.body,
      updatedById: values.updatedById,
      createdAt: values.now,
      updatedAt: values.now,
    })
    .onConflictDoUpdate({
      target: [t.workspaceId, t.key, t.locale],
      set: { body: values.body, updatedById: values.updatedById, updatedAt: values.now },
    })
    .returning();
  if (!row) throw new Error('upsert into customer_templates returned no row');
  return row;
}

export async function deleteOverride(
  db: Executor,
  workspaceId: number,
  key: string,
  locale: string,
): Promise<TemplateOverride | undefined> {
  const [row] = await db
    .delete(t)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.key, key), eq(t.locale, locale)))
    .returning();
  return row;
}
