import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { call, createTestApp } from '../../../test/support/app.js';
import { schema } from '../../db/index.js';
import { inTransaction, listEntityEvents, systemActor } from '../../platform/index.js';
import { findCustomer, findOrCreateCustomerByIdentity, markCustomerMerged, moveIdentities } from './index.js';

const t = await createTestApp();
const api = '/api/v1/customers';

const intake = (workspaceId: number, kind: 'email' | 'phone' | 'chat', value: string, name?: string) =>
  inTransaction(t.deps.db, (tx) =>
    findOrCreateCustomerByIdentity(tx, workspaceId, { kind, value }, { name }, t.clock.now(), systemActor),
  );

const customerCount = async (workspaceId: number) =>
  (await t.deps.db.select().from(schema.customers).where(eq(schema.customers.workspaceId, workspaceId)))
    .length;

describe('findOrCreateCustomerByIdentity', () => {
  test('creates once, then finds the same customer however the identity is typed', async () => {
    const ws = await t.workspace();
    const first = await intake(ws.id, 'email', 'Max.Muster@Example.org');
    assert.ok(first.ok);
    assert.equal(first.value.created, true);
    assert.equal(first.value.customer.name, 'max.muster');
    const again = await intake(ws.id, 'email', '  max.muster@example.ORG ', 'Max Muster');
    assert.ok(again.ok);
    assert.equal(again.value.created, false);
    assert.equal(again.value.customer.id, first.value.customer.id);
    assert.equal(again.value.customer.name, 'max.muster', 'an existing profile is not overwritten');

    const events = await listEntityEvents(t.deps.db, ws.id, 'customer', first.value.customer.id);
    assert.deepEqual(
      events.map((e) => [e.type, e.actorType]),
      [['customer.created', 'system']],
    );
  });

  test("phones use the workspace's default country; the name defaults to the number", async () => {
    const ws = await t.workspace();
    assert.equal(
      (await call(t.app, ws.owner, 'PATCH', '/api/v1/workspace', { settings: { defaultCountry: 'DE' } }))
        .statusCode,
      200,
    );
    const national = await intake(ws.id, 'phone', '(030) 1234567');
    assert.ok(national.ok, JSON.stringify(national));
    assert.equal(national.value.customer.name, '+49301234567');
    const international = await intake(ws.id, 'phone', '+49 30 123 4567');
    assert.ok(international.ok);
    assert.equal(international.value.customer.id, national.value.customer.id);
    const invalid = await intake(ws.id, 'phone', '12');
    assert.equal(invalid.ok, false);
    if (!invalid.ok) assert.equal(invalid.code, 'INVALID_IDENTITY');
  });

  test('ten concurrent intakes of one new identity end with one customer', async () => {
    const ws = await t.workspace();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => intake(ws.id, 'chat', 'visitor-42', `Visitor ${i}`)),
    );
    const ids = new Set(results.map((r) => (r.ok ? r.value.customer.id : r.code)));
    assert.equal(ids.size, 1, JSON.stringify(results.filter((r) => !r.ok)));
    assert.equal(results.filter((r) => r.ok && r.value.created).length, 1);
    assert.equal(await customerCount(ws.id), 1, 'no orphan customer left behind');
    const created = await t.deps.db
      .select()
      .from(schema.events)
      .where(and(eq(schema.events.workspaceId, ws.id), eq(schema.events.type, 'customer.created')));
    assert.equal(created.length, 1);
  });

  test('concurrent intakes of different identities each get their own customer', async () => {
    const ws = await t.workspace();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => intake(ws.id, 'email', `p${i % 4}@example.com`)),
    );
    assert.ok(results.every((r) => r.ok));
    assert.equal(new Set(results.map((r) => r.ok && r.value.customer.id)).size, 4);
    assert.equal(await customerCount(ws.id), 4);
  });
});

