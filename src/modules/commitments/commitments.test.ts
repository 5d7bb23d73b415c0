import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { type Caller, call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { eventually, listenRealtime } from '../../../test/support/realtime.js';
import { eventConsumers, jobHandlers } from '../../boot.js';
import { createWorker, findJobs } from '../../platform/index.js';

const START = '2026-03-02T09:00:00.000Z'; // a Monday
const t = await createTestApp({ start: START });
const MINUTE = 60_000;
/** The worker's poll interval in production (config default): a job must fire within it of its time. */
const POLL_MS = 1_000;
const at = (minutes: number) => new Date(Date.parse(START) + minutes * MINUTE);
const isoAt = (minutes: number) => at(minutes).toISOString();
const settle = () => t.worker.drain();
let n = 0;

type Promise_ = {
  id: number;
  status: string;
  dueAt: string;
  ownerId: number;
  teamId: number | null;
  text: string;
  note: string | null;
  overdue: boolean;
  keptAt: string | null;
  remindedAt: string | null;
  escalatedAt: string | null;
  sourceMessageId: number | null;
};

async function converse(ws: TestWorkspace, extra: Record<string, unknown> = {}) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Refund ${++n}`,
    channel: 'chat',
    customer: { email: `c${n}-${Math.random().toString(36).slice(2, 8)}@example.com` },
    message: { body: 'I was charged twice' },
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json().conversation as { id: number; customerId: number };
}

const base = (c: number) => `/api/v1/conversations/${c}/commitments`;
async function promise(who: Caller, conversationId: number, body: Record<string, unknown>) {
  const res = await call(t.app, who, 'POST', base(conversationId), { text: `Promise ${++n}`, ...body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as Promise_;
}
async function list(who: Caller, conversationId: number) {
  const res = await call(t.app, who, 'GET', base(conversationId));
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Promise_[];
}
async function act(who: Caller, conversationId: number, id: number, action: string, body?: unknown) {
  return call(t.app, who, 'POST', `${base(conversationId)}/${id}/${action}`, body);
}
async function promiseEvents(ws: TestWorkspace, conversationId: number, type: string) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${conversationId}`);
  return (
    res.json().events as Array<{ type: string; createdAt: string; data: Record<string, unknown> }>
  ).filter((e) => e.type === type);
}
async function notificationsOf(who: Caller) {
  const res = await call(t.app, who, 'GET', '/api/v1/notifications');
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Array<{ kind: string; title: string; link: string }>;
}
async function officeCalendar(ws: TestWorkspace) {
  const cal = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
    name: 'Office',
    timeZone: 'UTC',
    week: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
    isDefault: true,
  });
  assert.equal(cal.statusCode, 201, cal.body);
}

