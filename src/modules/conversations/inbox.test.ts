import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';
import { countConversations } from './conversations.repo.js';

const t = await createTestApp({ start: '2026-03-02T09:00:00Z' });
let n = 0;

async function open(ws: Awaited<ReturnType<typeof t.workspace>>, extra: Record<string, unknown> = {}) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Question ${++n}`,
    channel: 'email',
    customer: { email: `c${n}@example.com`, name: `Customer ${n}` },
    message: { body: 'Hello?' },
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation as { id: number };
}

describe('inbox: counts, my teams, bulk changes', () => {
  test('counts per view for the caller, and a bounded count that says when it stopped', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Cards' })).json();
    await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.id}/members/${agent.personId}`);
    await open(ws, { assigneeId: agent.personId });
    await open(ws, { teamId: team.id });
    await open(ws, { teamId: team.id, assigneeId: agent.personId });
    const solved = await open(ws);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${solved.id}`, { status: 'solved' });

    const counts = await call(t.app, agent, 'GET', '/api/v1/conversations/counts');
    assert.equal(counts.statusCode, 200, counts.body);
    const v = counts.json().views;
    assert.deepEqual(
      Object.fromEntries(Object.entries(v).map(([k, c]) => [k, (c as { count: number }).count])),
      { mine: 2, unassigned: 1, myTeams: 2, open: 3, pending: 0, solved: 1 },
    );
    assert.equal(v.open.capped, false);
    // The owner is in no team: "My teams" is empty for them, not everything.
    assert.equal(
      (await call(t.app, ws.owner, 'GET', '/api/v1/conversations/counts')).json().views.myTeams.count,
      0,
    );

    const bounded = await countConversations(t.deps.db, ws.id, { statuses: ['new', 'open'] }, 2);
    assert.deepEqual(bounded, { count: 2, capped: true });
    const exact = await countConversations(t.deps.db, ws.id, { statuses: ['new', 'open'] }, 3);
    assert.deepEqual(exact, { count: 3, capped: false });

    const mine = await call(t.app, agent, 'GET', '/api/v1/conversations?teamId=mine&status=new,open');
    assert.equal(mine.json().items.length, 2);
  });

  test('bulk: each conversation changed with its own events; refused ones are listed and the rest still change', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const agent = await ws.person('agent');
    const colleague = await ws.person('agent');
    const a = await open(ws, { tags: ['billing'] });
    const b = await open(ws);
    const closedOne = await open(ws);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${closedOne.id}`, { status: 'solved' });
    const foreign = await open(other);

    const res = await call(t.app, agent, 'POST', '/api/v1/conversations/bulk', {
      ids: [a.id, b.id, foreign.id, a.id],
      change: { assigneeId: agent.personId, priority: 'high', addTags: ['Refund'], removeTags: ['billing'] },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.changed, 2);
    assert.equal(body.failed, 1);
    assert.deepEqual(
      body.results.map((r: { id: number; ok: boolean; error?: { code: string } }) => [
        r.id,
        r.ok,
        r.error?.code,
      ]),
      [
        [a.id, true, undefined],
        [b.id, true, undefined],
        [foreign.id, false, 'CONVERSATION_NOT_FOUND'],
      ],
    );
    assert.deepEqual(body.results[0].conversation.tags, ['refund']);
    assert.deepEqual(body.results[1].conversation.tags, ['refund']);
    const foreignAfter = (
      await call(t.app, other.owner, 'GET', `/api/v1/conversations/${foreign.id}`)
    ).json();
    assert.equal(
      foreignAfter.conversation.priority,
      'normal',
      "another workspace's conversation is untouched",
    );
    const events = (await call(t.app, agent, 'GET', `/api/v1/conversations/${a.id}`)).json().events;
    for (const type of ['conversation.assigned', 'conversation.priority_changed', 'conversation.tagged'])
      assert.ok(
        events.some((e: { type: string }) => e.type === type),
        type,
      );

    // An agent may not hand conversations to a colleague: refused per conversation, nothing changed.
    const refused = await call(t.app, agent, 'POST', '/api/v1/conversations/bulk', {
      ids: [b.id],
      change: { assigneeId: colleague.personId },
    });
    assert.equal(refused.json().results[0].ok, false);
    assert.equal(refused.json().results[0].error.code, 'FORBIDDEN');

    for (const bad of [
      { ids: [], change: { priority: 'high' } },
      { ids: [a.id], change: {} },
      { ids: Array.from({ length: 101 }, (_, i) => i + 1), change: { priority: 'high' } },
      { ids: [a.id], change: { status: 'gone' } },
    ]) {
      const r = await call(t.app, agent, 'POST', '/api/v1/conversations/bulk', bad);
      assert.equal(r.statusCode, 400, JSON.stringify(bad));
    }
  });
});
