import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { eventConsumers, jobHandlers } from '../../boot.js';
import { createWorker, findJobs } from '../../platform/index.js';

const START = '2026-03-02T09:00:00.000Z'; // a Monday
const t = await createTestApp({ start: START });
const MINUTE = 60_000;
/** The worker's poll interval in production (config default): a job must fire within it of its time. */
const POLL_MS = 1_000;

let n = 0;
const settle = () => t.worker.drain();
const at = (minutes: number) => new Date(Date.parse(START) + minutes * MINUTE);
const isoAt = (minutes: number) => at(minutes).toISOString();

async function policy(ws: TestWorkspace, body: Record<string, unknown>) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/sla-policies', { name: `P ${++n}`, ...body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: number; position: number };
}

async function converse(ws: TestWorkspace, extra: Record<string, unknown> = {}) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Question ${++n}`,
    channel: 'email',
    customer: { email: `c${n}-${Math.random().toString(36).slice(2, 8)}@example.com` },
    message: { body: 'Where is my parcel?' },
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json().conversation as { id: number; customerId: number };
}

type Clock = {
  target: string;
  state: string;
  dueAt: string | null;
  metAt: string | null;
  pausedAt: string | null;
};
async function clocks(ws: TestWorkspace, id: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}/sla`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { policyId: number | null; clocks: Clock[] };
}
const clockOf = async (ws: TestWorkspace, id: number, target = 'first_response') =>
  (await clocks(ws, id)).clocks.find((c) => c.target === target);

async function patch(ws: TestWorkspace, id: number, body: Record<string, unknown>) {
  const res = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${id}`, body);
  assert.equal(res.statusCode, 200, res.body);
  await settle();
}
async function message(ws: TestWorkspace, id: number, direction: 'inbound' | 'outbound') {
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${id}/messages`, {
    direction,
    body: direction === 'inbound' ? 'Any news?' : 'On its way.',
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
}
async function slaEvents(ws: TestWorkspace, id: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`);
  assert.equal(res.statusCode, 200, res.body);
  return (
    res.json().events as Array<{ type: string; createdAt: string; data: Record<string, unknown> }>
  ).filter((e) => e.type.startsWith('sla.'));
}
async function conversationRow(ws: TestWorkspace, id: number) {
  return (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`)).json().conversation as {
    priority: string;
    assigneeId: number | null;
    slaNextDueAt: string | null;
  };
}