describe('commitments API', () => {
  test('record with a due phrase in business time, list, fulfil with a note, break with a reason', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await officeCalendar(ws);
    const agent = await ws.person('agent');
    const c = await converse(ws);
    // Mon 09:00 + 5 business days (Tue..Mon) → Monday 9 March at 17:00.
    const refund = await promise(agent, c.id, {
      text: 'Refund the second charge',
      due: 'in 5 business days',
    });
    assert.equal(refund.dueAt, '2026-03-09T17:00:00.000Z');
    assert.equal(refund.ownerId, agent.personId);
    assert.equal(refund.status, 'open');
    const call10 = await promise(agent, c.id, { text: 'Call back', due: 'tomorrow at 10' });
    assert.equal(call10.dueAt, '2026-03-03T10:00:00.000Z');
    const preview = await call(
      t.app,
      agent,
      'GET',
      `${base(c.id)}/due-preview?due=${encodeURIComponent('by Friday')}`,
    );
    assert.deepEqual(preview.json(), { dueAt: '2026-03-06T17:00:00.000Z' });
    assert.deepEqual(
      (await list(agent, c.id)).map((p) => p.id),
      [call10.id, refund.id],
      'soonest due first',
    );

    const kept = await act(agent, c.id, call10.id, 'fulfil', { note: 'Called, all good' });
    assert.equal(kept.statusCode, 200, kept.body);
    assert.equal(kept.json().status, 'kept');
    assert.equal(kept.json().keptAt, START);
    assert.equal(kept.json().note, 'Called, all good');
    assert.equal((await act(agent, c.id, refund.id, 'fulfil')).statusCode, 200, 'one click: no note needed');

    const other = await promise(agent, c.id, { dueAt: isoAt(600) });
    const noReason = await act(agent, c.id, other.id, 'break', {});
    assert.equal(noReason.statusCode, 400, noReason.body);
    assert.equal(noReason.json().error.code, 'VALIDATION_FAILED');
    const broken = await act(agent, c.id, other.id, 'break', { note: 'The bank refused the refund' });
    assert.equal(broken.json().status, 'broken');
    assert.equal(broken.json().note, 'The bank refused the refund');
    const again = await act(agent, c.id, other.id, 'fulfil');
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().error.code, 'COMMITMENT_NOT_OPEN');
    const types = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`))
      .json()
      .events.map((e: { type: string }) => e.type)
      .filter((x: string) => x.startsWith('commitment.'));
    assert.deepEqual(types.sort(), [
      'commitment.broken',
      'commitment.created',
      'commitment.created',
      'commitment.created',
      'commitment.kept',
      'commitment.kept',
    ]);
  });

  test("without a calendar, wall-clock words are read in the workspace's time zone", async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const c = await converse(ws);
    const utc = await call(
      t.app,
      ws.owner,
      'GET',
      `${base(c.id)}/due-preview?due=${encodeURIComponent('tomorrow at 10')}`,
    );
    assert.deepEqual(utc.json(), { dueAt: '2026-03-03T10:00:00.000Z' });
    const set = await call(t.app, ws.owner, 'PATCH', '/api/v1/workspace', {
      settings: { timeZone: 'Europe/Berlin' },
    });
    assert.equal(set.statusCode, 200, set.body);
    const berlin = await call(
      t.app,
      ws.owner,
      'GET',
      `${base(c.id)}/due-preview?due=${encodeURIComponent('tomorrow at 10')}`,
    );
    assert.deepEqual(berlin.json(), { dueAt: '2026-03-03T09:00:00.000Z' }, '10:00 in Berlin (UTC+1)');
  });

  test('hostile and wrong input is a clear 4xx; other workspaces and read-only roles are kept out', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const other = await t.workspace();
    const c = await converse(ws);
    const p = await promise(ws.owner, c.id, { due: 'in 2 hours' });
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ text: 'x', due: 'whenever' }, 422, 'INVALID_DUE'],
      [{ text: 'x', dueAt: isoAt(-5) }, 422, 'INVALID_DUE'],
      [{ text: 'x', dueAt: '2026-02-30T10:00:00Z' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'x' }, 422, 'INVALID_DUE'],
      [{ text: 'x', due: 'in 2 hours', dueAt: isoAt(60) }, 422, 'INVALID_DUE'],
      [{ text: '', due: 'in 2 hours' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'x'.repeat(501), due: 'in 2 hours' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'x', due: 'in 2 hours', status: 'kept' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'x', due: 'in 2 hours', ownerId: 987654321 }, 404, 'PERSON_NOT_FOUND'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call(t.app, ws.owner, 'POST', base(c.id), body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)} -> ${res.body}`);
      assert.equal(res.json().error.code, code, JSON.stringify(body));
    }
    const executive = await ws.person('executive');
    assert.equal((await call(t.app, executive, 'GET', base(c.id))).statusCode, 200);
    assert.equal(
      (await call(t.app, executive, 'POST', base(c.id), { text: 'x', due: 'in 2 hours' })).statusCode,
      403,
    );
    const agent = await ws.person('agent');
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/commitments/kept-rate')).statusCode, 403);
    // Another workspace: its ids are missing ones.
    for (const [method, url, body] of [
      ['GET', base(c.id), undefined],
      ['POST', base(c.id), { text: 'x', due: 'in 2 hours' }],
      ['PATCH', `${base(c.id)}/${p.id}`, { text: 'y' }],
      ['POST', `${base(c.id)}/${p.id}/fulfil`, {}],
      ['POST', `${base(c.id)}/${p.id}/break`, { note: 'n' }],
    ] as const) {
      const res = await call(t.app, other.owner, method, url, body);
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
    }
    // A promise of one conversation is not reachable through another.
    const c2 = await converse(ws);
    assert.equal((await act(ws.owner, c2.id, p.id, 'fulfil')).statusCode, 404);
    assert.equal((await list(ws.owner, c.id))[0]!.status, 'open');
    const overdue = await call(t.app, other.owner, 'GET', '/api/v1/commitments/overdue');
    assert.deepEqual(overdue.json().items, []);
  });
});

