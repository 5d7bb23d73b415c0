import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { startSteward } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { type Database, migrationsFolder, openPglite, openPostgres } from '../src/db/index.js';
import { createLogger } from '../src/logger.js';
import { GENERATOR_VERSION, generateDemoData } from '../src/modules/demo/index.js';

export type DbKind = 'pg' | 'pglite';

/** Bench-only credentials: a fixed token stored (hashed) in every cached database. */
export const BENCH_TOKEN = 'steward-bench-token-0123456789abcdef';

/**
 * "Open conversations" as an agent's inbox means them: everything not yet solved. (The generator closes most
 * of a quarter's conversations, so `open` alone would not give a team 40 pages even at 1M.)
 */
export const INBOX_STATUSES = ['new', 'open', 'pending', 'on_hold'];

export const cacheDir = join(dirname(fileURLToPath(import.meta.url)), '.cache');

/** What the benchmarks need to know about a cached database, picked once when it is built. */
export type CacheMeta = {
  key: string;
  kind: DbKind;
  seed: number;
  scale: number;
  generatorVersion: number;
  generatedAt: string;
  buildSeconds: number;
  databaseVersion: string;
  counts: Record<string, number>;
  workspaceId: number;
  /** The team with the most unsolved conversations, for the inbox benchmark. */
  inboxTeam: { id: number; open: number };
  /** Conversations (not closed) whose message count is closest to 30, for conversation-open; topped up to 30. */
  timelines: Array<{ id: number; messages: number }>;
  search: {
    rare: { q: string; matches: number };
    common: { q: string; matches: number };
  };
};

export type Prepared = {
  meta: CacheMeta;
  /** Environment for the Steward child: its own copy of the cached database. */
  env: Record<string, string>;
  /** A connection string to the run's database (PostgreSQL only), for the CPU attribution. */
  runDatabase?: string;
  dispose(): Promise<void>;
};

