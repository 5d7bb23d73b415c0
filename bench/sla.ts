/**
 * Benchmarks of background work, on a database of their own (not the generator's cache): the SLA recompute
 * of every conversation in progress after a change of business hours, and the job worker's rate. Steward runs
 * with its workers on; this process watches the job table directly (PostgreSQL only).
 */
import pg from 'pg';
import { startSteward } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/index.js';
import { createLogger } from '../src/logger.js';
import type { Figure, Target } from './benchmarks.js';
import { adminQuery, BENCH_TOKEN, dbUrl } from './cache.js';
import type { CpuSplit } from './cpu.js';
import { type Client, median, percentile } from './http.js';

/** Conversations in progress for the recompute benchmark (the figure). */
export const SLA_SCALE = 100_000;
const CUSTOMERS = 20_000;
/** Due jobs per round of the jobs benchmark. */
const JOBS_PER_ROUND = 10_000;
/** The inbox request made over and over while the recompute runs, and without it. */
const INBOX = '/api/v1/conversations?status=new,open&limit=50';

/** Two weeks the calendar switches between: every running deadline moves with each switch. */
const weekA = (() => {
  const day = [{ start: '09:00', end: '17:00' }];
  return { 1: day, 2: day, 3: day, 4: day, 5: day };
})();
const weekB = (() => {
  const day = [{ start: '08:00', end: '18:00' }];
  return { 1: day, 2: day, 3: day, 4: day, 5: day };
})();

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type SlaDatabase = {
  url: string;
  name: string;
  workspaceId: number;
  calendarId: number;
  inProgress: number;
  seedSeconds: number;
  databaseVersion: string;
  counts: Record<string, number>;
  dispose(): Promise<void>;
};

/**
 * A fresh database (`steward_bench_sla_<pid>`): migrated and bootstrapped by Steward's own start, then filled
 * set-based in SQL (seconds, not the generator's hours): a default calendar (Monday to Friday, 09-17 UTC), one
 * SLA policy in business time (first and next response 4 h, resolution 24 h, on hold pauses), 20,000 customers
 * and 100,000 conversations in progress created within the last hour, each with the history its clocks are
 * computed from (created, the customer's message; for 60% a reply and a status change: open with a new
 * customer message, pending or on hold). No clock exists yet: the warm-up recompute makes them.
 */