describe('reminders and escalation', () => {
  test('the reminder and the escalation fire once, within a poll interval of their time, across a restart', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const lead = await ws.person('lead');
    const team = (
      await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: `T ${++n}`, leadId: lead.personId })
    ).json();
    const c = await converse(ws, { teamId: team.id, assigneeId: agent.personId });
    const p = await promise(agent, c.id, { text: 'Send the replacement', dueAt: isoAt(120) });
    assert.equal(p.teamId, team.id);

    t.clock.set(new Date(at(120).getTime() - 1));
    await settle();
    assert.equal((await promiseEvents(ws, c.id, 'commitment.due')).length, 0, 'not before its time');
    t.clock.set(at(120));
    await settle();
    await settle();
    const due = await promiseEvents(ws, c.id, 'commitment.due');
    assert.equal(due.length, 1);
    assert.ok(Date.parse(due[0]!.createdAt) - at(120).getTime() < POLL_MS);
    const reminders = (await notificationsOf(agent)).filter((x) => x.kind === 'promise_due');
    assert.equal(reminders.length, 1);
    assert.match(reminders[0]!.title, /Send the replacement/);
    assert.equal(reminders[0]!.link, `/conversations/${c.id}`);
    const row = (await list(agent, c.id))[0]!;
    assert.equal(row.remindedAt, isoAt(120));
    assert.equal(row.overdue, false, 'due now, not yet past it');

    // A restart: a new worker and app on the same database; the escalation job is still there. (The
    // harness's worker is never started: it runs when a test drains it, so it stays as it is.)
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
      t.clock.set(new Date(at(180).getTime() - 1));
      await worker2.drain();
      assert.equal((await promiseEvents(ws, c.id, 'commitment.overdue')).length, 0);
      t.clock.set(at(180));
      await worker2.drain();
      await worker2.drain();
      const over = await promiseEvents(ws, c.id, 'commitment.overdue');
      assert.equal(over.length, 1);
      assert.ok(Date.parse(over[0]!.createdAt) - at(180).getTime() < POLL_MS);
      const leadNotes = (await notificationsOf(lead)).filter((x) => x.kind === 'escalation');
      assert.equal(leadNotes.length, 1);
      assert.match(leadNotes[0]!.title, /overdue/);
      const overdue = await call(app2, lead, 'GET', '/api/v1/commitments/overdue');
      assert.deepEqual(
        overdue.json().items.map((x: { id: number; ownerName: string }) => [x.id, x.ownerName]),
        [[p.id, 'A agent']],
      );
      // Much later: nothing fires again.
      t.clock.set(at(60 * 24 * 3));
      await worker2.drain();
      assert.equal((await promiseEvents(ws, c.id, 'commitment.due')).length, 1);
      assert.equal((await promiseEvents(ws, c.id, 'commitment.overdue')).length, 1);
      const jobs = await findJobs(t.database.db, ws.id, { statuses: ['queued'] });
      assert.deepEqual(
        jobs.filter((j) => j.type.startsWith('commitment.')),
        [],
      );
    } finally {
      await worker2.stop();
      await app2.close();
    }
  });

  test('a new due time moves the reminder (and reminds again); keeping or breaking cancels it', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const c = await converse(ws);
    const p = await promise(agent, c.id, { dueAt: isoAt(60) });
    t.clock.set(at(60));
    await settle();
    assert.equal((await promiseEvents(ws, c.id, 'commitment.due')).length, 1);
    // Moved to later: a second reminder at the new time, none before it.
    const moved = await call(t.app, agent, 'PATCH', `${base(c.id)}/${p.id}`, { dueAt: isoAt(240) });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().remindedAt, null);
    t.clock.set(new Date(at(239).getTime()));
    await settle();
    assert.equal((await promiseEvents(ws, c.id, 'commitment.due')).length, 1);
    // Moved again before it fired: the old time is gone, only the new one fires.
    await call(t.app, agent, 'PATCH', `${base(c.id)}/${p.id}`, { dueAt: isoAt(300) });
    t.clock.set(at(240));
    await settle();
    assert.equal((await promiseEvents(ws, c.id, 'commitment.due')).length, 1);
    t.clock.set(at(300));
    await settle();
    const due = await promiseEvents(ws, c.id, 'commitment.due');
    assert.equal(due.length, 2);
    assert.equal(due[1]!.data.dueAt, isoAt(300));

    // Kept and broken promises are never reminded of nor escalated.
    const q = await promise(agent, c.id, { dueAt: isoAt(400) });
    const r = await promise(agent, c.id, { dueAt: isoAt(400) });
    assert.equal((await act(agent, c.id, q.id, 'fulfil', { note: 'done' })).statusCode, 200);
    assert.equal((await act(agent, c.id, r.id, 'break', { note: 'cannot' })).statusCode, 200);
    t.clock.set(at(600));
    await settle();
    const fired = [
      ...(await promiseEvents(ws, c.id, 'commitment.due')),
      ...(await promiseEvents(ws, c.id, 'commitment.overdue')),
    ].map((e) => e.data.commitmentId);
    assert.ok(!fired.includes(q.id) && !fired.includes(r.id), JSON.stringify(fired));
  });
});

