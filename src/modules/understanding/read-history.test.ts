import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { type DistressSignal, distressLevelOf, distressWeight } from '../../db/schema/understanding.js';
import { findJobs } from '../../platform/index.js';
import { queueReadHistory, READ_HISTORY_JOB } from './read-history.job.js';

/**
 * Upgrades. A database upgraded from a version without sentiment: its customer messages have no reading. Migration 0033
 * queues the job that reads them, once per workspace with messages. Simulated here by taking today's
 * readings away again (what the live consumer made is what the job must make), then running the migration's
 * own SQL.
 */
const t = await createTestApp({ start: '2026-03-02T09:00:00.000Z' });
const db = t.database.db;
const settle = () => t.worker.drain();
/** The migration queues its job at the database's real time: the worker's clock must have reached it. */
const upgrade = async () => {
  await db.execute(sql.raw(migration));
  t.clock.set(new Date(Date.now() + 60_000));
};
const migration = readFileSync(
  new URL('../../db/migrations/0033_read_old_messages.sql', import.meta.url),
  'utf8',
);
let n = 0;

async function converse(ws: TestWorkspace, ...bodies: string[]) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Old ${++n}`,
    channel: 'email',
    customer: { email: `old${n}@example.com` },
    message: { body: bodies[0] },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().conversation.id as number;
  for (const body of bodies.slice(1)) {
    const more = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${id}/messages`, {
      body,
      direction: body.startsWith('Agent:') ? 'outbound' : 'inbound',
    });
    assert.equal(more.statusCode, 201, more.body);
  }
  return id;
}

/** Every reading of the workspace's messages, and every conversation's distress: what must come back. */
async function state(ws: TestWorkspace) {
  const readings = await db.execute(sql`select message_id, score, label, lexicon_label, source, signals
    from message_sentiments where workspace_id = ${ws.id} order by message_id`);
  const distress = await db.execute(sql`select id, distress_signals, distress_level from conversations
    where workspace_id = ${ws.id} order by id`);
  return JSON.stringify({ readings: readings.rows, distress: distress.rows });
}

/** Back to before sentiment existed, except the readings an agent corrected (kept by `keep`). */
async function forgetReadings(ws: TestWorkspace, keep: number[] = []) {
  await db.execute(sql`delete from message_sentiments where workspace_id = ${ws.id}
    and not (message_id = any(${`{${keep.join(',')}}`}::bigint[]))`);
  await db.execute(sql`update conversations set distress_signals = '{}', distress_level = 0
    where workspace_id = ${ws.id}`);
}

test('messages stored before sentiment existed are read after the upgrade, as if they had just arrived', async () => {
  const ws = await t.workspace();
  const angry = await converse(
    ws,
    'Hello, could you send me my invoice?',
    'Agent: here it is.',
    "This is the third time I'm writing and nobody answers. I will cancel my subscription.",
  );
  await converse(ws, 'Thanks, that is great, it works now!');
  await converse(ws, 'Still waiting for my refund. This is urgent.');
  await settle();
  const corrected = await db.execute(sql`select id from messages
    where workspace_id = ${ws.id} and conversation_id = ${angry} and direction = 'inbound' order by id limit 1`);
  const correctedId = Number((corrected.rows[0] as { id: string | number }).id);
  const put = await call(t.app, ws.owner, 'PUT', `/api/v1/messages/${correctedId}/sentiment`, {
    label: 'positive',
  });
  assert.equal(put.statusCode, 200, put.body);
  const live = await state(ws);
  assert.match(live, /churn_threat/);

  await forgetReadings(ws, [correctedId]);
  assert.notEqual(await state(ws), live);
  await upgrade();
  const queued = await findJobs(db, ws.id, { statuses: ['queued'] });
  assert.deepEqual(
    queued.map((j) => j.type),
    [READ_HISTORY_JOB],
    'one job for the workspace',
  );
  await settle();
  assert.equal(
    await state(ws),
    live,
    'the same readings and distress as when they arrived; the correction kept',
  );

  // Again, one message per chunk at first: the chunks go on until the last message, and a second run over
  // what is read already changes nothing.
  await forgetReadings(ws, [correctedId]);
  await queueReadHistory(db, ws.id, t.clock.now(), { afterId: 0, chunk: 1 });
  await settle();
  assert.equal(await state(ws), live);
  await upgrade();
  await settle();
  assert.equal(await state(ws), live);
});

test('a workspace without messages gets no job', async () => {
  const ws = await t.workspace();
  await upgrade();
  assert.deepEqual(await findJobs(db, ws.id, { statuses: ['queued'] }), []);
});

test('migration 0034 weighs the distress of conversations stored before, as distressWeight does', async () => {
  const ws = await t.workspace();
  const weights = readFileSync(
    new URL('../../db/migrations/0034_distress_weights.sql', import.meta.url),
    'utf8',
  );
  const kinds = Object.keys(distressWeight) as DistressSignal[];
  const cases: DistressSignal[][] = [...kinds.map((k) => [k]), kinds, ['urgency', 'legal_threat']];
  const ids: number[] = [];
  for (const signals of cases) {
    const id = await converse(ws, 'Hello');
    ids.push(id);
    // As an earlier version left it: the number of kinds.
    await db.execute(sql`update conversations set distress_signals = ${`{${signals.join(',')}}`}::text[],
      distress_level = ${signals.length} where workspace_id = ${ws.id} and id = ${id}`);
  }
  await db.execute(sql.raw(weights));
  const { rows } = await db.execute(sql`select id, distress_level from conversations
    where workspace_id = ${ws.id} order by id`);
  assert.deepEqual(
    (rows as Array<{ distress_level: number }>).map((r) => Number(r.distress_level)),
    cases.map((signals) => distressLevelOf(signals)),
  );
});
