import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { migrationsFolder } from '../../src/db/index.js';
import { needsServer, startStewardProcess, stop, throwawayDatabase } from './steward-process.js';

/** Steward processes on a PostgreSQL server. With CI=true a missing TEST_DATABASE_URL fails instead of skipping. */

test(
  'two processes started at once on one empty PostgreSQL database both come up and share one workspace',
  needsServer,
  async () => {
    const url = await throwawayDatabase('proc');
    const token = `boot_${randomBytes(24).toString('hex')}`;
    const env = {
      DATABASE_URL: url,
      STEWARD_ADMIN_EMAIL: 'ops@example.com',
      STEWARD_ADMIN_PASSWORD: 'an operator password',
      STEWARD_BOOTSTRAP_TOKEN: token,
    };
    const [one, two] = await Promise.all([startStewardProcess(env), startStewardProcess(env)]);
    try {
      const seen = [];
      for (const steward of [one, two]) {
        const ready = await fetch(`${steward.url}/readyz`);
        assert.deepEqual(await ready.json(), { status: 'ready', database: 'postgres' });
        const res = await fetch(`${steward.url}/api/v1/workspace`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(res.status, 200, `the bootstrap token works on both: ${await res.clone().text()}`);
        seen.push(((await res.json()) as { id: number }).id);
      }
      assert.equal(seen[0], seen[1], 'the same workspace');
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        const workspaces = await db.query('select count(*)::int as n from workspaces');
        assert.equal(workspaces.rows[0].n, 1);
        const tokens = await db.query('select count(*)::int as n from api_tokens');
        assert.equal(tokens.rows[0].n, 1, 'one bootstrap token');
        const migrations = await db.query('select count(*)::int as n from drizzle.__drizzle_migrations');
        const files = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql'));
        assert.equal(migrations.rows[0].n, files.length, 'each migration applied once');
      } finally {
        await db.end();
      }
      const printedBy = [one, two].filter((s) => /sign in as the owner/.test(s.stdout()));
      assert.equal(printedBy.length, 1, 'only the process that created the workspace announces it');
    } finally {
      const stopped = await Promise.all([stop(one), stop(two)]);
      assert.deepEqual(
        stopped.map((s) => s.code),
        [0, 0],
      );
    }
  },
);