describe('SLA policies API', () => {
  test('admins create, read, change, reorder and delete; agents and executives read only', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const a = await policy(ws, { firstResponseMinutes: 60, conditions: { priorities: ['urgent'] } });
    const b = await policy(ws, {
      resolutionMinutes: 480,
      businessHours: false,
      pauseOnHold: false,
      warnPercent: 80,
      breachActions: { raisePriority: 'high' },
    });
    assert.deepEqual([a.position, b.position], [0, 1]);
    const agent = await ws.person('agent');
    const executive = await ws.person('executive');
    const listed = await call(t.app, agent, 'GET', '/api/v1/sla-policies');
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(
      listed.json().items.map((p: { id: number }) => p.id),
      [a.id, b.id],
    );
    assert.equal(
      (await call(t.app, executive, 'GET', `/api/v1/sla-policies/${b.id}`)).json().warnPercent,
      80,
    );
    for (const [method, url, body] of [
      ['POST', '/api/v1/sla-policies', { name: 'x', firstResponseMinutes: 5 }],
      ['PATCH', `/api/v1/sla-policies/${a.id}`, { name: 'y' }],
      ['DELETE', `/api/v1/sla-policies/${a.id}`, undefined],
      ['PUT', '/api/v1/sla-policies/order', { ids: [b.id, a.id] }],
    ] as const) {
      assert.equal((await call(t.app, agent, method, url, body)).statusCode, 403, `${method} ${url}`);
    }
    const changed = await call(t.app, ws.owner, 'PATCH', `/api/v1/sla-policies/${a.id}`, {
      name: 'Urgent',
      nextResponseMinutes: 30,
      conditions: { priorities: ['urgent', 'high'], tags: ['VIP'] },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(changed.json().conditions, { priorities: ['urgent', 'high'], tags: ['vip'] });
    assert.equal(changed.json().nextResponseMinutes, 30);
    // The listed ones first, the others after them as they were.
    const order = await call(t.app, ws.owner, 'PUT', '/api/v1/sla-policies/order', { ids: [b.id] });
    assert.equal(order.statusCode, 200, order.body);
    assert.deepEqual(
      order.json().items.map((p: { id: number; position: number }) => [p.id, p.position]),
      [
        [b.id, 0],
        [a.id, 1],
      ],
    );
    assert.equal((await call(t.app, ws.owner, 'DELETE', `/api/v1/sla-policies/${a.id}`)).statusCode, 204);
    assert.equal((await call(t.app, ws.owner, 'GET', `/api/v1/sla-policies/${a.id}`)).statusCode, 404);
  });

  test('bad input is a clear 4xx; another workspace’s policies and teams are not found', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const theirs = await policy(other, { firstResponseMinutes: 10 });
    const theirTeam = (await call(t.app, other.owner, 'POST', '/api/v1/teams', { name: 'Theirs' })).json();
    const bad: Array<[Record<string, unknown>, number, string?]> = [
      [{ name: 'No target' }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', firstResponseMinutes: 0 }, 400],
      [{ name: 'x', firstResponseMinutes: 1.5 }, 400],
      [{ name: 'x', firstResponseMinutes: 5, warnPercent: 100 }, 400],
      [{ name: 'x', firstResponseMinutes: 5, surprise: true }, 400],
      [{ name: 'x', firstResponseMinutes: 5, conditions: { priorities: ['asap'] } }, 400],
      [{ name: 'x', firstResponseMinutes: 5, breachActions: { raisePriority: 'low' } }, 400],
      [
        { name: 'x', firstResponseMinutes: 5, conditions: { teamIds: [theirTeam.id] } },
        404,
        'TEAM_NOT_FOUND',
      ],
    ];
    for (const [body, status, code] of bad) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/sla-policies', body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
      if (code) assert.equal(res.json().error.code, code);
    }
    const mine = await policy(ws, { firstResponseMinutes: 10 });
    const unset = await call(t.app, ws.owner, 'PATCH', `/api/v1/sla-policies/${mine.id}`, {
      firstResponseMinutes: null,
    });
    assert.equal(unset.statusCode, 400, 'a policy keeps at least one target');
    for (const [method, url, body] of [
      ['GET', `/api/v1/sla-policies/${theirs.id}`, undefined],
      ['PATCH', `/api/v1/sla-policies/${theirs.id}`, { name: 'Mine now' }],
      ['DELETE', `/api/v1/sla-policies/${theirs.id}`, undefined],
      ['PUT', '/api/v1/sla-policies/order', { ids: [mine.id, theirs.id] }],
    ] as const) {
      const res = await call(t.app, ws.owner, method, url, body);
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
    }
    const incomplete = await call(t.app, ws.owner, 'PUT', '/api/v1/sla-policies/order', { ids: [] });
    assert.equal(incomplete.statusCode, 400, 'at least one');
    const twice = await call(t.app, ws.owner, 'PUT', '/api/v1/sla-policies/order', {
      ids: [mine.id, mine.id],
    });
    assert.equal(twice.statusCode, 400, 'once each');
    const still = await call(t.app, other.owner, 'GET', `/api/v1/sla-policies/${theirs.id}`);
    assert.equal(still.statusCode, 200, 'their policy is untouched');
    assert.notEqual(still.json().name, 'Mine now');
  });
});

