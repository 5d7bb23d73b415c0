import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp();

describe('splitting a customer', () => {
  it('moves the chosen identities and conversations (with their messages) to a new customer', async () => {
    const ws = await t.workspace();
    const start = (email: string, subject: string) =>
      call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
        subject,
        channel: 'email',
        customer: { email },
        message: { body: subject },
      });
    const first = (await start('family@example.org', 'Mum’s order')).json();
    const customerId = first.conversation.customerId as number;
    await call(t.app, ws.owner, 'POST', `/api/v1/customers/${customerId}/identities`, {
      kind: 'phone',
      value: '+4930555000',
    });
    const second = (await start('family@example.org', 'Son’s order')).json();
    assert.equal(second.conversation.customerId, customerId, 'taken for one person');
    const identities = (await call(t.app, ws.owner, 'GET', `/api/v1/customers/${customerId}`)).json()
      .identities;
    const phone = identities.find((i: { kind: string }) => i.kind === 'phone');

    const split = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${customerId}/split`, {
      name: 'Tom Family',
      identityIds: [phone.id],
      conversationIds: [second.conversation.id],
    });
    assert.equal(split.statusCode, 201, split.body);
    const out = split.json();
    assert.deepEqual(out.conversationIds, [second.conversation.id]);
    assert.deepEqual(out.identityIds, [phone.id]);
    assert.equal(out.messagesReattributed, 1);
    const moved = (
      await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${second.conversation.id}`)
    ).json();
    assert.equal(moved.conversation.customerId, out.newCustomerId);
    assert.equal(moved.messages[0].authorCustomerId, out.newCustomerId);
    const newCustomer = (await call(t.app, ws.owner, 'GET', `/api/v1/customers/${out.newCustomerId}`)).json();
    assert.equal(newCustomer.name, 'Tom Family');
    assert.deepEqual(
      newCustomer.identities.map((i: { value: string }) => i.value),
      ['+4930555000'],
    );
    const stayed = (
      await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${first.conversation.id}`)
    ).json();
    assert.equal(stayed.conversation.customerId, customerId);
  });

  it('refuses nothing to move, another customer’s identity or conversation, and another workspace’s customer', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const mk = async (w: typeof ws, email: string) =>
      (
        await call(t.app, w.owner, 'POST', '/api/v1/conversations', {
          subject: 'x',
          channel: 'email',
          customer: { email },
          message: { body: 'x' },
        })
      ).json();
    const a = await mk(ws, 'a@example.org');
    const b = await mk(ws, 'b@example.org');
    const c = await mk(other, 'c@example.org');
    const url = `/api/v1/customers/${a.conversation.customerId}/split`;
    assert.equal((await call(t.app, ws.owner, 'POST', url, { name: 'X' })).statusCode, 422);
    const bIdentity = (
      await call(t.app, ws.owner, 'GET', `/api/v1/customers/${b.conversation.customerId}`)
    ).json().identities[0].id;
    const wrongIdentity = await call(t.app, ws.owner, 'POST', url, { name: 'X', identityIds: [bIdentity] });
    assert.equal(wrongIdentity.statusCode, 422);
    const wrongConversation = await call(t.app, ws.owner, 'POST', url, {
      name: 'X',
      conversationIds: [b.conversation.id],
    });
    assert.equal(wrongConversation.statusCode, 422);
    const foreign = await call(
      t.app,
      ws.owner,
      'POST',
      `/api/v1/customers/${c.conversation.customerId}/split`,
      {
        name: 'X',
        conversationIds: [c.conversation.id],
      },
    );
    assert.equal(foreign.statusCode, 404);
    const still = (
      await call(t.app, other.owner, 'GET', `/api/v1/conversations/${c.conversation.id}`)
    ).json();
    assert.equal(still.conversation.customerId, c.conversation.customerId, 'nothing moved');
  });
});
