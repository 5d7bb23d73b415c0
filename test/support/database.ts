import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, migrate, migrationsFolder, openPglite, openPostgres } from '../../src/db/index.js';

/**
 * Each test file gets a database of its own with every migration applied:
 * - PGlite (default): started from a data-dir image dumped once after migrating (~0.3 s, not 3 s);
 * - PostgreSQL (STEWARD_TEST_DB=pg, TEST_DATABASE_URL): a new database copied from a migrated template.
 * Tests still make their own workspace each, so nothing depends on order or on another test.
 */
export const testDbKind = (): 'pg' | 'pglite' => (process.env.STEWARD_TEST_DB === 'pg' ? 'pg' : 'pglite');

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (f.endsWith('.sql') || f.endsWith('.json'))
      h.update(f).update(readFileSync(join(migrationsFolder, f)));
  }
  return h.digest('hex').slice(0, 12);
}

const cacheDir = join(process.cwd(), 'node_modules', '.cache', 'steward');

async function pgliteImage(): Promise<Blob> {
  const file = join(cacheDir, `pglite-${migrationsHash()}.tar.gz`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {}
  const fresh = await openPglite({});
  await migrate(fresh);
  const image = await fresh.pglite!.dumpDataDir('gzip');
  await fresh.close();
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await image.arrayBuffer()));
  renameSync(tmp, file); // atomic: parallel test files never read half a file
  return image;
}

export function serverUrl(database: string): string {
  const base = process.env.TEST_DATABASE_URL;
  if (!base)
    throw new Error(
      'STEWARD_TEST_DB=pg needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    );
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

const TEMPLATE_LOCK = 7_231_004_418;

async function templateDatabase(admin: pg.Client): Promise<string> {
  const name = `steward_tpl_${migrationsHash()}`;
  await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      const building = `${name}_building`;
      await admin.query(`drop database if exists ${building}`);
      await admin.query(`create database ${building}`);
      const db = await openPostgres(serverUrl(building), 2);
      await migrate(db);
      await db.close();
      await admin.query(`alter database ${building} rename to ${name}`);
    }
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
  }
  return name;
}

export type TestDatabase = Database & { drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind() === 'pglite') {
    const database = await openPglite({ loadDataDir: await pgliteImage() });
    return { ...database, drop: () => database.close() };
  }
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  await admin.connect();
  try {
    const template = await templateDatabase(admin);
    const name = `steward_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.query(`create database ${name} template ${template}`);
    const database = await openPostgres(serverUrl(name), 10);
    return {
      ...database,
      drop: async () => {
        await database.close();
        const c = new pg.Client({ connectionString: serverUrl('postgres') });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  } finally {
    await admin.end();
  }
}
