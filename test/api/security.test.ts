import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { roleMatrix, roles } from '../../src/modules/people/index.js';
import { call, createTestApp } from '../support/app.js';

const t = await createTestApp();

test('a token cannot mint a token stronger than itself', async () => {
  const ws = await t.workspace();
  const narrow = await call(t.app, ws.owner, 'POST', '/api/v1/tokens', {
    name: 'tokens only',
    scopes: ['tokens:write'],
  });
  assert.equal(narrow.statusCode, 201);
  const token = { token: narrow.json().value as string };
  const stronger = await call(t.app, token, 'POST', '/api/v1/tokens', { name: 'all', scopes: ['all:write'] });
  assert.equal(stronger.statusCode, 403, stronger.body);
  assert.equal(stronger.json().error.code, 'SCOPE_EXCEEDS_ROLE');
  const same = await call(t.app, token, 'POST', '/api/v1/tokens', { name: 'same', scopes: ['tokens:write'] });
  assert.equal(same.statusCode, 201, same.body);
});

test('wrong passwords sent in parallel all count towards the lockout', async () => {
  const ws = await t.workspace();
  const agent = await ws.person('agent');
  await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { workspace: ws.slug, email: agent.email, password: `wrong password ${i}` },
      }),
    ),
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { workspace: ws.slug, email: agent.email, password: agent.password },
  });
  assert.notEqual(res.statusCode, 200, 'the account must be locked after 8 parallel wrong passwords');
});

test('X-Forwarded-For is not believed unless a proxy is trusted, so the sign-in limit holds', async () => {
  const limited = await createTestApp({ signInPerMinute: 3 });
  const ws = await limited.workspace();
  const codes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await limited.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'x-forwarded-for': `203.0.113.${i}` },
      payload: { workspace: ws.slug, email: `nobody${i}@example.com`, password: 'whatever-it-is' },
    });
    codes.push(res.statusCode);
  }
  assert.deepEqual(codes, [401, 401, 401, 429, 429]);
});

test('NUL characters, impossible dates and forged cursors are 400s, never 500s', async () => {
  const ws = await t.workspace();
  const created = await call(t.app, ws.owner, 'POST', '/api/v1/customers', { name: 'Nul Test' });
  const cases: Array<[string, string, unknown?]> = [
    ['POST', '/api/v1/customers', { name: 'a\u0000b' }],
    ['PATCH', `/api/v1/customers/${created.json().id}`, { attributes: { k: 'v\u0000' } }],
    [
      'POST',
      '/api/v1/conversations',
      { subject: 's', channel: 'email', customer: { email: 'n@example.com' }, message: { body: 'x\u0000y' } },
    ],
    ['GET', '/api/v1/customers?q=a%00b'],
    ['GET', '/api/v1/search?q=a%00b'],
    ['GET', '/api/v1/people?q=%00'],
    ['GET', '/api/v1/conversations?tag=a%00'],
    ['GET', '/api/v1/events?type=%00'],
    ['GET', '/api/v1/conversations?updatedSince=0000-01-01T00:00:00Z'],
    ['GET', '/api/v1/conversations?updatedSince=2026-02-30T00:00:00Z'],
    ['GET', '/api/v1/search?q=x&from=0000-01-01T00:00:00Z'],
    ['POST', '/api/v1/tokens', { name: 'x', scopes: ['customers:read'], expiresAt: '0000-01-01T00:00:00Z' }],
    ['PATCH', '/api/v1/workspace', {}],
  ];
  for (const t0 of [
    '2020-02-30T00:00:00.000Z',
    'March 7',
    '0000-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
  ]) {
    const cursor = Buffer.from(JSON.stringify({ t: t0, id: 1 })).toString('base64url');
    cases.push(
      ['GET', `/api/v1/conversations?cursor=${cursor}`],
      ['GET', `/api/v1/customers?cursor=${cursor}`],
    );
  }
  for (const [method, url, body] of cases) {
    const res = await call(t.app, ws.owner, method as 'GET', url, body);
    assert.equal(
      res.statusCode,
      400,
      `${method} ${url} ${JSON.stringify(body)} -> ${res.statusCode} ${res.body}`,
    );
  }
});

