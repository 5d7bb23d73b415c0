import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roleCan, roles } from '../../src/modules/people/index.js';
import { call, createTestApp } from '../support/app.js';

/**
 * Walks every /api/v1 route for every role: a role without the route's permission gets 403 FORBIDDEN from the
 * authorization hook; a role with it gets past the hook (whatever the handler then says about the empty request).
 * A route registered without a permission fails at startup, so none can slip past this walk.
 */
const t = await createTestApp();
const ws = await t.workspace();
const people = Object.fromEntries(
  await Promise.all(roles.map(async (r) => [r, r === 'admin' ? ws.owner : await ws.person(r)])),
);
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '999999');
const protectedRoutes = t.app.routeCatalog.filter((r) => !r.public);

test('the catalogue is complete: every route names a known permission or is public', () => {
  assert.ok(protectedRoutes.length >= 20, `only ${protectedRoutes.length} routes`);
  for (const r of t.app.routeCatalog) {
    assert.ok(r.public || r.action, `${r.method} ${r.url}`);
    if (r.action)
      assert.ok(roleCan('admin', r.action), `${r.method} ${r.url}: unknown permission ${r.action}`);
  }
});

test('without credentials every protected route answers 401', async () => {
  for (const r of protectedRoutes) {
    const res = await t.app.inject({ method: r.method as 'GET', url: concrete(r.url) });
    assert.equal(res.statusCode, 401, `${r.method} ${r.url}: ${res.body}`);
    assert.equal(res.json().error.code, 'UNAUTHENTICATED');
  }
});

test('every route x every role follows the matrix', async () => {
  for (const r of protectedRoutes) {
    for (const role of roles) {
      const res = await call(
        t.app,
        people[role],
        r.method as 'GET',
        concrete(r.url),
        r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      );
      const forbidden = res.statusCode === 403 && res.json().error.code === 'FORBIDDEN';
      assert.equal(
        forbidden,
        !roleCan(role, r.action!),
        `${role} ${r.method} ${r.url} -> ${res.statusCode} ${res.body}`,
      );
    }
  }
});

test('an executive can change nothing but their own profile', () => {
  for (const r of protectedRoutes) {
    if (r.method === 'GET' || r.action === 'profile.write') continue;
    assert.equal(roleCan('executive', r.action!), false, `${r.method} ${r.url}`);
  }
});

test('a signed-in session follows the same matrix as a token (agent cannot administer)', async () => {
  const agent = people.agent!;
  const signIn = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { workspace: ws.slug, email: agent.email, password: agent.password },
  });
  const cookie = signIn.cookies.find((c) => c.name === 'steward_session')!.value;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/people',
    cookies: { steward_session: cookie },
    headers: { 'x-csrf-token': signIn.json().csrfToken },
    payload: { email: 'x@example.com', name: 'X', role: 'admin' },
  });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'FORBIDDEN');
});
