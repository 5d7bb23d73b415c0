import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp();

async function newConversation(caller: Caller, extra: Record<string, unknown> = {}) {
  const res = await call(t.app, caller, 'POST', '/api/v1/conversations', {
    subject: 'Refund',
    channel: 'chat',
    customer: { email: `c-${Math.random().toString(36).slice(2)}@example.com` },
    message: { body: 'Where is my refund?' },
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation as { id: number; status: string };
}

const patch = (caller: Caller, id: number, body: Record<string, unknown>) =>
  call(t.app, caller, 'PATCH', `/api/v1/conversations/${id}`, body);

async function eventsOf(caller: Caller, id: number) {
  const res = await call(t.app, caller, 'GET', `/api/v1/conversations/${id}`);
  return res.json().events as Array<{ type: string; data: Record<string, unknown>; actorId: number }>;
}

describe('changing a conversation', () => {
  test('each change records its own event with before and after; a no-op records nothing', async () => {
    const ws = await t.workspace();
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Refunds' })).json();
    const c = await newConversation(ws.owner);
    const res = await patch(ws.owner, c.id, {
      status: 'open',
      priority: 'urgent',
      assigneeId: ws.owner.personId,
      teamId: team.id,
      tags: ['Refund'],
      subject: 'Refund for order 42',
    });
    assert.equal(res.statusCode, 200, res.body);
    const after = res.json();
    assert.deepEqual(
      [after.status, after.priority, after.assigneeId, after.teamId, after.tags, after.subject],
      ['open', 'urgent', ws.owner.personId, team.id, ['refund'], 'Refund for order 42'],
    );
    const events = await eventsOf(ws.owner, c.id);
    const byType = Object.fromEntries(events.map((e) => [e.type, e.data]));
    assert.deepEqual(byType['conversation.status_changed'], {
      before: { status: 'new' },
      after: { status: 'open' },
    });
    assert.deepEqual(byType['conversation.assigned'], {
      before: { assigneeId: null },
      after: { assigneeId: ws.owner.personId },
    });
    assert.deepEqual(byType['conversation.priority_changed'], {
      before: { priority: 'normal' },
      after: { priority: 'urgent' },
    });
    assert.deepEqual(byType['conversation.team_changed'], {
      before: { teamId: null },
      after: { teamId: team.id },
    });
    assert.deepEqual(byType['conversation.tagged'], { before: { tags: [] }, after: { tags: ['refund'] } });
    assert.ok(byType['conversation.subject_changed']);

    const same = await patch(ws.owner, c.id, { status: 'open', priority: 'urgent' });
    assert.equal(same.statusCode, 200);
    assert.equal((await eventsOf(ws.owner, c.id)).length, events.length);
    const unassigned = await patch(ws.owner, c.id, { assigneeId: null, teamId: null });
    assert.equal(unassigned.json().assigneeId, null);
    assert.equal(unassigned.json().teamId, null);
  });

  test('solve, reopen and close record named events; solved_at and reopened_count follow', async () => {
    const ws = await t.workspace();
    const c = await newConversation(ws.owner);
    const solved = (await patch(ws.owner, c.id, { status: 'solved' })).json();
    assert.equal(solved.solvedAt, t.clock.now().toISOString());
    const reopened = (await patch(ws.owner, c.id, { status: 'pending' })).json();
    assert.equal(reopened.reopenedCount, 1);
    assert.equal(reopened.solvedAt, null);
    await patch(ws.owner, c.id, { status: 'solved' });
    const closed = await patch(ws.owner, c.id, { status: 'closed' });
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json().closedAt, t.clock.now().toISOString());
    const types = (await eventsOf(ws.owner, c.id)).map((e) => e.type).slice(2);
    assert.deepEqual(types, [
      'conversation.solved',
      'conversation.reopened',
      'conversation.solved',
      'conversation.closed',
    ]);
  });

  test('invalid transitions are 422 and change nothing; a closed conversation is final', async () => {
    const ws = await t.workspace();
    const c = await newConversation(ws.owner);
    for (const status of ['closed', 'bogus']) {
      const res = await patch(ws.owner, c.id, { status, priority: 'high' });
      assert.equal(res.statusCode, status === 'bogus' ? 400 : 422, res.body);
    }
    await patch(ws.owner, c.id, { status: 'open' });
    const back = await patch(ws.owner, c.id, { status: 'new' });
    assert.equal(back.statusCode, 422);
    assert.equal(back.json().error.code, 'INVALID_STATUS_TRANSITION');
    const read = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json();
    assert.equal(read.conversation.priority, 'normal', 'the refused patch changed nothing');
    await patch(ws.owner, c.id, { status: 'solved' });
    await patch(ws.owner, c.id, { status: 'closed' });
    for (const body of [{ status: 'open' }, { priority: 'low' }, { tags: ['x'] }]) {
      const res = await patch(ws.owner, c.id, body);
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error.code, 'CONVERSATION_CLOSED');
    }
  });

  test('agents take and release their own; reassigning needs a lead', async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    const lead = await ws.person('lead');
    const c = await newConversation(ws.owner);
    const expectForbidden = async (caller: Caller, body: Record<string, unknown>) => {
      const res = await patch(caller, c.id, body);
      assert.equal(res.statusCode, 403, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error.code, 'FORBIDDEN');
    };
    await expectForbidden(a, { assigneeId: b.personId });
    assert.equal(
      (await patch(a, c.id, { assigneeId: a.personId })).statusCode,
      200,
      'take an unassigned one',
    );
    await expectForbidden(b, { assigneeId: b.personId });
    await expectForbidden(b, { assigneeId: null });
    assert.equal((await patch(b, c.id, { status: 'open' })).statusCode, 200, 'other changes are fine');
    assert.equal((await patch(a, c.id, { assigneeId: null })).statusCode, 200, 'let go of your own');
    assert.equal((await patch(lead, c.id, { assigneeId: b.personId })).statusCode, 200);
    assert.equal((await patch(lead, c.id, { assigneeId: a.personId })).statusCode, 200);
    const exec = await ws.person('executive');
    assert.equal((await patch(exec, c.id, { status: 'pending' })).statusCode, 403, 'executives read only');
  });

  test('the assignee must be an active colleague who handles conversations; the team must exist', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const exec = await ws.person('executive');
    const c = await newConversation(ws.owner);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${agent.personId}`, { status: 'deactivated' });
    const deactivated = await patch(ws.owner, c.id, { assigneeId: agent.personId });
    assert.equal(deactivated.statusCode, 422);
    assert.equal(deactivated.json().error.code, 'INVALID_REFERENCE');
    assert.equal(
      (await patch(ws.owner, c.id, { assigneeId: exec.personId })).json().error.code,
      'INVALID_REFERENCE',
    );
    const other = await t.workspace();
    const foreign = await patch(ws.owner, c.id, { assigneeId: other.owner.personId });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'PERSON_NOT_FOUND');
    const foreignTeam = (await call(t.app, other.owner, 'POST', '/api/v1/teams', { name: 'Theirs' })).json();
    assert.equal(
      (await patch(ws.owner, c.id, { teamId: foreignTeam.id })).json().error.code,
      'TEAM_NOT_FOUND',
    );
    const read = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json();
    assert.equal(read.conversation.assigneeId, null);
    assert.equal(read.events.length, 2);
  });
});
