import { and, desc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../../db/index.js';
import type { SentimentLabel } from '../../../db/schema/understanding.js';
import { ERASED_TEXT } from '../../conversations/index.js';

const m = schema.sentimentModels;
export type SentimentModel = typeof m.$inferSelect;
const { model: _model, ...summaryColumns } = getTableColumns(m);
export type SentimentModelSummary = Omit<SentimentModel, 'model'>;

/** The most recent corrections a model learns from, and the longest text of one. */
export const MAX_CORRECTIONS = 20_000;
const MAX_TEXT = 2000;

export async function insertSentimentModel(
  tx: Executor,
  row: typeof m.$inferInsert,
): Promise<SentimentModelSummary> {
  const [created] = await tx.insert(m).values(row).returning(summaryColumns);
  return created!;
}

export async function updateSentimentModel(
  tx: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<typeof m.$inferInsert>,
): Promise<void> {
  await tx
    .update(m)
    .set(patch)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
}

export async function findSentimentModel(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<SentimentModelSummary | undefined> {
  const [row] = await db
    .select(summaryColumns)
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
  return row;
}

export async function listSentimentModels(
  db: Executor,
  workspaceId: number,
  limit: number,
): Promise<SentimentModelSummary[]> {
  return db
    .select(summaryColumns)
    .from(m)
    .where(eq(m.workspaceId, workspaceId))
    .orderBy(desc(m.createdAt), desc(m.id))
    .limit(limit);
}

export async function activeSentimentModel(
  db: Executor,
  workspaceId: number,
): Promise<SentimentModelSummary | undefined> {
  const [row] = await db
    .select(summaryColumns)
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.status, 'active')));
  return row;
}

export async function storedSentimentModel(db: Executor, workspaceId: number, id: number): Promise<unknown> {
  const [row] = await db
    .select({ model: m.model })
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
  return row?.model ?? null;
}

/** The customer messages whose sentiment an agent corrected, most recent first: text and the agent's label. */
export async function correctedMessages(
  db: Executor,
  workspaceId: number,
): Promise<{ text: string; label: SentimentLabel }[]> {
  const result = await db.execute(sql`select s.label, left(msg.body_text, ${MAX_TEXT}) as text
    from message_sentiments s
    join messages msg on msg.workspace_id = s.workspace_id and msg.id = s.message_id
    where s.workspace_id = ${workspaceId} and s.source = 'agent'
    order by s.corrected_at desc, s.message_id desc limit ${MAX_CORRECTIONS}`);
  return (result.rows as Array<{ label: SentimentLabel; text: string | null }>)
    .filter((r) => r.text && r.text.trim() !== '' && r.text !== ERASED_TEXT)
    .map((r) => ({ text: r.text!, label: r.label }));
}

/** Corrections made after `since` (all of them when null): what a new model would learn that the last did not. */
export async function correctionsSince(
  db: Executor,
  workspaceId: number,
  since: Date | null,
): Promise<number> {
  const s = schema.messageSentiments;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(s)
    .where(
      and(
        eq(s.workspaceId, workspaceId),
        eq(s.source, 'agent'),
        since ? gt(s.correctedAt, since) : undefined,
      ),
    );
  return Number(row?.n ?? 0);
}
