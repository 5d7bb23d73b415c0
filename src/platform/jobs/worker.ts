import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Db, schema, type Tx } from '../../db/index.js';
import type { Clock } from '../clock.js';
import { createEventDispatcher, type EventConsumer } from '../event-dispatch.js';
import type { JobRow } from './queue.js';

export type JobContext = {
  clock: Clock;
  /** The database, for `external` handlers that write progress in their own short transactions. */
  db: Db;
  /** Stable across retries of the same job: give it to external systems so a retried effect is applied once. */
  idempotencyKey: string;
  log: Logger;
  /**
   * For a long `external` job (a no-op in a `db` job): extends its lease (at most every fifth of the lease, so calling it per chunk
   * costs nothing), so no other worker takes it and a last attempt is not marked failed while it runs. False
   * when the job is no longer ours (the lease ran out before): the handler should stop.
   */
  keepAlive(): Promise<boolean>;
};

/**
 * `db` handlers do database work only: it commits in the same transaction that marks the job done, so
 * it happens exactly once even when a crash makes the job run again.
 * `external` handlers talk to the outside world (mail, webhooks): at least once, with an idempotency key.
 */
export type JobHandler =
  | { kind: 'db'; run(tx: Tx, job: JobRow, ctx: JobContext): Promise<void> }
  | { kind: 'external'; run(job: JobRow, ctx: JobContext): Promise<void> };

export type WorkerStats = { succeeded: number; failed: number; retried: number };

export type Worker = {
  start(): void;
  /** Stops polling and waits for the jobs in flight to finish. */
  stop(): Promise<void>;
  /** Feeds every event to its consumers and runs every job due now, until nothing is left. For tests and the CLI. */
  drain(): Promise<number>;
  stats: WorkerStats;
};

export type WorkerOptions = {
  db: Db;
  clock: Clock;
  log: Logger;
  handlers: Record<string, JobHandler>;
  /** Event consumers, fed from the event log on every poll before jobs are claimed. */
  consumers?: Record<string, EventConsumer>;
  pollMs?: number;
  /** How long a claimed job is ours; after that another worker may take it (we crashed). */
  leaseMs?: number;
  batchSize?: number;
  onFailure?: (job: JobRow, error: unknown) => void;
  onSuccess?: (job: JobRow) => void;
};

