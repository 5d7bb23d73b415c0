import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { signIn, spawnSteward, startStewardProcess, stop, tempDataDir } from './steward-process.js';

/** Steward started the way `npm start` starts it, on the embedded database in a data dir of its own. */

test('first start, sign-in, a second process refused, and a restart after SIGKILL that keeps the data', async (t) => {
  const dataDir = tempDataDir();
  const first = await startStewardProcess({ STEWARD_DATA_DIR: dataDir });
  let credentials = { workspace: '', email: '', password: '' };
  let teamId = 0;

  await t.test('the first start waits for the setup in the browser, which works once', async () => {
    await first.waitForLine(/ready to be set up/);
    assert.match(first.stdout(), new RegExp(`Open http://localhost:${first.port} to create your workspace`));
    assert.doesNotMatch(first.stdout(), /password:/);
    const instance = await fetch(`${first.url}/api/v1/instance`);
    assert.equal(((await instance.json()) as { setupNeeded: boolean }).setupNeeded, true);
    const body = {
      workspaceName: 'Acme',
      name: 'Ada',
      email: 'ada@example.com',
      password: 'a long enough password',
    };
    const setup = (b: unknown) =>
      fetch(`${first.url}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
    const made = await setup(body);
    assert.equal(made.status, 201, await made.clone().text());
    assert.equal((await setup({ ...body, slug: 'another' })).status, 409);
    credentials = { workspace: 'acme', email: body.email, password: body.password };
  });

  await t.test('signing in with what was set up shows the workspace through the API', async () => {
    const session = await signIn(first.url, credentials);
    assert.equal(session.status, 200, JSON.stringify(session.body));
    const res = await fetch(`${first.url}/api/v1/workspace`, { headers: { cookie: session.cookie } });
    assert.equal(res.status, 200);
    const workspace = (await res.json()) as { slug: string };
    assert.equal(workspace.slug, credentials.workspace);
    const team = await fetch(`${first.url}/api/v1/teams`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Billing', isVendor: false }),
    });
    assert.equal(team.status, 201, await team.clone().text());
    teamId = ((await team.json()) as { id: number }).id;
  });

  await t.test('/healthz, /readyz and /metrics answer', async () => {
    const health = await fetch(`${first.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${first.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', database: 'pglite' });
    const metrics = await fetch(`${first.url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await metrics.text();
    assert.match(text, /^steward_http_requests_total\{/m);
    assert.match(text, /^steward_job_queue_depth \d+/m);
  });

  await t.test('a second process on the same data dir refuses with a clear message', async () => {
    const second = spawnSteward({ STEWARD_DATA_DIR: dataDir });
    const { code } = await second.exited;
    assert.notEqual(code, 0);
    assert.match(second.stderr(), /data directory .* is in use by another Steward process \(pid \d+\)/);
    assert.match(second.stderr(), new RegExp(`pid ${first.child.pid}`));
    assert.equal(readFileSync(join(dataDir, 'steward.pid'), 'utf8'), String(first.child.pid), 'lock kept');
  });

  await t.test(
    'after SIGKILL (a stale pid file) it starts again with its data and asks for no setup',
    async () => {
      const killed = await stop(first, 'SIGKILL');
      assert.equal(killed.signal, 'SIGKILL');
      assert.ok(existsSync(join(dataDir, 'steward.pid')), 'the crash left its pid file behind');
      const again = await startStewardProcess({ STEWARD_DATA_DIR: dataDir });
      try {
        const session = await signIn(again.url, credentials);
        assert.equal(session.status, 200, 'the same password still works');
        const res = await fetch(`${again.url}/api/v1/teams`, { headers: { cookie: session.cookie } });
        assert.equal(res.status, 200);
        const { items } = (await res.json()) as { items: { id: number; name: string }[] };
        assert.deepEqual(
          items.map((team) => [team.id, team.name]),
          [[teamId, 'Billing']],
        );
        assert.doesNotMatch(
          again.stdout(),
          /sign in as the owner|password:|ready to be set up/,
          'a set-up instance asks for nothing',
        );
      } finally {
        const { code } = await stop(again);
        assert.equal(code, 0);
      }
      assert.equal(existsSync(join(dataDir, 'steward.pid')), false, 'a clean stop removes its pid file');
    },
  );
});

test('STEWARD_ADMIN_* and STEWARD_BOOTSTRAP_TOKEN drive a fresh instance; SIGTERM finishes the request in flight', async (t) => {
  const token = `boot_${randomBytes(24).toString('hex')}`;
  const admin = { email: 'ops@example.com', password: 'an operator password' };
  const steward = await startStewardProcess({
    STEWARD_DATA_DIR: tempDataDir(),
    STEWARD_WORKSPACE_SLUG: 'acme',
    STEWARD_ADMIN_EMAIL: admin.email,
    STEWARD_ADMIN_PASSWORD: admin.password,
    STEWARD_BOOTSTRAP_TOKEN: token,
  });

  await t.test('the Bearer token works at once, for reads and writes', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    const res = await fetch(`${steward.url}/api/v1/workspace`, { headers: bearer });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { slug: string }).slug, 'acme');
    const team = await fetch(`${steward.url}/api/v1/teams`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Night shift', isVendor: false }),
    });
    assert.equal(team.status, 201);
    const wrong = await fetch(`${steward.url}/api/v1/workspace`, {
      headers: { authorization: `Bearer ${token}x` },
    });
    assert.equal(wrong.status, 401);
  });

  await t.test('the owner is the configured one, and the password is never printed', async () => {
    const session = await signIn(steward.url, { workspace: 'acme', ...admin });
    assert.equal(session.status, 200);
    await steward.waitForLine(/^\s+password:/);
    assert.doesNotMatch(steward.stdout(), new RegExp(admin.password));
    assert.doesNotMatch(steward.stdout(), new RegExp(token));
  });

  await t.test('SIGTERM lets the request in flight finish, then exits 0', async () => {
    const body = JSON.stringify({ workspace: 'acme', ...admin });
    const request = http.request({
      host: '127.0.0.1',
      port: steward.port,
      method: 'POST',
      path: '/api/v1/session',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('error', reject);
      request.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
    });
    request.write(body.slice(0, 10)); // the request has begun; the rest of its body is still on its way
    await sleep(300);
    // An answer on another connection proves the server's event loop has read what came before it, so the
    // request's head has been routed (on a busy machine 300 ms may not be enough: a request the server has not
    // read yet when it begins to stop gets a 503, as it should).
    assert.equal((await fetch(`http://127.0.0.1:${steward.port}/healthz`)).status, 200);
    steward.child.kill('SIGTERM');
    await steward.waitForLine(/stopping: finishing requests/);
    await sleep(300);
    assert.equal(steward.child.exitCode, null, 'still running while a request is in flight');
    request.end(body.slice(10));
    const res = await response;
    assert.equal(res.status, 200, res.body);
    const { code } = await steward.exited;
    assert.equal(code, 0, steward.stderr());
  });
});

test('a bad environment value stops boot with a message naming the variable', async () => {
  const steward = spawnSteward({ PORT: 'abc', STEWARD_DATA_DIR: tempDataDir() });
  const { code } = await steward.exited;
  assert.notEqual(code, 0);
  assert.match(steward.stderr(), /Invalid configuration/);
  assert.match(steward.stderr(), /\bPORT\b/);
  assert.doesNotMatch(steward.stdout(), /Steward is listening/);
});
