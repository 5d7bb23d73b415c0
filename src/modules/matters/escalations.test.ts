import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';

// Friday 15:00 UTC: four business hours later (office hours Mon-Fri 09-17) is Monday 11:00.
const FRIDAY = '2026-03-06T15:00:00.000Z';
const t = await createTestApp({ start: FRIDAY });
const settle = () => t.worker.drain();
let n = 0;

type Escalation = {
  id: number;
  kind: string;
  level: string;
  ownerId: number | null;
  teamId: number | null;
  status: string;
  reason: string;
  callbackDueAt: string | null;
  callbackDoneAt: string | null;
  callbackOverdue: boolean;
  customerToldAt: string | null;
  matterId: number | null;
};

async function office(ws: TestWorkspace) {
  const cal = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
    name: 'Office',
    timeZone: 'UTC',
    week: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
    isDefault: true,
  });
  assert.equal(cal.statusCode, 201, cal.body);
}

async function team(ws: TestWorkspace, leadId: number) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: `Team ${++n}`, leadId });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

async function open(ws: TestWorkspace, customer: string, body: string, teamId?: number) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Escalation ${++n}`,
    channel: 'chat',
    customer: { email: customer, name: 'Rosa Diaz' },
    message: { body },
    ...(teamId ? { teamId } : {}),
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json().conversation.id as number;
}

async function say(ws: TestWorkspace, id: number, direction: string, body: string) {
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${id}/messages`, {
    direction,
    body,
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
}

async function escalationsOf(who: Caller, id: number) {
  const res = await call(t.app, who, 'GET', `/api/v1/conversations/${id}/escalations`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Escalation[];
}

async function conversation(who: Caller, id: number) {
  const res = await call(t.app, who, 'GET', `/api/v1/conversations/${id}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

describe('automatic escalation', () => {
  test('the third contact escalates once: priority, the lead, a call-back in business time, the customer told', async () => {
    t.clock.set(FRIDAY);
    const ws = await t.workspace();
    await office(ws);
    const lead = await ws.person('lead');
    const teamId = await team(ws, lead.personId);
    const customer = `rosa${++n}@example.com`;
    const id = await open(ws, customer, 'My transfer to my landlord never arrived', teamId);
    await say(ws, id, 'outbound', 'We are looking into it.');
    await say(ws, id, 'inbound', 'It still has not arrived, what is going on?');
    assert.deepEqual(await escalationsOf(ws.owner, id), [], 'two contacts: not yet');
    await say(ws, id, 'outbound', 'Please give it one more day.');
    await say(ws, id, 'inbound', 'Third time I write: where is my money?');

    const [e, ...more] = await escalationsOf(ws.owner, id);
    assert.equal(more.length, 0);
    assert.equal(e?.kind, 'automatic');
    assert.equal(e?.ownerId, lead.personId);
    assert.equal(e?.callbackDueAt, '2026-03-09T11:00:00.000Z', 'four business hours from Friday 15:00');
    assert.ok(e?.customerToldAt, 'the customer was told');
    const c = await conversation(ws.owner, id);
    assert.equal(c.conversation.priority, 'urgent');
    assert.equal(c.conversation.assigneeId, lead.personId);
    const escalated = (c.events as Array<{ type: string; data: Record<string, unknown> }>).filter(
      (x) => x.type === 'conversation.escalated',
    );
    assert.equal(escalated.length, 1);
    assert.match(String(escalated[0]?.data.reason), /3 times/);
    const messages = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}/messages`);
    const told = (messages.json().items as Array<{ direction: string; body: string }>).filter(
      (m) => m.direction === 'outbound' && m.body.includes('call you back'),
    );
    assert.equal(told.length, 1);
    assert.match(told[0]?.body ?? '', /Mon, 9 Mar 2026, 11:00 \(UTC\)/);
    const leadNotes = await call(t.app, lead, 'GET', '/api/v1/notifications');
    assert.ok(
      (leadNotes.json().items as Array<{ kind: string }>).some((x) => x.kind === 'escalation'),
      'the lead was notified',
    );

    // More contacts on the matter: no second escalation, no second message.
    await say(ws, id, 'outbound', 'Our lead will call you.');
    await say(ws, id, 'inbound', 'Fourth message: still nothing');
    const second = await open(ws, customer, 'My transfer to my landlord never arrived', teamId);
    assert.equal((await escalationsOf(ws.owner, id)).length, 1);
    assert.equal((await escalationsOf(ws.owner, second)).length, 0);

    // The call-back is due Monday 11:00: its owner hears of it then, once.
    t.clock.set('2026-03-09T11:00:00.000Z');
    await settle();
    const list = await call(t.app, lead, 'GET', `/api/v1/escalations?ownerId=${lead.personId}`);
    const item = (list.json().items as Array<Escalation & { conversationSubject: string }>).find(
      (x) => x.id === e?.id,
    );
    assert.equal(item?.callbackOverdue, true);
    const overdueEvents = (await conversation(ws.owner, id)).events.filter(
      (x: { type: string }) => x.type === 'escalation.callback_overdue',
    );
    assert.equal(overdueEvents.length, 1);

    const done = await call(t.app, lead, 'POST', `/api/v1/escalations/${e?.id}/callback`, {
      note: 'Called Rosa, the bank returned the transfer',
    });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().callbackOverdue, false);
    assert.equal(
      (await call(t.app, lead, 'POST', `/api/v1/escalations/${e?.id}/callback`, { note: 'again' }))
        .statusCode,
      422,
    );
    assert.equal(
      (await call(t.app, lead, 'POST', `/api/v1/escalations/${e?.id}/callback`, {})).statusCode,
      400,
    );
    const resolved = await call(t.app, lead, 'POST', `/api/v1/escalations/${e?.id}/resolve`, {});
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.equal(resolved.json().status, 'resolved');
    const open_ = await call(t.app, lead, 'GET', '/api/v1/escalations');
    assert.ok(!(open_.json().items as Escalation[]).some((x) => x.id === e?.id));
    const closed = await call(t.app, lead, 'GET', '/api/v1/escalations?status=resolved');
    assert.ok((closed.json().items as Escalation[]).some((x) => x.id === e?.id));
  });

  test('the threshold and target are settings; invalid ones are refused and change nothing', async () => {
    t.clock.set(FRIDAY);
    const ws = await t.workspace();
    const senior = await ws.person('manager');
    const defaults = await call(t.app, ws.owner, 'GET', '/api/v1/escalations/settings');
    assert.equal(defaults.json().contactThreshold, 3);
    const settings = { ...defaults.json(), contactThreshold: 2, target: 'person', personId: senior.personId };
    const put = await call(t.app, ws.owner, 'PUT', '/api/v1/escalations/settings', settings);
    assert.equal(put.statusCode, 200, put.body);
    for (const bad of [
      { ...settings, personId: null },
      { ...settings, contactThreshold: 1 },
      { ...settings, callbackBusinessHours: 0 },
      { ...settings, target: 'ceo' },
    ])
      assert.equal((await call(t.app, ws.owner, 'PUT', '/api/v1/escalations/settings', bad)).statusCode, 400);
    const foreign = await (await t.workspace()).person('manager');
    assert.equal(
      (
        await call(t.app, ws.owner, 'PUT', '/api/v1/escalations/settings', {
          ...settings,
          personId: foreign.personId,
        })
      ).statusCode,
      404,
    );
    const agent = await ws.person('agent');
    assert.equal((await call(t.app, agent, 'PUT', '/api/v1/escalations/settings', settings)).statusCode, 403);
    assert.equal(
      (await call(t.app, ws.owner, 'GET', '/api/v1/escalations/settings')).json().personId,
      senior.personId,
    );

    const id = await open(ws, `s${++n}@example.com`, 'The app logs me out all the time');
    await say(ws, id, 'outbound', 'Try reinstalling it.');
    await say(ws, id, 'inbound', 'Did that, it still logs me out');
    const [e] = await escalationsOf(ws.owner, id);
    assert.equal(e?.ownerId, senior.personId, 'the second contact escalates, to the named person');
    assert.equal(e?.callbackDueAt, '2026-03-06T19:00:00.000Z', 'no calendar: around the clock');
  });
});

