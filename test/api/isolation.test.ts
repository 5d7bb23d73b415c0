import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, createTestApp, signIn } from '../support/app.js';
import {
  bodyReferences,
  type Fixture,
  fixtures,
  makeWorld,
  sendFixture,
  snapshot,
} from '../support/route-fixtures.js';

/**
 * Workspace A's owner (an admin: every permission) walks every route against workspace B's resources. Each
 * answer must be a 404 that says no more than a missing id would, and B must be exactly as it was.
 */
const t = await createTestApp();
const a = await t.workspace();
const b = await t.workspace();
const exec = (q: string) => t.deps.db.execute(q) as Promise<{ rows: unknown[] }>;
const drain = () => t.worker.drain();
const paramRoutes = t.app.routeCatalog.filter((r) => !r.public && r.url.includes(':'));
/**
 * Routes addressed by a name every workspace shares (a template key and locale: `/templates/:key/:locale`)
 * have no foreign id to aim at; each workspace's own rows behind them are covered by the snapshot.
 */
const addressesIds = (url: string) => /\/\d+(?=\/|\?|$)/.test(url);

test('every route has a fixture, and each fixture works in its own workspace', async () => {
  // One world serves route after route while their fixtures keep working in it. A route that finds it spoilt
  // by an earlier one (its team deleted, its promise already kept) is sent again in a fresh world, in a
  // workspace of its own, and must work there. (A fresh world after every change made this walk ten times
  // slower; worlds piled into one workspace made each later one slower: its export and webhook fan-out.)
  const fresh = async () => {
    const ws = await t.workspace();
    return { ws, own: await makeWorld(t.app, ws.owner, drain), used: false };
  };
  const works = (f: Fixture, status: number) => (f.status ? status === f.status : status < 300);
  let world = await fresh();
  let renewed = 0;
  for (const r of t.app.routeCatalog.filter((x) => !x.public)) {
    const key = `${r.method} ${r.url}`;
    assert.ok(fixtures(world.own)[key], `no fixture for ${key}: add one to test/support/route-fixtures.ts`);
    if (key === 'PUT /api/v1/me/password' || key === 'DELETE /api/v1/session') continue; // need a session / real password
    let f = fixtures(world.own)[key]!;
    let res = await sendFixture(t.app, world.ws.owner, r.method, f);
    if (!works(f, res.statusCode) && world.used) {
      world = await fresh();
      renewed++;
      f = fixtures(world.own)[key]!;
      res = await sendFixture(t.app, world.ws.owner, r.method, f);
    }
    assert.ok(works(f, res.statusCode), `${key} in its own workspace -> ${res.statusCode} ${res.body}`);
    if (r.method !== 'GET') world.used = true;
  }
  // Spoilt worlds stay the exception: a walk that renews after most routes has lost its point (and its speed).
  assert.ok(renewed < 30, `${renewed} fresh worlds`);
});

test("workspace A's admin gets 404 on every route aimed at workspace B's ids, and B is unchanged", async () => {
  const foreign = await makeWorld(t.app, b.owner, drain);
  const before = await snapshot(exec, b.id);
  for (const r of paramRoutes) {
    const key = `${r.method} ${r.url}`;
    const f = fixtures(foreign)[key]!;
    if (!addressesIds(f.url)) continue;
    const res = await sendFixture(t.app, a.owner, r.method, f);
    assert.equal(res.statusCode, 404, `${key} -> ${res.statusCode} ${res.body}`);
    const missing = await call(
      t.app,
      a.owner,
      r.method as 'GET',
      f.url.replace(/\/\d+(?=\/|$)/g, '/987654321'),
      f.body,
    );
    assert.equal(
      res.json().error.code,
      missing.json().error.code,
      `${key}: a foreign id must look like a missing one`,
    );
  }
  const own = await makeWorld(t.app, a.owner, drain);
  for (const ref of bodyReferences(own, foreign)) {
    const res = await call(t.app, a.owner, ref.method, ref.url, ref.body);
    assert.ok(
      [404, 422].includes(res.statusCode),
      `${ref.method} ${ref.url} ${JSON.stringify(ref.body)} -> ${res.statusCode} ${res.body}`,
    );
  }
  assert.equal(await snapshot(exec, b.id), before, "workspace B's data changed");
});

test("lists and search never show another workspace's rows", async () => {
  const foreign = await makeWorld(t.app, b.owner, drain);
  const lists = [
    '/api/v1/people',
    '/api/v1/teams',
    '/api/v1/tokens',
    '/api/v1/customers',
    '/api/v1/conversations',
    '/api/v1/events',
    '/api/v1/calendars',
    '/api/v1/departments',
    '/api/v1/contact-reasons',
    '/api/v1/invitations',
  ];
  for (const url of lists) {
    const res = await call(t.app, a.owner, 'GET', url);
    assert.equal(res.statusCode, 200, url);
    const ids = new Set((res.json().items as Array<{ id: number }>).map((x) => x.id));
    // ids are unique per table, so each list is checked for B's row of that table
    const theirs: Record<string, number> = {
      '/api/v1/people': foreign.personId,
      '/api/v1/teams': foreign.teamId,
      '/api/v1/tokens': foreign.tokenId,
      '/api/v1/customers': foreign.customerId,
      '/api/v1/conversations': foreign.conversationId,
      '/api/v1/calendars': foreign.calendarId,
      '/api/v1/departments': foreign.departmentId,
      '/api/v1/contact-reasons': foreign.contactReasonId,
      '/api/v1/invitations': foreign.invitationId,
    };
    if (theirs[url]) assert.ok(!ids.has(theirs[url]), `${url} shows B's row`);
  }
  const search = await call(t.app, a.owner, 'GET', '/api/v1/search?q=hello%20there');
  assert.ok(
    !search
      .json()
      .messages.some((m: { conversationId: number }) => m.conversationId === foreign.conversationId),
  );
  const events = (await call(t.app, a.owner, 'GET', '/api/v1/events?limit=500')).json().items as Array<{
    entityType: string;
    entityId: number;
  }>;
  assert.ok(!events.some((e) => e.entityType === 'conversation' && e.entityId === foreign.conversationId));
});

test("a signed-in session of workspace A gets the same 404s on workspace B's ids", async () => {
  const foreign = await makeWorld(t.app, b.owner, drain);
  const before = await snapshot(exec, b.id);
  const session = await signIn(t.app, a.slug, a.owner);
  for (const r of paramRoutes) {
    const f = fixtures(foreign)[`${r.method} ${r.url}`]!;
    if (!addressesIds(f.url)) continue;
    const res = await sendFixture(t.app, session, r.method, f);
    assert.equal(res.statusCode, 404, `${r.method} ${r.url} -> ${res.statusCode} ${res.body}`);
  }
  assert.equal(await snapshot(exec, b.id), before, "workspace B's data changed");
});