describe('suggestions from replies', () => {
  test('a promise in an outbound reply is suggested to its author, who confirms or dismisses it', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await officeCalendar(ws);
    const agent = await ws.person('agent');
    const c = await converse(ws, { assigneeId: agent.personId });
    const inbound = await call(t.app, agent, 'POST', `/api/v1/conversations/${c.id}/messages`, {
      direction: 'inbound',
      body: 'I will wait within 2 days.',
    });
    assert.equal(inbound.statusCode, 201);
    const live = await listenRealtime(t.database);
    const reply = await call(t.app, agent, 'POST', `/api/v1/conversations/${c.id}/messages`, {
      direction: 'outbound',
      body: "Sorry about that! We will refund the second charge within 3 business days. I'll call you tomorrow at 10.",
    });
    assert.equal(reply.statusCode, 201, reply.body);
    await settle();
    const items = await list(agent, c.id);
    assert.deepEqual(
      items.map((p) => [p.status, p.text, p.dueAt, p.ownerId, p.sourceMessageId]),
      [
        [
          'suggested',
          "I'll call you tomorrow at 10.",
          '2026-03-03T10:00:00.000Z',
          agent.personId,
          reply.json().message.id,
        ],
        [
          'suggested',
          'We will refund the second charge within 3 business days.',
          '2026-03-05T17:00:00.000Z',
          agent.personId,
          reply.json().message.id,
        ],
      ],
    );
    const [callBack, refund] = items as [Promise_, Promise_];
    // Agent apps showing the conversation hear of each suggestion (and re-fetch its promises).
    const pushes = () =>
      live.messages.filter((m) => m.type === 'commitment.changed' && m.data.conversationId === c.id);
    await eventually(() => pushes().length === 2);
    assert.deepEqual(
      pushes().map((m) => m.data.status),
      ['suggested', 'suggested'],
    );
    // A suggestion can be neither kept nor broken before it is confirmed.
    assert.equal((await act(agent, c.id, refund.id, 'fulfil')).statusCode, 409);
    const confirmed = await act(agent, c.id, refund.id, 'confirm', { text: 'Refund the second charge' });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal(confirmed.json().status, 'open');
    assert.equal(confirmed.json().text, 'Refund the second charge');
    const dismissed = await act(agent, c.id, callBack.id, 'dismiss');
    await eventually(() => pushes().length === 4);
    await live.stop();
    assert.equal(dismissed.statusCode, 200, dismissed.body);
    assert.equal((await act(agent, c.id, callBack.id, 'confirm')).statusCode, 409);
    assert.deepEqual(
      (await list(agent, c.id)).map((p) => p.id),
      [refund.id],
      'dismissed suggestions leave the list',
    );
    const jobs = await findJobs(t.database.db, ws.id, { statuses: ['queued'] });
    assert.deepEqual(
      jobs
        .filter((j) => j.type.startsWith('commitment.'))
        .map((j) => [j.type, j.runAt.toISOString()])
        .sort(),
      [
        ['commitment.due', '2026-03-05T17:00:00.000Z'],
        ['commitment.overdue', '2026-03-05T18:00:00.000Z'],
      ],
      'only the confirmed one is scheduled',
    );
  });
});

