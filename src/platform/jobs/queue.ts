import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type NewJob = {
  workspaceId: number;
  type: string;
  payload?: Record<string, unknown>;
  runAt: Date;
  /**
   * At most one queued job per workspace and key: enqueueing again with the same key moves the queued job
   * (new run time and payload) instead of adding a second one. A job of that key already running does not
   * count: the new one is queued beside it and runs after.
   */
  dedupeKey?: string;
  maxAttempts?: number;
};

/**
 * Writes a job in the caller's transaction (the outbox): it exists if and only if the change that caused it
 * was committed. `now` is the caller's clock time.
 */
export async function enqueueJob(tx: Executor, job: NewJob, now: Date): Promise<number | null> {
  const values = {
    workspaceId: job.workspaceId,
    type: job.type,
    payload: job.payload ?? {},
    runAt: job.runAt,
    dedupeKey: job.dedupeKey ?? null,
    maxAttempts: job.maxAttempts ?? 8,
    createdAt: now,
    updatedAt: now,
  };
  if (!job.dedupeKey) {
    const [row] = await tx.insert(schema.jobs).values(values).returning({ id: schema.jobs.id });
    return row?.id ?? null;
  }
  const [row] = await tx
    .insert(schema.jobs)
    .values(values)
    .onConflictDoUpdate({
      target: [schema.jobs.workspaceId, schema.jobs.dedupeKey],
      targetWhere: sql`status = 'queued' and dedupe_key is not null`,
      set: { runAt: job.runAt, payload: values.payload, type: job.type, updatedAt: now },
    })
    .returning({ id: schema.jobs.id });
  return row?.id ?? null;
}

/**
 * Makes sure the queued job with this key runs no later than `job.runAt`: queues it when there is none,
 * moves it earlier when it is due later, and leaves it when it is due sooner (its payload stays). Returns
 * whether it wrote. A job of that key already running does not count, as with `enqueueJob`.
 */
export async function enqueueJobBy(
  tx: Executor,
  job: NewJob & { dedupeKey: string },
  now: Date,
): Promise<boolean> {
  const [queued] = await tx
    .select({ runAt: schema.jobs.runAt })
    .from(schema.jobs)
    .where(
      and(
        eq(schema.jobs.workspaceId, job.workspaceId),
        eq(schema.jobs.dedupeKey, job.dedupeKey),
        eq(schema.jobs.status, 'queued'),
      ),
    );
  if (queued && queued.runAt <= job.runAt) return false;
  await tx
    .insert(schema.jobs)
    .values({
      workspaceId: job.workspaceId,
      type: job.type,
      payload: job.payload ?? {},
      runAt: job.runAt,
      dedupeKey: job.dedupeKey,
      maxAttempts: job.maxAttempts ?? 8,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [schema.jobs.workspaceId, schema.jobs.dedupeKey],
      targetWhere: sql`status = 'queued' and dedupe_key is not null`,
      set: { runAt: sql`least(${schema.jobs.runAt}, excluded.run_at)`, updatedAt: now },
    });
  return true;
}

/** Rows per statement in the bulk writes: well below PostgreSQL's 65,535 parameters per statement. */
const BULK_ROWS = 1000;

/**
 * `enqueueJob` for many keyed jobs at once (work over many rows): one statement per thousand jobs instead of
 * one each. Each key moves its queued job, as `enqueueJob` does; a key must not appear twice in one call.
 */
export async function enqueueJobs(
  tx: Executor,
  jobs: Array<NewJob & { dedupeKey: string }>,
  now: Date,
): Promise<void> {
  // One JSON parameter per statement, not eight per job: building thousands of parameters is the slow part.
  for (let i = 0; i < jobs.length; i += BULK_ROWS) {
    const rows = JSON.stringify(
      jobs.slice(i, i + BULK_ROWS).map((job) => ({
        w: job.workspaceId,
        t: job.type,
        p: job.payload ?? {},
        r: job.runAt.toISOString(),
        k: job.dedupeKey,
        m: job.maxAttempts ?? 8,
      })),
    );
    await tx.execute(sql`
      insert into jobs (workspace_id, type, payload, run_at, dedupe_key, max_attempts, created_at, updated_at)
      select w, t, p, r, k, m, ${now.toISOString()}, ${now.toISOString()}
      from json_to_recordset(${rows}::json) as x(w bigint, t text, p jsonb, r timestamptz, k text, m bigint)
      on conflict (workspace_id, dedupe_key) where status = 'queued' and dedupe_key is not null
      do update set run_at = excluded.run_at, payload = excluded.payload, type = excluded.type,
        updated_at = excluded.updated_at`);
  }
}

/**
 * `cancelJob` for many keys of one workspace at once. Each key is looked up on its own in the index of queued
 * keys (a lateral subquery, equality on the whole unique key): a plain `dedupe_key in (…)` lets the planner,
 * misled by stale statistics of a queue that just grew, filter every queued job of the workspace instead.
 */
export async function cancelJobs(
  tx: Executor,
  workspaceId: number,
  dedupeKeys: string[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < dedupeKeys.length; i += BULK_ROWS) {
    const keys = JSON.stringify(dedupeKeys.slice(i, i + BULK_ROWS));
    await tx.execute(sql`
      update jobs set status = 'cancelled', updated_at = ${now.toISOString()}, finished_at = ${now.toISOString()}
      where workspace_id = ${workspaceId} and status = 'queued' and id in (
        select j.id from json_array_elements_text(${keys}::json) as k(key)
        cross join lateral (
          select id from jobs q
          where q.workspace_id = ${workspaceId} and q.dedupe_key = k.key and q.status = 'queued'
            and q.dedupe_key is not null
          limit 1
        ) j
      )`);
  }
}

/** Cancels the queued job with this key, if any. Returns how many were cancelled. */
export async function cancelJob(tx: Executor, workspaceId: number, dedupeKey: string, now: Date) {
  const rows = await tx
    .update(schema.jobs)
    .set({ status: 'cancelled', updatedAt: now, finishedAt: now })
    .where(
      and(
        eq(schema.jobs.workspaceId, workspaceId),
        eq(schema.jobs.dedupeKey, dedupeKey),
        eq(schema.jobs.status, 'queued'),
      ),
    )
    .returning({ id: schema.jobs.id });
  return rows.length;
}

/** Moves the queued job with this key to a new time. Returns false when there was none. */
export async function rescheduleJob(
  tx: Executor,
  workspaceId: number,
  dedupeKey: string,
  runAt: Date,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .update(schema.jobs)
    .set({ runAt, updatedAt: now })
    .where(
      and(
        eq(schema.jobs.workspaceId, workspaceId),
        eq(schema.jobs.dedupeKey, dedupeKey),
        eq(schema.jobs.status, 'queued'),
      ),
    )
    .returning({ id: schema.jobs.id });
  return rows.length > 0;
}

export type JobRow = typeof schema.jobs.$inferSelect;

export async function findJobs(
  db: Executor,
  workspaceId: number,
  filter: { type?: string; dedupeKey?: string; statuses?: JobRow['status'][] } = {},
): Promise<JobRow[]> {
  const conditions = [eq(schema.jobs.workspaceId, workspaceId)];
  if (filter.type) conditions.push(eq(schema.jobs.type, filter.type));
  if (filter.dedupeKey) conditions.push(eq(schema.jobs.dedupeKey, filter.dedupeKey));
  if (filter.statuses) conditions.push(inArray(schema.jobs.status, filter.statuses));
  return db
    .select()
    .from(schema.jobs)
    .where(and(...conditions))
    .orderBy(schema.jobs.id);
}
