import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { testDbKind } from '../../../test/support/database.js';

/**
 * Intake resolving customer X while a merge of X into Y commits: the new conversation must end on Y, in
 * either order. Each order is forced with a third connection holding a row lock that one of the two needs
 * later, so the other runs in between. PostgreSQL only: PGlite runs one transaction at a time.
 */
const skip = testDbKind() !== 'pg' && 'PostgreSQL only: PGlite runs one transaction at a time';
const t = await createTestApp();

/** Connections of this test's database waiting for a lock. */
async function lockWaiters(): Promise<number> {
  const res = await t.deps.db.execute(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return (res.rows[0] as { n: number }).n;
}

/** Waits until `n` connections wait for a lock, or `settled` says the request finished without waiting. */
async function untilWaiting(n: number, settled: () => boolean): Promise<'waiting' | 'settled'> {
  for (let i = 0; i < 500; i++) {
    if ((await lockWaiters()) >= n) return 'waiting';
    if (settled()) return 'settled';
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${n} lock waiters after 5 s`);
}

function track(p: Promise<LightMyRequestResponse>) {
  const state = { done: false, promise: p };
  p.finally(() => {
    state.done = true;
  });
  return state;
}

async function setup(ws: TestWorkspace, email: string) {
  const first = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'First',
    channel: 'email',
    customer: { email, name: 'Xavier' },
    message: { body: 'first contact' },
  });
  assert.equal(first.statusCode, 201, first.body);
  const y = await call(t.app, ws.owner, 'POST', '/api/v1/customers', { name: 'Yvonne' });
  assert.equal(y.statusCode, 201, y.body);
  return {
    x: first.json().customer.id as number,
    y: y.json().id as number,
    firstConversationId: first.json().conversation.id as number,
  };
}

const intake = (ws: TestWorkspace, email: string, extra: Record<string, unknown> = {}) =>
  call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Second',
    channel: 'email',
    customer: { email },
    message: { body: 'second contact' },
    ...extra,
  });

const merge = (ws: TestWorkspace, x: number, y: number) =>
  call(t.app, ws.owner, 'POST', `/api/v1/customers/${y}/merge`, { sourceCustomerId: x });

async function customerOf(workspaceId: number, conversationId: number): Promise<number> {
  const res = await t.deps.db.execute(
    `select customer_id::int as c from conversations where workspace_id = ${workspaceId} and id = ${conversationId}`,
  );
  return (res.rows[0] as { c: number }).c;
}

test('a merge committing while intake waits for it: intake follows it to the surviving customer', {
  skip,
}, async () => {
  const ws = await t.workspace();
  const email = 'xavier.one@example.com';
  const { x, y, firstConversationId } = await setup(ws, email);
  const blocker = await t.database.pool!.connect();
  try {
    // The merge locks X, then stops at moving X's conversations (one of them is locked here).
    await blocker.query('begin');
    await blocker.query('select id from conversations where workspace_id = $1 and id = $2 for update', [
      ws.id,
      firstConversationId,
    ]);
    const merging = track(merge(ws, x, y));
    assert.equal(await untilWaiting(1, () => merging.done), 'waiting', 'the merge waits for the blocker');
    // Intake finds X by its e-mail while the merge holds it.
    const intaking = track(intake(ws, email));
    await untilWaiting(2, () => intaking.done);
    await blocker.query('rollback');
    const [merged, created] = await Promise.all([merging.promise, intaking.promise]);
    assert.equal(merged.statusCode, 200, merged.body);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().customer.id, y, 'intake answers with the surviving customer');
    assert.equal(await customerOf(ws.id, created.json().conversation.id), y);
  } finally {
    blocker.release();
  }
  const left = await call(t.app, ws.owner, 'GET', `/api/v1/conversations?customerId=${x}`);
  assert.deepEqual(left.json().items, [], 'nothing is left on the merged-away customer');
});

test('intake holding the customer while a merge starts: the merge waits and moves the new conversation', {
  skip,
}, async () => {
  const ws = await t.workspace();
  const agent = await ws.person('agent');
  const email = 'xavier.two@example.com';
  const { x, y } = await setup(ws, email);
  const blocker = await t.database.pool!.connect();
  try {
    // Intake resolves X, then stops at inserting the conversation (its assignee's row is locked here).
    await blocker.query('begin');
    await blocker.query('select id from people where workspace_id = $1 and id = $2 for update', [
      ws.id,
      agent.personId,
    ]);
    const intaking = track(intake(ws, email, { assigneeId: agent.personId }));
    assert.equal(await untilWaiting(1, () => intaking.done), 'waiting', 'intake waits for the blocker');
    const merging = track(merge(ws, x, y));
    await untilWaiting(2, () => merging.done);
    await blocker.query('rollback');
    const [created, merged] = await Promise.all([intaking.promise, merging.promise]);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(merged.statusCode, 200, merged.body);
    const conversationId = created.json().conversation.id as number;
    assert.ok(merged.json().conversationIds.includes(conversationId), 'the merge moved it');
    assert.equal(await customerOf(ws.id, conversationId), y);
  } finally {
    blocker.release();
  }
  const left = await call(t.app, ws.owner, 'GET', `/api/v1/conversations?customerId=${x}`);
  assert.deepEqual(left.json().items, [], 'nothing is left on the merged-away customer');
});
