/**
 * npm run bench [-- --db pg|pglite|both] [--scale N] [--only NAME[,NAME]] …
 * Starts Steward on each database (filled from a cache), drives it over HTTP and writes bench/RESULTS.md.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchmarks, type Figure, type Skipped } from './benchmarks.js';
import { type DbKind, type Prepared, preparePglite, preparePostgres } from './cache.js';
import { cpuMeter } from './cpu.js';
import { measureDemoStart } from './demo-start.js';
import { client } from './http.js';
import { fmt, machine, record, recordDemo, recordWeb } from './results.js';
import { ownBenchmarks, prepareSlaDatabase, SLA_SCALE } from './sla.js';
import { startStewardChild } from './steward.js';
import { measureWebBundle } from './web-bundle.js';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    scale: { type: 'string' },
    'pg-scale': { type: 'string' },
    'pglite-scale': { type: 'string' },
    only: { type: 'string' },
    'sla-scale': { type: 'string' },
    seed: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200' },
    'intake-seconds': { type: 'string', default: '10' },
    'demo-window': { type: 'string', default: '240' },
    'database-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    fresh: { type: 'boolean', default: false },
    'prepare-only': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  process.stdout.write(`npm run bench -- [options]
  --db pg|pglite|both      databases to measure (default both)
  --scale N                conversations, for both databases (default: PostgreSQL 1,000,000, PGlite 100,000)
  --pg-scale N, --pglite-scale N
  --only NAME[,NAME]       ${Object.keys(benchmarks).join(' | ')} | web (the web app's initial JS, gzip)
                           | ${Object.keys(ownBenchmarks).join(' | ')} (background work, on a database of
                           their own with workers on; PostgreSQL only)
                           | demo-start (the first minutes of npm run demo, PGlite)
  --sla-scale N            conversations in progress for sla-recompute (default 100,000)
  --seed S                 generator seed (default 1)
  --repeats N              measured rounds per figure (default 3)
  --requests N             requests per latency round (default 200)
  --intake-seconds N       length of an intake round (default 10)
  --demo-window N          seconds of inbox requests after the demo listens (default 240)
  --database-url URL       PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
  --fresh                  rebuild the cached database
  --prepare-only           build (or find) the cached database and stop: measure later on a quiet machine
`);
  process.exit(0);
}

const int = (name: string, v: string | undefined, fallback: number) => {
  if (v === undefined) return fallback;
  const n = Number(v.replaceAll('_', ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
  return n;
};

const dbs: DbKind[] = args.db === 'both' ? ['pg', 'pglite'] : [args.db as DbKind];
if (!dbs.every((d) => d === 'pg' || d === 'pglite')) throw new Error('--db must be pg, pglite or both');
const scales: Record<DbKind, number> = {
  pg: int('pg-scale', args['pg-scale'] ?? args.scale, 1_000_000),
  pglite: int('pglite-scale', args['pglite-scale'] ?? args.scale, 100_000),
};
const known = [...Object.keys(benchmarks), ...Object.keys(ownBenchmarks), 'web', 'demo-start'];
const selected = args.only ? args.only.split(',').map((s) => s.trim()) : known;
for (const name of selected)
  if (!known.includes(name)) throw new Error(`unknown benchmark ${name}; known: ${known.join(', ')}`);
const seed = int('seed', args.seed, 1);
const slaScale = int('sla-scale', args['sla-scale'], SLA_SCALE);
const options = {
  repeats: int('repeats', args.repeats, 3),
  requests: int('requests', args.requests, 200),
  intakeSeconds: int('intake-seconds', args['intake-seconds'], 10),
};

function pgliteVersion(): string {
  const file = fileURLToPath(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

async function measure(db: DbKind): Promise<void> {
  const scale = scales[db];
  say(`${db}: ${scale.toLocaleString('en')} conversations`);
  const prepared: Prepared =
    db === 'pg'
      ? await preparePostgres(args['database-url']!, seed, scale, args.fresh!)
      : await preparePglite(seed, scale, args.fresh!);
  if (args['prepare-only']) {
    await prepared.dispose();
    say(`${db}: cached database ready (${prepared.meta.key})`);
    return;
  }
  const figures: Record<string, Figure> = {};
  const skipped: Skipped[] = [];
  try {
    const started = performance.now();
    const steward = await startStewardChild(prepared.env);
    say(
      `Steward pid ${steward.pid} listening on ${steward.url} after ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const http = client(steward.url);
    const meter = cpuMeter(steward.pid, prepared.runDatabase);
    try {
      for (const name of Object.keys(benchmarks).filter((n) => selected.includes(n))) {
        say(`${db}: ${name}…`);
        const out = await benchmarks[name]!({
          db,
          meta: prepared.meta,
          url: steward.url,
          smtpPort: steward.smtpPort,
          client: http,
          databaseUrl: prepared.env.DATABASE_URL,
          startCpu: meter.start,
          ...options,
        });
        for (const f of out.figures) {
          figures[f.id] = f;
          say(`  ${f.label}: ${fmt(f.value, f.unit)}`);
        }
        for (const s of out.skipped ?? []) {
          skipped.push(s);
          say(`  skipped: ${s.reason}`);
        }
      }
    } finally {
      http.close();
      await steward.stop();
    }
  } finally {
    await prepared.dispose();
  }
  record({
    db,
    scale,
    runAt: new Date().toISOString(),
    machine: machine(
      db === 'pglite'
        ? `PGlite ${pgliteVersion()} (${prepared.meta.databaseVersion})`
        : prepared.meta.databaseVersion,
    ),
    data: {
      seed,
      generatorVersion: prepared.meta.generatorVersion,
      key: prepared.meta.key,
      counts: prepared.meta.counts,
    },
    figures,
    skipped,
  });
  say(`${db}: written to bench/RESULTS.md`);
}

if (selected.includes('web') && !args['prepare-only']) {
  const web = await measureWebBundle();
  say(
    `web: initial JS ${(web.initialJsGzipBytes / 1024).toFixed(1)} KB gzip (target < ${web.targetGzipBytes / 1024} KB)`,
  );
  recordWeb(web);
}
if (selected.includes('demo-start') && !args['prepare-only']) {
  const demo = await measureDemoStart(options.repeats, int('demo-window', args['demo-window'], 240), say);
  say(
    `demo-start: first answer ${demo.median.firstAnswerSeconds.toFixed(1)} s after listening; inbox during the backfill p95 ${demo.median.duringP95?.toFixed(0) ?? '—'} ms`,
  );
  recordDemo(demo);
}
/**
 * The benchmarks of background work: a database of their own, filled for them (no cache), and Steward with
 * its workers on. PostgreSQL only: they watch the job table from this process, which PGlite's one-process
 * data dir does not allow.
 */
