import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.js';
import { enqueueJobBy, type JobHandler } from '../../platform/index.js';
import { breach, warn } from './sla.jobs.js';
import { lockDueClocks, nextPendingTime } from './sla.repo.js';

/**
 * The deadline sweep: one job per workspace, queued for the soonest warning or deadline still to fire. It
 * fires every warning and deadline due by then (read from the clocks' partial indexes on `warn_at` and
 * `due_at`: a range of the index, never a scan of every conversation), then queues itself for the next one.
 * Whoever writes a clock with an earlier warning or deadline moves it earlier (`scheduleDeadlineSweep`).
 * One job instead of a warning and a breach job per clock: a recompute that moves every deadline writes the
 * clocks, not a queue row per deadline as well.
 */
export const SLA_DEADLINES_JOB = 'sla.deadlines';
const KEY = 'sla-deadlines';
/** Clocks fired per transaction; when there are more, the sweep runs again at once. */
const BATCH = 200;

/**
 * Writers of clocks hold this lock shared from when they schedule the sweep until they commit; the sweep
 * takes it exclusive before it looks for its next time, so it sees every clock written by then, and a
 * writer that comes after sees the sweep it queued. Two int4 keys: this constant and the workspace.
 */
const LOCK_CLASS = 0x534c4144; // "SLAD"
const lock = (workspaceId: number, mode: 'shared' | 'exclusive') =>
  mode === 'shared'
    ? sql`select pg_advisory_xact_lock_shared(${LOCK_CLASS}::int, ${workspaceId}::int)`
    : sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int, ${workspaceId}::int)`;

/** After writing clocks whose soonest warning or deadline still to fire is `at`: the sweep runs by then. */
export async function scheduleDeadlineSweep(
  tx: Executor,
  workspaceId: number,
  at: Date,
  now: Date,
): Promise<void> {
  await tx.execute(lock(workspaceId, 'shared'));
  await enqueueJobBy(tx, { workspaceId, type: SLA_DEADLINES_JOB, dedupeKey: KEY, runAt: at }, now);
}

export const deadlinesHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const now = ctx.clock.now();
    const ws = job.workspaceId;
    // Deadlines first: a clock whose deadline came is breached, and its warning is not sent any more.
    const breached = await lockDueClocks(tx, ws, 'breach', now, BATCH);
    for (const clock of breached) await breach(tx, ws, clock, now);
    const warned = await lockDueClocks(tx, ws, 'warning', now, BATCH);
    for (const clock of warned) await warn(tx, ws, clock, now);
    await tx.execute(lock(ws, 'exclusive'));
    const more = breached.length === BATCH || warned.length === BATCH;
    const next = more ? now : await nextPendingTime(tx, ws);
    if (next)
      await enqueueJobBy(
        tx,
        { workspaceId: ws, type: SLA_DEADLINES_JOB, dedupeKey: KEY, runAt: next < now ? now : next },
        now,
      );
  },
};