describe('merges', () => {
  test("a merged conversation's promises continue on the conversation it went into", async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const email = `m${++n}@example.com`;
    const a = await converse(ws, { customer: { email } });
    const b = await converse(ws, { customer: { email } });
    const p = await promise(ws.owner, b.id, { text: 'Send the label', dueAt: isoAt(120) });
    const merged = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${b.id}/merge`, {
      intoId: a.id,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    await settle();
    assert.deepEqual(
      (await list(ws.owner, a.id)).map((x) => [x.id, x.text]),
      [[p.id, 'Send the label']],
    );
    assert.deepEqual(await list(ws.owner, b.id), []);
    assert.equal((await act(ws.owner, a.id, p.id, 'fulfil')).statusCode, 200);
  });
});

describe('promise-kept rate', () => {
  test('per agent, team and workspace: fulfilled by the due time / due, exact values', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const lead = await ws.person('lead');
    const ann = await ws.person('agent');
    const bob = await ws.person('agent');
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: `Billing ${++n}` })).json();
    const teamed = await converse(ws, { teamId: team.id });
    const loose = await converse(ws);
    // Ann, on the team's conversation: kept on time, kept late, broken.
    const a1 = await promise(ann, teamed.id, { dueAt: isoAt(60) });
    const a2 = await promise(ann, teamed.id, { dueAt: isoAt(60) });
    const a3 = await promise(ann, teamed.id, { dueAt: isoAt(120) });
    // Bob, on a conversation without a team: kept on time, open and overdue, open and not due yet.
    const b1 = await promise(bob, loose.id, { dueAt: isoAt(60) });
    const b2 = await promise(bob, loose.id, { dueAt: isoAt(90) });
    await promise(bob, loose.id, { dueAt: isoAt(60 * 24) });
    // A suggestion and a dismissed one never count.
    await call(t.app, bob, 'POST', `/api/v1/conversations/${loose.id}/messages`, {
      direction: 'outbound',
      body: 'I will check with the bank today. We will send a voucher within 2 days.',
    });
    await settle();
    const suggestions = (await list(bob, loose.id)).filter((p) => p.status === 'suggested');
    assert.equal(suggestions.length, 2);
    await act(bob, loose.id, suggestions[0]!.id, 'dismiss');

    t.clock.set(at(30));
    await act(ann, teamed.id, a1.id, 'fulfil');
    await act(bob, loose.id, b1.id, 'fulfil', { note: 'early' });
    t.clock.set(at(100));
    await act(ann, teamed.id, a2.id, 'fulfil', { note: 'late' });
    await act(ann, teamed.id, a3.id, 'break', { note: 'out of stock' });
    t.clock.set(at(150));

    const res = await call(
      t.app,
      lead,
      'GET',
      `/api/v1/commitments/kept-rate?from=${encodeURIComponent(START)}&to=${encodeURIComponent(isoAt(60 * 48))}`,
    );
    assert.equal(res.statusCode, 200, res.body);
    const figures = res.json();
    // Due: a1 a2 a3 (Ann), b1 b2 (Bob) = 5; kept by their due time: a1, b1 = 2.
    assert.deepEqual(figures.workspace, { id: null, name: null, due: 5, kept: 2, rate: 0.4 });
    const byId = (rows: Array<{ id: number | null; due: number; kept: number; rate: number | null }>) =>
      Object.fromEntries(rows.map((r) => [String(r.id), [r.due, r.kept, r.rate]]));
    assert.deepEqual(byId(figures.agents), {
      [ann.personId]: [3, 1, 1 / 3],
      [bob.personId]: [2, 1, 0.5],
    });
    assert.deepEqual(byId(figures.teams), { [team.id]: [3, 1, 1 / 3], null: [2, 1, 0.5] });

    // A period that holds only the 90-minute one: Bob's overdue promise, nothing kept.
    const narrow = await call(
      t.app,
      lead,
      'GET',
      `/api/v1/commitments/kept-rate?from=${encodeURIComponent(isoAt(61))}&to=${encodeURIComponent(isoAt(119))}`,
    );
    assert.deepEqual(narrow.json().workspace, { id: null, name: null, due: 1, kept: 0, rate: 0 });
    // Nothing due: no rate, not 0.
    const empty = await call(
      t.app,
      lead,
      'GET',
      `/api/v1/commitments/kept-rate?from=${encodeURIComponent(isoAt(60 * 30))}&to=${encodeURIComponent(isoAt(60 * 40))}`,
    );
    assert.deepEqual(empty.json().workspace, { id: null, name: null, due: 0, kept: 0, rate: null });
    const backwards = await call(
      t.app,
      lead,
      'GET',
      `/api/v1/commitments/kept-rate?from=${encodeURIComponent(isoAt(60))}&to=${encodeURIComponent(START)}`,
    );
    assert.equal(backwards.statusCode, 400);

    const overdue = await call(t.app, ann, 'GET', '/api/v1/commitments/overdue');
    assert.deepEqual(
      overdue.json().items.map((x: { id: number }) => x.id),
      [b2.id],
    );
    const bobs = await call(t.app, ann, 'GET', `/api/v1/commitments/overdue?ownerId=${ann.personId}`);
    assert.deepEqual(bobs.json().items, []);
  });
});
