import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp();

async function intake(
  caller: Caller,
  overrides: Record<string, unknown> = {},
  message: Record<string, unknown> = {},
) {
  return call(t.app, caller, 'POST', '/api/v1/conversations', {
    subject: 'My card does not work',
    channel: 'email',
    customer: { email: 'Ada@Example.com', name: 'Ada Lovelace' },
    message: { body: 'Hello,\n\n  my card was declined twice today.', ...message },
    ...overrides,
  });
}

async function count(table: string, workspaceId: number): Promise<number> {
  const res = await t.deps.db.execute(
    `select count(*)::int as n from ${table} where workspace_id = ${workspaceId}`,
  );
  return (res.rows[0] as { n: number }).n;
}

describe('creating a conversation', () => {
  test('stores the conversation, its first message, timestamps, counters, preview and events', async () => {
    const ws = await t.workspace();
    const res = await intake(ws.owner, { priority: 'high', tags: ['Billing', 'billing', ' card '] });
    assert.equal(res.statusCode, 201, res.body);
    const { conversation, message, customer, customerCreated } = res.json();
    const now = t.clock.now().toISOString();
    assert.equal(conversation.status, 'new');
    assert.equal(conversation.priority, 'high');
    assert.deepEqual(conversation.tags, ['billing', 'card']);
    assert.equal(conversation.messageCount, 1);
    assert.equal(conversation.lastMessagePreview, 'Hello, my card was declined twice today.');
    assert.equal(conversation.firstInboundAt, now);
    assert.equal(conversation.lastInboundAt, now);
    assert.equal(conversation.firstResponseAt, null);
    assert.equal(conversation.customerId, customer.id);
    assert.equal(customerCreated, true);
    assert.equal(message.direction, 'inbound');
    assert.equal(message.authorCustomerId, customer.id);
    assert.equal(message.body, 'Hello,\n\n  my card was declined twice today.');

    const again = await intake(ws.owner, { subject: 'Again' });
    assert.equal(again.json().customerCreated, false, 'the same e-mail finds the same customer');
    assert.equal(again.json().conversation.customerId, customer.id);
    const byId = await intake(ws.owner, { customer: { id: customer.id } });
    assert.equal(byId.statusCode, 201, byId.body);

    const read = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${conversation.id}`);
    assert.equal(read.statusCode, 200, read.body);
    assert.deepEqual(
      read.json().events.map((e: { type: string }) => e.type),
      ['conversation.created', 'message.received'],
    );
    assert.equal(read.json().customer.id, customer.id);
  });

  test('the preview is the first 200 characters; HTML is sanitized before storage', async () => {
    const ws = await t.workspace();
    const res = await intake(
      ws.owner,
      {},
      { body: 'x'.repeat(500), html: '<p onclick="evil()">Hi<script>alert(1)</script></p>' },
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().conversation.lastMessagePreview, 'x'.repeat(200));
    assert.equal(res.json().message.bodyHtml, '<p>Hi</p>');
  });

  test('an outbound first message starts a pending conversation with no first response yet', async () => {
    const ws = await t.workspace();
    const res = await intake(
      ws.owner,
      { customer: { phone: '+44 20 7946 0958' } },
      { direction: 'outbound' },
    );
    assert.equal(res.statusCode, 201, res.body);
    const { conversation, message } = res.json();
    assert.equal(conversation.status, 'pending');
    assert.equal(conversation.firstInboundAt, null);
    assert.equal(conversation.firstResponseAt, null);
    assert.equal(conversation.lastOutboundAt, t.clock.now().toISOString());
    assert.equal(message.authorPersonId, ws.owner.personId);
  });

  test('a duplicate external id answers 409 with the original and changes nothing', async () => {
    const ws = await t.workspace();
    const first = await intake(ws.owner, {}, { externalId: '<m1@mail.example>' });
    assert.equal(first.statusCode, 201, first.body);
    const before = await Promise.all(
      ['conversations', 'messages', 'customers', 'events'].map((x) => count(x, ws.id)),
    );
    const retry = await intake(
      ws.owner,
      { customer: { email: 'someone-new@example.com' } },
      { externalId: '<m1@mail.example>' },
    );
    assert.equal(retry.statusCode, 409, retry.body);
    assert.equal(retry.json().error.code, 'DUPLICATE_EXTERNAL_ID');
    assert.equal(retry.json().error.details.messageId, first.json().message.id);
    assert.equal(retry.json().error.details.conversationId, first.json().conversation.id);
    const after = await Promise.all(
      ['conversations', 'messages', 'customers', 'events'].map((x) => count(x, ws.id)),
    );
    assert.deepEqual(after, before);
    const otherChannel = await intake(ws.owner, { channel: 'chat' }, { externalId: '<m1@mail.example>' });
    assert.equal(otherChannel.statusCode, 201, 'external ids are unique per channel');
  });

  test('concurrent retries of one intake create exactly one conversation', async () => {
    const ws = await t.workspace();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        intake(ws.owner, { customer: { email: 'race@example.com' } }, { externalId: 'race-1' }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [201, 409, 409, 409, 409, 409], results.map((r) => r.body).join('\n'));
    assert.equal(await count('conversations', ws.id), 1);
    assert.equal(await count('customers', ws.id), 1);
    const winner = results.find((r) => r.statusCode === 201)!.json();
    for (const r of results.filter((x) => x.statusCode === 409))
      assert.equal(r.json().error.details.conversationId, winner.conversation.id);
  });

  test('assignee and team must exist in the workspace; assigning someone else needs reassign', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const lead = await ws.person('lead');
    const self = await intake(agent, { assigneeId: agent.personId });
    assert.equal(self.statusCode, 201, self.body);
    const other = await intake(agent, { assigneeId: lead.personId });
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().error.code, 'FORBIDDEN');
    assert.equal((await intake(lead, { assigneeId: agent.personId })).statusCode, 201);
    const noTeam = await intake(ws.owner, { teamId: 999_999 });
    assert.equal(noTeam.statusCode, 404);
    assert.equal(noTeam.json().error.code, 'TEAM_NOT_FOUND');
    const noPerson = await intake(ws.owner, { assigneeId: 999_999 });
    assert.equal(noPerson.json().error.code, 'PERSON_NOT_FOUND');
    assert.equal(await count('conversations', ws.id), 2);
  });
});

describe('listing conversations', () => {
  test('filters, newest activity first, keyset pages that never repeat or skip', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const team = await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Cards' });
    assert.equal(team.statusCode, 201, team.body);
    const teamId = team.json().id as number;
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      t.clock.advance(1000);
      const res = await intake(ws.owner, {
        channel: i % 2 ? 'chat' : 'email',
        tags: i < 3 ? ['vip'] : [],
        teamId: i < 4 ? teamId : undefined,
        assigneeId: i === 0 ? agent.personId : undefined,
        priority: i === 6 ? 'urgent' : undefined,
      });
      assert.equal(res.statusCode, 201, res.body);
      ids.push(res.json().conversation.id);
    }
    t.clock.advance(1000);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${ids[1]}`, { status: 'pending' });
    t.clock.advance(1000);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${ids[2]}`, { status: 'open' });
    const list = async (qs: string) => {
      const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations?${qs}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { items: Array<{ id: number }>; nextCursor: string | null };
    };
    const idsOf = (page: { items: Array<{ id: number }> }) => page.items.map((c) => c.id);
    const newestFirst = [ids[2], ids[1], ids[6], ids[5], ids[4], ids[3], ids[0]];
    assert.deepEqual(idsOf(await list('')), newestFirst);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= 3);
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, newestFirst);

    assert.deepEqual(idsOf(await list('status=new')), [ids[6], ids[5], ids[4], ids[3], ids[0]]);
    assert.deepEqual(idsOf(await list('status=open,pending')), [ids[2], ids[1]]);
    assert.deepEqual(idsOf(await list('status=open&status=pending&limit=1')), [ids[2]]);
    const second = await list('status=open&status=pending&limit=1');
    assert.deepEqual(idsOf(await list(`status=open,pending&limit=1&cursor=${second.nextCursor}`)), [ids[1]]);
    assert.deepEqual(idsOf(await list(`teamId=${teamId}&status=new`)), [ids[3], ids[0]]);
    assert.deepEqual(idsOf(await list(`assigneeId=${agent.personId}`)), [ids[0]]);
    assert.equal((await list('assigneeId=none')).items.length, 6);
    assert.deepEqual(idsOf(await list('tag=VIP')), [ids[2], ids[1], ids[0]]);
    assert.deepEqual(idsOf(await list('channel=chat&priority=urgent')), []);
    assert.deepEqual(idsOf(await list('priority=urgent')), [ids[6]]);
    const since = new Date(t.clock.now().getTime() - 1000).toISOString();
    assert.deepEqual(idsOf(await list(`updatedSince=${since}`)), [ids[2], ids[1]]);
    const customerId = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${ids[0]}`)).json().customer
      .id;
    assert.equal((await list(`customerId=${customerId}`)).items.length, 7);
  });

  test('each row carries its customer summary, the same as the conversation read shows', async () => {
    const ws = await t.workspace();
    const made = [];
    for (const [email, name, tier] of [
      ['grace@example.com', 'Grace Hopper', 'gold'],
      ['alan@example.com', 'Alan Turing', null],
    ] as const) {
      t.clock.advance(1000);
      const res = await intake(ws.owner, { customer: { email, name } });
      assert.equal(res.statusCode, 201, res.body);
      const customerId = res.json().customer.id as number;
      if (tier)
        await call(t.app, ws.owner, 'PATCH', `/api/v1/customers/${customerId}`, { tier, company: 'Navy' });
      made.push(res.json().conversation.id as number);
    }
    t.clock.advance(1000);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${made[0]}`, { status: 'open' });
    const expected = async (id: number) =>
      (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`)).json().customer;
    const grace = await expected(made[0]!);
    assert.deepEqual(grace, {
      id: grace.id,
      name: 'Grace Hopper',
      company: 'Navy',
      tier: 'gold',
      locale: null,
      mergedIntoId: null,
    });
    for (const qs of ['', 'status=new,open', 'status=open', 'limit=1', `customerId=${grace.id}`]) {
      const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations?${qs}`);
      assert.equal(res.statusCode, 200, res.body);
      for (const item of res.json().items as Array<{ id: number; customerId: number; customer: unknown }>) {
        assert.deepEqual(item.customer, await expected(item.id), `${qs}: conversation ${item.id}`);
        assert.equal((item.customer as { id: number }).id, item.customerId);
      }
    }
    const second = await call(
      t.app,
      ws.owner,
      'GET',
      `/api/v1/conversations?limit=1&cursor=${(await call(t.app, ws.owner, 'GET', '/api/v1/conversations?limit=1')).json().nextCursor}`,
    );
    assert.equal(second.json().items[0].customer.name, 'Alan Turing', 'the next page too');
    const ofCustomer = await call(t.app, ws.owner, 'GET', `/api/v1/customers/${grace.id}/conversations`);
    assert.deepEqual(ofCustomer.json().items[0].customer, grace);

    // After a merge, the rows show the surviving customer.
    const alanId = (await expected(made[1]!)).id as number;
    const merged = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${grace.id}/merge`, {
      sourceCustomerId: alanId,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    const after = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations')).json().items;
    assert.deepEqual(
      after.map((i: { customer: { name: string } }) => i.customer.name),
      ['Grace Hopper', 'Grace Hopper'],
    );
  });

  test('a forged or foreign cursor is refused with INVALID_CURSOR', async () => {
    const ws = await t.workspace();
    for (const cursor of ['nonsense', Buffer.from('{"t":"x","id":1}').toString('base64url')]) {
      const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations?cursor=${cursor}`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'INVALID_CURSOR');
    }
  });
});

test('a long conversation reads its first 100 messages, and the rest page through /messages', async () => {
  const ws = await t.workspace();
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Long',
    channel: 'chat',
    customer: { email: 'long@example.com' },
    message: { body: 'message 0' },
  });
  const id = res.json().conversation.id as number;
  await t.deps.db.execute(`
    insert into messages (workspace_id, conversation_id, direction, channel, body_text, created_at)
    select ${ws.id}, ${id}, 'note', 'chat', 'message ' || g, timestamptz '2026-03-02T10:00:00Z' + g * interval '1 second'
    from generate_series(1, 104) g`);
  const read = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`)).json();
  assert.equal(read.messages.length, 100);
  assert.ok(read.messagesNextCursor);
  const rest = (
    await call(
      t.app,
      ws.owner,
      'GET',
      `/api/v1/conversations/${id}/messages?cursor=${read.messagesNextCursor}`,
    )
  ).json();
  assert.deepEqual(
    rest.items.map((m: { body: string }) => m.body),
    ['message 100', 'message 101', 'message 102', 'message 103', 'message 104'],
  );
});

test('a new conversation naming both e-mail and phone keeps both on the customer, never stealing a phone', async () => {
  const ws = await t.workspace();
  const create = (customer: Record<string, unknown>) =>
    call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
      subject: 'Both',
      channel: 'sms',
      customer,
      message: { body: 'hi' },
    });
  const first = await create({ email: 'both@example.com', phone: '+44 20 7946 0958' });
  assert.equal(first.statusCode, 201, first.body);
  const customer = (
    await call(t.app, ws.owner, 'GET', `/api/v1/customers/${first.json().customer.id}`)
  ).json();
  assert.deepEqual(
    customer.identities.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`).sort(),
    ['email:both@example.com', 'phone:+442079460958'],
  );
  const other = await create({ email: 'other@example.com', phone: '+442079460958' });
  assert.equal(other.statusCode, 201, other.body);
  const second = (await call(t.app, ws.owner, 'GET', `/api/v1/customers/${other.json().customer.id}`)).json();
  assert.deepEqual(
    second.identities.map((i: { kind: string }) => i.kind),
    ['email'],
  );
  const bad = await create({ email: 'bad@example.com', phone: 'not a phone' });
  assert.equal(bad.statusCode, 422, bad.body);
});
