import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../../db/index.js';
import { ERASED_TEXT } from '../../conversations/index.js';
import type { Example } from '../classifier/classifier.js';
import { NONE_FITS_LABEL } from './measure.js';

export type ReasonModel = typeof schema.reasonModels.$inferSelect;
const m = schema.reasonModels;

/** The most recent labelled conversations a model learns from. */
export const MAX_EXAMPLES = 20_000;
/** The longest text of one example: the beginning of a message says what it is about. */
const MAX_TEXT = 2000;

/** Every column but the model itself (large, and only the predicting side reads it). */
const { model: _model, ...summaryColumns } = getTableColumns(m);
export type ReasonModelSummary = Omit<ReasonModel, 'model'>;

export async function insertReasonModel(
  tx: Executor,
  row: typeof schema.reasonModels.$inferInsert,
): Promise<ReasonModelSummary> {
  const [created] = await tx.insert(m).values(row).returning(summaryColumns);
  return created!;
}

export async function updateReasonModel(
  tx: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<typeof schema.reasonModels.$inferInsert>,
): Promise<void> {
  await tx
    .update(m)
    .set(patch)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
}

export async function findReasonModel(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<ReasonModelSummary | undefined> {
  const [row] = await db
    .select(summaryColumns)
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
  return row;
}

export async function listReasonModels(
  db: Executor,
  workspaceId: number,
  limit: number,
): Promise<ReasonModelSummary[]> {
  return db
    .select(summaryColumns)
    .from(m)
    .where(eq(m.workspaceId, workspaceId))
    .orderBy(desc(m.createdAt), desc(m.id))
    .limit(limit);
}

export async function activeReasonModel(
  db: Executor,
  workspaceId: number,
): Promise<ReasonModelSummary | undefined> {
  const [row] = await db
    .select(summaryColumns)
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.status, 'active')));
  return row;
}

/**
 * What a model learns from: the workspace's conversations whose reason a person set or confirmed (an agent,
 * or an accepted suggestion; not a rule, nor a model's own guess), the customer's first message as the text,
 * and the reason id as the label; or, where a person said none fits, `NONE_FITS_LABEL`. Only active reasons;
 * erased texts are left out. The most recent first.
 */
export async function labelledExamples(db: Executor, workspaceId: number): Promise<Example[]> {
  const result = await db.execute(sql`select c.contact_reason_id as reason_id, ${firstInbound} as text
    from conversations c
    left join contact_reasons r on r.workspace_id = c.workspace_id and r.id = c.contact_reason_id
    where c.workspace_id = ${workspaceId} and c.contact_reason_source in ('agent', 'suggestion')
      and (r.status = 'active' or c.contact_reason_none_fits)
    order by c.id desc limit ${MAX_EXAMPLES}`);
  return (result.rows as Array<{ reason_id: number | string | null; text: string | null }>)
    .filter((r) => r.text && r.text.trim() !== '' && r.text !== ERASED_TEXT)
    .map((r) => ({ text: r.text!, label: r.reason_id === null ? NONE_FITS_LABEL : String(r.reason_id) }));
}

/** The first inbound message of a conversation, cut to MAX_TEXT: what the customer came about. */
const firstInbound = sql`left((select m.body_text from messages m where m.workspace_id = c.workspace_id
    and m.conversation_id = c.id and m.direction = 'inbound' order by m.created_at, m.id limit 1), ${MAX_TEXT})`;

/**
 * The most recent solved or closed conversations no person gave a reason (none yet, or one from a rule or the
 * model itself): their first customer message, for self-training. Erased texts are left out, and so is the open
 * queue: a model that had learned its own guesses of the conversations it is about to read would be sure of
 * them (99 %, applied) however unsure it would be of the same words in a new conversation.
 */
