import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { and, asc, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { eventConsumers, jobHandlers } from '../../boot.js';
import { schema } from '../../db/index.js';
import { createWorker, findJobs } from '../../platform/index.js';
import { recomputeHandler, SLA_RECOMPUTE_JOB } from './recompute.job.js';
import { recomputeConversationSla } from './sla-state.js';

const START = '2026-03-02T09:00:00.000Z'; // a Monday
const t = await createTestApp({ start: START });
const MINUTE = 60_000;
const at = (minutes: number) => new Date(Date.parse(START) + minutes * MINUTE);
const isoAt = (minutes: number) => at(minutes).toISOString();
const settle = () => t.worker.drain();
const day = (start: string) => [{ start, end: '17:00' }];
const week = (start: string) => ({
  1: day(start),
  2: day(start),
  3: day(start),
  4: day(start),
  5: day(start),
});

let n = 0;
async function ok(ws: TestWorkspace, method: 'POST' | 'PATCH', url: string, body: object) {
  const res = await call(t.app, ws.owner, method, url, body);
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  await settle();
  return res.json();
}

/** Everything a recompute writes, as it is now: clocks, the conversations' next deadlines, the sweep. */
async function state(db: typeof t.database.db, workspaceId: number) {
  const k = schema.slaClocks;
  const c = schema.conversations;
  const clocks = await db
    .select()
    .from(k)
    .where(eq(k.workspaceId, workspaceId))
    .orderBy(asc(k.conversationId), asc(k.target));
  const deadlines = await db
    .select({ id: c.id, due: c.slaNextDueAt, warn: c.slaWarnAt })
    .from(c)
    .where(eq(c.workspaceId, workspaceId))
    .orderBy(asc(c.id));
  const sweep = await findJobs(db, workspaceId, { type: 'sla.deadlines', statuses: ['queued'] });
  return {
    clocks: clocks.map(({ updatedAt: _u, ...rest }) => rest),
    deadlines,
    sweepAt: sweep.map((j) => j.runAt.toISOString()),
  };
}

class Rollback extends Error {}

describe('SLA recompute of every conversation in progress', () => {
  test('after a change of business hours, chunked in parallel runs: the same clocks, deadlines and sweep as one by one', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const office = await ok(ws, 'POST', '/api/v1/calendars', {
      name: 'Office',
      timeZone: 'UTC',
      week: week('09:00'),
      isDefault: true,
    });
    await ok(ws, 'POST', '/api/v1/sla-policies', {
      name: 'Standard',
      firstResponseMinutes: 60,
      nextResponseMinutes: 120,
      resolutionMinutes: 480,
      warnPercent: 50,
    });
    // 25 conversations, five ways: new, replied and pending, replied and written to again (open), on hold, solved.
    const ids: number[] = [];
    const inProgress: number[] = [];
    for (let i = 0; i < 25; i++) {
      t.clock.set(at(i));
      const created = await ok(ws, 'POST', '/api/v1/conversations', {
        subject: `Question ${++n}`,
        channel: 'email',
        customer: { email: `r${n}-${Math.random().toString(36).slice(2, 8)}@example.com` },
        message: { body: 'Where is my parcel?' },
      });
      const id = created.conversation.id as number;
      ids.push(id);
      const url = `/api/v1/conversations/${id}`;
      t.clock.set(at(i + 2));
      if (i % 5 !== 0) await ok(ws, 'POST', `${url}/messages`, { direction: 'outbound', body: 'Looking.' });
      t.clock.set(at(i + 3));
      if (i % 5 === 1) await ok(ws, 'PATCH', url, { status: 'pending' });
      if (i % 5 === 2) await ok(ws, 'POST', `${url}/messages`, { direction: 'inbound', body: 'Any news?' });
      if (i % 5 === 3) await ok(ws, 'PATCH', url, { status: 'on_hold' });
      if (i % 5 === 4) await ok(ws, 'PATCH', url, { status: 'solved' });
      else inProgress.push(id);
    }
    // Some warnings fire before the change (first response, 30 business minutes after 09:00 + i).
    t.clock.set(at(40));
    await settle();
    const warnedBefore = (await state(t.database.db, ws.id)).clocks.filter((c) => c.warnedAt !== null);
    assert.ok(warnedBefore.length > 0);

    // The reference: the new week, then each conversation in progress recomputed on its own (rolled back); a
    // solved one keeps the clocks it had.
    let reference: Awaited<ReturnType<typeof state>> | undefined;
    await assert.rejects(
      t.database.db.transaction(async (tx) => {
        await tx
          .update(schema.calendars)
          .set({ week: week('09:30') })
          .where(and(eq(schema.calendars.workspaceId, ws.id), eq(schema.calendars.id, office.id)));
        for (const id of inProgress) await recomputeConversationSla(tx, ws.id, id, t.clock.now());
        reference = await state(tx as unknown as typeof t.database.db, ws.id);
        throw new Rollback();
      }),
      Rollback,
    );

    // The same change through the API: the recompute runs as jobs, four runs of several chunks each.
    const worker = createWorker({
      db: t.database.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      handlers: { ...jobHandlers(t.deps), [SLA_RECOMPUTE_JOB]: recomputeHandler(100, 2) },
      consumers: eventConsumers(t.deps),
    });
    const res = await call(t.app, ws.owner, 'PATCH', `/api/v1/calendars/${office.id}`, {
      week: week('09:30'),
    });
    assert.equal(res.statusCode, 200, res.body);
    await worker.drain();
    const chunks = await findJobs(t.database.db, ws.id, { type: SLA_RECOMPUTE_JOB, statuses: ['done'] });
    const parts = chunks.filter((j) => typeof j.payload.part === 'number');
    assert.ok(parts.length > 4, `several chunks per run (${parts.length})`);
    const batch = await state(t.database.db, ws.id);
    assert.deepEqual(batch, reference);

    // The exact deadlines: the office opens at 09:30 now, so the first hour of business time ends at 10:30.
    const first = batch.clocks.find((c) => c.conversationId === ids[0] && c.target === 'first_response');
    assert.equal(first?.dueAt?.toISOString(), isoAt(90));
    assert.equal(first?.warnAt?.toISOString(), isoAt(60));
    assert.ok(first?.warnedAt, 'the warning that fired stays with its cycle');
    const pending = batch.clocks.find((c) => c.conversationId === ids[1] && c.target === 'resolution');
    assert.equal(pending?.dueAt, null, 'paused while pending');
    assert.ok(pending?.pausedAt);
    const open = batch.clocks.find((c) => c.conversationId === ids[2] && c.target === 'next_response');
    // Written to again at 09:05, counted from 09:30: 120 business minutes end at 11:30.
    assert.equal(open?.dueAt?.toISOString(), isoAt(150));
    assert.equal(batch.deadlines.find((d) => d.id === ids[0])?.due?.toISOString(), isoAt(90));
    // The sweep comes at the soonest warning still to fire: conversation 2's first-response warning was met.
    assert.equal(batch.sweepAt.length, 1);

    // Each warning and deadline fires once: conversation 0 was warned before the change, breached at 10:30.
    t.clock.set(at(90));
    await worker.drain();
    await worker.drain();
    const events = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${ids[0]}`)).json()
      .events as Array<{ type: string; data: { target?: string } }>;
    assert.deepEqual(
      events.filter((e) => e.type.startsWith('sla.')).map((e) => `${e.type} ${e.data.target}`),
      ['sla.warning first_response', 'sla.breached first_response'],
    );
    const fired = await t.database.db.execute(
      sql`select count(*)::int as n from events where workspace_id = ${ws.id} and type = 'sla.warning'`,
    );
    const warnings = Number((fired.rows[0] as { n: number }).n);
    t.clock.set(at(95));
    await worker.drain();
    const again = await t.database.db.execute(
      sql`select count(*)::int as n from events where workspace_id = ${ws.id} and type = 'sla.warning'`,
    );
    assert.equal(Number((again.rows[0] as { n: number }).n), warnings, 'no warning fires twice');
    await worker.stop();
  });
});
