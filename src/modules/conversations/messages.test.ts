import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp();

async function newConversation(caller: Caller) {
  const res = await call(t.app, caller, 'POST', '/api/v1/conversations', {
    subject: 'Lost parcel',
    channel: 'email',
    customer: { email: 'grace@example.com', name: 'Grace' },
    message: { body: 'My parcel never arrived.' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation as { id: number; customerId: number };
}

const post = (caller: Caller, id: number, body: Record<string, unknown>) =>
  call(t.app, caller, 'POST', `/api/v1/conversations/${id}/messages`, body);

describe('messages', () => {
  test('a reply opens a new conversation, sets first_response_at once and can set pending; a note changes no status nor preview', async () => {
    const ws = await t.workspace();
    const c = await newConversation(ws.owner);
    t.clock.advance(60_000);
    const firstReplyAt = t.clock.now().toISOString();
    const reply = await post(ws.owner, c.id, { direction: 'outbound', body: 'Sorry! Checking now.' });
    assert.equal(reply.statusCode, 201, reply.body);
    const afterReply = reply.json().conversation;
    assert.equal(afterReply.status, 'open', 'an answered conversation is no longer new');
    assert.equal(afterReply.firstResponseAt, firstReplyAt);
    assert.equal(afterReply.lastOutboundAt, firstReplyAt);
    assert.equal(afterReply.messageCount, 2);
    assert.equal(reply.json().message.authorPersonId, ws.owner.personId);

    t.clock.advance(60_000);
    const second = await post(ws.owner, c.id, {
      direction: 'outbound',
      body: 'Could you send the order number?',
      status: 'pending',
    });
    assert.equal(second.json().conversation.status, 'pending');
    assert.equal(second.json().conversation.firstResponseAt, firstReplyAt);

    const note = await post(ws.owner, c.id, { direction: 'note', body: 'Courier says delivered' });
    assert.equal(note.statusCode, 201);
    assert.equal(note.json().conversation.status, 'pending');
    assert.equal(note.json().conversation.lastMessagePreview, 'Could you send the order number?');
    assert.equal(note.json().conversation.messageCount, 4);

    t.clock.advance(60_000);
    const inbound = await post(ws.owner, c.id, { direction: 'inbound', body: 'Order 42', externalId: 'm-2' });
    assert.equal(inbound.json().conversation.status, 'open');
    assert.equal(inbound.json().conversation.lastInboundAt, t.clock.now().toISOString());
    assert.equal(inbound.json().message.authorCustomerId, c.customerId);
    const noteWithStatus = await post(ws.owner, c.id, { direction: 'note', body: 'x', status: 'solved' });
    assert.equal(noteWithStatus.statusCode, 400);

    const timeline = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json();
    assert.deepEqual(
      timeline.messages.map((m: { direction: string }) => m.direction),
      ['inbound', 'outbound', 'outbound', 'note', 'inbound'],
    );
    assert.ok(timeline.events.some((e: { type: string }) => e.type === 'note.added'));
  });

  test('an inbound message reopens a solved conversation and counts it', async () => {
    const ws = await t.workspace();
    const c = await newConversation(ws.owner);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${c.id}`, { status: 'solved' });
    const res = await post(ws.owner, c.id, { direction: 'inbound', body: 'Still not here!' });
    assert.equal(res.json().conversation.status, 'open');
    assert.equal(res.json().conversation.reopenedCount, 1);
    const events = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json().events;
    assert.equal(events.at(-1).type, 'conversation.reopened');
  });

  test('closed is final: an inbound message starts a new conversation linked to it; replies are refused', async () => {
    const ws = await t.workspace();
    const c = await newConversation(ws.owner);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${c.id}`, { status: 'solved' });
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${c.id}`, { status: 'closed' });
    for (const direction of ['outbound', 'note']) {
      const refused = await post(ws.owner, c.id, { direction, body: 'hello?' });
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'CONVERSATION_CLOSED');
    }
    const res = await post(ws.owner, c.id, {
      direction: 'inbound',
      body: 'It broke again',
      externalId: 'again-1',
    });
    assert.equal(res.statusCode, 201, res.body);
    const { conversation, startedNew } = res.json();
    assert.equal(startedNew, true);
    assert.notEqual(conversation.id, c.id);
    assert.equal(conversation.previousConversationId, c.id);
    assert.equal(conversation.status, 'new');
    assert.equal(conversation.customerId, c.customerId);
    const old = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json();
    assert.equal(old.conversation.status, 'closed');
    assert.equal(old.conversation.messageCount, 1);
    const retry = await post(ws.owner, c.id, {
      direction: 'inbound',
      body: 'It broke again',
      externalId: 'again-1',
    });
    assert.equal(retry.statusCode, 409);
    assert.equal(retry.json().error.details.conversationId, conversation.id);
  });

  test('a duplicate external id on a conversation is 409 and changes nothing', async () => {
    const ws = await t.workspace();
    const c = await newConversation(ws.owner);
    const first = await post(ws.owner, c.id, { direction: 'inbound', body: 'one', externalId: 'dup' });
    assert.equal(first.statusCode, 201);
    const dup = await post(ws.owner, c.id, { direction: 'inbound', body: 'one again', externalId: 'dup' });
    assert.equal(dup.statusCode, 409);
    assert.deepEqual(dup.json().error.details, {
      channel: 'email',
      externalId: 'dup',
      messageId: first.json().message.id,
      conversationId: c.id,
    });
    const read = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json();
    assert.equal(read.conversation.messageCount, 2);
    assert.equal(read.messages.length, 2);
    const sms = await post(ws.owner, c.id, {
      direction: 'inbound',
      body: 'by sms',
      externalId: 'dup',
      channel: 'sms',
    });
    assert.equal(sms.statusCode, 201);
    assert.equal(sms.json().message.channel, 'sms');
  });

  test('messages page oldest first with a cursor', async () => {
    const ws = await t.workspace();
    const c = await newConversation(ws.owner);
    for (let i = 0; i < 4; i++) {
      t.clock.advance(1000);
      await post(ws.owner, c.id, { direction: 'outbound', body: `reply ${i}` });
    }
    const bodies: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        t.app,
        ws.owner,
        'GET',
        `/api/v1/conversations/${c.id}/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.statusCode, 200, res.body);
      bodies.push(...res.json().items.map((m: { body: string }) => m.body));
      cursor = res.json().nextCursor;
    } while (cursor);
    assert.deepEqual(bodies, ['My parcel never arrived.', 'reply 0', 'reply 1', 'reply 2', 'reply 3']);
  });
});