describe('manual escalation', () => {
  test('to the lead, a manager or the executive queue, with a reason', async () => {
    t.clock.set(FRIDAY);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const lead = await ws.person('lead');
    const teamId = await team(ws, lead.personId);
    const id = await open(ws, `m${++n}@example.com`, 'I want to speak to someone in charge', teamId);
    const post = (body: Record<string, unknown>) =>
      call(t.app, agent, 'POST', `/api/v1/conversations/${id}/escalate`, body);

    const toLead = await post({ level: 'lead', reason: 'Customer asks for a supervisor', callbackHours: 2 });
    assert.equal(toLead.statusCode, 201, toLead.body);
    assert.equal(toLead.json().ownerId, lead.personId);
    assert.equal(toLead.json().kind, 'manual');
    assert.equal(toLead.json().callbackDueAt, '2026-03-06T17:00:00.000Z');
    await settle();
    assert.equal((await conversation(agent, id)).conversation.priority, 'high');

    assert.equal((await post({ level: 'manager', reason: 'x' })).statusCode, 400, 'a manager is named');
    assert.equal((await post({ level: 'lead', reason: '' })).statusCode, 400, 'a reason is required');
    const executive = await post({ level: 'executive', reason: 'Threatens to go to the press' });
    assert.equal(executive.statusCode, 422);
    assert.equal(executive.json().error.code, 'NO_ESCALATION_TARGET');

    const boss = await ws.person('manager');
    const execTeam = await team(ws, boss.personId);
    const settings = (await call(t.app, ws.owner, 'GET', '/api/v1/escalations/settings')).json();
    await call(t.app, ws.owner, 'PUT', '/api/v1/escalations/settings', {
      ...settings,
      executiveTeamId: execTeam,
    });
    const toExec = await post({ level: 'executive', reason: 'Threatens to go to the press' });
    assert.equal(toExec.statusCode, 201, toExec.body);
    assert.equal(toExec.json().ownerId, boss.personId);
    assert.equal(toExec.json().teamId, execTeam);

    const other = await t.workspace();
    const theirs = await open(other, `o${++n}@example.com`, 'hello');
    assert.equal(
      (
        await call(t.app, agent, 'POST', `/api/v1/conversations/${theirs}/escalate`, {
          level: 'lead',
          reason: 'x',
        })
      ).statusCode,
      404,
    );
    assert.equal((await escalationsOf(other.owner, theirs)).length, 0);
    assert.equal((await escalationsOf(agent, id)).length, 2);
  });
});