/** Migrations are part of the key: a cached database built before a schema change is rebuilt. */
function migrationsHash(): string {
  const journal = readFileSync(join(migrationsFolder, 'meta', '_journal.json'));
  const files = readdirSync(migrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const h = createHash('sha256').update(journal);
  for (const f of files) h.update(readFileSync(join(migrationsFolder, f)));
  return h.digest('hex').slice(0, 8);
}

export function cacheKey(seed: number, scale: number): string {
  return `g${GENERATOR_VERSION}_s${seed}_n${scale}_m${migrationsHash()}`;
}

/** Whether a process lives: a run's copy whose bench process is gone (interrupted) is removed. */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Filling a database: migrate + first workspace + bootstrap token (through Steward's own boot), then the
// generator, then VACUUM ANALYZE (a long-running database is vacuumed; index-only scans need the visibility map).

async function fill(
  database: Database,
  kind: DbKind,
  seed: number,
  scale: number,
  key: string,
): Promise<CacheMeta> {
  const started = performance.now();
  const config = loadConfig({
    ...(kind === 'pg' ? { DATABASE_URL: 'postgres://unused/unused' } : {}),
    STEWARD_BOOTSTRAP_TOKEN: BENCH_TOKEN,
    STEWARD_WORKERS: 'off',
    STEWARD_SMTP_PORT: 'off',
    LOG_LEVEL: 'warn',
  });
  const steward = await startSteward(config, createLogger('warn'), { listen: false, database });
  const workspaceId = steward.firstStart.workspace!.id; // STEWARD_BOOTSTRAP_TOKEN makes it at first start
  await steward.stop();
  const generatedAt = new Date();
  log(`generating ${scale.toLocaleString('en')} conversations (seed ${seed}) into ${kind}…`);
  const generated = await generateDemoData(database, {
    workspaceId,
    seed,
    conversations: scale,
    now: generatedAt,
    quiet: false,
  });
  log(`generated in ${generated.seconds.toFixed(0)} s: ${JSON.stringify(generated.counts)}`);
  await exec(database, 'vacuum analyze');
  const picks = await pickTargets(database, workspaceId);
  const [version] = await exec<{ v: string }>(database, 'select version() as v');
  return {
    databaseVersion: String(version?.v ?? '')
      .split(' on ')[0]!
      .split(',')[0]!,
    key,
    kind,
    seed,
    scale,
    generatorVersion: generated.generatorVersion,
    generatedAt: generatedAt.toISOString(),
    buildSeconds: Math.round((performance.now() - started) / 1000),
    counts: generated.counts,
    workspaceId,
    ...picks,
  };
}

async function exec<T = Record<string, unknown>>(database: Database, text: string): Promise<T[]> {
  const result = (await database.db.execute(sql.raw(text))) as unknown as { rows: T[] };
  return result.rows;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function pickTargets(
  database: Database,
  w: number,
): Promise<Pick<CacheMeta, 'inboxTeam' | 'timelines' | 'search'>> {
  const [team] = await exec<{ id: number; n: number }>(
    database,
    `select team_id as id, count(*)::int as n from conversations
      where workspace_id = ${w} and status in (${INBOX_STATUSES.map(quote).join(',')}) and team_id is not null
      group by team_id order by n desc, team_id limit 1`,
  );
  const timelines = await exec<{ id: number; messages: number }>(
    database,
    `select id, message_count as messages from conversations where workspace_id = ${w} and status <> 'closed'
      order by abs(message_count - 30), message_count desc, id limit 10`,
  );
  return {
    inboxTeam: { id: Number(team?.id ?? 0), open: Number(team?.n ?? 0) },
    timelines: timelines.map((t) => ({ id: Number(t.id), messages: Number(t.messages) })),
    search: await pickSearchTerms(database, w),
  };
}

/**
 * Two-word queries made of real words from the messages: a common one (the two most frequent words that
 * occur together) and a rare one (two words of one message that each occur in only a few messages).
 */
async function pickSearchTerms(database: Database, w: number): Promise<CacheMeta['search']> {
  const [size] = await exec<{ n: number }>(
    database,
    `select count(*)::int as n from messages where workspace_id = ${w}`,
  );
  const total = Number(size?.n ?? 0);
  const sample = Math.min(100, Math.max(0.5, (40_000 / Math.max(1, total)) * 100));
  const rows = await exec<{ body: string }>(
    database,
    `select body_text as body from messages tablesample system (${sample}) repeatable (1)
      where workspace_id = ${w} and direction = 'inbound'`,
  );
  const docs = rows.map((r) => [...new Set(r.body.toLowerCase().match(/[a-z]{3,}/g) ?? [])]);
  const words = [...new Set(docs.flat())];
  const lexemeOf = new Map<string, string>();
  for (let i = 0; i < words.length; i += 5000) {
    const chunk = words.slice(i, i + 5000);
    const mapped = await exec<{ w: string; v: string }>(
      database,
      `select w, to_tsvector('english', w)::text as v from unnest(array[${chunk.map(quote).join(',')}]::text[]) as w`,
    );
    for (const m of mapped) {
      const lexeme = /^'([^']+)'/.exec(m.v)?.[1];
      if (lexeme) lexemeOf.set(m.w, lexeme);
    }
  }
  // Document frequency per lexeme in the sample, and the lexemes of each sampled message.
  const df = new Map<string, number>();
  const docLexemes = docs.map((d) => {
    const set = new Map<string, string>();
    for (const word of d) {
      const lexeme = lexemeOf.get(word);
      if (lexeme && !set.has(lexeme)) set.set(lexeme, word);
    }
    for (const lexeme of set.keys()) df.set(lexeme, (df.get(lexeme) ?? 0) + 1);
    return set;
  });
  const top = [...df.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  let best = { pair: ['', ''], n: -1 };
  for (let i = 0; i < top.length; i++)
    for (let j = i + 1; j < top.length; j++) {
      const a = top[i]![0];
      const b = top[j]![0];
      const n = docLexemes.filter((d) => d.has(a) && d.has(b)).length;
      if (n > best.n) best = { pair: [a, b], n };
    }
  const surface = (lexeme: string) => docLexemes.find((d) => d.has(lexeme))?.get(lexeme) ?? lexeme;
  const common = `${surface(best.pair[0]!)} ${surface(best.pair[1]!)}`;
  // Rare: the sampled message whose two rarest words (seen in at least two sampled messages) are rarest.
  let rare = { q: '', score: Number.POSITIVE_INFINITY };
  for (const d of docLexemes) {
    const ranked = [...d.entries()]
      .map(([lexeme, word]) => ({ word, n: df.get(lexeme) ?? 0 }))
      .filter((x) => x.n >= 2)
      .sort((a, b) => a.n - b.n);
    if (ranked.length < 2) continue;
    const score = ranked[0]!.n + ranked[1]!.n;
    if (score < rare.score) rare = { q: `${ranked[0]!.word} ${ranked[1]!.word}`, score };
  }
  const matches = async (q: string) => {
    const [r] = await exec<{ n: number }>(
      database,
      `select count(*)::int as n from messages where workspace_id = ${w}
        and search @@ websearch_to_tsquery('english', ${quote(q)}) and direction <> 'note'`,
    );
    return Number(r?.n ?? 0);
  };
  return {
    rare: { q: rare.q, matches: await matches(rare.q) },
    common: { q: common, matches: await matches(common) },
  };
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL: a template database per key, copied per run with CREATE DATABASE … TEMPLATE.

export function dbUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(base: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

export async function preparePostgres(
  base: string,
  seed: number,
  scale: number,
  fresh: boolean,
): Promise<Prepared> {
  const key = cacheKey(seed, scale);
  const template = `steward_bench_${key}`;
  const metaFile = join(cacheDir, `pg_${key}.json`);
  mkdirSync(cacheDir, { recursive: true });
  const exists = async (name: string) =>
    (await adminQuery(base, `select 1 from pg_database where datname = ${quote(name)}`)).rowCount === 1;
  // The description travels with the template (a comment on it), so another checkout without the file (a
  // worktree, a fresh clone) reuses a template this machine already built instead of dropping it.
  if (!fresh && !existsSync(metaFile) && (await exists(template))) {
    const found = await adminQuery(
      base,
      `select shobj_description(oid, 'pg_database') as meta from pg_database where datname = ${quote(template)}`,
    );
    const text = (found.rows[0] as { meta: string | null } | undefined)?.meta;
    if (text) writeFileSync(metaFile, text);
  }
  if (fresh || !(await exists(template)) || !existsSync(metaFile)) {
    const building = `${template}_building`;
    if (await exists(template)) {
      await adminQuery(base, `alter database "${template}" with is_template false`);
      await adminQuery(base, `drop database "${template}" with (force)`);
    }
    await adminQuery(base, `drop database if exists "${building}" with (force)`);
    await adminQuery(base, `create database "${building}"`);
    const database = await openPostgres(dbUrl(base, building), 4);
    let meta: CacheMeta;
    try {
      meta = await fill(database, 'pg', seed, scale, key);
    } finally {
      await database.close();
    }
    await adminQuery(base, `alter database "${building}" rename to "${template}"`);
    await adminQuery(base, `alter database "${template}" with is_template true`);
    writeFileSync(metaFile, JSON.stringify(meta, null, 2));
    await adminQuery(base, `comment on database "${template}" is ${quote(JSON.stringify(meta, null, 2))}`);
    log(`PostgreSQL template ${template} ready`);
  } else log(`PostgreSQL template ${template} from the cache`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CacheMeta;
  const stale = await adminQuery(
    base,
    `select datname from pg_database where datname like 'steward_bench_run_%'`,
  );
  for (const { datname } of stale.rows as Array<{ datname: string }>)
    if (!alive(Number(datname.slice('steward_bench_run_'.length))))
      await adminQuery(base, `drop database if exists "${datname}" with (force)`);
  const run = `steward_bench_run_${process.pid}`;
  const started = performance.now();
  await adminQuery(base, `drop database if exists "${run}" with (force)`);
  // FILE_COPY copies the files instead of WAL-logging every block: much faster for a large template.
  await adminQuery(base, `create database "${run}" template "${template}" strategy file_copy`);
  log(`run database ${run} copied in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const url = dbUrl(base, run);
  return {
    meta,
    env: { DATABASE_URL: url },
    runDatabase: run,
    dispose: async () => {
      await adminQuery(base, `drop database if exists "${run}" with (force)`);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// PGlite: a data dir per key under bench/.cache, copied per run (the child owns its copy).

export async function preparePglite(seed: number, scale: number, fresh: boolean): Promise<Prepared> {
  const key = cacheKey(seed, scale);
  const dir = join(cacheDir, `pglite_${key}`);
  const metaFile = `${dir}.json`;
  if (fresh || !existsSync(dir) || !existsSync(metaFile)) {
    const building = `${dir}.building`;
    rmSync(building, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const database = await openPglite({ dataDir: building });
    let meta: CacheMeta;
    try {
      meta = await fill(database, 'pglite', seed, scale, key);
      await exec(database, 'checkpoint');
    } finally {
      await database.close();
    }
    renameSync(building, dir);
    writeFileSync(metaFile, JSON.stringify(meta, null, 2));
    log(`PGlite data dir ${dir} ready`);
  } else log(`PGlite data dir ${dir} from the cache`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CacheMeta;
  for (const entry of readdirSync(cacheDir))
    if (entry.startsWith('run_pglite_') && !alive(Number(entry.slice('run_pglite_'.length))))
      rmSync(join(cacheDir, entry), { recursive: true, force: true });
  const run = join(cacheDir, `run_pglite_${process.pid}`);
  rmSync(run, { recursive: true, force: true });
  const started = performance.now();
  cpSync(dir, run, { recursive: true });
  log(`run data dir copied in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    meta,
    env: { STEWARD_DATA_DIR: run },
    dispose: async () => rmSync(run, { recursive: true, force: true }),
  };
}