export async function prepareSlaDatabase(base: string, scale = SLA_SCALE): Promise<SlaDatabase> {
  const started = performance.now();
  const stale = await adminQuery(
    base,
    `select datname from pg_database where datname like 'steward_bench_sla_%'`,
  );
  for (const { datname } of stale.rows as Array<{ datname: string }>)
    if (!alive(Number(datname.slice('steward_bench_sla_'.length))))
      await adminQuery(base, `drop database if exists "${datname}" with (force)`);
  const name = `steward_bench_sla_${process.pid}`;
  await adminQuery(base, `drop database if exists "${name}" with (force)`);
  await adminQuery(base, `create database "${name}"`);
  const url = dbUrl(base, name);
  const database = await openPostgres(url, 2);
  let workspaceId: number;
  try {
    const config = loadConfig({
      DATABASE_URL: 'postgres://unused/unused',
      STEWARD_BOOTSTRAP_TOKEN: BENCH_TOKEN,
      STEWARD_WORKERS: 'off',
      STEWARD_SMTP_PORT: 'off',
      LOG_LEVEL: 'warn',
    });
    const steward = await startSteward(config, createLogger('warn'), { listen: false, database });
    workspaceId = steward.firstStart.workspace!.id;
    await steward.stop();
  } finally {
    await database.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ws = workspaceId;
    const cal = await client.query(
      `insert into calendars (workspace_id, name, time_zone, week, holidays, is_default, created_at, updated_at)
       values ($1, 'Office hours', 'UTC', $2, '[]', true, now(), now()) returning id`,
      [ws, JSON.stringify(weekA)],
    );
    const calendarId = Number(cal.rows[0].id);
    await client.query(
      `insert into sla_policies (workspace_id, name, position, conditions, first_response_minutes,
         next_response_minutes, resolution_minutes, business_hours, pause_on_hold, warn_percent, breach_actions,
         created_at, updated_at)
       values ($1, 'Standard', 0, '{}', 240, 240, 1440, true, true, 75, '{}', now(), now())`,
      [ws],
    );
    await client.query(
      `insert into customers (workspace_id, name, created_at, updated_at)
       select $1, 'Bench customer ' || g, now(), now() from generate_series(1, $2::int) g`,
      [ws, CUSTOMERS],
    );
    // 40% new, 30% open (replied, then the customer wrote again), 20% pending, 10% on hold.
    await client.query(
      `create temporary table seed as
       select g as n,
         case when g % 10 < 4 then 'new' when g % 10 < 7 then 'open' when g % 10 < 9 then 'pending'
           else 'on_hold' end as status,
         date_trunc('second', now()) - interval '4 minutes' - ((g * 7919) % 3000) * interval '1 second' as created
       from generate_series(1, $1::int) g`,
      [scale],
    );
    await client.query(
      `with first_customer as (select min(id) as id from customers where workspace_id = $1),
       ins as (
         insert into conversations (workspace_id, subject, status, priority, channel, customer_id, created_at,
           updated_at, first_inbound_at, first_response_at, last_inbound_at, last_outbound_at, message_count,
           last_message_preview)
         select $1, 'Bench conversation ' || s.n, s.status, 'normal', 'email', f.id + s.n % $2::int, s.created,
           s.created + case s.status when 'new' then interval '0' when 'open' then interval '3 minutes'
             else interval '2 minutes' end,
           s.created,
           case when s.status <> 'new' then s.created + interval '2 minutes' end,
           s.created + case when s.status = 'open' then interval '3 minutes' else interval '0' end,
           case when s.status <> 'new' then s.created + interval '2 minutes' end,
           case s.status when 'new' then 1 when 'open' then 3 else 2 end,
           'My card payment was declined'
         from seed s, first_customer f
         order by s.n
         returning id, status, created_at
       )
       insert into events (workspace_id, type, entity_type, entity_id, actor_type, data, created_at)
       select $1, e.type, 'conversation', ins.id, 'system', e.data::jsonb, ins.created_at + e.after_minutes * interval '1 minute'
       from ins cross join lateral (values
         ('conversation.created', '{"after":{"status":"new"}}', 0, true),
         ('message.received', '{}', 0, true),
         ('message.sent', '{}', 2, ins.status <> 'new'),
         ('conversation.status_changed', '{"before":{"status":"new"},"after":{"status":"' || ins.status || '"}}', 2,
           ins.status <> 'new'),
         ('message.received', '{}', 3, ins.status = 'open')
       ) as e(type, data, after_minutes, applies)
       where e.applies`,
      [ws, CUSTOMERS],
    );
    await client.query('vacuum analyze');
    const counts: Record<string, number> = {};
    for (const table of ['conversations', 'customers', 'events']) {
      const r = await client.query(`select count(*)::int as n from ${table} where workspace_id = $1`, [ws]);
      counts[table] = Number(r.rows[0].n);
    }
    const version = await client.query('select version() as v');
    const seedSeconds = (performance.now() - started) / 1000;
    log(`SLA database ${name}: ${scale.toLocaleString('en')} conversations in ${seedSeconds.toFixed(1)} s`);
    return {
      url,
      name,
      workspaceId: ws,
      calendarId,
      inProgress: scale,
      seedSeconds,
      databaseVersion: String(version.rows[0].v).split(' on ')[0]!.split(',')[0]!,
      counts,
      dispose: async () => {
        await adminQuery(base, `drop database if exists "${name}" with (force)`);
      },
    };
  } finally {
    await client.end();
  }
}

