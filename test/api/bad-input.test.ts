import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, createTestApp } from '../support/app.js';
import { fixtures, makeWorld, snapshot } from '../support/route-fixtures.js';

/**
 * Sends every kind of bad input to every route: each gets a 4xx with a stable code (never a 500), and the
 * workspace is exactly as it was afterwards.
 */
const t = await createTestApp();
const ws = await t.workspace();
const world = await makeWorld(t.app, ws.owner, () => t.worker.drain());
const exec = (q: string) => t.deps.db.execute(q) as Promise<{ rows: unknown[] }>;
const routes = t.app.routeCatalog.filter((r) => !r.public);
const writes = routes.filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method));
const fx = fixtures(world);
const auth = { authorization: `Bearer ${ws.owner.token}` };
const before = await snapshot(exec, ws.id);

const expectError = (
  res: { statusCode: number; body: string; json(): { error?: { code?: string } } },
  status: number,
  code: string,
  what: string,
) => {
  assert.equal(res.statusCode, status, `${what}: ${res.statusCode} ${res.body}`);
  assert.equal(res.json().error?.code, code, `${what}: ${res.body}`);
};

test('malformed JSON, wrong content type and oversized bodies', async () => {
  for (const r of writes) {
    const f = fx[`${r.method} ${r.url}`]!;
    const m = r.method as 'POST';
    const json = { ...auth, 'content-type': 'application/json' };
    expectError(
      await t.app.inject({ method: m, url: f.url, headers: json, payload: '{"name": ' }),
      400,
      'MALFORMED_JSON',
      `${r.method} ${r.url} truncated`,
    );
    expectError(
      await t.app.inject({ method: m, url: f.url, headers: json, payload: "{'a': 1}" }),
      400,
      'MALFORMED_JSON',
      `${r.method} ${r.url} quotes`,
    );
    expectError(
      await t.app.inject({
        method: m,
        url: f.url,
        headers: { ...auth, 'content-type': 'text/xml' },
        payload: '<a/>',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `${r.method} ${r.url} xml`,
    );
    expectError(
      await t.app.inject({
        method: m,
        url: f.url,
        headers: json,
        payload: JSON.stringify({ big: 'x'.repeat(1_100_000) }),
      }),
      413,
      'BODY_TOO_LARGE',
      `${r.method} ${r.url} oversized`,
    );
  }
});

test('unknown fields, wrong types and over-long strings in otherwise valid bodies', async () => {
  for (const r of writes) {
    const f = fx[`${r.method} ${r.url}`]!;
    if (!f.body || typeof f.body !== 'object') continue;
    const body = f.body as Record<string, unknown>;
    const what = `${r.method} ${r.url}`;
    expectError(
      await call(t.app, ws.owner, r.method as 'POST', f.url, { ...body, surprise: true }),
      400,
      'VALIDATION_FAILED',
      `${what} unknown field`,
    );
    expectError(
      await call(t.app, ws.owner, r.method as 'POST', f.url, []),
      400,
      'VALIDATION_FAILED',
      `${what} array body`,
    );
    for (const [key, value] of Object.entries(body)) {
      const wrong =
        typeof value === 'string'
          ? 12345
          : typeof value === 'object'
            ? 'not an object'
            : { nested: 'object' };
      expectError(
        await call(t.app, ws.owner, r.method as 'POST', f.url, { ...body, [key]: wrong }),
        400,
        'VALIDATION_FAILED',
        `${what} ${key} wrong type`,
      );
      if (typeof value === 'string') {
        const long = await call(t.app, ws.owner, r.method as 'POST', f.url, {
          ...body,
          [key]: 'x'.repeat(200_001),
        });
        assert.ok([400, 413].includes(long.statusCode), `${what} ${key} too long: ${long.statusCode}`);
      }
    }
  }
});

test('invalid ids in paths and queries', async () => {
  for (const r of routes.filter((x) => x.url.includes(':'))) {
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
      const url = r.url.replace(/:[A-Za-z]+/g, bad);
      const res = await call(t.app, ws.owner, r.method as 'GET', url, fx[`${r.method} ${r.url}`]?.body);
      expectError(res, 400, 'VALIDATION_FAILED', `${r.method} ${url}`);
    }
  }
  for (const qs of [
    'limit=0',
    'limit=100000',
    'cursor=%%%',
    'cursor=eyJ0IjoxfQ',
    'status=lost',
    'updatedSince=yesterday',
    'assigneeId=abc',
  ]) {
    const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations?${qs}`);
    assert.equal(res.statusCode, 400, `conversations?${qs}: ${res.body}`);
  }
});

test('invalid status transitions and duplicate external ids change nothing', async () => {
  const url = `/api/v1/conversations/${world.conversationId}`;
  assert.equal((await call(t.app, ws.owner, 'PATCH', url, { status: 'flying' })).statusCode, 400);
  const dup = {
    subject: 'D',
    channel: 'sms',
    customer: { id: world.customerId },
    message: { body: 'x', externalId: 'sms-1' },
  };
  const first = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', dup);
  assert.equal(first.statusCode, 201, first.body);
  const snap = await snapshot(exec, ws.id);
  expectError(
    await call(t.app, ws.owner, 'POST', '/api/v1/conversations', dup),
    409,
    'DUPLICATE_EXTERNAL_ID',
    'duplicate',
  );
  const closed = first.json().conversation.id;
  assert.equal(
    (await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${closed}`, { status: 'solved' }))
      .statusCode,
    200,
  );
  assert.equal(
    (await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${closed}`, { status: 'closed' }))
      .statusCode,
    200,
  );
  const afterClose = await snapshot(exec, ws.id);
  const reopen = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${closed}`, { status: 'open' });
  assert.equal(reopen.statusCode, 422, reopen.body);
  assert.equal(await snapshot(exec, ws.id), afterClose);
  assert.notEqual(snap, afterClose);
});

test('none of the bad requests above changed the workspace', async () => {
  // The last test legitimately created and closed one conversation; everything else must be untouched.
  const now = JSON.parse(await snapshot(exec, ws.id)) as Record<string, unknown[]>;
  const then = JSON.parse(before) as Record<string, unknown[]>;
  for (const table of ['people', 'teams', 'team_members', 'api_tokens', 'customer_identities']) {
    assert.deepEqual(now[table], then[table], table);
  }
});