describe('merge helpers', () => {
  test('a merged customer is 404 with mergedIntoId, gone from lists and search; its identities lead to the survivor', async () => {
    const ws = await t.workspace();
    const source = (
      await call(t.app, ws.owner, 'POST', api, {
        name: 'Dup Licate',
        identities: [
          { kind: 'email', value: 'dup@example.com' },
          { kind: 'chat', value: 'v-9' },
        ],
      })
    ).json();
    const target = (await call(t.app, ws.owner, 'POST', api, { name: 'Real Person' })).json();

    const moved = await inTransaction(t.deps.db, async (tx) => {
      const ids = await moveIdentities(tx, ws.id, source.id, target.id);
      await markCustomerMerged(tx, ws.id, source.id, target.id, t.clock.now());
      return { ok: true as const, value: ids };
    });
    assert.ok(moved.ok);
    assert.deepEqual(
      moved.value,
      source.identities.map((i: { id: number }) => i.id),
    );

    const gone = await call(t.app, ws.owner, 'GET', `${api}/${source.id}`);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'CUSTOMER_NOT_FOUND');
    assert.deepEqual(gone.json().error.details, { mergedIntoId: target.id });
    const patch = await call(t.app, ws.owner, 'PATCH', `${api}/${source.id}`, { tier: 'x' });
    assert.equal(patch.statusCode, 404);
    assert.equal(await findCustomer(t.deps.db, ws.id, source.id), undefined);

    const list = (await call(t.app, ws.owner, 'GET', api)).json();
    assert.deepEqual(
      list.items.map((c: { id: number }) => c.id),
      [target.id],
    );
    const search = (await call(t.app, ws.owner, 'GET', `${api}?q=dup`)).json();
    assert.deepEqual(
      search.items.map((c: { id: number }) => c.id),
      [target.id],
      'found by the moved e-mail, not by the old name',
    );
    const survivor = (await call(t.app, ws.owner, 'GET', `${api}/${target.id}`)).json();
    assert.deepEqual(survivor.identities.map((i: { value: string }) => i.value).sort(), [
      'dup@example.com',
      'v-9',
    ]);

    const found = await intake(ws.id, 'email', 'DUP@example.com');
    assert.ok(found.ok);
    assert.equal(found.value.customer.id, target.id);
    assert.equal(found.value.created, false);
  });
});

test('customer.created carries the same fields whether the API or intake created the customer', async () => {
  const ws = await t.workspace();
  const byApi = await call(t.app, ws.owner, 'POST', api, {
    name: 'Ada Lovelace',
    identities: [{ kind: 'email', value: 'ada@example.com' }],
  });
  assert.equal(byApi.statusCode, 201, byApi.body);
  const byIntake = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Hello',
    channel: 'email',
    customer: { email: 'grace@example.com', name: 'Ada Lovelace' },
    message: { body: 'hi' },
  });
  assert.equal(byIntake.statusCode, 201, byIntake.body);
  const createdEvent = async (customerId: number) => {
    const [event] = (await listEntityEvents(t.deps.db, ws.id, 'customer', customerId)).filter(
      (e) => e.type === 'customer.created',
    );
    assert.ok(event);
    return event.data as { after: Record<string, unknown>; identities: Array<Record<string, unknown>> };
  };
  const api1 = await createdEvent(byApi.json().id);
  const intake1 = await createdEvent(byIntake.json().customer.id);
  const keys = (o: object) => Object.keys(o).sort();
  assert.deepEqual(keys(intake1), keys(api1));
  assert.deepEqual(keys(intake1.after), keys(api1.after));
  assert.deepEqual(keys(intake1.identities[0]!), keys(api1.identities[0]!));
  assert.deepEqual(intake1.after, api1.after, 'the same profile gives the same data');
  assert.deepEqual(intake1.identities, [
    { id: intake1.identities[0]!.id, kind: 'email', value: 'grace@example.com' },
  ]);
  assert.equal(typeof intake1.identities[0]!.id, 'number');
});