export type OwnContext = {
  sla: SlaDatabase;
  client: Client;
  startCpu: () => () => CpuSplit;
  repeats: number;
  requests: number;
};

export type OwnBenchmark = (ctx: OwnContext) => Promise<Figure[]>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function ownTarget(id: string): Target | undefined {
  if (id === 'sla-recompute')
    return { op: '<', value: 10, atScale: SLA_SCALE, atText: '100k', text: '< 10 s at 100k' };
  return undefined;
}

/** Requests one after another until `until` resolves; their times in ms. */
async function requestsUntil(client: Client, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const times: number[] = [];
  while (!done) {
    const t = performance.now();
    const res = await client.request('GET', INBOX);
    if (res.status !== 200) throw new Error(`GET ${INBOX}: ${res.status} ${res.body.slice(0, 300)}`);
    times.push(performance.now() - t);
  }
  return times;
}

async function requestsTimed(client: Client, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await client.request('GET', INBOX);
    if (res.status !== 200) throw new Error(`GET ${INBOX}: ${res.status} ${res.body.slice(0, 300)}`);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

type Round = {
  ms: number;
  /** Conversations with a clock rewritten (or running). */
  written: number;
  chunks: number;
  during: number[];
  idle: number[];
  moved: number;
  sampled: number;
};

/**
 * One calendar change and its recompute: from sending the PATCH to the end of the last `sla.recompute` job
 * (its `finished_at`), checked: every conversation in progress has clocks written after the change, and the
 * sampled running deadlines all moved.
 */
async function recomputeRound(
  ctx: OwnContext,
  db: pg.Client,
  week: object,
  idleRequests: number,
): Promise<Round> {
  const { workspaceId: ws, calendarId } = ctx.sla;
  const idle = idleRequests > 0 ? await requestsTimed(ctx.client, idleRequests) : [];
  const sample = await db.query(
    `select conversation_id, target, due_at from sla_clocks
     where workspace_id = $1 and due_at is not null and met_at is null and conversation_id % 997 = 0`,
    [ws],
  );
  const jobsBefore = await db.query(
    'select coalesce(max(id), 0)::bigint as last from jobs where workspace_id = $1',
    [ws],
  );
  const last = (jobsBefore.rows[0] as { last: string }).last;
  const startedAt = new Date();
  const t0 = performance.now();
  const finished = (async () => {
    await ctx.client.json('PATCH', `/api/v1/calendars/${calendarId}`, { week });
    for (;;) {
      const r = await db.query(
        `select count(*)::int as jobs, count(*) filter (where status in ('queued', 'running'))::int as open,
           count(*) filter (where status = 'failed')::int as failed, max(finished_at) as finished
         from jobs where workspace_id = $1 and type = 'sla.recompute' and id > $2`,
        [ws, last],
      );
      const row = r.rows[0] as { jobs: number; open: number; failed: number; finished: Date | null };
      if (row.failed > 0) throw new Error('an sla.recompute job failed');
      if (row.jobs > 0 && row.open === 0) return { finished: row.finished!, chunks: row.jobs };
      await sleep(20);
    }
  })();
  const during = await requestsUntil(ctx.client, finished);
  const { finished: finishedAt, chunks } = await finished;
  const wall = performance.now() - t0;
  const ms = Math.min(wall, finishedAt.getTime() - startedAt.getTime());
  // A clock the change does not move (a paused one) is left as it was; every running one moves.
  const written = await db.query(
    `select count(distinct conversation_id)::int as n,
       count(*) filter (where due_at is not null and met_at is null and updated_at < $2)::int as stale
     from sla_clocks where workspace_id = $1 and (updated_at >= $2 or (due_at is not null and met_at is null))`,
    [ws, startedAt],
  );
  const { n, stale } = written.rows[0] as { n: number; stale: number };
  if (stale > 0) throw new Error(`${stale} running clocks were not rewritten`);
  let moved = 0;
  for (const s of sample.rows as Array<{ conversation_id: string; target: string; due_at: Date }>) {
    const now = await db.query(
      'select due_at from sla_clocks where workspace_id = $1 and conversation_id = $2 and target = $3',
      [ws, s.conversation_id, s.target],
    );
    const due = (now.rows[0] as { due_at: Date | null } | undefined)?.due_at;
    if (due && due.getTime() !== s.due_at.getTime()) moved++;
  }
  if (sample.rows.length > 0 && moved !== sample.rows.length)
    throw new Error(`only ${moved} of ${sample.rows.length} sampled deadlines moved`);
  return {
    ms,
    chunks,
    during: during.sort((a, b) => a - b),
    idle,
    moved,
    sampled: sample.rows.length,
    written: n,
  };
}

export const slaRecompute: OwnBenchmark = async (ctx) => {
  const db = new pg.Client({ connectionString: ctx.sla.url });
  await db.connect();
  try {
    // Warm-up: the first recompute makes every clock and deadline job (inserts, not updates).
    log('  sla-recompute: warm-up (the first recompute creates the clocks)…');
    // It samples nothing (no clock exists yet): only the check that every conversation got its clocks applies.
    const warm = await recomputeRound(ctx, db, weekB, 0);
    log(`  warm-up: ${(warm.ms / 1000).toFixed(1)} s in ${warm.chunks} chunks`);
    // The warm-up grew the job and clock tables from nothing: refresh the planner's statistics, as autovacuum
    // would by now on a server that runs it (the shared one here runs with autovacuum off).
    await db.query('vacuum analyze');
    const rounds: Round[] = [];
    const stop = ctx.startCpu();
    for (let r = 0; r < ctx.repeats; r++) {
      const round = await recomputeRound(ctx, db, r % 2 === 0 ? weekA : weekB, ctx.requests);
      log(
        `  round ${r + 1}: ${(round.ms / 1000).toFixed(2)} s in ${round.chunks} chunks; inbox p95 ${percentile(round.idle, 95).toFixed(1)} ms idle, ${percentile(round.during, 95).toFixed(1)} ms during (${round.during.length} requests)`,
      );
      rounds.push(round);
    }
    const cpu = stop();
    const measuredAt = new Date().toISOString();
    const p = (xs: number[], q: number) => percentile(xs, q);
    const ratio = (q: number) => rounds.map((r) => p(r.during, q) / p(r.idle, q));
    const base = { benchmark: 'sla-recompute', cpu, measuredAt };
    const scale = ctx.sla.inProgress.toLocaleString('en');
    const samples = rounds.map((r) => `${r.moved}/${r.sampled}`).join(', ');
    const figures: Figure[] = [
      {
        ...base,
        id: 'sla-recompute',
        label: `SLA recompute after a calendar change, ${scale} conversations in progress`,
        unit: 's',
        value: median(rounds.map((r) => r.ms / 1000)),
        repeats: rounds.map((r) => r.ms / 1000),
        detail:
          `from the PATCH of the default calendar's week to the end of the last \`sla.recompute\` job; ` +
          `${rounds.map((r) => r.chunks).join(', ')} chunks; every running clock rewritten (conversations with a clock rewritten: ${rounds.map((r) => r.written.toLocaleString('en')).join(', ')}; unchanged clocks are left as they were); sampled running deadlines moved: ${samples}; ` +
          `the first recompute (warm-up, creating every clock) took ${(warm.ms / 1000).toFixed(1)} s`,
        target: ownTarget('sla-recompute'),
      },
    ];
    for (const q of [50, 95] as const) {
      figures.push({
        ...base,
        id: `sla-recompute-inbox-idle-p${q}`,
        label: `inbox while idle p${q}`,
        unit: 'ms',
        value: median(rounds.map((r) => p(r.idle, q))),
        repeats: rounds.map((r) => p(r.idle, q)),
        detail: `\`GET ${INBOX}\`, ${ctx.requests} requests one after another just before each change`,
      });
      figures.push({
        ...base,
        id: `sla-recompute-inbox-during-p${q}`,
        label: `inbox during the recompute p${q}`,
        unit: 'ms',
        value: median(rounds.map((r) => p(r.during, q))),
        repeats: rounds.map((r) => p(r.during, q)),
        detail: `the same request, one after another for as long as the recompute ran (${rounds.map((r) => r.during.length).join(', ')} requests; slowest ${rounds.map((r) => r.during.at(-1)!.toFixed(0)).join(', ')} ms)`,
      });
      figures.push({
        ...base,
        id: `sla-recompute-inbox-ratio-p${q}`,
        label: `inbox during / idle p${q}`,
        unit: 'x',
        value: median(ratio(q)),
        repeats: ratio(q),
      });
    }
    return figures;
  } finally {
    await db.end();
  }
};

/**
 * Due jobs executed per second: `JOBS_PER_ROUND` stale `sla.warning` jobs (their clock moved on, the most
 * common job after a recompute: the handler locks the clock, sees it changed and does nothing) made due at
 * once in one statement; from that commit to the last one's `finished_at`.
 */
export const jobs: OwnBenchmark = async (ctx) => {
  const db = new pg.Client({ connectionString: ctx.sla.url });
  await db.connect();
  const ws = ctx.sla.workspaceId;
  const round = async (n: number) => {
    const started = new Date();
    const inserted = await db.query(
      `insert into jobs (workspace_id, type, payload, run_at, created_at, updated_at)
       select $1, 'sla.warning', jsonb_build_object('conversationId', c.id, 'target', 'resolution',
           'startedAt', '2000-01-01T00:00:00.000Z', 'dueAt', '2000-01-02T00:00:00.000Z'), now(), now(), now()
       from (select id from conversations where workspace_id = $1 order by id limit $2) c
       returning id`,
      [ws, n],
    );
    const ids = (inserted.rows as Array<{ id: string }>).map((r) => Number(r.id));
    const from = Math.min(...ids);
    const to = Math.max(...ids);
    for (;;) {
      const r = await db.query(
        `select count(*) filter (where status in ('queued', 'running'))::int as open,
           count(*) filter (where status = 'failed')::int as failed, max(finished_at) as finished
         from jobs where workspace_id = $1 and id between $2 and $3`,
        [ws, from, to],
      );
      const row = r.rows[0] as { open: number; failed: number; finished: Date | null };
      if (row.failed > 0) throw new Error(`${row.failed} jobs failed`);
      if (row.open === 0) return n / ((row.finished!.getTime() - started.getTime()) / 1000);
      await sleep(20);
    }
  };
  try {
    await round(1000);
    const stop = ctx.startCpu();
    const values: number[] = [];
    for (let r = 0; r < ctx.repeats; r++) {
      values.push(await round(JOBS_PER_ROUND));
      log(`  jobs round ${r + 1}: ${Math.round(values.at(-1)!)}/s`);
    }
    return [
      {
        id: 'jobs-due',
        benchmark: 'jobs',
        label: 'due jobs executed by the worker',
        unit: 'jobs/s',
        value: median(values),
        repeats: values,
        detail: `${JOBS_PER_ROUND.toLocaleString('en')} due jobs per round, made due at once; stale \`sla.warning\` jobs (lock the clock, see it moved on, do nothing); one Steward process, its default worker (up to 4 jobs at once, claimed with SKIP LOCKED, a freed slot filled at once, each job its own transaction)`,
        cpu: stop(),
        measuredAt: new Date().toISOString(),
      },
    ];
  } finally {
    await db.end();
  }
};

export const ownBenchmarks: Record<string, OwnBenchmark> = { 'sla-recompute': slaRecompute, jobs };
