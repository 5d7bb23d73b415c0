import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp();

async function conversationOf(caller: Caller, customer: Record<string, unknown>, body = 'Hello') {
  const res = await call(t.app, caller, 'POST', '/api/v1/conversations', {
    subject: 'Question',
    channel: 'email',
    customer,
    message: { body },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { conversation: { id: number; customerId: number }; message: { id: number } };
}

describe('customer conversations and merge', () => {
  test("a customer's conversations, newest first, paged; unknown customers are 404", async () => {
    const ws = await t.workspace();
    const first = await conversationOf(ws.owner, { email: 'kim@example.com' });
    const ids = [first.conversation.id];
    for (let i = 0; i < 2; i++) {
      t.clock.advance(1000);
      ids.push((await conversationOf(ws.owner, { email: 'kim@example.com' })).conversation.id);
    }
    await conversationOf(ws.owner, { email: 'someone-else@example.com' });
    const url = `/api/v1/customers/${first.conversation.customerId}/conversations`;
    const page1 = (await call(t.app, ws.owner, 'GET', `${url}?limit=2`)).json();
    assert.deepEqual(
      page1.items.map((c: { id: number }) => c.id),
      [ids[2], ids[1]],
    );
    const page2 = (await call(t.app, ws.owner, 'GET', `${url}?limit=2&cursor=${page1.nextCursor}`)).json();
    assert.deepEqual(
      page2.items.map((c: { id: number }) => c.id),
      [ids[0]],
    );
    assert.equal(page2.nextCursor, null);
    const missing = await call(t.app, ws.owner, 'GET', '/api/v1/customers/999999/conversations');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'CUSTOMER_NOT_FOUND');
    const other = await t.workspace();
    assert.equal((await call(t.app, other.owner, 'GET', url)).statusCode, 404);
  });

  test('merging moves conversations, message authorship and identities, and leaves an audit trail', async () => {
    const ws = await t.workspace();
    const target = await conversationOf(ws.owner, { email: 'pat@example.com' });
    const source1 = await conversationOf(ws.owner, { email: 'pat.old@example.com' });
    const source2 = await conversationOf(ws.owner, { email: 'pat.old@example.com' }, 'Second');
    const targetId = target.conversation.customerId;
    const sourceId = source1.conversation.customerId;
    assert.notEqual(targetId, sourceId);

    const res = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${targetId}/merge`, {
      sourceCustomerId: sourceId,
    });
    assert.equal(res.statusCode, 200, res.body);
    const outcome = res.json();
    assert.deepEqual(outcome.conversationIds, [source1.conversation.id, source2.conversation.id]);
    assert.equal(outcome.identityIds.length, 1);
    assert.equal(outcome.messagesReattributed, 2);

    const moved = (
      await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${source1.conversation.id}`)
    ).json();
    assert.equal(moved.conversation.customerId, targetId);
    assert.equal(moved.messages[0].authorCustomerId, targetId);
    assert.equal(moved.events.at(-1).type, 'conversation.customer_changed');
    const list = (await call(t.app, ws.owner, 'GET', `/api/v1/customers/${targetId}/conversations`)).json();
    assert.equal(list.items.length, 3);
    const gone = await call(t.app, ws.owner, 'GET', `/api/v1/customers/${sourceId}/conversations`);
    assert.equal(gone.statusCode, 404);

    const again = await conversationOf(ws.owner, { email: 'pat.old@example.com' });
    assert.equal(again.conversation.customerId, targetId, 'the moved identity now finds the target');

    const events = await t.deps.db.execute(
      `select entity_id, data from events where workspace_id = ${ws.id} and type = 'customer.merged' order by entity_id`,
    );
    assert.equal(events.rows.length, 2);
    const data = (events.rows[0] as { data: { conversationIds: number[]; identityIds: number[] } }).data;
    assert.deepEqual(data.conversationIds, outcome.conversationIds);
    assert.deepEqual(data.identityIds, outcome.identityIds);

    const twice = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${targetId}/merge`, {
      sourceCustomerId: sourceId,
    });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, 'ALREADY_MERGED');
  });

  test('merging into itself, unknown or foreign customers, and without the permission are refused', async () => {
    const ws = await t.workspace();
    const a = await conversationOf(ws.owner, { email: 'a@example.com' });
    const id = a.conversation.customerId;
    const self = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${id}/merge`, {
      sourceCustomerId: id,
    });
    assert.equal(self.statusCode, 422);
    assert.equal(self.json().error.code, 'CANNOT_MERGE_INTO_ITSELF');
    const other = await t.workspace();
    const foreign = await conversationOf(other.owner, { email: 'b@example.com' });
    const cross = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${id}/merge`, {
      sourceCustomerId: foreign.conversation.customerId,
    });
    assert.equal(cross.statusCode, 404);
    assert.equal(cross.json().error.code, 'CUSTOMER_NOT_FOUND');
    const intoForeign = await call(
      t.app,
      ws.owner,
      'POST',
      `/api/v1/customers/${foreign.conversation.customerId}/merge`,
      {
        sourceCustomerId: id,
      },
    );
    assert.equal(intoForeign.statusCode, 404);
    const exec = await ws.person('executive');
    assert.equal(
      (await call(t.app, exec, 'POST', `/api/v1/customers/${id}/merge`, { sourceCustomerId: 1 })).statusCode,
      403,
    );
    const moved = await t.deps.db.execute(
      `select customer_id from conversations where workspace_id = ${other.id}`,
    );
    assert.equal((moved.rows[0] as { customer_id: number }).customer_id, foreign.conversation.customerId);
  });
});

test('merging a customer with 12,000 conversations (past the 65,535 parameters of one statement) works', async () => {
  const ws = await t.workspace();
  const source = (await conversationOf(ws.owner, { email: 'many@example.com' })).conversation.customerId;
  const target = (await conversationOf(ws.owner, { email: 'keep@example.com' })).conversation.customerId;
  const at = t.clock.now().toISOString();
  // Bulk rows straight in SQL: 12,000 conversations through the API would make this test take minutes.
  await t.deps.db.execute(`
    insert into conversations (workspace_id, subject, status, channel, customer_id, created_at, updated_at)
    select ${ws.id}, 'bulk ' || g, 'open', 'email', ${source}, '${at}', '${at}' from generate_series(1, 12000) g`);
  await t.deps.db.execute(`
    insert into messages (workspace_id, conversation_id, direction, channel, author_customer_id, body_text, created_at)
    select workspace_id, id, 'inbound', 'email', customer_id, 'hi', created_at from conversations
    where workspace_id = ${ws.id} and customer_id = ${source}`);
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${target}/merge`, {
    sourceCustomerId: source,
  });
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  const left = await t.deps.db.execute(
    `select count(*)::int as n from messages where workspace_id = ${ws.id} and author_customer_id = ${source}`,
  );
  assert.equal((left.rows[0] as { n: number }).n, 0);
  const moved = await t.deps.db.execute(
    `select count(*)::int as n from events where workspace_id = ${ws.id} and type = 'conversation.customer_changed'`,
  );
  assert.equal((moved.rows[0] as { n: number }).n, 12_001);
});
