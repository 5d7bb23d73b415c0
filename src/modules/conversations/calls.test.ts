import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp({ start: '2026-03-02T10:00:00Z' });

describe('phone calls', () => {
  it('a call logged on a conversation is a phone contact in its timeline, and its duration is handle time', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const created = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
      subject: 'Invoice',
      channel: 'email',
      customer: { email: 'zoe@example.org' },
      message: { body: 'Please call me' },
    });
    const id = created.json().conversation.id as number;
    const logged = await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/calls`, {
      direction: 'outbound',
      durationSeconds: 245,
      outcome: 'resolved',
      notes: 'Explained the invoice; she is fine now.',
    });
    assert.equal(logged.statusCode, 201, logged.body);
    const message = logged.json().message;
    assert.equal(message.channel, 'phone');
    assert.equal(message.direction, 'outbound');
    assert.deepEqual(message.call, { direction: 'outbound', durationSeconds: 245, outcome: 'resolved' });
    assert.ok(logged.json().conversation.firstResponseAt, 'our call answered the customer');
    const time = (await call(t.app, agent, 'GET', `/api/v1/conversations/${id}/handle-time`)).json();
    assert.equal(time.totalSeconds, 245);
    assert.deepEqual(time.people, [{ personId: agent.personId, seconds: 245 }]);

    const inbound = await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/calls`, {
      direction: 'inbound',
      durationSeconds: 60,
      outcome: 'follow_up',
    });
    assert.equal(inbound.json().message.direction, 'inbound', 'the customer calling is their contact');
    assert.equal(inbound.json().message.body, 'Inbound call, 1:00, needs a follow-up');
    const after = (await call(t.app, agent, 'GET', `/api/v1/conversations/${id}/handle-time`)).json();
    assert.equal(after.totalSeconds, 305);
  });

  it('a call can start a conversation: the caller is found or created by phone, and the call is assigned to whoever logged it', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const res = await call(t.app, agent, 'POST', '/api/v1/calls', {
      subject: 'Card stolen',
      customer: { phone: '+49 30 1234567', name: 'Uli' },
      direction: 'inbound',
      durationSeconds: 420,
      outcome: 'callback_agreed',
    });
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json().conversation;
    assert.equal(c.channel, 'phone');
    assert.equal(c.assigneeId, agent.personId);
    const again = await call(t.app, agent, 'POST', '/api/v1/calls', {
      subject: 'Card stolen, again',
      customer: { phone: '0049 30 1234567' },
      direction: 'inbound',
      durationSeconds: 30,
      outcome: 'resolved',
    });
    assert.equal(again.json().conversation.customerId, c.customerId, 'the same caller is the same customer');
  });

  it('refuses bad input and another workspace’s conversation', async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const other = await call(t.app, b.owner, 'POST', '/api/v1/conversations', {
      subject: 'x',
      channel: 'phone',
      customer: { phone: '+4930999888' },
      message: { body: 'x' },
    });
    const id = other.json().conversation.id;
    const good = { direction: 'inbound', durationSeconds: 10, outcome: 'resolved' };
    assert.equal(
      (await call(t.app, a.owner, 'POST', `/api/v1/conversations/${id}/calls`, good)).statusCode,
      404,
    );
    for (const bad of [
      { ...good, durationSeconds: -1 },
      { ...good, durationSeconds: 1.5 },
      { ...good, outcome: 'great' },
      { ...good, direction: 'sideways' },
      { ...good, extra: true },
    ])
      assert.equal(
        (await call(t.app, b.owner, 'POST', `/api/v1/conversations/${id}/calls`, bad)).statusCode,
        400,
        JSON.stringify(bad),
      );
  });
});
