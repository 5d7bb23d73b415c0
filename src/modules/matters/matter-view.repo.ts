import { and, desc, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import { DEFAULT_REPEAT_WINDOW_DAYS } from './decide.js';

/** What the matter routes read and the repeat-window setting (the consumer's writes are in matters.repo.ts). */
const cm = schema.conversationMatters;
const ct = schema.contacts;

export async function repeatWindowDays(db: Executor, workspaceId: number): Promise<number> {
  const [row] = await db
    .select({ days: schema.matterSettings.repeatWindowDays })
    .from(schema.matterSettings)
    .where(eq(schema.matterSettings.workspaceId, workspaceId));
  return row?.days ?? DEFAULT_REPEAT_WINDOW_DAYS;
}

export async function writeRepeatWindowDays(
  db: Executor,
  workspaceId: number,
  days: number,
  now: Date,
): Promise<void> {
  await db
    .insert(schema.matterSettings)
    .values({ workspaceId, repeatWindowDays: days, updatedAt: now })
    .onConflictDoUpdate({
      target: schema.matterSettings.workspaceId,
      set: { repeatWindowDays: days, updatedAt: now },
    });
}

/** The matter's conversations, with why each joined (oldest first). */
export async function matterConversations(db: Executor, workspaceId: number, matterId: number) {
  const c = schema.conversations;
  return db
    .select({
      id: c.id,
      subject: c.subject,
      channel: c.channel,
      status: c.status,
      createdAt: c.createdAt,
      contactReasonId: c.contactReasonId,
      rule: cm.rule,
      score: cm.score,
      comparedConversationId: cm.comparedConversationId,
      decidedById: cm.decidedById,
      decidedAt: cm.decidedAt,
    })
    .from(cm)
    .innerJoin(c, and(eq(c.workspaceId, cm.workspaceId), eq(c.id, cm.conversationId)))
    .where(and(eq(cm.workspaceId, workspaceId), eq(cm.matterId, matterId)))
    .orderBy(c.createdAt, c.id)
    .limit(200);
}

export async function matterContacts(db: Executor, workspaceId: number, matterId: number) {
  return db
    .select()
    .from(ct)
    .where(and(eq(ct.workspaceId, workspaceId), eq(ct.matterId, matterId)))
    .orderBy(ct.at, ct.id)
    .limit(500);
}

/** The customer's other recent conversations that have a matter (what an agent may link this one to). */
export async function otherConversations(
  db: Executor,
  workspaceId: number,
  customerId: number,
  exceptMatterId: number | null,
) {
  const c = schema.conversations;
  return db
    .select({
      id: c.id,
      subject: c.subject,
      channel: c.channel,
      status: c.status,
      createdAt: c.createdAt,
      matterId: cm.matterId,
    })
    .from(c)
    .innerJoin(cm, and(eq(cm.workspaceId, c.workspaceId), eq(cm.conversationId, c.id)))
    .where(
      and(
        eq(c.workspaceId, workspaceId),
        eq(c.customerId, customerId),
        exceptMatterId === null ? undefined : sql`${cm.matterId} <> ${exceptMatterId}`,
      ),
    )
    .orderBy(desc(c.createdAt), desc(c.id))
    .limit(20);
}
