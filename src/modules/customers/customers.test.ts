import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';
import { listEntityEvents } from '../../platform/index.js';

const t = await createTestApp();
const api = '/api/v1/customers';

describe('customers API', () => {
  test('create with identities, read, update with before/after events', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const created = await call(t.app, agent, 'POST', api, {
      name: 'Jane Doe',
      company: 'Acme GmbH',
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
      customerSince: '2024-05-01T00:00:00Z',
      tier: 'gold',
      lifetimeValue: 1234.5,
      attributes: { plan: 'pro', seats: 12 },
      identities: [
        { kind: 'email', value: ' Jane.Doe@Example.COM ' },
        { kind: 'phone', value: '+49 30 1234567' },
      ],
    });
    assert.equal(created.statusCode, 201, created.body);
    const c = created.json();
    assert.equal(c.name, 'Jane Doe');
    assert.equal(c.lifetimeValue, 1234.5);
    assert.equal(c.customerSince, '2024-05-01T00:00:00.000Z');
    assert.deepEqual(
      c.identities.map((i: { kind: string; value: string }) => [i.kind, i.value]),
      [
        ['email', 'jane.doe@example.com'],
        ['phone', '+49301234567'],
      ],
    );

    const read = await call(t.app, agent, 'GET', `${api}/${c.id}`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), c);

    t.clock.advance(60_000);
    const patched = await call(t.app, agent, 'PATCH', `${api}/${c.id}`, {
      tier: 'platinum',
      company: null,
      notes: 'Prefers e-mail',
      attributes: { seats: 20, plan: null, region: 'EU' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const p = patched.json();
    assert.equal(p.tier, 'platinum');
    assert.equal(p.company, null);
    assert.deepEqual(p.attributes, { seats: 20, region: 'EU' });
    assert.equal(p.identities.length, 2);
    assert.ok(p.updatedAt > c.updatedAt);

    const events = await listEntityEvents(t.deps.db, ws.id, 'customer', c.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['customer.created', 'customer.updated'],
    );
    assert.equal(events[0]!.actorId, agent.personId);
    assert.deepEqual(events[1]!.data, {
      before: { company: 'Acme GmbH', tier: 'gold', notes: null, attributes: { plan: 'pro', seats: 12 } },
      after: {
        company: null,
        tier: 'platinum',
        notes: 'Prefers e-mail',
        attributes: { seats: 20, region: 'EU' },
      },
    });

    // A patch that changes nothing writes no event.
    assert.equal((await call(t.app, agent, 'PATCH', `${api}/${c.id}`, { tier: 'platinum' })).statusCode, 200);
    assert.equal((await listEntityEvents(t.deps.db, ws.id, 'customer', c.id)).length, 2);
  });

  test('a name is derived from the first identity when none is given', async () => {
    const ws = await t.workspace();
    const res = await call(t.app, ws.owner, 'POST', api, {
      identities: [{ kind: 'email', value: 'Ana.B@x.org' }],
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().name, 'ana.b');
    const none = await call(t.app, ws.owner, 'POST', api, {});
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().error.code, 'VALIDATION_FAILED');
  });

  test('identities: add, conflict names the owner, invalid, remove; each change is an event', async () => {
    const ws = await t.workspace();
    const a = (
      await call(t.app, ws.owner, 'POST', api, {
        name: 'A',
        identities: [{ kind: 'email', value: 'a@x.io' }],
      })
    ).json();
    const b = (await call(t.app, ws.owner, 'POST', api, { name: 'B' })).json();

    const clash = await call(t.app, ws.owner, 'POST', `${api}/${b.id}/identities`, {
      kind: 'email',
      value: 'A@X.IO',
    });
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json().error.code, 'IDENTITY_TAKEN');
    assert.deepEqual(clash.json().error.details, { kind: 'email', value: 'a@x.io', customerId: a.id });

    const clashOnCreate = await call(t.app, ws.owner, 'POST', api, {
      name: 'C',
      identities: [{ kind: 'email', value: 'a@x.io' }],
    });
    assert.equal(clashOnCreate.statusCode, 409);
    assert.equal(clashOnCreate.json().error.details.customerId, a.id);
    const list = (await call(t.app, ws.owner, 'GET', api)).json();
    assert.equal(list.items.length, 2, 'the failed create left no customer behind');

    const bad = await call(t.app, ws.owner, 'POST', `${api}/${b.id}/identities`, {
      kind: 'phone',
      value: '12',
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.code, 'INVALID_IDENTITY');

    const added = await call(t.app, ws.owner, 'POST', `${api}/${b.id}/identities`, {
      kind: 'social',
      value: 'X:@Bee',
    });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().value, 'x:bee');
    const identityId = added.json().id;

    const wrongOwner = await call(t.app, ws.owner, 'DELETE', `${api}/${a.id}/identities/${identityId}`);
    assert.equal(wrongOwner.statusCode, 404);
    assert.equal(wrongOwner.json().error.code, 'IDENTITY_NOT_FOUND');
    const removed = await call(t.app, ws.owner, 'DELETE', `${api}/${b.id}/identities/${identityId}`);
    assert.equal(removed.statusCode, 204);
    assert.deepEqual((await call(t.app, ws.owner, 'GET', `${api}/${b.id}`)).json().identities, []);

    const events = await listEntityEvents(t.deps.db, ws.id, 'customer', b.id);
    assert.deepEqual(
      events.map((e) => [e.type, e.data]),
      [
        ['customer.created', events[0]!.data],
        ['customer.identity_added', { identityId, kind: 'social', value: 'x:bee' }],
        ['customer.identity_removed', { identityId, kind: 'social', value: 'x:bee' }],
      ],
    );
  });

  test('bad input: unknown fields, wrong types, limits, unknown ids are 4xx and change nothing', async () => {
    const ws = await t.workspace();
    const c = (await call(t.app, ws.owner, 'POST', api, { name: 'Z' })).json();
    const cases: [string, 'POST' | 'PATCH' | 'GET', string, unknown, number, string][] = [
      ['unknown field on create', 'POST', api, { name: 'X', vip: true }, 400, 'VALIDATION_FAILED'],
      ['unknown field on patch', 'PATCH', `${api}/${c.id}`, { nickname: 'x' }, 400, 'VALIDATION_FAILED'],
      ['empty patch', 'PATCH', `${api}/${c.id}`, {}, 400, 'VALIDATION_FAILED'],
      [
        'unknown identity field',
        'POST',
        `${api}/${c.id}/identities`,
        { kind: 'email', value: 'q@q.io', primary: true },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'unknown identity kind',
        'POST',
        `${api}/${c.id}/identities`,
        { kind: 'fax', value: '1' },
        400,
        'VALIDATION_FAILED',
      ],
      ['wrong type', 'PATCH', `${api}/${c.id}`, { lifetimeValue: 'lots' }, 400, 'VALIDATION_FAILED'],
      ['negative value', 'PATCH', `${api}/${c.id}`, { lifetimeValue: -1 }, 400, 'VALIDATION_FAILED'],
      ['bad time zone', 'PATCH', `${api}/${c.id}`, { timeZone: 'Mars/Olympus' }, 400, 'VALIDATION_FAILED'],
      ['bad locale', 'PATCH', `${api}/${c.id}`, { locale: 'not a locale!' }, 400, 'VALIDATION_FAILED'],
      ['bad date', 'PATCH', `${api}/${c.id}`, { customerSince: 'yesterday' }, 400, 'VALIDATION_FAILED'],
      ['name too long', 'PATCH', `${api}/${c.id}`, { name: 'x'.repeat(201) }, 400, 'VALIDATION_FAILED'],
      [
        'attributes too big',
        'PATCH',
        `${api}/${c.id}`,
        { attributes: { blob: 'x'.repeat(20_000) } },
        400,
        'VALIDATION_FAILED',
      ],
      ['unknown query param', 'GET', `${api}?sort=name`, undefined, 400, 'VALIDATION_FAILED'],
      ['bad cursor', 'GET', `${api}?cursor=nonsense`, undefined, 400, 'INVALID_CURSOR'],
      ['bad id', 'GET', `${api}/abc`, undefined, 400, 'VALIDATION_FAILED'],
      ['unknown id', 'GET', `${api}/999999999`, undefined, 404, 'CUSTOMER_NOT_FOUND'],
      ['patch unknown id', 'PATCH', `${api}/999999999`, { tier: 'x' }, 404, 'CUSTOMER_NOT_FOUND'],
    ];
    for (const [label, method, url, body, status, code] of cases) {
      const res = await call(t.app, ws.owner, method, url, body);
      assert.equal(res.statusCode, status, `${label}: ${res.body}`);
      assert.equal(res.json().error.code, code, label);
    }
    const after = (await call(t.app, ws.owner, 'GET', `${api}/${c.id}`)).json();
    assert.deepEqual(after, c);
  });

  test('list: newest first, keyset pages cover every customer exactly once', async () => {
    const ws = await t.workspace();
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      if (i % 3 === 0) t.clock.advance(1000); // some share an updated_at: the id breaks the tie
      ids.push((await call(t.app, ws.owner, 'POST', api, { name: `Customer ${i}` })).json().id);
    }
    t.clock.advance(1000);
    await call(t.app, ws.owner, 'PATCH', `${api}/${ids[2]}`, { tier: 'gold' }); // moves to the front

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `${api}?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(t.app, ws.owner, 'GET', url);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      seen.push(...body.items.map((c: { id: number }) => c.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    const expected = [ids[2]!, ids[6]!, ids[5]!, ids[4]!, ids[3]!, ids[1]!, ids[0]!];
    assert.deepEqual(seen, expected);
    assert.equal(pages, 3);
  });

  test("workspace B's customer is invisible and untouchable from A", async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const theirs = (
      await call(t.app, b.owner, 'POST', api, {
        name: 'Secret Person',
        identities: [{ kind: 'email', value: 'secret@b.io' }],
      })
    ).json();
    const identityId = theirs.identities[0].id;
    const missing = await call(t.app, a.owner, 'GET', `${api}/999999998`);
    for (const [method, url, body] of [
      ['GET', `${api}/${theirs.id}`, undefined],
      ['PATCH', `${api}/${theirs.id}`, { tier: 'x' }],
      ['POST', `${api}/${theirs.id}/identities`, { kind: 'chat', value: 'v1' }],
      ['DELETE', `${api}/${theirs.id}/identities/${identityId}`, undefined],
    ] as const) {
      const res = await call(t.app, a.owner, method, url, body);
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.deepEqual(res.json().error.code, missing.json().error.code);
      assert.equal(res.json().error.message, missing.json().error.message);
    }
    for (const q of ['Secret', 'secret@b.io', 'secret@', 'cret@b']) {
      const res = await call(t.app, a.owner, 'GET', `${api}?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().items, [], q);
    }
    assert.deepEqual((await call(t.app, a.owner, 'GET', api)).json().items, []);
    // …and B still has it, unchanged, with its identity.
    assert.deepEqual((await call(t.app, b.owner, 'GET', `${api}/${theirs.id}`)).json(), theirs);
    // Adding the same identity in A is fine: identities are unique per workspace.
    const mine = await call(t.app, a.owner, 'POST', api, {
      identities: [{ kind: 'email', value: 'secret@b.io' }],
    });
    assert.equal(mine.statusCode, 201, mine.body);
  });

  test('the same identity typed twice on create is kept once', async () => {
    const ws = await t.workspace();
    const res = await call(t.app, ws.owner, 'POST', api, {
      identities: [
        { kind: 'email', value: 'Twice@Example.com' },
        { kind: 'email', value: 'twice@example.com ' },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().identities.length, 1);
  });

  test('a search takes no cursor; the OpenAPI document describes the routes', async () => {
    const ws = await t.workspace();
    const res = await call(t.app, ws.owner, 'GET', `${api}?q=x&cursor=abc`);
    assert.equal(res.statusCode, 400);
    const doc = (await call(t.app, null, 'GET', '/api/v1/openapi.json')).json();
    assert.ok(doc.paths['/api/v1/customers'].post);
    assert.ok(doc.paths['/api/v1/customers/{id}/identities/{identityId}'].delete);
  });

  test('an executive can read but not write customers', async () => {
    const ws = await t.workspace();
    const exec = await ws.person('executive');
    assert.equal((await call(t.app, exec, 'GET', api)).statusCode, 200);
    const res = await call(t.app, exec, 'POST', api, { name: 'Nope' });
    assert.equal(res.statusCode, 403);
  });
});
