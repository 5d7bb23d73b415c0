import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp();
const ws = await t.workspace();
const valid = {
  subject: 'Broken',
  channel: 'email',
  customer: { email: 'bad-input@example.com' },
  message: { body: 'It is broken', externalId: 'bad-input-1' },
};
const created = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', valid);
assert.equal(created.statusCode, 201, created.body);
const conversationId = created.json().conversation.id as number;
const customerId = created.json().conversation.customerId as number;

async function rowCounts(): Promise<number[]> {
  const out: number[] = [];
  for (const table of ['conversations', 'messages', 'customers', 'events', 'jobs']) {
    const res = await t.deps.db.execute(
      `select count(*)::int as n from ${table} where workspace_id = ${ws.id}`,
    );
    out.push((res.rows[0] as { n: number }).n);
  }
  return out;
}

/** Each case: a 4xx with its stable code, and not a row changed anywhere. */
async function expectRefused(
  res: { statusCode: number; body: string; json(): { error: { code: string } } },
  status: number,
  code: string,
  before: number[],
) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().error.code, code, res.body);
  assert.deepEqual(await rowCounts(), before);
}

describe('bad input', () => {
  test('malformed JSON and wrong content', async () => {
    const before = await rowCounts();
    for (const payload of ['{"subject": ', 'not json at all', '']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: { authorization: `Bearer ${ws.owner.token}`, 'content-type': 'application/json' },
        payload,
      });
      await expectRefused(res, 400, 'MALFORMED_JSON', before);
    }
    const big = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
      ...valid,
      message: { body: 'x'.repeat(1_100_000) },
    });
    await expectRefused(big, 413, 'BODY_TOO_LARGE', before);
  });

  test('wrong types, missing and unknown fields, strings over their limits', async () => {
    const before = await rowCounts();
    const bodies: unknown[] = [
      { ...valid, subject: 42 },
      { ...valid, channel: 'pigeon' },
      { ...valid, subject: undefined },
      { ...valid, message: undefined },
      { ...valid, isAdmin: true },
      { ...valid, message: { ...valid.message, direction: 'note' } },
      { ...valid, message: { ...valid.message, sneaky: 1 } },
      { ...valid, customer: { id: customerId, email: 'both@example.com' } },
      { ...valid, customer: { name: 'No identity' } },
      { ...valid, customer: { email: 'not-an-email' } },
      { ...valid, customer: { id: -1 } },
      { ...valid, subject: 's'.repeat(501) },
      { ...valid, message: { body: 'b'.repeat(100_001) } },
      { ...valid, message: { body: '' } },
      { ...valid, tags: Array.from({ length: 31 }, (_, i) => `t${i}`) },
      { ...valid, tags: ['x'.repeat(51)] },
      { ...valid, priority: 'whenever' },
      { ...valid, assigneeId: '7' },
    ];
    for (const body of bodies) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', body);
      await expectRefused(res, 400, 'VALIDATION_FAILED', before);
    }
    const patches: unknown[] = [
      { status: 'done' },
      { assigneeId: 'me' },
      { tags: 'vip' },
      { unknown: 1 },
      { subject: '' },
      { customerId: 5 },
    ];
    for (const body of patches) {
      const res = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${conversationId}`, body);
      await expectRefused(res, 400, 'VALIDATION_FAILED', before);
    }
    const messages: unknown[] = [
      { direction: 'sideways', body: 'x' },
      { direction: 'outbound' },
      { direction: 'outbound', body: 'x', authorPersonId: 1 },
      { direction: 'outbound', body: 'x', channel: 'fax' },
      { direction: 'outbound', body: 'x', externalId: 'e'.repeat(501) },
    ];
    for (const body of messages) {
      const res = await call(
        t.app,
        ws.owner,
        'POST',
        `/api/v1/conversations/${conversationId}/messages`,
        body,
      );
      await expectRefused(res, 400, 'VALIDATION_FAILED', before);
    }
    for (const qs of [
      'status=bogus',
      'limit=0',
      'limit=201',
      'assigneeId=someone',
      'updatedSince=yesterday',
      'nope=1',
    ]) {
      const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations?${qs}`);
      assert.equal(res.statusCode, 400, `${qs}: ${res.body}`);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    }
  });

  test('invalid ids are 400; unknown ids and ids of another workspace are the same 404', async () => {
    const before = await rowCounts();
    for (const id of ['abc', '0', '-3', '1.5', '99999999999999999999']) {
      const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`);
      assert.equal(res.statusCode, 400, `${id}: ${res.body}`);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    }
    const other = await t.workspace();
    const attempts = [
      ['GET', '', undefined],
      ['GET', '/messages', undefined],
      ['PATCH', '', { status: 'open' }],
      ['POST', '/messages', { direction: 'note', body: 'peek' }],
      ['POST', '/messages', { direction: 'inbound', body: 'peek' }],
    ] as const;
    for (const [method, suffix, body] of attempts) {
      for (const id of [conversationId, 987_654_321]) {
        const target = `/api/v1/conversations/${id}${suffix}`;
        const res = await call(t.app, other.owner, method, target, body);
        assert.equal(res.statusCode, 404, `${method} ${target}: ${res.body}`);
        assert.deepEqual(res.json().error, {
          code: 'CONVERSATION_NOT_FOUND',
          message: 'Conversation not found',
        });
      }
    }
    const listed = await call(t.app, other.owner, 'GET', '/api/v1/conversations');
    assert.deepEqual(listed.json().items, []);
    const byCustomer = await call(
      t.app,
      other.owner,
      'GET',
      `/api/v1/conversations?customerId=${customerId}`,
    );
    assert.deepEqual(byCustomer.json().items, []);
    const intoMine = await call(t.app, other.owner, 'POST', '/api/v1/conversations', {
      ...valid,
      customer: { id: customerId },
    });
    assert.equal(intoMine.statusCode, 404);
    assert.equal(intoMine.json().error.code, 'CUSTOMER_NOT_FOUND');
    assert.deepEqual(await rowCounts(), before);
  });

  test('a duplicate external id from another workspace is no duplicate (ids are per workspace)', async () => {
    const other = await t.workspace();
    const res = await call(t.app, other.owner, 'POST', '/api/v1/conversations', valid);
    assert.equal(res.statusCode, 201, res.body);
  });

  test('the OpenAPI document describes the conversation routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(res.statusCode, 200, res.body);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/v1/conversations',
      '/api/v1/conversations/{id}',
      '/api/v1/conversations/{id}/messages',
      '/api/v1/customers/{id}/merge',
    ])
      assert.ok(paths.includes(p), p);
  });
});
