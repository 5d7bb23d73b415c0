import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp({ start: '2026-03-02T10:00:00Z' });

const signed = (secret: string, body: string, t0: number) =>
  `t=${t0},v1=${createHmac('sha256', secret).update(`${t0}.${body}`).digest('hex')}`;

async function setup(channel: 'sms' | 'whatsapp' | 'social' = 'sms') {
  const ws = await t.workspace();
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/messaging-bridges', { name: 'Gateway', channel });
  assert.equal(res.statusCode, 201, res.body);
  const { bridge, secret } = res.json() as { bridge: { id: number }; secret: string };
  const post = (payload: unknown, options: { secret?: string; at?: number; raw?: string } = {}) => {
    const body = options.raw ?? JSON.stringify(payload);
    const at = options.at ?? Math.floor(t.clock.now().getTime() / 1000);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/messaging-bridges/${bridge.id}/messages`,
      headers: {
        'content-type': 'application/json',
        'steward-signature': signed(options.secret ?? secret, body, at),
      },
      payload: body,
    });
  };
  return { ws, bridge, secret, post };
}

describe('messaging bridges: inbound', () => {
  it('a signed message is a conversation on the channel; the same external id again is not stored twice', async () => {
    const { ws, post } = await setup();
    const msg = { externalId: 'm1', sender: { id: '+49 151 12345678', name: 'Pia' }, text: 'Hello' };
    const first = await post(msg);
    assert.equal(first.statusCode, 201, first.body);
    const again = await post(msg);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().duplicate, true);
    assert.equal(again.json().messageId, first.json().messageId);
    const { conversation, customer } = (
      await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${first.json().conversationId}`)
    ).json();
    assert.equal(conversation.channel, 'sms');
    assert.equal(customer.name, 'Pia');
  });

  it('the same sender continues the conversation in progress; after it is solved, a new one starts', async () => {
    const { ws, post } = await setup('whatsapp');
    const a = (await post({ externalId: 'a', sender: { id: '+4930123456' }, text: 'one' })).json();
    const b = (await post({ externalId: 'b', sender: { id: '+49 30 123456' }, text: 'two' })).json();
    assert.equal(
      b.conversationId,
      a.conversationId,
      'the number is normalised: same customer, same conversation',
    );
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${a.conversationId}/messages`, {
      direction: 'outbound',
      body: 'done',
      status: 'solved',
    });
    const c = (await post({ externalId: 'c', sender: { id: '+4930123456' }, text: 'three' })).json();
    assert.notEqual(c.conversationId, a.conversationId);
  });

  it('social handles are identities; attachments are kept as links', async () => {
    const { ws, post } = await setup('social');
    const res = await post({
      externalId: 'x1',
      sender: { id: 'x:@Someone' },
      text: '',
      attachments: [{ url: 'https://cdn.example/photo.jpg', filename: 'photo.jpg' }],
    });
    assert.equal(res.statusCode, 201, res.body);
    const messages = (
      await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${res.json().conversationId}/messages`)
    ).json();
    assert.equal(messages.items[0].body, '(1 attachment)');
  });

  it('refuses a wrong secret, another bridge’s secret, a stale timestamp, tampered bytes, and bad input', async () => {
    const a = await setup();
    const b = await setup();
    const msg = { externalId: 'z', sender: { id: '+4930123456' }, text: 'hi' };
    assert.equal((await a.post(msg, { secret: 'brs_wrong' })).statusCode, 401);
    assert.equal((await a.post(msg, { secret: b.secret })).statusCode, 401);
    const stale = await a.post(msg, { at: Math.floor(t.clock.now().getTime() / 1000) - 301 });
    assert.equal(stale.statusCode, 401);
    assert.match(stale.json().error.message, /replay/);
    const body = JSON.stringify(msg);
    const tampered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/messaging-bridges/${a.bridge.id}/messages`,
      headers: {
        'content-type': 'application/json',
        'steward-signature': signed(a.secret, body, Math.floor(t.clock.now().getTime() / 1000)),
      },
      payload: body.replace('hi', 'ho'),
    });
    assert.equal(tampered.statusCode, 401);
    assert.equal((await a.post(null, { raw: '{"externalId":' })).statusCode, 400);
    assert.equal(
      (await a.post({ externalId: 'y', sender: { id: 'not a phone' }, text: 'x' })).statusCode,
      422,
    );
    assert.equal(
      (await a.post({ externalId: 'y', sender: { id: '+4930123456' }, text: 'x', extra: 1 })).statusCode,
      400,
    );
  });

  it('a reply without a reply URL shows as not sent, with the reason', async () => {
    const { ws, post } = await setup();
    const { conversationId } = (
      await post({ externalId: 'r1', sender: { id: '+4930999999' }, text: 'hi' })
    ).json();
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      direction: 'outbound',
      body: 'hello back',
    });
    await t.worker.drain();
    const messages = (
      await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${conversationId}/messages`)
    ).json();
    const reply = messages.items.find((m: { direction: string }) => m.direction === 'outbound');
    assert.equal(reply.delivery.state, 'failed');
    assert.match(reply.delivery.detail, /bridge/);
  });
});
