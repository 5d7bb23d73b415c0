import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp({ start: '2026-03-02T09:00:00Z' });
const minute = 60_000;

type Ws = Awaited<ReturnType<typeof t.workspace>>;
async function open(ws: Ws, email: string, subject: string, body: string, extra: object = {}) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject,
    channel: 'email',
    customer: { email, name: 'Maria Lopez' },
    message: { body },
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  t.clock.advance(minute);
  return res.json().conversation as { id: number; customerId: number };
}
async function say(ws: Ws, id: number, direction: string, body: string) {
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${id}/messages`, {
    direction,
    body,
  });
  assert.equal(res.statusCode, 201, res.body);
  t.clock.advance(minute);
  return res.json().message.id as number;
}
const get = async (ws: Ws, id: number) =>
  (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`)).json();

describe('merge and split conversations', () => {
  test('merge: messages, attachments of them and handle time move; facts recomputed; the source is closed and says where', async () => {
    const ws = await t.workspace();
    const target = await open(ws, 'maria@example.com', 'Parcel late', 'Where is my parcel?', {
      tags: ['delivery'],
    });
    const source = await open(ws, 'maria@example.com', 'Re: parcel', 'Any news on the parcel?', {
      tags: ['vip'],
    });
    await say(ws, target.id, 'outbound', 'It is on its way.');
    await say(ws, source.id, 'note', 'Same customer as the other one');
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${source.id}/activity`, {
      state: 'viewing',
      active: true,
    });
    t.clock.advance(10_000);
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${source.id}/activity`, {
      state: 'viewing',
      active: true,
    });

    const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${source.id}/merge`, {
      intoId: target.id,
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.movedMessageIds.length, 2);
    assert.equal(body.merged.status, 'closed');
    assert.equal(body.merged.mergedIntoId, target.id);
    assert.equal(body.merged.messageCount, 0);
    assert.equal(body.conversation.messageCount, 4);
    assert.deepEqual(body.conversation.tags, ['delivery', 'vip']);
    // The last word exchanged with the customer (the later note does not count).
    assert.equal(body.conversation.lastMessagePreview, 'It is on its way.');
    assert.equal(
      body.conversation.lastInboundAt,
      '2026-03-02T09:01:00.000Z',
      "the source's inbound is the latest",
    );

    const after = await get(ws, target.id);
    assert.deepEqual(
      after.messages.map((m: { body: string }) => m.body),
      [
        'Where is my parcel?',
        'Any news on the parcel?',
        'It is on its way.',
        'Same customer as the other one',
      ],
      'one timeline, in time order',
    );
    assert.ok(after.events.some((e: { type: string }) => e.type === 'conversation.merged'));
    const ht = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${target.id}/handle-time`)).json();
    assert.equal(ht.totalSeconds, 10, 'handle time moved with the messages');
    const old = await get(ws, source.id);
    assert.deepEqual(old.messages, []);
    assert.ok(old.events.some((e: { type: string }) => e.type === 'conversation.merged_into'));

    // Once merged, never again; and the closed one takes no changes.
    const again = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${source.id}/merge`, {
      intoId: target.id,
    });
    assert.equal(again.statusCode, 422);
    assert.equal(again.json().error.code, 'INVALID_MERGE');
  });

  test('merge refuses itself, another customer, a closed target, and another workspace; nothing moves', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const a = await open(ws, 'a@example.com', 'A', 'first');
    const b = await open(ws, 'b@example.com', 'B', 'second');
    const a2 = await open(ws, 'a@example.com', 'A2', 'third');
    const foreign = await open(other, 'a@example.com', 'F', 'elsewhere');
    const cases: Array<[number, number, number, string?]> = [
      [a.id, a.id, 422, 'INVALID_MERGE'],
      [a.id, b.id, 422, 'INVALID_MERGE'],
      [a.id, foreign.id, 404, 'CONVERSATION_NOT_FOUND'],
      [foreign.id, a.id, 404, 'CONVERSATION_NOT_FOUND'],
    ];
    for (const [from, into, status, code] of cases) {
      const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${from}/merge`, {
        intoId: into,
      });
      assert.equal(res.statusCode, status, `${from} -> ${into}: ${res.body}`);
      assert.equal(res.json().error.code, code);
    }
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${a2.id}`, { status: 'solved' });
    await t.deps.db.execute(`update conversations set status = 'closed' where id = ${a2.id}`);
    const closed = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${a.id}/merge`, {
      intoId: a2.id,
    });
    assert.equal(closed.statusCode, 422);
    assert.equal((await get(ws, a.id)).messages.length, 1, 'nothing moved');
    for (const body of [{}, { intoId: 'x' }, { intoId: a2.id, extra: 1 }]) {
      const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${a.id}/merge`, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
    }
  });

  test('split: the chosen messages start a new open conversation of the customer; both are recomputed', async () => {
    const ws = await t.workspace();
    const c = await open(ws, 'maria@example.com', 'Parcel late', 'Where is my parcel?', {
      priority: 'high',
      tags: ['delivery'],
    });
    await say(ws, c.id, 'outbound', 'It is on its way.');
    const other = await say(ws, c.id, 'inbound', 'Also, my invoice has no VAT number.');
    const note = await say(ws, c.id, 'note', 'Invoice question for accounting');

    const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${c.id}/split`, {
      messageIds: [other, note],
      subject: 'Invoice without VAT number',
    });
    assert.equal(res.statusCode, 201, res.body);
    const { conversation: created, from } = res.json();
    assert.equal(created.subject, 'Invoice without VAT number');
    assert.equal(created.status, 'open');
    assert.equal(created.customerId, c.customerId);
    assert.equal(created.priority, 'high');
    assert.equal(created.messageCount, 2);
    assert.equal(created.lastMessagePreview, 'Also, my invoice has no VAT number.');
    assert.equal(from.messageCount, 2);
    assert.equal(from.lastMessagePreview, 'It is on its way.');
    assert.equal(from.lastInboundAt, from.firstInboundAt, 'the later inbound left');
    const fresh = await get(ws, created.id);
    assert.deepEqual(
      fresh.messages.map((m: { id: number }) => m.id),
      [other, note],
    );
    assert.ok((await get(ws, c.id)).events.some((e: { type: string }) => e.type === 'conversation.split'));

    // Every message cannot go; foreign or unknown ids are refused and nothing moves.
    const all = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${created.id}/split`, {
      messageIds: [other, note],
    });
    assert.equal(all.statusCode, 422);
    const strange = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${c.id}/split`, {
      messageIds: [other],
    });
    assert.equal(strange.statusCode, 422);
    assert.equal(strange.json().error.code, 'INVALID_SPLIT');
    assert.equal((await get(ws, created.id)).messages.length, 2);
    const empty = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${c.id}/split`, {
      messageIds: [],
    });
    assert.equal(empty.statusCode, 400);
  });
});
