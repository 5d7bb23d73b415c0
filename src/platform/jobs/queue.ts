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
