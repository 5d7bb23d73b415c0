import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';
import { countConversations } from './inbox-list.repo.js';

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
    const unlisted = await call(t.app, agent, 'PUT', `/api/v1/conversations/${solved.id}/contact-reason`, {
      contactReasonId: 'none_fits',
    });
    assert.equal(unlisted.statusCode, 200, unlisted.body);

    const counts = await call(t.app, agent, 'GET', '/api/v1/conversations/counts');
    assert.equal(counts.statusCode, 200, counts.body);
    const v = counts.json().views;
    assert.deepEqual(
      Object.fromEntries(Object.entries(v).map(([k, c]) => [k, (c as { count: number }).count])),
      { mine: 2, unassigned: 1, myTeams: 2, open: 3, pending: 0, solved: 1, distressed: 0, noneFits: 1 },
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

  test('sorts: longest waiting first, most urgent first, newest first; keyset pages never skip or repeat', async () => {
    const ws = await t.workspace();
    const minute = 60_000;
    // Five conversations a minute apart; the customer of #2 and #4 got an answer (nobody waits on them).
    const made: { id: number }[] = [];
    const priorities = ['low', 'urgent', 'normal', 'urgent', 'high'];
    for (const priority of priorities) {
      made.push(await open(ws, { priority }));
      t.clock.advance(minute);
    }
    for (const i of [1, 3]) {
      const r = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${made[i]!.id}/messages`, {
        direction: 'outbound',
        body: 'Answered',
      });
      assert.equal(r.statusCode, 201, r.body);
      t.clock.advance(minute);
    }
    // The customer of #0 writes again: they wait since now, not since the first message.
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${made[0]!.id}/messages`, {
      direction: 'inbound',
      body: 'Any news?',
    });
    const ids = (items: { id: number }[]) => items.map((c) => made.findIndex((m) => m.id === c.id));

    async function all(sort: string, limit: number) {
      const seen: { id: number }[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(
          t.app,
          ws.owner,
          'GET',
          `/api/v1/conversations?status=new,open&sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        assert.equal(res.statusCode, 200, res.body);
        seen.push(...res.json().items);
        cursor = res.json().nextCursor;
      } while (cursor);
      return ids(seen);
    }
    for (const limit of [50, 2, 1]) {
      // Waiting: #2 (since minute 2), #4 (minute 4), #0 (wrote again last); then #1 and #3, answered, by id.
      assert.deepEqual(await all('waiting', limit), [2, 4, 0, 1, 3], `waiting, pages of ${limit}`);
      // Urgent (#3 then #1, newest activity first), high #4, normal #2, low #0.
      assert.deepEqual(await all('priority', limit), [3, 1, 4, 2, 0], `priority, pages of ${limit}`);
      assert.deepEqual(await all('newest', limit), [0, 3, 1, 4, 2], `newest, pages of ${limit}`);
    }
    const bad = await call(t.app, ws.owner, 'GET', '/api/v1/conversations?sort=oldest');
    assert.equal(bad.statusCode, 400);
  });

  test('saved views: own and shared, filters incl. tier and "me", counted with the built-in ones', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const lead = await ws.person('lead');
    const gold = await open(ws, { assigneeId: agent.personId, tags: ['refund'] });
    const customerId = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${gold.id}`)).json()
      .conversation.customerId;
    const tiered = await call(t.app, ws.owner, 'PATCH', `/api/v1/customers/${customerId}`, { tier: 'gold' });
    assert.equal(tiered.statusCode, 200, tiered.body);
    await open(ws, { assigneeId: agent.personId, tags: ['refund'] });
    await open(ws, { tags: ['refund'] });

    // An agent saves their own view; a shared one needs a lead.
    const refused = await call(t.app, agent, 'POST', '/api/v1/views', {
      name: 'Gold refunds',
      filters: { tag: 'refund' },
      shared: true,
    });
    assert.equal(refused.statusCode, 403);
    const own = await call(t.app, agent, 'POST', '/api/v1/views', {
      name: 'My gold refunds',
      filters: { tag: 'Refund', tier: 'gold', assigneeId: 'me', statuses: ['new', 'open'] },
      sort: 'waiting',
    });
    assert.equal(own.statusCode, 201, own.body);
    assert.equal(own.json().filters.tag, 'refund');
    const shared = await call(t.app, lead, 'POST', '/api/v1/views', {
      name: 'All refunds',
      filters: { tag: 'refund' },
      shared: true,
    });
    assert.equal(shared.statusCode, 201, shared.body);

    const listed = await call(t.app, agent, 'GET', '/api/v1/views');
    assert.deepEqual(
      listed
        .json()
        .items.map((v: { name: string }) => v.name)
        .sort(),
      ['All refunds', 'My gold refunds'],
    );
    // The lead sees the shared view, not the agent's own.
    assert.deepEqual(
      (await call(t.app, lead, 'GET', '/api/v1/views')).json().items.map((v: { name: string }) => v.name),
      ['All refunds'],
    );
    const counts = (await call(t.app, agent, 'GET', '/api/v1/conversations/counts')).json().saved;
    const byId = Object.fromEntries(counts.map((c: { id: number; count: number }) => [c.id, c.count]));
    assert.deepEqual(byId, { [own.json().id]: 1, [shared.json().id]: 3 });
    // The same filter through the list.
    const page = await call(t.app, agent, 'GET', `/api/v1/conversations?tag=refund&tier=gold`);
    assert.deepEqual(
      page.json().items.map((c: { id: number }) => c.id),
      [gold.id],
    );

    // Agents cannot change or delete the shared view; the lead cannot see the agent's own (404, not 403).
    assert.equal(
      (await call(t.app, agent, 'PATCH', `/api/v1/views/${shared.json().id}`, { name: 'x' })).statusCode,
      403,
    );
    assert.equal((await call(t.app, agent, 'DELETE', `/api/v1/views/${shared.json().id}`)).statusCode, 403);
    assert.equal((await call(t.app, lead, 'DELETE', `/api/v1/views/${own.json().id}`)).statusCode, 404);
    const renamed = await call(t.app, agent, 'PATCH', `/api/v1/views/${own.json().id}`, {
      name: 'Gold',
      sort: 'priority',
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().sort, 'priority');

    // Bad filters: an unknown team, another workspace's person, unknown keys.
    const other = await t.workspace();
    const stranger = await other.person('agent');
    for (const filters of [{ teamId: 999_999 }, { assigneeId: stranger.personId }]) {
      const bad = await call(t.app, agent, 'POST', '/api/v1/views', { name: 'Bad', filters });
      assert.equal(bad.statusCode, 422, JSON.stringify(filters));
    }
    assert.equal(
      (await call(t.app, agent, 'POST', '/api/v1/views', { name: 'Bad', filters: { colour: 'red' } }))
        .statusCode,
      400,
    );
    assert.equal((await call(t.app, stranger, 'DELETE', `/api/v1/views/${own.json().id}`)).statusCode, 404);
    assert.equal((await call(t.app, agent, 'DELETE', `/api/v1/views/${own.json().id}`)).statusCode, 204);
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/views')).json().items.length, 1);
  });

  test('saved views by contact reason and distress: filtered, counted, and a reason of another workspace refused', async () => {
    const ws = await t.workspace();
    const reason = await call(t.app, ws.owner, 'POST', '/api/v1/contact-reasons', { name: 'Card lost' });
    assert.equal(reason.statusCode, 201, reason.body);
    const lost = await open(ws, { message: { body: 'I lost my card yesterday. This is urgent!' } });
    const calm = await open(ws, { message: { body: 'I lost my card, could you send a new one?' } });
    const other = await open(ws, { message: { body: 'Third time asking: where is my refund?' } });
    for (const c of [lost, calm]) {
      const set = await call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${c.id}/contact-reason`, {
        contactReasonId: reason.json().id,
      });
      assert.equal(set.statusCode, 200, set.body);
    }
    await t.worker.drain(); // the customer messages are read: distress on `lost` and `other`
    const save = (filters: object) => call(t.app, ws.owner, 'POST', '/api/v1/views', { name: 'V', filters });
    const byReason = await save({ contactReasonId: reason.json().id });
    const upset = await save({ contactReasonId: reason.json().id, distressed: true });
    const unset = await save({ contactReasonId: 'none', distressed: true });
    for (const v of [byReason, upset, unset]) assert.equal(v.statusCode, 201, v.body);
    assert.deepEqual(upset.json().filters, { contactReasonId: reason.json().id, distressed: true });
    const counts = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations/counts')).json().saved;
    const byId = Object.fromEntries(counts.map((c: { id: number; count: number }) => [c.id, c.count]));
    assert.deepEqual(byId, { [byReason.json().id]: 2, [upset.json().id]: 1, [unset.json().id]: 1 });
    // The agent app lists a view through the same filters as query parameters.
    const listed = async (query: string) =>
      (await call(t.app, ws.owner, 'GET', `/api/v1/conversations?${query}`))
        .json()
        .items.map((c: { id: number }) => c.id);
    assert.deepEqual(await listed(`contactReasonId=${reason.json().id}&distressed=true`), [lost.id]);
    assert.deepEqual(await listed('contactReasonId=none&distressed=true'), [other.id]);
    assert.deepEqual((await listed(`contactReasonId=${reason.json().id}`)).sort(), [lost.id, calm.id].sort());

    // Another workspace's reason is not one to filter by; a wrong type is a 400.
    const stranger = await t.workspace();
    const theirs = await call(t.app, stranger.owner, 'POST', '/api/v1/contact-reasons', { name: 'Theirs' });
    assert.equal((await save({ contactReasonId: theirs.json().id })).statusCode, 422);
    assert.equal((await save({ contactReasonId: 'some' })).statusCode, 400);
    assert.equal((await save({ distressed: 'yes' })).statusCode, 400);
    // `false` would read as "only calm customers": leave it out for any.
    assert.equal((await save({ distressed: false })).statusCode, 400);
    const patched = await call(t.app, ws.owner, 'PATCH', `/api/v1/views/${byReason.json().id}`, {
      filters: { contactReasonId: theirs.json().id },
    });
    assert.equal(patched.statusCode, 422, patched.body);

    // A group of reasons matches its sub-reasons: agents code the finer one.
    const group = await call(t.app, ws.owner, 'POST', '/api/v1/contact-reasons', { name: 'Cards' });
    const moved = await call(t.app, ws.owner, 'PATCH', `/api/v1/contact-reasons/${reason.json().id}`, {
      parentId: group.json().id,
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual((await listed(`contactReasonId=${group.json().id}`)).sort(), [lost.id, calm.id].sort());
    // A reason a view filters on is archived, not deleted: the view would silently match nothing.
    const refused = await call(t.app, ws.owner, 'DELETE', `/api/v1/contact-reasons/${group.json().id}`);
    assert.equal(refused.statusCode, 409, refused.body);
    const unused = await call(t.app, ws.owner, 'POST', '/api/v1/contact-reasons', { name: 'Unused' });
    await save({ contactReasonId: unused.json().id });
    const inView = await call(t.app, ws.owner, 'DELETE', `/api/v1/contact-reasons/${unused.json().id}`);
    assert.equal(inView.statusCode, 409, inView.body);
    assert.match(inView.json().error.message, /saved inbox view/);
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