test('/metrics is open by default, and needs the token when STEWARD_METRICS_TOKEN is set', async () => {
  const open = await t.app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(open.statusCode, 200);
  assert.match(open.body, /steward_http_requests_total/);
  const guarded = await createTestApp({ metricsToken: 'metrics-secret-0123456789' });
  assert.equal((await guarded.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
  const wrong = await guarded.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: 'Bearer nope' },
  });
  assert.equal(wrong.statusCode, 401);
  const right = await guarded.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: 'Bearer metrics-secret-0123456789' },
  });
  assert.equal(right.statusCode, 200);
  assert.match(right.body, /steward_job_queue_depth/);
});

test("README's permission table is the matrix in code", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows = readme.split('\n').filter((l) => /^\| `[a-z]+\.[a-z]+`/.test(l));
  const documented = new Map(
    rows.map((l) => {
      const cells = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      const permission = /`([a-z]+\.[a-z]+)`/.exec(cells[0]!)![1]!;
      return [permission, cells.slice(1)] as const;
    }),
  );
  const header = readme.split('\n').find((l) => l.startsWith('| permission |'))!;
  const columns = header
    .split('|')
    .slice(2, -1)
    .map((c) => c.trim());
  assert.deepEqual([...columns].sort(), [...roles].sort());
  const inCode = new Set(Object.values(roleMatrix).flatMap((s) => [...s]));
  assert.deepEqual([...documented.keys()].sort(), [...inCode].sort(), 'every permission documented once');
  for (const [permission, marks] of documented) {
    columns.forEach((role, i) => {
      const granted = roleMatrix[role as (typeof roles)[number]].has(permission as never);
      assert.equal(marks[i] === '✓', granted, `${permission} for ${role}`);
    });
  }
});

test('scopes that could never grant anything are refused up front', async () => {
  const ws = await t.workspace();
  for (const scope of ['tokens:read', 'approvals:read', 'analytics:write', 'nope:read']) {
    const res = await call(t.app, ws.owner, 'POST', '/api/v1/tokens', { name: 'x', scopes: [scope] });
    assert.equal(res.statusCode, 400, scope);
    assert.equal(res.json().error.code, 'VALIDATION_FAILED');
  }
});

test('a locked account answers exactly like an unknown address after the same failures', async () => {
  const ws = await t.workspace();
  const agent = await ws.person('agent');
  const attempt = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { workspace: ws.slug, email, password },
    });
  const answers: Record<string, string[]> = { real: [], unknown: [] };
  for (let i = 0; i < 7; i++) {
    answers.real!.push(String((await attempt(agent.email, `wrong ${i} password`)).json().error.code));
    answers.unknown!.push(
      String((await attempt('ghost@example.com', `wrong ${i} password`)).json().error.code),
    );
  }
  assert.deepEqual(answers.real, answers.unknown);
  assert.equal(answers.real!.at(-1), 'ACCOUNT_LOCKED');
});

test('only an owner can make, unmake or change an owner; other admins cannot', async () => {
  const ws = await t.workspace();
  const admin = await ws.person('admin');
  const selfPromotion = await call(t.app, admin, 'PATCH', `/api/v1/people/${admin.personId}`, {
    isOwner: true,
  });
  assert.equal(selfPromotion.statusCode, 403, selfPromotion.body);
  const demoteOwner = await call(t.app, admin, 'PATCH', `/api/v1/people/${ws.owner.personId}`, {
    role: 'agent',
  });
  assert.ok([403, 409].includes(demoteOwner.statusCode), demoteOwner.body);
  const newOwner = await call(t.app, admin, 'POST', '/api/v1/people', {
    email: 'crown@example.com',
    name: 'Crown',
    role: 'admin',
    isOwner: true,
  });
  assert.equal(newOwner.statusCode, 403, newOwner.body);
  const byOwner = await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${admin.personId}`, { isOwner: true });
  assert.equal(byOwner.statusCode, 200, byOwner.body);
});
