import { and, asc, eq, inArray, max, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { SlaTarget } from '../../db/schema/sla.js';

export type SlaPolicy = typeof schema.slaPolicies.$inferSelect;
export type NewSlaPolicy = Omit<typeof schema.slaPolicies.$inferInsert, 'id'>;
export type SlaClock = typeof schema.slaClocks.$inferSelect;
const p = schema.slaPolicies;
const k = schema.slaClocks;

/** The workspace's policies in the order they are tried (first match wins). */
export async function listPolicies(db: Executor, workspaceId: number): Promise<SlaPolicy[]> {
  return db.select().from(p).where(eq(p.workspaceId, workspaceId)).orderBy(asc(p.position), asc(p.id));
}

export async function findPolicy(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<SlaPolicy | undefined> {
  const [row] = await db
    .select()
    .from(p)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.id, id)));
  return row;
}

export async function nextPosition(db: Executor, workspaceId: number): Promise<number> {
  const [row] = await db
    .select({ n: max(p.position) })
    .from(p)
    .where(eq(p.workspaceId, workspaceId));
  return (row?.n ?? -1) + 1;
}

export async function insertPolicy(db: Executor, values: NewSlaPolicy): Promise<SlaPolicy> {
  const [row] = await db.insert(p).values(values).returning();
  if (!row) throw new Error('insert into sla_policies returned no row');
  return row;
}

export async function updatePolicy(
  db: Executor,
  workspaceId: number,
  id: number,
  changes: Partial<NewSlaPolicy>,
): Promise<SlaPolicy | undefined> {
  const [row] = await db
    .update(p)
    .set(changes)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.id, id)))
    .returning();
  return row;
}

export async function deletePolicy(db: Executor, workspaceId: number, id: number): Promise<void> {
  await db.delete(p).where(and(eq(p.workspaceId, workspaceId), eq(p.id, id)));
}

/** Gives each listed policy its index in `ids` as its position. */
export async function setPositions(
  db: Executor,
  workspaceId: number,
  ids: number[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  const cases = sql.join(
    ids.map((id, i) => sql`when ${id} then ${i}`),
    sql` `,
  );
  await db
    .update(p)
    .set({ position: sql`(case ${p.id} ${cases} end)::int`, updatedAt: now })
    .where(and(eq(p.workspaceId, workspaceId), inArray(p.id, ids)));
}

export async function listClocks(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<SlaClock[]> {
  return db
    .select()
    .from(k)
    .where(and(eq(k.workspaceId, workspaceId), eq(k.conversationId, conversationId)))
    .orderBy(asc(k.target));
}

/** One clock, locked until the transaction ends (a job firing on it). */
export async function lockClock(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  target: SlaTarget,
): Promise<SlaClock | undefined> {
  const [row] = await db
    .select()
    .from(k)
    .where(and(eq(k.workspaceId, workspaceId), eq(k.conversationId, conversationId), eq(k.target, target)))
    .for('update');
  return row;
}

export async function upsertClock(db: Executor, values: SlaClock): Promise<void> {
  const { workspaceId: _w, conversationId: _c, target: _t, ...rest } = values;
  await db
    .insert(k)
    .values(values)
    .onConflictDoUpdate({ target: [k.workspaceId, k.conversationId, k.target], set: rest });
}

export async function deleteClocks(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  targets?: SlaTarget[],
): Promise<void> {
  await db
    .delete(k)
    .where(
      and(
        eq(k.workspaceId, workspaceId),
        eq(k.conversationId, conversationId),
        targets ? inArray(k.target, targets) : undefined,
      ),
    );
}

export async function markClock(
  db: Executor,
  workspaceId: number,
  conversationId: number,
  target: SlaTarget,
  changes: Pick<Partial<SlaClock>, 'warnedAt' | 'breachedAt' | 'updatedAt'>,
): Promise<void> {
  await db
    .update(k)
    .set(changes)
    .where(and(eq(k.workspaceId, workspaceId), eq(k.conversationId, conversationId), eq(k.target, target)));
}

const o = schema.slaOutcomes;
export type SlaOutcome = typeof schema.slaOutcomes.$inferSelect;

/**
 * Keeps a clock's cycle among the decided ones when it is decided (met, or past its deadline unmet); a cycle
 * recorded as breached and met later keeps `breached` and gains its `met_at`. Undecided cycles leave no row.
 */
export async function recordOutcome(
  db: Executor,
  clock: SlaClock,
  conversation: { teamId: number | null; assigneeId: number | null; channel: SlaOutcome['channel'] },
): Promise<void> {
  if (!clock.dueAt || (!clock.metAt && !clock.breachedAt)) return;
  const breached = clock.breachedAt !== null || (clock.metAt !== null && clock.metAt > clock.dueAt);
  const values: SlaOutcome = {
    workspaceId: clock.workspaceId,
    conversationId: clock.conversationId,
    target: clock.target,
    startedAt: clock.startedAt,
    policyId: clock.policyId,
    dueAt: clock.dueAt,
    metAt: clock.metAt,
    breached,
    decidedAt: breached ? clock.dueAt : (clock.metAt ?? clock.dueAt),
    teamId: conversation.teamId,
    assigneeId: conversation.assigneeId,
    channel: conversation.channel,
  };
  const { workspaceId: _w, conversationId: _c, target: _t, startedAt: _s, ...rest } = values;
  await db
    .insert(o)
    .values(values)
    .onConflictDoUpdate({ target: [o.workspaceId, o.conversationId, o.target, o.startedAt], set: rest });
}

export type AttainmentRow = { key: number | string | null; target: SlaTarget; met: number; decided: number };

/** Decided cycles of the period, in time and in all, per target and per team, assignee or channel. */
export async function attainmentRows(
  db: Executor,
  workspaceId: number,
  range: { from: Date; to: Date },
  by: 'workspace' | 'team' | 'agent' | 'channel',
): Promise<AttainmentRow[]> {
  const key =
    by === 'team' ? o.teamId : by === 'agent' ? o.assigneeId : by === 'channel' ? o.channel : sql`null`;
  const rows = await db
    .select({
      key: sql<number | string | null>`${key}`,
      target: o.target,
      met: sql<number>`(count(*) filter (where not ${o.breached}))::int`,
      decided: sql<number>`count(*)::int`,
    })
    .from(o)
    .where(
      and(
        eq(o.workspaceId, workspaceId),
        sql`${o.decidedAt} >= ${range.from.toISOString()}::timestamptz`,
        sql`${o.decidedAt} < ${range.to.toISOString()}::timestamptz`,
      ),
    )
    .groupBy(sql`1`, o.target);
  return rows.map((r) => ({ ...r, key: r.key === null ? null : by === 'channel' ? r.key : Number(r.key) }));
}
