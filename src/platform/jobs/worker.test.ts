import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, count, countDistinct, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { createTestDatabase, testDbKind } from '../../../test/support/database.js';
import { type Db, openPostgres, schema, type Tx } from '../../db/index.js';
import { type Clock, fakeClock, systemClock } from '../clock.js';
import { cancelJob, enqueueJob, findJobs, type JobRow, rescheduleJob } from './queue.js';
import { backoffMs, createWorker, type JobHandler, releaseInterruptedJobs, type Worker } from './worker.js';

const database = await createTestDatabase();
const db = database.db;
const log = pino({ level: 'silent' });
const workers: Worker[] = [];
after(async () => {
  for (const w of workers) await w.stop();
  await database.drop();
});

const pgOnly = { skip: testDbKind() !== 'pg' && 'PostgreSQL only' };
const T0 = '2026-03-02T09:00:00Z';
const MINUTE = 60_000;

let slugs = 0;
async function newWorkspace(): Promise<number> {
  const slug = `jobs-${process.pid}-${++slugs}-${Math.random().toString(36).slice(2, 6)}`;
  const [row] = await db
    .insert(schema.workspaces)
    .values({ slug, name: slug, createdAt: new Date(T0) })
    .returning({ id: schema.workspaces.id });
  return row!.id;
}

function worker(
  clock: Clock,
  handlers: Record<string, JobHandler>,
  options: { db?: Db; leaseMs?: number; pollMs?: number; onFailure?: (job: JobRow) => void } = {},
): Worker {
  const w = createWorker({
    db: options.db ?? db,
    clock,
    log,
    handlers,
    pollMs: options.pollMs ?? 20,
    leaseMs: options.leaseMs,
    onFailure: options.onFailure,
  });
  workers.push(w);
  return w;
}

/** The effect a 'db' handler makes, in a table the test reads: one event per run that committed. */
const recordEffect: JobHandler = {
  kind: 'db',
  async run(tx: Tx, job: JobRow, ctx) {
    await tx.insert(schema.events).values({
      workspaceId: job.workspaceId,
      type: 'test.effect',
      entityType: 'job',
      entityId: job.id,
      actorType: 'system',
      createdAt: ctx.clock.now(),
    });
  },
};

async function effects(workspaceId: number, jobId?: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(schema.events)
    .where(
      and(
        eq(schema.events.workspaceId, workspaceId),
        eq(schema.events.type, 'test.effect'),
        jobId === undefined ? undefined : eq(schema.events.entityId, jobId),
      ),
    );
  return row!.n;
}

async function job(workspaceId: number, id: number): Promise<JobRow> {
  const [row] = await db
    .select()
    .from(schema.jobs)
    .where(and(eq(schema.jobs.workspaceId, workspaceId), eq(schema.jobs.id, id)));
  assert.ok(row, `job ${id} exists`);
  return row;
}

