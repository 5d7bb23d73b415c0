import { and, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { DistressSignal, SentimentLabel } from '../../db/schema/understanding.js';

export type MessageSentiment = typeof schema.messageSentiments.$inferSelect;
const s = schema.messageSentiments;

/** Writes a message's sentiment once: the event may be handed over again after a crash, the row stays. */
export async function insertSentiment(
  tx: Executor,
  row: typeof schema.messageSentiments.$inferInsert,
): Promise<void> {
  await tx.insert(s).values(row).onConflictDoNothing();
}

export async function findSentiment(
  db: Executor,
  workspaceId: number,
  messageId: number,
): Promise<MessageSentiment | undefined> {
  const [row] = await db
    .select()
    .from(s)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.messageId, messageId)));
  return row;
}

export async function updateSentiment(
  tx: Executor,
  workspaceId: number,
  messageId: number,
  patch: {
    label: SentimentLabel;
    source: 'lexicon' | 'agent';
    correctedById: number | null;
    correctedAt: Date | null;
  },
): Promise<MessageSentiment | undefined> {
  const [row] = await tx
    .update(s)
    .set(patch)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.messageId, messageId)))
    .returning();
  return row;
}

/** Every distress signal the customer's messages now in the conversation showed (after a merge or split). */
export async function signalsOfConversation(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<DistressSignal[]> {
  const result = await db.execute(sql`select distinct unnest(s.signals) as signal
    from messages m join message_sentiments s on s.workspace_id = m.workspace_id and s.message_id = m.id
    where m.workspace_id = ${workspaceId} and m.conversation_id = ${conversationId}`);
  return (result.rows as Array<{ signal: DistressSignal }>).map((r) => r.signal).sort();
}

/** The most customer messages the sentiment view lists: the first one, and the latest ones. */
export const SENTIMENT_LIST_LIMIT = 200;

export type ScoredMessage = Omit<MessageSentiment, 'workspaceId' | 'createdAt'> & {
  bodyText: string;
  messageAt: Date;
};

/**
 * The scored customer messages of a conversation, oldest first: its first one and, when there are more than
 * the limit, the latest ones after it (the first and the last are what the change is measured between).
 */
export async function scoredMessagesOf(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<ScoredMessage[]> {
  const result = await db.execute(sql`select * from (
      (select s.*, m.body_text, m.created_at as message_at, m.id as mid from messages m
        join message_sentiments s on s.workspace_id = m.workspace_id and s.message_id = m.id
        where m.workspace_id = ${workspaceId} and m.conversation_id = ${conversationId}
        order by m.created_at asc, m.id asc limit 1)
      union
      (select s.*, m.body_text, m.created_at as message_at, m.id as mid from messages m
        join message_sentiments s on s.workspace_id = m.workspace_id and s.message_id = m.id
        where m.workspace_id = ${workspaceId} and m.conversation_id = ${conversationId}
        order by m.created_at desc, m.id desc limit ${SENTIMENT_LIST_LIMIT - 1})
    ) x order by message_at asc, mid asc`);
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    messageId: Number(r.message_id),
    score: Number(r.score),
    label: r.label as SentimentLabel,
    lexiconLabel: r.lexicon_label as SentimentLabel,
    source: r.source as MessageSentiment['source'],
    signals: parseSignals(r.signals),
    correctedById: r.corrected_by_id === null ? null : Number(r.corrected_by_id),
    correctedAt: r.corrected_at === null ? null : new Date(r.corrected_at as string),
    messageAt: new Date(r.message_at as string),
    bodyText: String(r.body_text),
  }));
}

/** node-postgres and PGlite both hand text[] back as an array; a literal `{a,b}` is read too. */
function parseSignals(value: unknown): DistressSignal[] {
  if (Array.isArray(value)) return value as DistressSignal[];
  if (typeof value === 'string' && value.length > 2) return value.slice(1, -1).split(',') as DistressSignal[];
  return [];
}
