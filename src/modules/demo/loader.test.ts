import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type Database, migrate, openPglite, openPostgres } from '../../db/index.js';
import { type DistressSignal, distressLevelOf } from '../../db/schema/understanding.js';
import { generateDemoData } from './index.js';

const NOW = new Date('2026-11-20T15:30:00Z');

async function newWorkspace(database: Database, slug: string): Promise<number> {
  const rows = await query<{ id: number }>(
    database,
    'insert into workspaces (slug, name, created_at) values ($1, $1, $2) returning id',
    [slug, NOW.toISOString()],
  );
  return rows[0]?.id as number;
}

async function query<T>(database: Database, sql: string, params: unknown[] = []): Promise<T[]> {
  if (database.pglite) return (await database.pglite.query<T>(sql, params)).rows;
  return ((await database.pool?.query(sql, params))?.rows ?? []) as T[];
}

async function count(database: Database, table: string, workspaceId: number): Promise<number> {
  const [row] = await query<{ n: number }>(
    database,
    `select count(*)::int as n from ${table} where workspace_id = $1`,
    [workspaceId],
  );
  return row?.n ?? -1;
}

/** The same checks on either database: counts as reported, every reference resolves, sequences moved on. */
function loadSuite(
  name: string,
  open: () => Promise<{ database: Database; dispose(): Promise<void> } | null>,
) {
  describe(`demo data load (${name})`, () => {
    let ctx: { database: Database; dispose(): Promise<void> } | null = null;
    before(async () => {
      ctx = await open();
    });
    after(async () => {
      await ctx?.dispose();
    });

    test('loads a workspace whose rows match the reported counts and whose references all resolve', async (t) => {
      if (!ctx) return t.skip('database not available');
      const { database } = ctx;
      const workspaceId = await newWorkspace(database, 'demo-a');
      const schemaBefore = await schemaObjects(database);
      const result = await generateDemoData(database, {
        workspaceId,
        seed: 5,
        conversations: 300,
        now: NOW,
        quiet: true,
      });
      // The first load into empty tables drops and rebuilds foreign keys and indexes: all must be back.
      assert.deepEqual(await schemaObjects(database), schemaBefore);
      const { counts } = result;
      assert.equal(counts.conversations, 300);
      assert.ok(counts.messages > 900 && counts.customers === 120);
      const tables: [string, number][] = [
        ['people', counts.people],
        ['teams', counts.teams],
        ['team_members', counts.teamMembers],
        ['customers', counts.customers],
        ['customer_identities', counts.identities],
        ['conversations', counts.conversations],
        ['messages', counts.messages],
        ['events', counts.events],
        ['generated_truth', counts.truths],
        ['jobs', counts.jobs],
        ['message_sentiments', counts.sentiments],
      ];
      for (const [table, expected] of tables)
        assert.equal(await count(database, table, workspaceId), expected, table);

      // Foreign keys are enforced by the schema; these catch references that point to the wrong row kind.
      const orphans = await query<{ n: number }>(
        database,
        `select
           (select count(*) from events e where e.workspace_id = $1 and e.entity_type = 'conversation'
              and not exists (select 1 from conversations c where c.workspace_id = e.workspace_id and c.id = e.entity_id))
         + (select count(*) from conversations c where c.workspace_id = $1
              and not exists (select 1 from generated_truth g where g.workspace_id = c.workspace_id and g.conversation_id = c.id))
         + (select count(*) from messages m where m.workspace_id = $1 and m.direction = 'inbound' and m.author_customer_id is distinct from
              (select customer_id from conversations c where c.workspace_id = m.workspace_id and c.id = m.conversation_id))
         + (select count(*) from conversations c join customers cu on cu.workspace_id = c.workspace_id
              and cu.id = c.customer_id where c.workspace_id = $1 and c.created_at < cu.customer_since)
         + (select count(*) from conversations c where c.workspace_id = $1 and c.message_count <>
              (select count(*) from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id))
           as n`,
        [workspaceId],
      );
      assert.equal(Number(orphans[0]?.n), 0);

      // Every customer message was read as Steward reads it on arrival, and conversations carry what it found.
      const [mood] = await query<{ inbound: number; unread: number; distressed: number }>(
        database,
        `select (select count(*)::int from messages where workspace_id = $1 and direction = 'inbound') as inbound,
           (select count(*)::int from messages m where m.workspace_id = $1 and m.direction = 'inbound' and not exists
              (select 1 from message_sentiments s where s.workspace_id = m.workspace_id and s.message_id = m.id)) as unread,
           (select count(*)::int from conversations where workspace_id = $1 and distress_level > 0) as distressed`,
        [workspaceId],
      );
      assert.equal(mood?.unread, 0);
      assert.equal(mood?.inbound, counts.sentiments);
      assert.ok((mood?.distressed ?? 0) > 0, 'some demo customers show distress');
      const levels = await query<{ distress_level: number; distress_signals: DistressSignal[] | string }>(
        database,
        'select distress_level, distress_signals from conversations where workspace_id = $1',
        [workspaceId],
      );
      const signalsOf = (v: DistressSignal[] | string) =>
        (Array.isArray(v) ? v : v.slice(1, -1).split(',').filter(Boolean)) as DistressSignal[];
      assert.deepEqual(
        levels.filter((r) => Number(r.distress_level) !== distressLevelOf(signalsOf(r.distress_signals))),
        [],
        'each level weighs its signals',
      );

      // Search columns are generated by the database from the loaded text.
      const [hit] = await query<{ n: number }>(
        database,
        `select count(*)::int as n from messages where workspace_id = $1 and search @@ plainto_tsquery('english', 'card')`,
        [workspaceId],
      );
      assert.ok((hit?.n ?? 0) > 0);

      // The identity sequences moved past the loaded ids: a plain insert gets a fresh id.
      const [fresh] = await query<{ id: number }>(
        database,
        `insert into customers (workspace_id, name, created_at, updated_at) values ($1, 'New', now(), now()) returning id`,
        [workspaceId],
      );
      const [max] = await query<{ m: number }>(
        database,
        'select max(id) as m from customers where id <> $1',
        [fresh?.id],
      );
      assert.ok((fresh?.id ?? 0) > Number(max?.m));
    });

    test('a second workspace gets ids above the first; a filled workspace is refused', async (t) => {
      if (!ctx) return t.skip('database not available');
      const { database } = ctx;
      const workspaceId = await newWorkspace(database, 'demo-b');
      const { counts } = await generateDemoData(database, {
        workspaceId,
        seed: 5,
        conversations: 40,
        now: NOW,
        quiet: true,
      });
      assert.equal(await count(database, 'conversations', workspaceId), counts.conversations);
      const [overlap] = await query<{ n: number }>(
        database,
        `select count(*)::int as n from conversations a join conversations b on a.id = b.id
          where a.workspace_id = $1 and b.workspace_id <> $1`,
        [workspaceId],
      );
      assert.equal(overlap?.n, 0);
      await assert.rejects(
        generateDemoData(database, { workspaceId, conversations: 10, now: NOW, quiet: true }),
        /empty workspace/,
      );
    });

    test('generating on a worker thread gives the same data as on the main thread', async (t) => {
      if (!ctx) return t.skip('database not available');
      const { database } = ctx;
      const a = await newWorkspace(database, 'demo-main-thread');
      const b = await newWorkspace(database, 'demo-worker');
      const options = { seed: 'worker', conversations: 60, now: NOW, quiet: true };
      const inThread = await generateDemoData(database, { ...options, workspaceId: a, worker: false });
      const onWorker = await generateDemoData(database, { ...options, workspaceId: b, worker: true });
      assert.deepEqual(onWorker.counts, inThread.counts);
      const subjects = async (w: number) =>
        (
          await query<{ s: string }>(
            database,
            'select subject as s from conversations where workspace_id = $1 order by id',
            [w],
          )
        ).map((r) => r.s);
      assert.deepEqual(await subjects(b), await subjects(a));
    });
  });
}

/** Every constraint and index of the public schema, with its definition. */
async function schemaObjects(database: Database): Promise<string[]> {
  const rows = await query<{ d: string }>(
    database,
    `select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as d
       from pg_constraint where connamespace = 'public'::regnamespace
     union all
     select indexdef from pg_indexes where schemaname = 'public'
     order by 1`,
  );
  return rows.map((r) => r.d);
}

loadSuite('PGlite', async () => {
  const database = await openPglite({});
  await migrate(database);
  return { database, dispose: () => database.close() };
});

const url = process.env.TEST_DATABASE_URL;
if (!url) {
  test('demo data load (PostgreSQL)', (t) =>
    t.skip('TEST_DATABASE_URL is not set: the PostgreSQL pass was skipped'));
} else {
  loadSuite('PostgreSQL', async () => {
    const name = `steward_gen_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const database = await openPostgres(target.toString(), 4);
    await migrate(database);
    return {
      database,
      dispose: async () => {
        await database.close();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  });
}
