import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp();

async function signIn(workspace: string, email: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { workspace, email, password } });
}

describe('sessions', () => {
  test('sign in sets an HttpOnly SameSite cookie and returns the CSRF token; reads work, writes need the token', async () => {
    const ws = await t.workspace();
    const res = await signIn(ws.slug, ws.owner.email.toUpperCase(), ws.owner.password);
    assert.equal(res.statusCode, 200, res.body);
    const cookie = res.cookies.find((c) => c.name === 'steward_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    const { csrfToken, workspace, person } = res.json();
    assert.equal(workspace.slug, ws.slug);
    assert.equal(person.isOwner, true);

    const who = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      cookies: { steward_session: cookie.value },
    });
    assert.equal(who.statusCode, 200);
    assert.equal(who.json().csrfToken, csrfToken);

    const body = { name: 'Billing', isVendor: false };
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      cookies: { steward_session: cookie.value },
      payload: body,
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().error.code, 'CSRF_FAILED');
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      cookies: { steward_session: cookie.value },
      headers: { 'x-csrf-token': csrfToken },
      payload: body,
    });
    assert.equal(withCsrf.statusCode, 201, withCsrf.body);

    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      cookies: { steward_session: cookie.value },
      headers: { 'x-csrf-token': csrfToken },
    });
    assert.equal(out.statusCode, 204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      cookies: { steward_session: cookie.value },
    });
    assert.equal(after.statusCode, 401);
  });

  test('wrong workspace, address or password all answer INVALID_CREDENTIALS', async () => {
    const ws = await t.workspace();
    for (const [w, e, p] of [
      ['no-such-workspace', ws.owner.email, ws.owner.password],
      [ws.slug, 'nobody@example.com', ws.owner.password],
      [ws.slug, ws.owner.email, 'wrong password!'],
    ] as const) {
      const res = await signIn(w, e, p);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'INVALID_CREDENTIALS');
    }
  });

  test('five wrong passwords lock the account for 15 minutes, even against the right password', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    for (let i = 0; i < 5; i++)
      assert.equal((await signIn(ws.slug, agent.email, `wrong-${i}-password`)).statusCode, 401);
    const locked = await signIn(ws.slug, agent.email, agent.password);
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, 'ACCOUNT_LOCKED');
    t.clock.advance(15 * 60_000 + 1);
    assert.equal((await signIn(ws.slug, agent.email, agent.password)).statusCode, 200);
  });

  test('a deactivated person can neither sign in nor use a token, and keeps their record', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const res = await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${agent.personId}`, {
      status: 'deactivated',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'deactivated');
    assert.equal((await signIn(ws.slug, agent.email, agent.password)).statusCode, 401);
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/workspace')).statusCode, 401);
    assert.equal(
      (await call(t.app, ws.owner, 'GET', `/api/v1/people/${agent.personId}`)).json().status,
      'deactivated',
    );
  });

  test('the last owner can never be demoted, un-owned or deactivated; with a second owner they can', async () => {
    const ws = await t.workspace();
    const url = `/api/v1/people/${ws.owner.personId}`;
    for (const patch of [{ role: 'agent' }, { isOwner: false }, { status: 'deactivated' }]) {
      const res = await call(t.app, ws.owner, 'PATCH', url, patch);
      assert.equal(res.statusCode, 409, JSON.stringify(patch));
      assert.equal(res.json().error.code, 'LAST_OWNER');
    }
    const second = await ws.person('admin');
    assert.equal(
      (await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${second.personId}`, { isOwner: true }))
        .statusCode,
      200,
    );
    assert.equal((await call(t.app, ws.owner, 'PATCH', url, { isOwner: false })).statusCode, 200);
  });

  test('changing the password ends the sessions and the new one works', async () => {
    const ws = await t.workspace();
    const first = await signIn(ws.slug, ws.owner.email, ws.owner.password);
    const cookie = first.cookies.find((c) => c.name === 'steward_session')!.value;
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      cookies: { steward_session: cookie },
      headers: { 'x-csrf-token': first.json().csrfToken },
      payload: { currentPassword: ws.owner.password, newPassword: 'a brand new passphrase' },
    });
    assert.equal(res.statusCode, 204, res.body);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { steward_session: cookie } }))
        .statusCode,
      401,
    );
    assert.equal((await signIn(ws.slug, ws.owner.email, 'a brand new passphrase')).statusCode, 200);
  });
});

describe('API tokens', () => {
  test('the scopes list names every scope POST /tokens accepts, and which the role can use', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const res = await call(t.app, agent, 'GET', '/api/v1/tokens/scopes');
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Array<{ scope: string; permissions: string[]; usable: boolean }>;
    const byScope = new Map(items.map((i) => [i.scope, i]));
    assert.equal(byScope.get('conversations:read')?.usable, true);
    assert.deepEqual(byScope.get('conversations:read')?.permissions, ['conversations.read']);
    assert.equal(byScope.get('webhooks:write')?.usable, false);
    for (const item of items) {
      const created = await call(t.app, agent, 'POST', '/api/v1/tokens', { name: 'x', scopes: [item.scope] });
      assert.equal(created.statusCode, item.usable ? 201 : 403, `${item.scope}: ${created.body}`);
    }
  });

  test('shown once, stored hashed, revocable, never stronger than the role', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const created = await call(t.app, agent, 'POST', '/api/v1/tokens', {
      name: 'script',
      scopes: ['conversations:read'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const { value, token } = created.json();
    assert.match(value, /^stw_/);
    const stored = await t.deps.database.db.execute(
      `select token_hash from api_tokens where id = ${Number(token.id)}`,
    );
    assert.notEqual((stored.rows[0] as { token_hash: string }).token_hash, value);
    assert.ok(!JSON.stringify((await call(t.app, agent, 'GET', '/api/v1/tokens')).json()).includes(value));

    const readOnly = { token: value };
    assert.equal(
      (await call(t.app, readOnly, 'GET', '/api/v1/teams')).statusCode,
      403,
      'teams:read not in scopes',
    );
    const beyond = await call(t.app, agent, 'POST', '/api/v1/tokens', {
      name: 'x',
      scopes: ['people:write'],
    });
    assert.equal(beyond.statusCode, 403);
    assert.equal(beyond.json().error.code, 'SCOPE_EXCEEDS_ROLE');

    assert.equal((await call(t.app, agent, 'DELETE', `/api/v1/tokens/${token.id}`)).statusCode, 200);
    assert.equal((await call(t.app, readOnly, 'GET', '/api/v1/workspace')).statusCode, 401);
  });

  test("an agent cannot see or revoke a colleague's token (404)", async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    const created = await call(t.app, a, 'POST', '/api/v1/tokens', { name: 'mine', scopes: ['all:read'] });
    const res = await call(t.app, b, 'DELETE', `/api/v1/tokens/${created.json().token.id}`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'TOKEN_NOT_FOUND');
  });
});

test('sign-in attempts are rate limited per client address', async () => {
  const limited = await createTestApp({ signInPerMinute: 3 });
  const ws = await limited.workspace();
  const codes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await limited.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { workspace: ws.slug, email: `nobody${i}@example.com`, password: 'whatever-it-is' },
    });
    codes.push(res.statusCode);
  }
  assert.deepEqual(codes, [401, 401, 401, 429, 429]);
});
