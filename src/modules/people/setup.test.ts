import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp } from '../../../test/support/app.js';
import { countWorkspaces } from '../workspaces/index.js';
import { ensureFirstWorkspace, slugFromName } from './index.js';

/** A fresh instance (this file's database has no workspace until the setup below makes one). */
const t = await createTestApp();
/** Another fresh instance, with a tight per-address limit. */
const limited = await createTestApp({ signInPerMinute: 3 });

const setup = (app: typeof t.app, body: unknown) =>
  app.inject({ method: 'POST', url: '/api/v1/setup', payload: body as Record<string, unknown> });
const instance = async (app: typeof t.app) =>
  (await app.inject({ method: 'GET', url: '/api/v1/instance' })).json() as {
    setupNeeded: boolean;
    canSendEmail: boolean;
    onlyWorkspace: string | null;
  };

const good = {
  workspaceName: 'Acme Support GmbH',
  name: 'Ada Lovelace',
  email: 'Ada@Example.com',
  password: 'a long enough password',
};

describe('first-start setup in the browser', () => {
  test('a start without STEWARD_ADMIN_* or a bootstrap token leaves the instance waiting for the setup', async () => {
    const first = await ensureFirstWorkspace(t.deps, { slug: 'default', name: 'My company' });
    assert.equal(first.workspace, undefined);
    assert.equal(first.created, undefined);
    assert.equal(await countWorkspaces(t.deps.db), 0);
    assert.deepEqual(await instance(t.app), { setupNeeded: true, canSendEmail: false, onlyWorkspace: null });
  });

  test('bad input is refused with 400 and sets nothing up', async () => {
    for (const body of [
      { ...good, password: 'short' },
      { ...good, email: 'not an address' },
      { ...good, workspaceName: '' },
      { ...good, name: '   ' },
      { ...good, slug: 'Not A Slug!' },
      { ...good, isOwner: true },
      { workspaceName: 'x' },
    ]) {
      const res = await setup(t.app, body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)} -> ${res.body}`);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    }
    assert.equal((await instance(t.app)).setupNeeded, true);
  });

  test('works exactly once, even when two setups race: the owner is signed in and can sign in again', async () => {
    const [one, two] = await Promise.all([
      setup(t.app, good),
      setup(t.app, { ...good, workspaceName: 'Intruder', slug: 'intruder', email: 'eve@example.com' }),
    ]);
    const statuses = [one.statusCode, two.statusCode].sort();
    assert.deepEqual(statuses, [201, 409], `${one.body} / ${two.body}`);
    const won = one.statusCode === 201 ? one : two;
    const lost = one.statusCode === 201 ? two : one;
    assert.equal(lost.json().error.code, 'SETUP_DONE');
    assert.equal(await countWorkspaces(t.deps.db), 1);

    const session = won.json();
    assert.equal(session.person.role, 'admin');
    assert.equal(session.person.isOwner, true);
    assert.ok(session.csrfToken);
    const cookie = won.cookies.find((c) => c.name === 'steward_session');
    assert.ok(cookie?.httpOnly);
    const who = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      cookies: { steward_session: cookie!.value },
    });
    assert.equal(who.statusCode, 200);
    assert.equal(who.json().person.email, session.person.email);

    const again = await setup(t.app, { ...good, slug: 'second-try' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'SETUP_DONE');
    assert.equal((await instance(t.app)).setupNeeded, false);
  });

  test('the slug is made from the name; the owner signs in with the chosen password', async () => {
    const who = (await t.deps.db.execute('select slug, name from workspaces')).rows as Array<{
      slug: string;
      name: string;
    }>;
    assert.equal(who.length, 1);
    // The sign-in page fills in the only workspace there is.
    assert.equal((await instance(t.app)).onlyWorkspace, who[0]!.slug);
    if (who[0]!.name !== good.workspaceName) return; // the intruder's request won the race above
    assert.equal(who[0]!.slug, 'acme-support-gmbh');
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { workspace: 'acme-support-gmbh', email: 'ada@example.com', password: good.password },
    });
    assert.equal(signIn.statusCode, 200, signIn.body);
    assert.equal(signIn.json().person.name, 'Ada Lovelace');
  });

  test('after the setup, the first start finds the workspace and creates nothing', async () => {
    const first = await ensureFirstWorkspace(t.deps, {
      slug: 'default',
      name: 'My company',
      adminEmail: 'other@example.com',
      adminPassword: 'a long enough password',
    });
    assert.equal(first.created, undefined);
    assert.ok(first.workspace);
    assert.equal(await countWorkspaces(t.deps.db), 1);
  });

  test('with a second workspace, sign-in fills in none', async () => {
    await t.deps.db.execute(
      "insert into workspaces (slug, name, created_at) values ('second-one', 'Second', now())",
    );
    assert.equal((await instance(t.app)).onlyWorkspace, null);
    assert.equal((await instance(t.app)).setupNeeded, false);
  });

  test('slugs people can type', () => {
    assert.equal(slugFromName('Café Größe & Co.'), 'cafe-grosse-co');
    assert.equal(slugFromName('!!'), 'default');
    assert.match(slugFromName('x'.repeat(100)), /^x{40}$/);
  });

  test('the setup route is limited per address (STEWARD_SIGN_IN_PER_MINUTE)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await setup(limited.app, { workspaceName: 'x' })).statusCode);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
    assert.equal((await instance(limited.app)).setupNeeded, true);
  });
});