async function measureOwn(db: DbKind): Promise<void> {
  const names = Object.keys(ownBenchmarks).filter((n) => selected.includes(n));
  if (db !== 'pg') {
    say(
      `${db}: ${names.join(', ')} skipped (PostgreSQL only: they watch the job table from the bench process)`,
    );
    return;
  }
  const sla = await prepareSlaDatabase(args['database-url']!, slaScale);
  const figures: Record<string, Figure> = {};
  try {
    const steward = await startStewardChild({ DATABASE_URL: sla.url, STEWARD_WORKERS: 'on' });
    say(`Steward pid ${steward.pid} (workers on) listening on ${steward.url}`);
    const http = client(steward.url);
    const meter = cpuMeter(steward.pid, sla.name);
    try {
      for (const name of names) {
        say(`${db}: ${name}…`);
        const out = await ownBenchmarks[name]!({
          sla,
          client: http,
          startCpu: meter.start,
          repeats: options.repeats,
          requests: options.requests,
        });
        for (const f of out) {
          figures[f.id] = f;
          say(`  ${f.label}: ${fmt(f.value, f.unit)}`);
        }
      }
    } finally {
      http.close();
      await steward.stop();
    }
  } finally {
    await sla.dispose();
  }
  const c = sla.counts;
  record({
    db,
    scale: slaScale,
    own: {
      key: slaScale === SLA_SCALE ? 'background' : `background-${slaScale}`,
      title: 'background work (SLA recompute, jobs)',
    },
    runAt: new Date().toISOString(),
    machine: machine(sla.databaseVersion),
    data: {
      seed: 0,
      generatorVersion: 0,
      key: 'background',
      counts: c,
      description:
        `a database of its own, filled in SQL in ${sla.seedSeconds.toFixed(0)} s: ${(c.conversations ?? 0).toLocaleString('en')} conversations in progress ` +
        `(40% new, 30% open, 20% pending, 10% on hold, created within the last hour), ${(c.customers ?? 0).toLocaleString('en')} customers, ` +
        `${(c.events ?? 0).toLocaleString('en')} events (their histories), one SLA policy in business time (first and next response 4 h, ` +
        'resolution 24 h) on the default calendar (Monday to Friday, 09-17 or 08-18 UTC); Steward with its workers on.',
    },
    figures,
    skipped: [],
  });
  say(`${db}: written to bench/RESULTS.md`);
}

const cached = selected.filter((name) => benchmarks[name]);
const own = selected.filter((name) => ownBenchmarks[name]);
for (const db of dbs) {
  if (cached.length) await measure(db);
  if (own.length && !args['prepare-only']) await measureOwn(db);
}
