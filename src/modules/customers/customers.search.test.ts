import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';
import { searchCustomers } from './index.js';

const t = await createTestApp();
const api = '/api/v1/customers';

async function create(caller: Caller, body: Record<string, unknown>): Promise<number> {
  t.clock.advance(1000);
  const res = await call(t.app, caller, 'POST', api, body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

async function search(caller: Caller, q: string): Promise<number[]> {
  const res = await call(t.app, caller, 'GET', `${api}?q=${encodeURIComponent(q)}`);
  assert.equal(res.statusCode, 200, `${q}: ${res.body}`);
  assert.equal(res.json().nextCursor, null);
  return res.json().items.map((c: { id: number }) => c.id);
}

describe('customer search', () => {
  test('exact identity first, then name or company prefix, then partial matches', async () => {
    const ws = await t.workspace();
    const anna = await create(ws.owner, {
      name: 'Anna Smith',
      identities: [{ kind: 'email', value: 'anna.smith@acme.io' }],
    });
    const bob = await create(ws.owner, { name: 'Bob Stone', company: 'Annapurna Ltd' });
    const joanne = await create(ws.owner, {
      name: 'Joanne Hannah',
      identities: [{ kind: 'email', value: 'jh@annapolis.com' }],
    });
    await create(ws.owner, { name: 'Unrelated', identities: [{ kind: 'email', value: 'zed@nowhere.net' }] });

    assert.deepEqual(
      await search(ws.owner, 'anna'),
      [bob, anna, joanne],
      'prefix (newest first), then partial',
    );
    assert.deepEqual(await search(ws.owner, 'ANNA.SMITH@ACME.IO'), [anna], 'exact e-mail');
    assert.deepEqual(await search(ws.owner, 'smith@acme'), [anna], 'partial e-mail');
    assert.deepEqual(await search(ws.owner, '@annapolis'), [joanne], 'partial domain');
    assert.deepEqual(await search(ws.owner, 'Jo'), [joanne], 'two-letter name prefix');
    assert.deepEqual(await search(ws.owner, 'han'), [joanne], 'prefix of a later word');
    assert.deepEqual(await search(ws.owner, 'anna smi'), [anna], 'prefix of every word');
    assert.deepEqual(await search(ws.owner, 'annapurna'), [bob], 'company');
    assert.deepEqual(
      await search(ws.owner, 'nna'),
      [anna, joanne].sort((a, b) => b - a),
      'partial name and e-mail',
    );
    assert.deepEqual(await search(ws.owner, 'mi'), [], 'too short for partial, prefix of nothing');
    for (const odd of ["o'brien & | ! :*", '%', '_', '\\', '()', '*'])
      assert.deepEqual(await search(ws.owner, odd), []);
  });

  test('a phone number typed in any common format', async () => {
    const ws = await t.workspace();
    await call(t.app, ws.owner, 'PATCH', '/api/v1/workspace', { settings: { defaultCountry: 'DE' } });
    const max = await create(ws.owner, {
      name: 'Max',
      identities: [{ kind: 'phone', value: '+49 30 1234567' }],
    });
    const us = await create(ws.owner, {
      name: 'Sam',
      identities: [{ kind: 'phone', value: '+1 212 555 0123' }],
    });
    for (const q of [
      '+49 30 1234567',
      '+49301234567',
      '(030) 1234567',
      '030-123 45 67',
      '0049 30 1234567',
      '+49 (0)30 1234567',
      '1234567',
      '30 1234567',
    ]) {
      assert.deepEqual(await search(ws.owner, q), [max], q);
    }
    for (const q of ['+1 (212) 555-0123', '001 212 555 0123', '212-555-0123', '5550123'])
      assert.deepEqual(await search(ws.owner, q), [us], q);
    assert.deepEqual(await search(ws.owner, '12345'), [], 'five digits are too few for a suffix match');
  });

  test('without a default country, a national number still matches by its trailing digits', async () => {
    const ws = await t.workspace();
    const max = await create(ws.owner, {
      name: 'Max',
      identities: [{ kind: 'phone', value: '+49 30 1234567' }],
    });
    assert.deepEqual(await search(ws.owner, '(030) 1234567'), [max]);
  });

  test('the service function ranks and caps', async () => {
    const ws = await t.workspace();
    const exact = await create(ws.owner, { name: 'Zoe', identities: [{ kind: 'external', value: 'kim' }] });
    const named: number[] = [];
    for (let i = 0; i < 4; i++) named.push(await create(ws.owner, { name: `Kim ${i}` }));
    const hits = await searchCustomers(t.deps.db, ws.id, 'kim', 3);
    assert.deepEqual(
      hits.map((h) => [h.customer.id, h.rank]),
      [
        [exact, 0],
        [named[3], 1],
        [named[2], 1],
      ],
    );
    assert.equal(hits[0]!.identities[0]!.value, 'kim');
    assert.deepEqual(await searchCustomers(t.deps.db, ws.id, '   ', 10), []);
  });
});