export function backoffMs(attempt: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

type ClaimedRow = {
  workspace_id: number;
  id: number;
  type: string;
  payload: Record<string, unknown>;
  status: JobRow['status'];
  run_at: Date | string;
  attempts: number;
  max_attempts: number;
  dedupe_key: string | null;
  created_at: Date | string;
};

function toJobRow(r: ClaimedRow, workerId: string, lockedUntil: Date): JobRow {
  return {
    workspaceId: Number(r.workspace_id),
    id: Number(r.id),
    type: r.type,
    payload: r.payload,
    status: 'running',
    runAt: new Date(r.run_at),
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    dedupeKey: r.dedupe_key,
    lockedBy: workerId,
    lockedUntil,
    lastError: null,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(),
    finishedAt: null,
  };
}

/**
 * Back to the queue, unless a newer job with the same dedupe key was queued while this one ran: that one
 * supersedes it (only one queued job per key may exist), so this one is cancelled.
 */
const requeueUnlessSuperseded = sql<
  JobRow['status']
>`case when ${schema.jobs.dedupeKey} is not null and exists (
    select 1 from jobs newer where newer.workspace_id = ${schema.jobs.workspaceId}
      and newer.dedupe_key = ${schema.jobs.dedupeKey} and newer.status = 'queued'
  ) then 'cancelled' else 'queued' end`;

/** Thrown inside a job's transaction when another worker took the job over: roll back, do nothing. */
class LostLease extends Error {}

export function createWorker(options: WorkerOptions): Worker {
  const { db, clock, log, handlers } = options;
  const pollMs = options.pollMs ?? 250;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  // A few jobs at once, run concurrently: one slow job must not hold other due jobs under its lease, where
  // no other process could take them. A slot that frees is filled at once (not when the whole batch is done):
  // chunked background work keeps every slot busy instead of waiting on the slowest chunk of a batch.
  const batchSize = options.batchSize ?? 4;
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const stats: WorkerStats = { succeeded: 0, failed: 0, retried: 0 };
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  /** The jobs running now (at most `batchSize`). */
  const active = new Set<Promise<void>>();
  /** A poll is under way; `again`: a job finished meanwhile, so poll once more right after it. */
  let polling = false;
  let again = false;
  const dispatchMs = Math.min(pollMs, 100);
  let lastDispatch = Number.NEGATIVE_INFINITY;
  let lastDispatched = 0;
  const dispatcher = options.consumers
    ? createEventDispatcher({
        db,
        clock,
        log: log.child({ component: 'events' }),
        consumers: options.consumers,
      })
    : undefined;

  /**
   * A job that was interrupted (a crash) on its last attempt is never claimed again: it is marked failed,
   * so it shows up as a failure instead of sitting in the queue for ever.
   */
  async function failExhausted(now: Date): Promise<void> {
    await db.execute(sql`
      update jobs set status = 'failed', finished_at = ${now.toISOString()}, updated_at = ${now.toISOString()},
        locked_by = null, locked_until = null,
        last_error = coalesce(last_error, 'interrupted during its last attempt')
      where status in ('queued', 'running') and attempts >= max_attempts and run_at <= ${now.toISOString()}
        and (status = 'queued' or locked_until <= ${now.toISOString()})`);
  }

  async function claim(limit = batchSize): Promise<JobRow[]> {
    const now = clock.now();
    await failExhausted(now);
    const lockedUntil = new Date(now.getTime() + leaseMs);
    // "Due" is judged by the injected clock, never by SQL now(). A running job whose lease ran out
    // belonged to a worker that died: it is claimed again.
    const result = await db.execute(sql`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${workerId},
        locked_until = ${lockedUntil.toISOString()}, updated_at = ${now.toISOString()}
      where (workspace_id, id) in (
        select workspace_id, id from jobs
        where status in ('queued', 'running') and run_at <= ${now.toISOString()}
          and (status = 'queued' or locked_until <= ${now.toISOString()})
          and attempts < max_attempts
        order by run_at
        limit ${limit}
        for update skip locked
      )
      returning workspace_id, id, type, payload, status, run_at, attempts, max_attempts, dedupe_key, created_at`);
    // UPDATE ... RETURNING gives no order: run the batch in due order.
    return (result.rows as ClaimedRow[])
      .map((r) => toJobRow(r, workerId, lockedUntil))
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
  }

  const mine = (job: JobRow) =>
    and(
      eq(schema.jobs.workspaceId, job.workspaceId),
      eq(schema.jobs.id, job.id),
      eq(schema.jobs.lockedBy, workerId),
      eq(schema.jobs.status, 'running'),
    );

  async function markDone(tx: Db | Tx, job: JobRow): Promise<boolean> {
    const now = clock.now();
    const rows = await tx
      .update(schema.jobs)
      .set({ status: 'done', finishedAt: now, updatedAt: now, lockedUntil: null })
      .where(mine(job))
      .returning({ id: schema.jobs.id });
    return rows.length > 0;
  }

  async function markFailed(job: JobRow, error: unknown): Promise<void> {
    const now = clock.now();
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const final = job.attempts >= job.maxAttempts;
    await db
      .update(schema.jobs)
      .set({
        status: final ? 'failed' : requeueUnlessSuperseded,
        runAt: final ? job.runAt : new Date(now.getTime() + backoffMs(job.attempts)),
        lastError: message.slice(0, 4000),
        lockedBy: null,
        lockedUntil: null,
        updatedAt: now,
        finishedAt: final ? now : null,
      })
      .where(mine(job));
    if (final) stats.failed++;
    else stats.retried++;
    options.onFailure?.(job, error);
    log.warn({ jobId: job.id, type: job.type, attempt: job.attempts, final, err: message }, 'job failed');
  }

  async function runOne(job: JobRow): Promise<void> {
    const handler = handlers[job.type];
    let renewedAt = clock.now().getTime();
    const ctx: JobContext = {
      clock,
      db,
      idempotencyKey: `job-${job.workspaceId}-${job.id}`,
      log: log.child({ jobId: job.id, jobType: job.type }),
      async keepAlive() {
        // A db job runs in one transaction that holds its row: renewing from another connection would wait on it.
        if (handler?.kind === 'db') return true;
        const now = clock.now();
        if (now.getTime() - renewedAt < leaseMs / 5) return true;
        renewedAt = now.getTime();
        const rows = await db
          .update(schema.jobs)
          .set({ lockedUntil: new Date(now.getTime() + leaseMs), updatedAt: now })
          .where(mine(job))
          .returning({ id: schema.jobs.id });
        return rows.length > 0;
      },
    };
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      if (handler.kind === 'db') {
        await db.transaction(async (tx) => {
          if (!(await markDone(tx, job))) throw new LostLease();
          await handler.run(tx, job, ctx);
        });
      } else {
        await handler.run(job, ctx);
        // Another worker took the job over meanwhile (our lease ran out): it will run it again, with the same
        // idempotency key; this run is not counted.
        if (!(await markDone(db, job))) return;
      }
      stats.succeeded++;
      options.onSuccess?.(job);
    } catch (err) {
      if (err instanceof LostLease) return;
      await markFailed(job, err);
    }
  }

  /**
   * Feeds the event consumers, then claims jobs for the free slots and starts them; the count of both. A job
   * that finishes starts a tick for its successor at once, but the consumers (a transaction each) are fed at
   * most every `dispatchMs` while they have nothing to do: chunked background work ends a job every few
   * milliseconds. A backlog of events is fed without pause.
   */
  async function tick(): Promise<number> {
    let dispatched = 0;
    if (dispatcher && (lastDispatched > 0 || performance.now() - lastDispatch >= dispatchMs)) {
      lastDispatch = performance.now();
      dispatched = await dispatcher.dispatch();
      lastDispatched = dispatched;
    }
    const free = batchSize - active.size;
    const jobs = free > 0 ? await claim(free) : [];
    for (const job of jobs) {
      // runOne settles its job's outcome itself; what can still throw (marking it failed while the database is
      // away) is logged here: nothing awaits a running job but `stop`, so it must not reject unhandled.
      const run: Promise<void> = runOne(job)
        .catch((err) => log.error({ err, jobId: job.id, type: job.type }, 'job bookkeeping failed'))
        .finally(() => {
          active.delete(run);
          poke();
        });
      active.add(run);
    }
    return dispatched + jobs.length;
  }

  /** A slot freed: poll at once for its successor (a chunk's continuation is due now). */
  function poke(): void {
    if (!running) return;
    if (polling) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(loop, 0);
  }

  async function loop(): Promise<void> {
    if (!running || polling) return;
    polling = true;
    again = false;
    timer = undefined;
    let claimed = 0;
    const work = tick().then(
      (n) => {
        claimed = n;
      },
      (err) => log.error({ err }, 'job poll failed'),
    );
    inFlight = work;
    await work;
    polling = false;
    if (!running) return;
    // Every slot busy: the next job to finish pokes the loop. Else poll again now if there was work (or a
    // job finished while polling), after the poll interval if not.
    if (active.size >= batchSize && !again) return;
    timer = setTimeout(loop, claimed > 0 || again ? 0 : pollMs);
  }

  /** The loop's poll in progress and the jobs it started, if any. */
  const busy = () => Promise.all([inFlight, ...active]);

  return {
    stats,
    start() {
      if (running) return;
      running = true;
      timer = setTimeout(loop, 0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await inFlight;
      await Promise.all([...active]);
    },
    async drain() {
      let total = 0;
      for (;;) {
        // What a started worker's own loop has claimed meanwhile is part of "everything due is done".
        await busy();
        const dispatched = dispatcher ? await dispatcher.settle() : 0;
        const jobs = await claim();
        await Promise.all(jobs.map(runOne));
        total += dispatched + jobs.length;
        if (dispatched + jobs.length === 0 && !polling && active.size === 0) return total;
      }
    },
  };
}

/**
 * On the embedded database only this process can have claimed jobs, so a job still `running` at start was
 * interrupted by a crash: make it due again at once instead of waiting for its lease.
 */
export async function releaseInterruptedJobs(db: Db, now: Date): Promise<number> {
  const rows = await db
    .update(schema.jobs)
    .set({ status: requeueUnlessSuperseded, lockedBy: null, lockedUntil: null, updatedAt: now })
    .where(eq(schema.jobs.status, 'running'))
    .returning({ id: schema.jobs.id });
  return rows.length;
}
