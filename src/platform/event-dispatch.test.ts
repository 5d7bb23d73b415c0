import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { createTestDatabase, testDbKind } from '../../test/support/database.js';
import { schema } from '../db/index.js';
import { fakeClock } from './clock.js';
import { createEventDispatcher, type EventConsumer, skipEventsSoFar } from './event-dispatch.js';
import { recordEvent, type StoredEvent, systemActor } from './events.js';

const database = await createTestDatabase();
const db = database.db;
const log = pino({ level: 'silent' });
const clock = fakeClock('2026-03-02T09:00:00Z');
after(() => database.drop());

let n = 0;
async function newWorkspace(): Promise<number> {
  const slug = `dispatch-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 6)}`;
  const [row] = await db
    .insert(schema.workspaces)
    .values({ slug, name: slug, createdAt: clock.now() })
    .returning({ id: schema.workspaces.id });
  return row!.id;
}

const record = (workspaceId: number, type: string, entityId: number) =>
  recordEvent(db, {
    workspaceId,
    type,
    entityType: 'thing',
    entityId,
    actor: systemActor,
    at: clock.now(),
  });

/** A consumer that remembers what it saw, for one workspace (consumers see every workspace's events). */
function collector(workspaceId: number, types?: string[]) {
  const seen: StoredEvent[] = [];
  const consumer: EventConsumer = {
    ...(types ? { types } : {}),
    async handle(_tx, event) {
      if (event.workspaceId === workspaceId) seen.push(event);
    },
  };
  return { seen, consumer };
}

test('a new consumer starts at the present, then sees every later event once, in order', async () => {
  const ws = await newWorkspace();
  await record(ws, 'thing.before', 1);
  const { seen, consumer } = collector(ws);
  const dispatcher = createEventDispatcher({ db, clock, log, consumers: { 'test.order': consumer } });
  await dispatcher.settle();
  assert.equal(seen.length, 0, 'history is not handed to a new consumer');
  for (let i = 1; i <= 7; i++) await record(ws, 'thing.happened', i);
  await dispatcher.settle();
  await dispatcher.settle();
  assert.deepEqual(
    seen.map((e) => e.entityId),
    [1, 2, 3, 4, 5, 6, 7],
  );
});

test('batches continue where the last one stopped', async () => {
  const ws = await newWorkspace();
  const { seen, consumer } = collector(ws);
  const dispatcher = createEventDispatcher({
    db,
    clock,
    log,
    consumers: { 'test.batches': consumer },
    batchSize: 3,
  });
  await dispatcher.dispatch();
  for (let i = 1; i <= 10; i++) await record(ws, 'thing.happened', i);
  assert.equal(await dispatcher.settle(), 10, 'ten events, in batches of three');
  assert.deepEqual(
    seen.map((e) => e.entityId),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
});

test('a consumer with types sees only those', async () => {
  const ws = await newWorkspace();
  const { seen, consumer } = collector(ws, ['thing.wanted']);
  const dispatcher = createEventDispatcher({ db, clock, log, consumers: { 'test.types': consumer } });
  await dispatcher.dispatch();
  await record(ws, 'thing.unwanted', 1);
  await record(ws, 'thing.wanted', 2);
  await record(ws, 'thing.unwanted', 3);
  await dispatcher.settle();
  assert.deepEqual(
    seen.map((e) => [e.type, e.entityId]),
    [['thing.wanted', 2]],
  );
});

test('a failing event is logged and skipped; its effects roll back; the others are handled once', async () => {
  const ws = await newWorkspace();
  const handled: number[] = [];
  const consumer: EventConsumer = {
    types: ['thing.happened'],
    async handle(tx, event) {
      if (event.workspaceId !== ws) return;
      // An effect in the database, to see that a failure undoes it.
      await recordEvent(tx, {
        workspaceId: ws,
        type: 'thing.effect',
        entityType: 'thing',
        entityId: event.entityId,
        actor: systemActor,
        at: clock.now(),
      });
      if (event.entityId === 2) throw new Error('boom');
      handled.push(event.entityId);
    },
  };
  const dispatcher = createEventDispatcher({ db, clock, log, consumers: { 'test.failing': consumer } });
  await dispatcher.dispatch();
  for (let i = 1; i <= 3; i++) await record(ws, 'thing.happened', i);
  await dispatcher.settle();
  await dispatcher.settle();
  // The batch ran once whole (and rolled back), then one by one.
  assert.deepEqual(handled.slice(-2), [1, 3]);
  const effects = await db
    .select({ entityId: schema.events.entityId })
    .from(schema.events)
    .where(and(eq(schema.events.workspaceId, ws), eq(schema.events.type, 'thing.effect')))
    .orderBy(schema.events.entityId);
  assert.deepEqual(
    effects.map((e) => e.entityId),
    [1, 3],
  );
  const failures = await db
    .select()
    .from(schema.eventConsumerFailures)
    .where(eq(schema.eventConsumerFailures.workspaceId, ws));
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.consumer, 'test.failing');
  assert.match(failures[0]!.error, /boom/);
});

test('skipEventsSoFar moves consumers past a bulk load', async () => {
  const ws = await newWorkspace();
  const { seen, consumer } = collector(ws);
  const dispatcher = createEventDispatcher({ db, clock, log, consumers: { 'test.skip': consumer } });
  await dispatcher.dispatch();
  await record(ws, 'thing.historical', 1);
  await skipEventsSoFar(db, clock.now());
  await record(ws, 'thing.new', 2);
  await dispatcher.settle();
  assert.deepEqual(
    seen.map((e) => e.type),
    ['thing.new'],
  );
});

test('an event that commits after a later one is still delivered', {
  skip: testDbKind() !== 'pg' && 'PostgreSQL only: PGlite runs one transaction at a time',
}, async () => {
  const ws = await newWorkspace();
  const { seen, consumer } = collector(ws);
  const dispatcher = createEventDispatcher({ db, clock, log, consumers: { 'test.late': consumer } });
  await dispatcher.dispatch();
  const pool = database.pool!;
  const slow = await pool.connect();
  try {
    // The slow transaction takes its event id first, then waits while a faster one commits.
    await slow.query('begin');
    await slow.query(
      `insert into events (workspace_id, type, entity_type, entity_id, actor_type, data, created_at)
         values ($1, 'thing.slow', 'thing', 1, 'system', '{}', now())`,
      [ws],
    );
    await record(ws, 'thing.fast', 2);
    while ((await dispatcher.dispatch()) > 0) {}
    assert.deepEqual(
      seen.map((e) => e.type),
      [],
      'nothing is read past a transaction still running',
    );
    await slow.query('commit');
  } finally {
    slow.release();
  }
  await dispatcher.settle();
  assert.deepEqual(seen.map((e) => e.type).sort(), ['thing.fast', 'thing.slow']);
  const ids = await db.execute(sql`select count(*)::int as n from events where workspace_id = ${ws}`);
  assert.equal((ids.rows[0] as { n: number }).n, 2);
});