describe('SLA clocks of conversations', () => {
  test('a policy created, changed, reordered or deleted recomputes the conversations in progress', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const standard = await policy(ws, { firstResponseMinutes: 120, businessHours: false });
    const c = await converse(ws);
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(120));
    const changed = await call(t.app, ws.owner, 'PATCH', `/api/v1/sla-policies/${standard.id}`, {
      firstResponseMinutes: 30,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    await settle();
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(30));
    const faster = await policy(ws, { firstResponseMinutes: 15, businessHours: false });
    await settle();
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(30), 'tried after the first one: no change');
    const order = await call(t.app, ws.owner, 'PUT', '/api/v1/sla-policies/order', { ids: [faster.id] });
    assert.equal(order.statusCode, 200, order.body);
    await settle();
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(15));
    assert.equal(
      (await call(t.app, ws.owner, 'DELETE', `/api/v1/sla-policies/${faster.id}`)).statusCode,
      204,
    );
    await settle();
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(30));
    assert.equal((await conversationRow(ws, c.id)).slaNextDueAt, isoAt(30));
  });

  test('first response: due from creation, paused while pending, shifted by the pause; met by a reply', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await policy(ws, { firstResponseMinutes: 60, nextResponseMinutes: 30, businessHours: false });
    const c = await converse(ws);
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(60));
    assert.equal((await conversationRow(ws, c.id)).slaNextDueAt, isoAt(60));
    t.clock.set(at(20));
    await patch(ws, c.id, { status: 'pending' });
    const paused = await clockOf(ws, c.id);
    assert.equal(paused?.state, 'paused');
    assert.equal(paused?.dueAt, null);
    assert.equal(
      (await conversationRow(ws, c.id)).slaNextDueAt,
      null,
      'a paused clock is not a next deadline',
    );
    t.clock.set(at(60));
    await message(ws, c.id, 'inbound'); // the customer's reply reopens it: 40 minutes left
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(100));
    t.clock.set(at(70));
    await message(ws, c.id, 'outbound');
    const met = await clockOf(ws, c.id);
    assert.equal(met?.state, 'met');
    assert.equal(met?.metAt, isoAt(70));
    t.clock.set(at(80));
    await message(ws, c.id, 'inbound');
    const next = await clockOf(ws, c.id, 'next_response');
    assert.equal(
      next?.dueAt,
      isoAt(110),
      'the next response restarts at the customer message after our reply',
    );
    assert.equal((await conversationRow(ws, c.id)).slaNextDueAt, isoAt(110));
  });

  test('a priority change picks another policy and recomputes from the same history', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await policy(ws, {
      firstResponseMinutes: 30,
      businessHours: false,
      conditions: { priorities: ['urgent'] },
    });
    await policy(ws, { firstResponseMinutes: 240, businessHours: false });
    const c = await converse(ws);
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(240));
    t.clock.set(at(10));
    await patch(ws, c.id, { priority: 'urgent' });
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(30));
  });

  test("a customer's tier change recomputes their open conversations", async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await policy(ws, { firstResponseMinutes: 15, businessHours: false, conditions: { tiers: ['gold'] } });
    await policy(ws, { firstResponseMinutes: 120, businessHours: false });
    const c = await converse(ws);
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(120));
    const res = await call(t.app, ws.owner, 'PATCH', `/api/v1/customers/${c.customerId}`, { tier: 'Gold' });
    assert.equal(res.statusCode, 200, res.body);
    await settle();
    assert.equal((await clockOf(ws, c.id))?.dueAt, isoAt(15));
  });

  test('business time: the team calendar skips the night', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const cal = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
      name: 'Office',
      timeZone: 'UTC',
      week: { 1: [{ start: '09:00', end: '17:00' }], 2: [{ start: '09:00', end: '17:00' }] },
      isDefault: true,
    });
    assert.equal(cal.statusCode, 201, cal.body);
    await policy(ws, { resolutionMinutes: 600 });
    const c = await converse(ws);
    // 8 hours on Monday, 2 on Tuesday.
    assert.equal((await clockOf(ws, c.id, 'resolution'))?.dueAt, '2026-03-03T11:00:00.000Z');
  });

  test('a change of business hours or of a team’s calendar recomputes the deadlines in progress', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const week = (start: string) => ({ 1: [{ start, end: '17:00' }], 2: [{ start, end: '17:00' }] });
    const office = (
      await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
        name: 'Office',
        timeZone: 'UTC',
        week: week('09:00'),
        isDefault: true,
      })
    ).json();
    const late = (
      await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
        name: 'Late shift',
        timeZone: 'UTC',
        week: { 1: [{ start: '13:00', end: '21:00' }] },
      })
    ).json();
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: `T ${++n}` })).json();
    await policy(ws, { firstResponseMinutes: 60 });
    const c = await converse(ws);
    const teamed = await converse(ws, { teamId: team.id });
    assert.equal((await clockOf(ws, c.id))?.dueAt, '2026-03-02T10:00:00.000Z');
    // The office opens at 09:30 from now on: an hour of business time ends at 10:30.
    const changed = await call(t.app, ws.owner, 'PATCH', `/api/v1/calendars/${office.id}`, {
      week: week('09:30'),
    });
    assert.equal(changed.statusCode, 200, changed.body);
    await settle();
    await settle();
    assert.equal((await clockOf(ws, c.id))?.dueAt, '2026-03-02T10:30:00.000Z');
    // The team follows the late shift: its conversation is due an hour after 13:00.
    const put = await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.id}/calendar`, {
      calendarId: late.id,
    });
    assert.ok(put.statusCode < 300, put.body);
    await settle();
    await settle();
    assert.equal((await clockOf(ws, teamed.id))?.dueAt, '2026-03-02T14:00:00.000Z');
    assert.equal((await clockOf(ws, c.id))?.dueAt, '2026-03-02T10:30:00.000Z');
  });

  test('the inbox sorts by the next deadline, most overdue first, keyset-paged', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await policy(ws, {
      firstResponseMinutes: 60,
      businessHours: false,
      conditions: { priorities: ['urgent'] },
    });
    await policy(ws, {
      firstResponseMinutes: 120,
      businessHours: false,
      conditions: { priorities: ['high'] },
    });
    const late = await converse(ws, { priority: 'high' });
    const none = await converse(ws, { priority: 'low' });
    const soon = await converse(ws, { priority: 'urgent' });
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/conversations?status=new,open&sort=deadline&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(t.app, ws.owner, 'GET', q);
      assert.equal(res.statusCode, 200, res.body);
      ids.push(...res.json().items.map((i: { id: number }) => i.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    assert.deepEqual(ids, [soon.id, late.id, none.id]);
  });
});

describe('SLA jobs: warnings and breaches on time', () => {
  test('a deadline moved by a pause does not fire at its old time; a reply in time means no breach', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await policy(ws, { firstResponseMinutes: 60, businessHours: false, warnPercent: 50 });
    const moved = await converse(ws);
    const answered = await converse(ws);
    t.clock.set(at(10));
    await patch(ws, moved.id, { status: 'pending' });
    t.clock.set(at(25));
    await message(ws, answered.id, 'outbound');
    t.clock.set(at(30));
    await message(ws, moved.id, 'inbound'); // 20 minutes paused: due 80, warning at 50
    t.clock.set(at(60));
    await settle();
    assert.deepEqual(
      (await slaEvents(ws, moved.id)).map((e) => e.type),
      ['sla.warning'],
      'the warning at 50 fired; the old deadline at 60 did not',
    );
    assert.deepEqual(await slaEvents(ws, answered.id), []);
    t.clock.set(at(80));
    await settle();
    const events = await slaEvents(ws, moved.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['sla.warning', 'sla.breached'],
    );
    assert.equal(events[1]!.data.dueAt, isoAt(80));
    assert.deepEqual(await slaEvents(ws, answered.id), [], 'met in time: never breached');
    const sweeps = await findJobs(t.database.db, ws.id, { type: 'sla.deadlines' });
    assert.deepEqual(
      sweeps.filter((j) => j.status === 'done').map((j) => j.runAt.toISOString()),
      [isoAt(30), isoAt(50), isoAt(80)],
      'the deadline sweep ran at the first warning time, then at the moved warning and deadline, never at the old deadline',
    );
    assert.equal(sweeps.filter((j) => j.status === 'queued').length, 0, 'nothing left to fire');
  });

  test('warning and breach fire once, within a poll interval of their time, across a restart; lead and assignee are told', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const lead = await ws.person('lead');
    const team = (
      await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: `T ${++n}`, leadId: lead.personId })
    ).json();
    await policy(ws, {
      firstResponseMinutes: 60,
      businessHours: false,
      breachActions: { raisePriority: 'urgent', reassignToTeam: true },
    });
    const c = await converse(ws, { teamId: team.id, assigneeId: agent.personId });
    t.clock.set(new Date(at(45).getTime() - 1));
    await settle();
    assert.equal((await slaEvents(ws, c.id)).length, 0, 'nothing before the warning time');
    t.clock.set(at(45));
    await settle();
    await settle();
    let events = await slaEvents(ws, c.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['sla.warning'],
    );
    assert.ok(Date.parse(events[0]!.createdAt) - at(45).getTime() < POLL_MS);
    assert.deepEqual(
      new Set(events[0]!.data.notifyPersonIds as number[]),
      new Set([agent.personId, lead.personId]),
    );

    // A restart: a new worker and app on the same database; the breach job is still there.
    await t.worker.stop();
    const { buildApp } = await import('../../app.js');
    const app2 = await buildApp(t.deps);
    const worker2 = createWorker({
      db: t.database.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      handlers: jobHandlers(t.deps),
      consumers: eventConsumers(t.deps),
      pollMs: 20,
    });
    try {
      t.clock.set(new Date(at(60).getTime() - 1));
      await worker2.drain();
      assert.equal((await slaEvents(ws, c.id)).length, 1, 'no breach before the deadline');
      t.clock.set(at(60));
      await worker2.drain();
      await worker2.drain();
      events = await slaEvents(ws, c.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['sla.warning', 'sla.breached'],
      );
      assert.ok(Date.parse(events[1]!.createdAt) - at(60).getTime() < POLL_MS);
      const clock = (await call(app2, ws.owner, 'GET', `/api/v1/conversations/${c.id}/sla`)).json().clocks[0];
      assert.equal(clock.state, 'breached');
      assert.equal(clock.breachedAt, isoAt(60));
      // The policy's actions: urgent, and back to the team's queue.
      const row = await conversationRow(ws, c.id);
      assert.equal(row.priority, 'urgent');
      assert.equal(row.assigneeId, null);
      const leadNotes = (await call(t.app, lead, 'GET', '/api/v1/notifications')).json().items as Array<{
        kind: string;
      }>;
      assert.deepEqual(leadNotes.map((x) => x.kind).sort(), ['sla_breached', 'sla_warning']);
      // The raised priority recomputed the clocks: the breach is a fact of this cycle and does not fire again.
      t.clock.set(at(120));
      await worker2.drain();
      assert.equal((await slaEvents(ws, c.id)).length, 2);
      const queued = await findJobs(t.database.db, ws.id, { type: 'sla.deadlines', statuses: ['queued'] });
      assert.equal(queued.length, 0, 'nothing left to fire');
    } finally {
      await worker2.stop();
      await app2.close();
    }
  });
});

describe('SLA attainment', () => {
  test('cycles met by their deadline / cycles decided in the period, per target, team, agent and channel', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: `T ${++n}` })).json();
    await policy(ws, { firstResponseMinutes: 60, nextResponseMinutes: 30, businessHours: false });
    // `kept` gets a third customer contact: no automatic escalation here (it would reassign the conversation).
    const escalation = (await call(t.app, ws.owner, 'GET', '/api/v1/escalations/settings')).json();
    await call(t.app, ws.owner, 'PUT', '/api/v1/escalations/settings', { ...escalation, enabled: false });
    const kept = await converse(ws, { teamId: team.id, assigneeId: agent.personId });
    const late = await converse(ws, { channel: 'chat' });
    const solved = await converse(ws);
    t.clock.set(at(10));
    await patch(ws, solved.id, { status: 'solved' }); // stopped before its deadline: never decided
    t.clock.set(at(20));
    await message(ws, kept.id, 'outbound'); // first response in time (decided at 20)
    t.clock.set(at(30));
    await message(ws, kept.id, 'inbound'); // next response due at 60
    t.clock.set(at(60));
    await settle(); // both deadlines at 60 pass: kept's next response, late's first response
    t.clock.set(at(70));
    await message(ws, kept.id, 'outbound'); // met late: still the breach decided at 60
    t.clock.set(at(80));
    await message(ws, kept.id, 'inbound');
    t.clock.set(at(90));
    await message(ws, kept.id, 'outbound'); // next response in time (decided at 90)
    t.clock.set(at(100));
    await message(ws, late.id, 'outbound'); // late's first response, met late: one cycle, breached
    const get = async (query: string, who = ws.owner) => {
      const res = await call(t.app, who, 'GET', `/api/v1/sla/attainment?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as {
        rows: Array<{
          key: number | string | null;
          overall: { met: number; decided: number; rate: number | null };
          targets: Record<string, { met: number; decided: number; rate: number | null }>;
        }>;
      };
    };
    const period = `from=${encodeURIComponent(START)}&to=${encodeURIComponent(isoAt(200))}`;
    const all = (await get(period)).rows;
    assert.equal(all.length, 1);
    assert.deepEqual(all[0]!.overall, { met: 2, decided: 4, rate: 0.5 });
    assert.deepEqual(all[0]!.targets.first_response, { met: 1, decided: 2, rate: 0.5 });
    assert.deepEqual(all[0]!.targets.next_response, { met: 1, decided: 2, rate: 0.5 });
    assert.deepEqual(all[0]!.targets.resolution, { met: 0, decided: 0, rate: null });

    const byTeam = new Map((await get(`${period}&by=team`)).rows.map((r) => [r.key, r.overall]));
    assert.deepEqual(byTeam.get(team.id), { met: 2, decided: 3, rate: 2 / 3 });
    assert.deepEqual(byTeam.get(null), { met: 0, decided: 1, rate: 0 });
    const byAgent = new Map((await get(`${period}&by=agent`)).rows.map((r) => [r.key, r.overall]));
    assert.deepEqual(byAgent.get(agent.personId), { met: 2, decided: 3, rate: 2 / 3 });
    const byChannel = new Map((await get(`${period}&by=channel`)).rows.map((r) => [r.key, r.overall]));
    assert.deepEqual(byChannel.get('chat'), { met: 0, decided: 1, rate: 0 });
    assert.deepEqual(byChannel.get('email'), { met: 2, decided: 3, rate: 2 / 3 });

    // A cycle counts in the period of its decision: from 65 on, only the next response met at 90 is left.
    const later = (await get(`from=${encodeURIComponent(isoAt(65))}&to=${encodeURIComponent(isoAt(200))}`))
      .rows[0]!;
    assert.deepEqual(later.overall, { met: 1, decided: 1, rate: 1 });

    // Analytics is for leads, managers, executives and admins; bad periods are a clear 400.
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/sla/attainment')).statusCode, 403);
    const executive = await ws.person('executive');
    assert.equal((await get(period, executive)).rows[0]!.overall.decided, 4);
    for (const bad of [
      `from=${encodeURIComponent(isoAt(10))}&to=${encodeURIComponent(isoAt(5))}`,
      'from=yesterday',
      'by=planet',
      'extra=1',
    ])
      assert.equal(
        (await call(t.app, ws.owner, 'GET', `/api/v1/sla/attainment?${bad}`)).statusCode,
        400,
        bad,
      );
  });
});