export async function unlabelledTexts(db: Executor, workspaceId: number, limit: number): Promise<string[]> {
  if (limit <= 0) return [];
  const result = await db.execute(sql`select ${firstInbound} as text
    from conversations c
    where c.workspace_id = ${workspaceId} and c.status in ('solved', 'closed')
      and not c.contact_reason_none_fits
      and (c.contact_reason_id is null or c.contact_reason_source not in ('agent', 'suggestion'))
    order by c.id desc limit ${limit}`);
  return (result.rows as Array<{ text: string | null }>)
    .map((r) => r.text)
    .filter((t): t is string => !!t && t.trim() !== '' && t !== ERASED_TEXT);
}

/** Each active reason's name and description, as a text describing it (labels are reason ids as strings). */
export async function reasonTexts(
  db: Executor,
  workspaceId: number,
): Promise<{ label: string; text: string }[]> {
  const rows = await db
    .select({
      id: schema.contactReasons.id,
      name: schema.contactReasons.name,
      description: schema.contactReasons.description,
    })
    .from(schema.contactReasons)
    .where(
      and(eq(schema.contactReasons.workspaceId, workspaceId), eq(schema.contactReasons.status, 'active')),
    );
  return rows.map((r) => ({ label: String(r.id), text: `${r.name}. ${r.description}`.trim() }));
}

const rt = schema.reasonLearning;

/** The reason-prediction settings of a workspace (defaults until an admin changes them). */
export async function readLearning(db: Executor, workspaceId: number): Promise<{ applyAbove: number }> {
  const [row] = await db
    .select({ applyAbove: rt.applyAbove })
    .from(rt)
    .where(eq(rt.workspaceId, workspaceId));
  return { applyAbove: row?.applyAbove ?? 0.9 };
}

export async function writeApplyAbove(tx: Executor, workspaceId: number, applyAbove: number, now: Date) {
  await tx
    .insert(rt)
    .values({ workspaceId, applyAbove, updatedAt: now })
    .onConflictDoUpdate({ target: rt.workspaceId, set: { applyAbove, updatedAt: now } });
}

/** The active model's id, or undefined (a cheap read: the model itself is cached by id). */
export async function activeModelId(db: Executor, workspaceId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ id: m.id })
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.status, 'active')));
  return row?.id;
}

export async function storedModel(db: Executor, workspaceId: number, id: number): Promise<unknown> {
  const [row] = await db
    .select({ model: m.model })
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
  return row?.model ?? null;
}

const rp = schema.reasonPredictions;
export type ReasonPrediction = typeof schema.reasonPredictions.$inferSelect;

/** Records a conversation's prediction once; false when it had one already. */
export async function insertPrediction(tx: Executor, row: ReasonPrediction): Promise<boolean> {
  const inserted = await tx.insert(rp).values(row).onConflictDoNothing().returning({ id: rp.conversationId });
  return inserted.length > 0;
}

export async function markApplied(tx: Executor, workspaceId: number, conversationId: number) {
  await tx
    .update(rp)
    .set({ applied: true })
    .where(and(eq(rp.workspaceId, workspaceId), eq(rp.conversationId, conversationId)));
}

export async function findPrediction(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<ReasonPrediction | undefined> {
  const [row] = await db
    .select()
    .from(rp)
    .where(and(eq(rp.workspaceId, workspaceId), eq(rp.conversationId, conversationId)));
  return row;
}

/** Counts one more label since the last training; returns how many there are now. */
export async function countLabel(tx: Executor, workspaceId: number, now: Date): Promise<number> {
  const [row] = await tx
    .insert(rt)
    .values({ workspaceId, labelsSince: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: rt.workspaceId,
      set: { labelsSince: sql`${rt.labelsSince} + 1`, updatedAt: now },
    })
    .returning({ n: rt.labelsSince });
  return row?.n ?? 0;
}

/** A training was requested: the count of new labels starts again. */
export async function resetLabelCount(tx: Executor, workspaceId: number, now: Date): Promise<void> {
  await tx
    .insert(rt)
    .values({ workspaceId, labelsSince: 0, updatedAt: now })
    .onConflictDoUpdate({ target: rt.workspaceId, set: { labelsSince: 0, updatedAt: now } });
}
