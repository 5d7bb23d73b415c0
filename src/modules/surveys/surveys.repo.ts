import { and, desc, eq, gt, inArray, lt, ne, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import { defaultSettings, type FollowUpSettings } from './rules.js';

export type Survey = typeof schema.surveys.$inferSelect;
export type NewSurvey = Omit<typeof schema.surveys.$inferInsert, 'id'>;
export type SurveyResponse = typeof schema.surveyResponses.$inferSelect;
const s = schema.surveys;
const r = schema.surveyResponses;
const st = schema.surveySettings;

export async function readSettings(db: Executor, workspaceId: number): Promise<FollowUpSettings> {
  const [row] = await db.select().from(st).where(eq(st.workspaceId, workspaceId));
  if (!row) return { ...defaultSettings };
  const { workspaceId: _w, updatedAt: _u, ...settings } = row;
  return settings;
}

export async function writeSettings(
  db: Executor,
  workspaceId: number,
  settings: FollowUpSettings,
  now: Date,
): Promise<void> {
  await db
    .insert(st)
    .values({ workspaceId, ...settings, updatedAt: now })
    .onConflictDoUpdate({ target: st.workspaceId, set: { ...settings, updatedAt: now } });
}

export async function insertSurvey(db: Executor, values: NewSurvey): Promise<Survey> {
  const [row] = await db.insert(s).values(values).returning();
  if (!row) throw new Error('insert into surveys returned no row');
  return row;
}

export async function lockSurvey(db: Executor, workspaceId: number, id: number): Promise<Survey | undefined> {
  const [row] = await db
    .select()
    .from(s)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)))
    .for('update');
  return row;
}

export async function findSurvey(db: Executor, workspaceId: number, id: number): Promise<Survey | undefined> {
  const [row] = await db
    .select()
    .from(s)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)));
  return row;
}

/** The survey a link's token belongs to (any workspace: the token alone names it), locked when asked. */
export async function findSurveyByTokenHash(
  db: Executor,
  hash: string,
  lock = false,
): Promise<Survey | undefined> {
  const q = db.select().from(s).where(eq(s.tokenHash, hash));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function updateSurvey(
  db: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<NewSurvey>,
): Promise<Survey> {
  const [row] = await db
    .update(s)
    .set(changes)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)))
    .returning();
  if (!row) throw new Error('survey vanished');
  return row;
}

/** The conversation's surveys still waiting for their check-in. */
export async function scheduledSurveys(db: Executor, workspaceId: number, conversationId: number) {
  return db
    .select()
    .from(s)
    .where(
      and(eq(s.workspaceId, workspaceId), eq(s.conversationId, conversationId), eq(s.status, 'scheduled')),
    )
    .for('update');
}

/**
 * Another survey of this customer that counts against the fatigue guard: not skipped, and sent (or due, when
 * not sent yet) after `since`.
 */
export async function recentSurveyOf(
  db: Executor,
  workspaceId: number,
  customerId: number,
  since: Date,
  exceptId = 0,
): Promise<Survey | undefined> {
  const [row] = await db
    .select()
    .from(s)
    .where(
      and(
        eq(s.workspaceId, workspaceId),
        eq(s.customerId, customerId),
        ne(s.status, 'skipped'),
        ne(s.id, exceptId),
        gt(sql`coalesce(${s.sentAt}, ${s.dueAt})`, since),
      ),
    )
    .limit(1);
  return row;
}

/**
 * The conversation's survey that takes answers now, the latest one: sent or reminded, or answered and being
 * completed, and not expired.
 */
export async function openSurveyOf(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  now: Date,
): Promise<Survey | undefined> {
  const [row] = await db
    .select()
    .from(s)
    .where(
      and(
        eq(s.workspaceId, workspaceId),
        eq(s.conversationId, conversationId),
        inArray(s.status, [...openStatuses, 'answered']),
        gt(s.expiresAt, now),
      ),
    )
    .orderBy(desc(s.id))
    .limit(1)
    .for('update');
  return row;
}

export async function listConversationSurveys(db: Executor, workspaceId: number, conversationId: number) {
  return db
    .select({ survey: s, response: r })
    .from(s)
    .leftJoin(r, and(eq(r.workspaceId, s.workspaceId), eq(r.surveyId, s.id)))
    .where(and(eq(s.workspaceId, workspaceId), eq(s.conversationId, conversationId)))
    .orderBy(desc(s.id));
}

export async function findResponse(
  db: Executor,
  workspaceId: number,
  surveyId: number,
): Promise<SurveyResponse | undefined> {
  const [row] = await db
    .select()
    .from(r)
    .where(and(eq(r.workspaceId, workspaceId), eq(r.surveyId, surveyId)));
  return row;
}

export async function upsertResponse(db: Executor, values: SurveyResponse): Promise<void> {
  const { workspaceId: _w, surveyId: _s, answeredAt: _a, ...rest } = values;
  await db
    .insert(r)
    .values(values)
    .onConflictDoUpdate({ target: [r.workspaceId, r.surveyId], set: rest });
}

/** Answers with comments, newest first, for the voice of the customer. */
export async function listResponses(
  db: Executor,
  workspaceId: number,
  filter: { from: Date; to: Date; withComment?: boolean; before?: number },
  limit: number,
) {
  return db
    .select()
    .from(r)
    .where(
      and(
        eq(r.workspaceId, workspaceId),
        sql`${r.answeredAt} >= ${filter.from.toISOString()} and ${r.answeredAt} < ${filter.to.toISOString()}`,
        filter.withComment ? sql`${r.comment} is not null` : undefined,
        filter.before ? lt(r.surveyId, filter.before) : undefined,
      ),
    )
    .orderBy(desc(r.surveyId))
    .limit(limit);
}

/**
 * A conversation that changed customer (a customer merge or split): its surveys and their answers follow it,
 * so the fatigue guard and the per-customer figures see one person.
 */
export async function moveSurveysToCustomer(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  customerId: number,
): Promise<number> {
  const moved = await db
    .update(s)
    .set({ customerId })
    .where(and(eq(s.workspaceId, workspaceId), eq(s.conversationId, conversationId)))
    .returning({ id: s.id });
  await db
    .update(r)
    .set({ customerId })
    .where(and(eq(r.workspaceId, workspaceId), eq(r.conversationId, conversationId)));
  return moved.length;
}

/**
 * GDPR erasure: the answers on an erased customer's conversations keep their scores (the figures stay) but
 * not their comment, which is the customer's own words.
 */
export async function eraseSurveyComments(
  db: Executor,
  workspaceId: number,
  conversationIds: number[],
): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const rows = await db
    .update(r)
    .set({ comment: null })
    .where(and(eq(r.workspaceId, workspaceId), inArray(r.conversationId, conversationIds)))
    .returning({ id: r.surveyId });
  return rows.length;
}

export const openStatuses = ['sent', 'reminded'] as const;
export const isOpen = (survey: Survey) => (openStatuses as readonly string[]).includes(survey.status);
