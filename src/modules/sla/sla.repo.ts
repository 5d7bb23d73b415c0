import { and, asc, eq, inArray, max, sql } from 'drizzle-orm';
import { type Executor, inIds, schema } from '../../db/index.js';
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

/** A time as milliseconds since the epoch, in SQL: how the bulk reads and writes of clocks carry times. */
const epochMs = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);
const fromMs = (column: string) => sql.raw(`to_timestamp(${column} / 1000.0)`);
const dateOf = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));

/**
 * The clocks of many conversations, by conversation (each one's in target order). A raw statement with times
 * as epoch milliseconds: a recompute reads the clocks of every conversation in progress, and the query
 * builder's mapping of whole rows (a date parsed from text for each of eight times) cost more CPU than the
 * database's read.
 */
export async function listClocksOf(
  db: Executor,
  workspaceId: number,
  conversationIds: number[],
): Promise<Map<number, SlaClock[]>> {
  const byConversation = new Map<number, SlaClock[]>();
  if (conversationIds.length === 0) return byConversation;
  const result = await db.execute(sql`
    select workspace_id, conversation_id, target, policy_id, target_minutes, ${epochMs('started_at')} as started_at,
      ${epochMs('due_at')} as due_at, ${epochMs('warn_at')} as warn_at, ${epochMs('met_at')} as met_at,
      ${epochMs('paused_at')} as paused_at, remaining_minutes, paused_minutes, ${epochMs('warned_at')} as warned_at,
      ${epochMs('breached_at')} as breached_at, ${epochMs('updated_at')} as updated_at
    from sla_clocks
    where workspace_id = ${workspaceId} and ${inIds(k.conversationId, conversationIds)}
    order by conversation_id, target`);
  for (const r of result.rows as Record<string, unknown>[]) {
    const row: SlaClock = {
      workspaceId: Number(r.workspace_id),
      conversationId: Number(r.conversation_id),
      target: r.target as SlaTarget,
      policyId: Number(r.policy_id),
      targetMinutes: Number(r.target_minutes),
      startedAt: dateOf(r.started_at)!,
      dueAt: dateOf(r.due_at),
      warnAt: dateOf(r.warn_at),
      metAt: dateOf(r.met_at),
      pausedAt: dateOf(r.paused_at),
      remainingMinutes: Number(r.remaining_minutes),
      pausedMinutes: Number(r.paused_minutes),
      warnedAt: dateOf(r.warned_at),
      breachedAt: dateOf(r.breached_at),
      updatedAt: dateOf(r.updated_at)!,
    };
    const list = byConversation.get(row.conversationId);
    if (list) list.push(row);
    else byConversation.set(row.conversationId, [row]);
  }
  return byConversation;
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

/** Rows per statement in the bulk writes: well below PostgreSQL's 65,535 parameters per statement. */
const BULK_ROWS = 1000;

const ms = (d: Date | null) => (d ? d.getTime() : null);

/**
 * `upsertClock` for many clocks at once; a (conversation, target) must not appear twice. A parameter per
 * column, an array of the clocks' values (times as epoch milliseconds): building fifteen parameters per clock
 * cost more than the database's work, and a JSON document of named fields was three times the bytes.
 */
export async function upsertClocks(db: Executor, values: SlaClock[]): Promise<void> {
  for (let i = 0; i < values.length; i += BULK_ROWS) {
    const rows = values.slice(i, i + BULK_ROWS);
    const column = (value: (clock: SlaClock) => unknown) => sql.param(rows.map(value));
    await db.execute(sql`
      insert into sla_clocks (workspace_id, conversation_id, target, policy_id, target_minutes, started_at, due_at,
        warn_at, met_at, paused_at, remaining_minutes, paused_minutes, warned_at, breached_at, updated_at)
      select w, c, t, p, m, ${fromMs('s')}, ${fromMs('d')}, ${fromMs('wa')}, ${fromMs('me')}, ${fromMs('pa')},
        r, pm, ${fromMs('wd')}, ${fromMs('b')}, ${fromMs('u')}
      from unnest(${column((v) => v.workspaceId)}::bigint[], ${column((v) => v.conversationId)}::bigint[],
        ${column((v) => v.target)}::text[], ${column((v) => v.policyId)}::bigint[],
        ${column((v) => v.targetMinutes)}::integer[], ${column((v) => ms(v.startedAt))}::float8[],
        ${column((v) => ms(v.dueAt))}::float8[], ${column((v) => ms(v.warnAt))}::float8[],
        ${column((v) => ms(v.metAt))}::float8[], ${column((v) => ms(v.pausedAt))}::float8[],
        ${column((v) => v.remainingMinutes)}::float8[], ${column((v) => v.pausedMinutes)}::float8[],
        ${column((v) => ms(v.warnedAt))}::float8[], ${column((v) => ms(v.breachedAt))}::float8[],
        ${column((v) => ms(v.updatedAt))}::float8[]) as x(w, c, t, p, m, s, d, wa, me, pa, r, pm, wd, b, u)
      on conflict (workspace_id, conversation_id, target) do update set
        policy_id = excluded.policy_id, target_minutes = excluded.target_minutes,
        started_at = excluded.started_at, due_at = excluded.due_at, warn_at = excluded.warn_at,
        met_at = excluded.met_at, paused_at = excluded.paused_at, remaining_minutes = excluded.remaining_minutes,
        paused_minutes = excluded.paused_minutes, warned_at = excluded.warned_at,
        breached_at = excluded.breached_at, updated_at = excluded.updated_at`);
  }
}

/** Deletes these clocks (conversation and target) of one workspace. */
export async function deleteClocksOf(
  db: Executor,
  workspaceId: number,
  clocks: Array<{ conversationId: number; target: SlaTarget }>,
): Promise<void> {
  for (let i = 0; i < clocks.length; i += BULK_ROWS) {
    const rows = JSON.stringify(clocks.slice(i, i + BULK_ROWS));
    await db
      .delete(k)
      .where(
        and(
          eq(k.workspaceId, workspaceId),
          sql`(${k.conversationId}, ${k.target}) in (select "conversationId", target from json_to_recordset(${rows}::json) as x("conversationId" bigint, target text))`,
        ),
      );
  }
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

/** Clocks whose warning is still to fire, and clocks whose deadline is (the partial indexes' conditions). */
const warningPending = sql`${k.warnedAt} is null and ${k.breachedAt} is null and ${k.metAt} is null and ${k.dueAt} is not null`;
const breachPending = sql`${k.breachedAt} is null and ${k.metAt} is null and ${k.dueAt} is not null`;

/**
 * Clocks of the workspace whose deadline (`breach`) or warning (`warning`: before the deadline) came by
 * `now`, soonest first, at most `limit`, locked until the transaction ends; ones locked elsewhere (a
 * recompute writing them) are skipped: the sweep comes back for them.
 */
export async function lockDueClocks(
  db: Executor,
  workspaceId: number,
  kind: 'warning' | 'breach',
  now: Date,
  limit: number,
): Promise<SlaClock[]> {
  const at = now.toISOString();
  const when =
    kind === 'breach'
      ? and(breachPending, sql`${k.dueAt} <= ${at}::timestamptz`)
      : and(
          warningPending,
          sql`${k.warnAt} <= ${at}::timestamptz and ${k.warnAt} < ${k.dueAt} and ${k.dueAt} > ${at}::timestamptz`,
        );
  return db
    .select()
    .from(k)
    .where(and(eq(k.workspaceId, workspaceId), when))
    .orderBy(kind === 'breach' ? asc(k.dueAt) : asc(k.warnAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** The soonest warning or deadline of the workspace still to fire (each read from its index), if any. */
export async function nextPendingTime(db: Executor, workspaceId: number): Promise<Date | null> {
  const [warning] = await db
    .select({ at: k.warnAt })
    .from(k)
    .where(and(eq(k.workspaceId, workspaceId), warningPending, sql`${k.warnAt} < ${k.dueAt}`))
    .orderBy(asc(k.warnAt))
    .limit(1);
  const [deadline] = await db
    .select({ at: k.dueAt })
    .from(k)
    .where(and(eq(k.workspaceId, workspaceId), breachPending))
    .orderBy(asc(k.dueAt))
    .limit(1);
  const times = [warning?.at, deadline?.at].filter((d): d is Date => d instanceof Date);
  return times.length === 0 ? null : new Date(Math.min(...times.map((d) => d.getTime())));
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
  conversation: OutcomeContext,
): Promise<void> {
  await recordOutcomes(db, [{ clock, conversation }]);
}

type OutcomeContext = { teamId: number | null; assigneeId: number | null; channel: SlaOutcome['channel'] };

/** `recordOutcome` for many clocks at once; a cycle (conversation, target, start) must not appear twice. */
export async function recordOutcomes(
  db: Executor,
  decided: Array<{ clock: SlaClock; conversation: OutcomeContext }>,
): Promise<void> {
  const values: SlaOutcome[] = [];
  for (const { clock, conversation } of decided) {
    if (!clock.dueAt || (!clock.metAt && !clock.breachedAt)) continue;
    const breached = clock.breachedAt !== null || (clock.metAt !== null && clock.metAt > clock.dueAt);
    values.push({
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
    });
  }
  for (let i = 0; i < values.length; i += BULK_ROWS)
    await db
      .insert(o)
      .values(values.slice(i, i + BULK_ROWS))
      .onConflictDoUpdate({
        target: [o.workspaceId, o.conversationId, o.target, o.startedAt],
        set: {
          policyId: sql`excluded.policy_id`,
          dueAt: sql`excluded.due_at`,
          metAt: sql`excluded.met_at`,
          breached: sql`excluded.breached`,
          decidedAt: sql`excluded.decided_at`,
          teamId: sql`excluded.team_id`,
          assigneeId: sql`excluded.assignee_id`,
          channel: sql`excluded.channel`,
        },
      });
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