function gate(): { open(): void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('job queue', () => {
  // Workers serve every workspace: leave no due job behind for the next test's worker to count.
  afterEach(async () => {
    await db
      .update(schema.jobs)
      .set({ status: 'cancelled', lockedBy: null })
      .where(sql`status in ('queued', 'running')`);
  });

  test('a job enqueued in a transaction that rolls back does not exist', async () => {
    const ws = await newWorkspace();
    const clock = fakeClock(T0);
    await assert.rejects(
      db.transaction(async (tx) => {
        await enqueueJob(tx, { workspaceId: ws, type: 'effect', runAt: clock.now() }, clock.now());
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal((await findJobs(db, ws)).length, 0);

    await db.transaction(async (tx) => {
      await enqueueJob(tx, { workspaceId: ws, type: 'effect', runAt: clock.now() }, clock.now());
    });
    assert.equal((await findJobs(db, ws)).length, 1, 'committed with its change, it exists');
  });

  test('"due" is judged by the injected clock: a job at t+10 min waits until the clock passes it', async () => {
    const ws = await newWorkspace();
    const clock = fakeClock(T0);
    const id = await enqueueJob(
      db,
      { workspaceId: ws, type: 'effect', runAt: new Date(clock.now().getTime() + 10 * MINUTE) },
      clock.now(),
    );
    const w = worker(clock, { effect: recordEffect });
    assert.equal(await w.drain(), 0);
    clock.advance(10 * MINUTE - 1);
    assert.equal(await w.drain(), 0, 'one millisecond early');
    assert.equal(await effects(ws), 0);
    clock.advance(1);
    assert.equal(await w.drain(), 1);
    assert.equal(await effects(ws, id!), 1);
    const done = await job(ws, id!);
    assert.equal(done.status, 'done');
    assert.equal(done.attempts, 1);
    assert.equal(done.finishedAt?.toISOString(), clock.now().toISOString());
  });

  test('enqueueing with the same dedupe key moves the queued job instead of adding one', async () => {
    const ws = await newWorkspace();
    const clock = fakeClock(T0);
    const at = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE);
    const first = await enqueueJob(
      db,
      { workspaceId: ws, type: 'effect', runAt: at(10), dedupeKey: 'remind:7', payload: { n: 1 } },
      clock.now(),
    );
    const second = await enqueueJob(
      db,
      { workspaceId: ws, type: 'effect', runAt: at(30), dedupeKey: 'remind:7', payload: { n: 2 } },
      clock.now(),
    );
    assert.equal(second, first);
    const jobs = await findJobs(db, ws, { dedupeKey: 'remind:7' });
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.runAt.toISOString(), at(30).toISOString());
    assert.deepEqual(jobs[0]!.payload, { n: 2 });

    // Another key, or the same key once the job has run, is a job of its own.
    await enqueueJob(
      db,
      { workspaceId: ws, type: 'effect', runAt: at(5), dedupeKey: 'remind:8' },
      clock.now(),
    );
    const w = worker(clock, { effect: recordEffect });
    clock.advance(31 * MINUTE);
    assert.equal(await w.drain(), 2);
    await enqueueJob(
      db,
      { workspaceId: ws, type: 'effect', runAt: at(1), dedupeKey: 'remind:7' },
      clock.now(),
    );
    assert.equal((await findJobs(db, ws, { dedupeKey: 'remind:7' })).length, 2);
  });

  test('a queued job can be rescheduled and cancelled', async () => {
    const ws = await newWorkspace();
    const clock = fakeClock(T0);
    const at = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE);
    const id = await enqueueJob(
      db,
      { workspaceId: ws, type: 'effect', runAt: at(10), dedupeKey: 'sla:1' },
      clock.now(),
    );
    assert.equal(await rescheduleJob(db, ws, 'sla:1', at(60), clock.now()), true);
    assert.equal(await rescheduleJob(db, ws, 'no-such-key', at(60), clock.now()), false);
    const w = worker(clock, { effect: recordEffect });
    clock.advance(30 * MINUTE);
    assert.equal(await w.drain(), 0, 'moved to t+60 min, not due at t+30 min');
    assert.equal(await cancelJob(db, ws, 'sla:1', clock.now()), 1);
    assert.equal(await cancelJob(db, ws, 'sla:1', clock.now()), 0, 'nothing queued is left to cancel');
    clock.advance(2 * 60 * MINUTE);
    assert.equal(await w.drain(), 0);
    assert.equal(await effects(ws), 0);
    assert.equal((await job(ws, id!)).status, 'cancelled');
    assert.equal(await rescheduleJob(db, ws, 'sla:1', at(5), clock.now()), false, 'a cancelled job stays so');
  });

  test('a failing handler is retried with backoff and finally fails with its last error recorded', async () => {
    const ws = await newWorkspace();
    const clock = fakeClock(T0);
    let calls = 0;
    const failures: number[] = [];
    const w = worker(
      clock,
      {
        flaky: {
          kind: 'external',
          async run() {
            calls++;
            throw new Error(`mail server said no (${calls})`);
          },
        },
      },
      { onFailure: (j) => failures.push(j.attempts) },
    );
    const id = (await enqueueJob(
      db,
      { workspaceId: ws, type: 'flaky', runAt: clock.now(), maxAttempts: 3 },
      clock.now(),
    ))!;

    assert.equal(await w.drain(), 1);
    let row = await job(ws, id);
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 1);
    assert.equal(row.lastError, 'Error: mail server said no (1)');
    assert.equal(row.runAt.getTime(), clock.now().getTime() + backoffMs(1));
    assert.equal(row.lockedBy, null);

    assert.equal(await w.drain(), 0, 'not again before the backoff has passed');
    clock.advance(backoffMs(1));
    assert.equal(await w.drain(), 1);
    row = await job(ws, id);
    assert.equal(row.attempts, 2);
    assert.ok(backoffMs(2) > backoffMs(1), 'the backoff grows');
    assert.equal(row.runAt.getTime(), clock.now().getTime() + backoffMs(2));

    clock.advance(backoffMs(2));
    assert.equal(await w.drain(), 1);
    row = await job(ws, id);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 3);
    assert.equal(row.lastError, 'Error: mail server said no (3)');
    assert.equal(row.finishedAt?.toISOString(), clock.now().toISOString());
    assert.deepEqual(failures, [1, 2, 3]);
    assert.deepEqual(w.stats, { succeeded: 0, failed: 1, retried: 2 });

    clock.advance(24 * 60 * MINUTE);
    assert.equal(await w.drain(), 0, 'a failed job is never picked up again');
    assert.equal(calls, 3);
  });

  test('a db handler that fails after writing leaves nothing behind; its retry applies the effect once', async () => {
    const ws = await newWorkspace();
    const clock = fakeClock(T0);
    let calls = 0;
    const w = worker(clock, {
      effect: {
        kind: 'db',
        async run(tx, j, ctx) {
          await recordEffect.run(tx, j, ctx);
          if (++calls === 1) throw new Error('crashed half-way');
        },
      },
    });
    const id = (await enqueueJob(db, { workspaceId: ws, type: 'effect', runAt: clock.now() }, clock.now()))!;
    await w.drain();
    assert.equal(await effects(ws, id), 0, 'the half-done work was rolled back with the job');
    assert.equal((await job(ws, id)).status, 'queued');
    clock.advance(backoffMs(1));
    await w.drain();
    assert.equal(await effects(ws, id), 1);
    assert.equal((await job(ws, id)).status, 'done');
  });

  test("a job re-run after a crash applies its db effect once; the first worker's late completion does nothing", async () => {
    const ws = await newWorkspace();
    const clock = fakeClock(T0);
    const held = gate();
    const entered = gate();
    const leaseMs = MINUTE;
    // Worker A claims the job and then stalls before its transaction begins (a long GC pause, a frozen VM,
    // a process that died): it holds the claim but no database lock. As far as the queue knows, A crashed.
    const stalling = new Proxy(db, {
      get(target, prop) {
        if (prop === 'transaction') {
          return async (...args: Parameters<Db['transaction']>) => {
            entered.open();
            await held.opened;
            return target.transaction(...args);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const a = worker(clock, { effect: recordEffect }, { db: stalling, leaseMs });
    const b = worker(clock, { effect: recordEffect }, { leaseMs });
    const id = (await enqueueJob(db, { workspaceId: ws, type: 'effect', runAt: clock.now() }, clock.now()))!;
    const aDone = a.drain();
    await entered.opened;
    const claimed = await job(ws, id);
    assert.equal(claimed.status, 'running', 'A holds the claim');
    assert.equal(claimed.lockedUntil?.getTime(), clock.now().getTime() + leaseMs);

    assert.equal(await b.drain(), 0, 'while the lease holds, nobody else takes the job');
    clock.advance(leaseMs);
    assert.equal(await b.drain(), 1, 'after the lease, another worker claims and completes it');
    assert.equal(await effects(ws, id), 1);

    held.open(); // A wakes up late and goes on with its stale claim.
    await aDone;
    assert.equal(await effects(ws, id), 1, 'exactly once');
    const row = await job(ws, id);
    assert.equal(row.status, 'done');
    assert.equal(row.attempts, 2);
    assert.equal(row.lastError, null);
    assert.deepEqual(a.stats, { succeeded: 0, failed: 0, retried: 0 }, 'A lost its lease quietly');
    assert.equal(b.stats.succeeded, 1);
  });

  test('releaseInterruptedJobs makes a job left running by a crashed process due again at once', async () => {
    const ws = await newWorkspace();
    const clock = fakeClock(T0);
    const id = (await enqueueJob(db, { workspaceId: ws, type: 'effect', runAt: clock.now() }, clock.now()))!;
    // What a process that crashed while running it leaves behind: claimed, with a lease far ahead.
    await db.execute(sql`
      update jobs set status = 'running', attempts = 1, locked_by = 'crashed-process',
        locked_until = ${new Date(clock.now().getTime() + 5 * MINUTE).toISOString()}
      where workspace_id = ${ws} and id = ${id}`);
    const w = worker(clock, { effect: recordEffect });
    assert.equal(await w.drain(), 0, 'its lease still holds');
    assert.ok((await releaseInterruptedJobs(db, clock.now())) >= 1);
    const released = await job(ws, id);
    assert.equal(released.status, 'queued');
    assert.equal(released.lockedBy, null);
    assert.ok((await w.drain()) >= 1);
    assert.equal(await effects(ws, id), 1);
    assert.equal((await job(ws, id)).attempts, 2);
  });

  test('with the real clock, a due job starts within one poll interval', async () => {
    const ws = await newWorkspace();
    const pollMs = 250;
    let startedAt: number | undefined;
    const ran = gate();
    const w = worker(
      systemClock,
      {
        timed: {
          kind: 'external',
          async run() {
            startedAt = Date.now();
            ran.open();
          },
        },
      },
      { pollMs },
    );
    w.start();
    await sleep(50); // the worker is idle, polling
    const runAt = Date.now() + 300;
    await enqueueJob(db, { workspaceId: ws, type: 'timed', runAt: new Date(runAt) }, new Date());
    await Promise.race([ran.opened, sleep(5_000)]);
    await w.stop();
    assert.ok(startedAt, 'the job ran');
    const lateness = startedAt - runAt;
    assert.ok(lateness >= 0, `not before it is due (${lateness} ms)`);
    // One poll interval plus generous slack for a busy 2-core machine; never tighter than about a second.
    assert.ok(lateness < 1_000, `started ${lateness} ms after it was due`);
  });

  test('a slot that frees is filled at once: quick jobs run past a slow one without waiting for it', async () => {
    const ws = await newWorkspace();
    const slowRelease = gate();
    const quickDone: number[] = [];
    const allQuick = gate();
    const w = createWorker({
      db,
      clock: systemClock,
      log,
      pollMs: 10_000, // polling does not fill the slots here: a job finishing does
      batchSize: 2,
      handlers: {
        slow: { kind: 'external', run: () => slowRelease.opened },
        quick: {
          kind: 'external',
          async run(job) {
            quickDone.push(job.id);
            if (quickDone.length === 4) allQuick.open();
          },
        },
      },
    });
    workers.push(w);
    const now = new Date();
    await enqueueJob(db, { workspaceId: ws, type: 'slow', runAt: new Date(now.getTime() - 1000) }, now);
    for (let i = 0; i < 4; i++) await enqueueJob(db, { workspaceId: ws, type: 'quick', runAt: now }, now);
    w.start();
    // With a batch that waits for its slowest job, only one quick job would run until the slow one ends.
    const finished = await Promise.race([allQuick.opened.then(() => true), sleep(5_000).then(() => false)]);
    slowRelease.open();
    await w.stop();
    assert.equal(finished, true, `quick jobs done while the slow one ran: ${quickDone.length} of 4`);
  });

  test('drain on a started worker waits for the job its own loop has already claimed', async () => {
    const ws = await newWorkspace();
    const started = gate();
    const release = gate();
    let finished = false;
    const w = worker(systemClock, {
      slow: {
        kind: 'external',
        async run() {
          started.open();
          await release.opened;
          finished = true;
        },
      },
    });
    await enqueueJob(db, { workspaceId: ws, type: 'slow', runAt: new Date() }, new Date());
    w.start();
    await started.opened; // the loop has it: drain itself finds nothing to claim
    const drained = w.drain().then(() => finished);
    await sleep(50);
    release.open();
    assert.equal(await drained, true, 'drain returned while the claimed job still ran');
    await w.stop();
  });

  test('a failure while recording a failure is logged, and the worker goes on with the next job', async () => {
    const ws = await newWorkspace();
    const ran = gate();
    const w = worker(
      systemClock,
      {
        broken: { kind: 'external', run: () => Promise.reject(new Error('the handler failed')) },
        next: { kind: 'external', run: async () => ran.open() },
      },
      {
        onFailure: () => {
          throw new Error('and so did recording it');
        },
      },
    );
    const now = new Date();
    await enqueueJob(db, { workspaceId: ws, type: 'broken', runAt: now, maxAttempts: 1 }, now);
    w.start();
    await sleep(300);
    await enqueueJob(db, { workspaceId: ws, type: 'next', runAt: new Date() }, new Date());
    const went = await Promise.race([ran.opened.then(() => true), sleep(5_000).then(() => false)]);
    await w.stop();
    assert.equal(went, true, 'the next job ran');
  });

  test('two workers on two pools share one queue: 200 jobs, each runs exactly once', pgOnly, async () => {
    const ws = await newWorkspace();
    // A day before the other tests' jobs: only these 200 are due.
    const clock = fakeClock('2026-03-01T09:00:00Z');
    const url = database.pool!.options.connectionString!;
    const second = await openPostgres(url, 4);
    after(() => second.close());
    const slowEffect: JobHandler = {
      kind: 'db',
      async run(tx, j, ctx) {
        await recordEffect.run(tx, j, ctx);
        await sleep(2); // long enough that neither worker can take the whole queue alone
      },
    };
    const one = worker(clock, { effect: slowEffect });
    const two = worker(clock, { effect: slowEffect }, { db: second.db });
    const values = Array.from({ length: 200 }, (_, i) => ({
      workspaceId: ws,
      type: 'effect',
      runAt: new Date(clock.now().getTime() - i),
      createdAt: clock.now(),
      updatedAt: clock.now(),
    }));
    await db.insert(schema.jobs).values(values);
    one.start();
    two.start();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await db
        .select({ n: count() })
        .from(schema.jobs)
        .where(and(eq(schema.jobs.workspaceId, ws), eq(schema.jobs.status, 'done')));
      if (row!.n === 200 || Date.now() > deadline) break;
      await sleep(50);
    }
    await one.stop();
    await two.stop();
    const [effect] = await db
      .select({ n: count(), jobs: countDistinct(schema.events.entityId) })
      .from(schema.events)
      .where(and(eq(schema.events.workspaceId, ws), eq(schema.events.type, 'test.effect')));
    assert.deepEqual(effect, { n: 200, jobs: 200 }, 'every job ran, none twice');
    const jobs = await findJobs(db, ws);
    assert.ok(jobs.every((j) => j.status === 'done' && j.attempts === 1));
    assert.equal(one.stats.succeeded + two.stats.succeeded, 200);
    assert.ok(
      one.stats.succeeded > 0 && two.stats.succeeded > 0,
      `both took part: ${one.stats.succeeded} + ${two.stats.succeeded}`,
    );
  });
});

test('a job interrupted during its last attempt is marked failed, not retried for ever', async () => {
  const ws = await newWorkspace();
  const clock = fakeClock(T0);
  await enqueueJob(
    db,
    { workspaceId: ws, type: 'test.last', runAt: new Date(T0), maxAttempts: 1 },
    clock.now(),
  );
  // Claimed, then the process "dies": the handler never returns within the lease.
  const stuck = worker(
    clock,
    { 'test.last': { kind: 'external', run: () => new Promise<void>(() => {}) } },
    { leaseMs: MINUTE },
  );
  void stuck.drain();
  await sleep(100);
  clock.advance(2 * MINUTE);
  const next = worker(clock, { 'test.last': recordEffect }, { leaseMs: MINUTE });
  assert.equal(await next.drain(), 0);
  const [job] = await findJobs(db, ws, { type: 'test.last' });
  assert.equal(job?.status, 'failed');
  assert.match(job?.lastError ?? '', /last attempt/);
});

test('a job queued while another with the same key runs is kept, and a failing older run yields to it', async () => {
  const ws = await newWorkspace();
  const clock = fakeClock(T0);
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let runs = 0;
  const slowFailing: JobHandler = {
    kind: 'external',
    async run() {
      runs++;
      if (runs === 1) {
        await gate;
        throw new Error('the first run fails');
      }
    },
  };
  const key = { workspaceId: ws, type: 'test.key', dedupeKey: 'k1', runAt: new Date(T0) };
  await enqueueJob(db, key, clock.now());
  const w = worker(clock, { 'test.key': slowFailing });
  const first = w.drain();
  await sleep(50);
  // While the first runs, a change queues the same key again: it must not be swallowed.
  assert.ok(await enqueueJob(db, { ...key, payload: { v: 2 } }, clock.now()));
  release();
  await first;
  const jobs = await findJobs(db, ws, { type: 'test.key' });
  assert.deepEqual(jobs.map((j) => j.status).sort(), ['cancelled', 'done']);
  assert.equal(runs, 2);
});

test('a long job that keeps itself alive keeps its lease; one whose lease ran out is told it lost the job', async () => {
  const ws = await newWorkspace();
  const clock = fakeClock(T0);
  const other = worker(clock, { 'test.long': recordEffect }, { leaseMs: MINUTE });
  const alive: boolean[] = [];
  const takenByOther: number[] = [];
  const long: JobHandler = {
    kind: 'external',
    async run(_job, ctx) {
      // Four minutes of work under a one-minute lease, renewed as it goes.
      for (let i = 0; i < 8; i++) {
        clock.advance(MINUTE / 2);
        alive.push(await ctx.keepAlive());
        takenByOther.push(await other.drain());
      }
    },
  };
  const id = (await enqueueJob(
    db,
    { workspaceId: ws, type: 'test.long', runAt: clock.now(), maxAttempts: 1 },
    clock.now(),
  ))!;
  const w = worker(clock, { 'test.long': long }, { leaseMs: MINUTE });
  assert.equal(await w.drain(), 1);
  assert.deepEqual(alive, Array(8).fill(true));
  assert.deepEqual(takenByOther, Array(8).fill(0), 'nobody else took it, nor marked it failed');
  assert.equal((await job(ws, id)).status, 'done');

  // Without renewing, the lease runs out: the last attempt is marked failed and the job learns it.
  const told: boolean[] = [];
  const idle: JobHandler = {
    kind: 'external',
    async run(_job, ctx) {
      clock.advance(2 * MINUTE);
      await other.drain();
      told.push(await ctx.keepAlive());
    },
  };
  const id2 = (await enqueueJob(
    db,
    { workspaceId: ws, type: 'test.idle', runAt: clock.now(), maxAttempts: 1 },
    clock.now(),
  ))!;
  await worker(clock, { 'test.idle': idle }, { leaseMs: MINUTE }).drain();
  assert.deepEqual(told, [false]);
  assert.equal((await job(ws, id2)).status, 'failed');
});
